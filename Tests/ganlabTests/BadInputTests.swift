import Foundation
import Testing

/// A malformed experiment file given to `ganlab run`, and what the one error line must name.
struct BadExperimentFile: CustomTestStringConvertible, Sendable {
    var name: String
    var yaml: String
    /// The line the message must point at (nil: the problem is the whole file).
    var line: Int?
    /// The key path the message must name (nil: no key is at fault).
    var key: String?
    /// Further words the message must hold (the allowed names, the fix, …).
    var mustContain: [String] = []
    var testDescription: String { name }
}

/// A bad command line for `ganlab run`.
struct BadArguments: CustomTestStringConvertible, Sendable {
    var name: String
    var arguments: [String]
    var mustContain: [String]
    var testDescription: String { name }
}

/// A few representatives of the experiment-file table, which lives once in
/// `GANLabCoreTests/ConfigTests.swift` (every case there is checked on the loader): these check
/// that the binary prints the loader's line, exits 2 and writes nothing.
private let badFileCases: [BadExperimentFile] = [
    .init(name: "empty file", yaml: "", line: 1, key: nil, mustContain: ["empty experiment file"]),
    .init(name: "YAML syntax error", yaml: "train:\n  steps: [1, 2\n  realBatch: 3\n", line: 3, key: nil,
          mustContain: ["YAML syntax error"]),
    .init(name: "unknown key", yaml: "problem: spiral\ntrain:\n  stepz: 10\n", line: 3, key: "train.stepz",
          mustContain: ["did you mean 'steps'?"]),
    .init(name: "NaN learning rate", yaml: "train:\n  generatorOptimizer:\n    learningRate: .nan\n", line: 3,
          key: "train.generatorOptimizer.learningRate", mustContain: ["not a number"]),
    .init(name: "negative instance noise", yaml: "train:\n  instanceNoise: -0.5\n", line: 2, key: "train.instanceNoise",
          mustContain: ["a number in [0, 100]"]),
    .init(name: "generator average β = 1", yaml: "train:\n  generatorAverage: 1\n", line: 2, key: "train.generatorAverage",
          mustContain: ["a number in [0, 1)"]),
    .init(name: "unknown problem", yaml: "problem: spirale\n", line: 1, key: "problem",
          mustContain: ["did you mean 'spiral'?", "spiral, eight-gaussians, uniform-to-normal, ring8, ring8-pacgan, grid25"]),
]

private let badArgumentCases: [BadArguments] = [
    .init(name: "unknown experiment name", arguments: ["spirl"], mustContain: ["unknown experiment 'spirl'", "did you mean 'spiral'?"]),
    .init(name: "missing experiment file", arguments: ["no/such/file.yaml"], mustContain: ["no/such/file.yaml", "no such experiment file"]),
    .init(name: "bad --set key", arguments: ["spiral", "--set", "train.stpes=5"],
          mustContain: ["--set 'train.stpes=5'", "did you mean 'steps'?"]),
    .init(name: "bad --set value", arguments: ["spiral", "--set", "train.steps=lots"],
          mustContain: ["--set 'train.steps=lots'", "expected an integer"]),
    .init(name: "--set without '='", arguments: ["spiral", "--set", "train.steps"], mustContain: ["missing '='"]),
    .init(name: "--seed not a number", arguments: ["spiral", "--seed", "abc"], mustContain: ["seed"]),
    .init(name: "--seed negative", arguments: ["spiral", "--seed", "-1"], mustContain: ["'-1' is invalid for '--seed"]),
    .init(name: "--steps without --resume", arguments: ["spiral", "--steps", "10"], mustContain: ["--steps goes with --resume"]),
    .init(name: "--experiments folder missing", arguments: ["spiral", "--experiments", "no/such/folder"],
          mustContain: ["no/such/folder", "no such folder"]),
    .init(name: "--name escaping the output folder", arguments: ["spiral", "--name", "../escape"], mustContain: ["--name '../escape'"]),
    .init(name: "--name absolute", arguments: ["spiral", "--name", "/tmp/x"], mustContain: ["--name '/tmp/x'"]),
    .init(name: "--resume with an experiment", arguments: ["spiral", "--resume", "output/x"], mustContain: ["--resume takes the run folder"]),
    .init(name: "no experiment", arguments: [], mustContain: ["Name an experiment"]),
]

/// Runs `ganlab run` with `arguments`; expects exit 2 and returns the lines of stderr.
private func refusal(_ arguments: [String]) throws -> [String] {
    let r = try CLI.run(["run"] + arguments)
    #expect(r.status == 2, "exit \(r.status): \(r.stderr)")
    return r.stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
}

@Suite("Bad input (built binary)")
struct BadInputTests {
    @Test("every malformed experiment file: exit 2, one line naming file, line and key, no run folder", arguments: badFileCases)
    func badFile(_ bad: BadExperimentFile) throws {
        let dir = temporaryFolder("badfile")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/case.yaml"
        try Data(bad.yaml.utf8).write(to: URL(fileURLWithPath: file))
        let lines = try refusal([file, "--out", dir + "/run", "--no-render"])
        #expect(lines.count == 1, "one line expected: \(lines)")
        let line = lines.first ?? ""
        let location = bad.line.map { "\(file):\($0):" } ?? "\(file):"
        #expect(line.hasPrefix("error: \(location)"), "\(line)")
        if let key = bad.key { #expect(line.contains(": \(key): "), "key \(key) missing in: \(line)") }
        for part in bad.mustContain { #expect(line.contains(part), "missing \(part) in: \(line)") }
        #expect(!FileManager.default.fileExists(atPath: dir + "/run"), "a run folder was created")
    }

    @Test("bad command lines: exit 2, one line saying what to fix, no run folder", arguments: badArgumentCases)
    func badArguments(_ bad: BadArguments) throws {
        let before = Set((try? FileManager.default.subpathsOfDirectory(atPath: CLI.root.appendingPathComponent("output").path)) ?? [])
        // ArgumentParser follows its one error line with the usage and a pointer to --help.
        let errors = try refusal(bad.arguments).filter { $0.hasPrefix("error: ") || $0.hasPrefix("Error: ") }
        #expect(errors.count == 1, "one error line expected: \(errors)")
        let line = errors.first ?? ""
        for part in bad.mustContain { #expect(line.contains(part), "missing \(part) in: \(line)") }
        let after = Set((try? FileManager.default.subpathsOfDirectory(atPath: CLI.root.appendingPathComponent("output").path)) ?? [])
        #expect(after.subtracting(before).isEmpty, "created \(after.subtracting(before))")
    }
}
