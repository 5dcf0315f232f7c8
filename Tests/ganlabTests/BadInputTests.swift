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

private let badFileCases: [BadExperimentFile] = [
    .init(name: "empty file", yaml: "", line: 1, key: nil, mustContain: ["empty experiment file"]),
    .init(name: "only comments", yaml: "# todo\n", line: 1, key: nil, mustContain: ["empty experiment file"]),
    .init(name: "binary garbage", yaml: "problem: spiral\n\u{1}\u{2}PNG\n", line: 2, key: nil, mustContain: ["not text"]),
    .init(name: "YAML syntax error", yaml: "train:\n  steps: [1, 2\n  realBatch: 3\n", line: 3, key: nil,
          mustContain: ["YAML syntax error"]),
    .init(name: "tab indentation", yaml: "train:\n\tsteps: 5\n", line: 2, key: nil, mustContain: ["tabs"]),
    .init(name: "two documents", yaml: "problem: spiral\n---\nproblem: ring8\n", line: 2, key: nil,
          mustContain: ["one document"]),
    .init(name: "top level is a list", yaml: "- spiral\n", line: 1, key: nil, mustContain: ["top level"]),
    .init(name: "unknown key", yaml: "problem: spiral\ntrain:\n  stepz: 10\n", line: 3, key: "train.stepz",
          mustContain: ["did you mean 'steps'?"]),
    .init(name: "unknown top-level key", yaml: "problme: spiral\n", line: 1, key: "problme",
          mustContain: ["did you mean 'problem'?"]),
    .init(name: "duplicate key", yaml: "train:\n  steps: 5\n  steps: 6\n", line: 3, key: "train.steps",
          mustContain: ["duplicate key"]),
    .init(name: "duplicate section", yaml: "output:\n  logEvery: 5\noutput:\n  logEvery: 6\n", line: 3, key: "output",
          mustContain: ["duplicate key"]),
    .init(name: "text for a number", yaml: "train:\n  steps: many\n", line: 2, key: "train.steps",
          mustContain: ["expected an integer"]),
    .init(name: "quoted number", yaml: "train:\n  realBatch: \"64\"\n", line: 2, key: "train.realBatch",
          mustContain: ["drop the quotes"]),
    .init(name: "list for a number", yaml: "seed: [1, 2]\n", line: 1, key: "seed", mustContain: ["a list"]),
    .init(name: "number for a section", yaml: "generator: 5\n", line: 1, key: "generator",
          mustContain: ["expected a section"]),
    .init(name: "zero steps", yaml: "train:\n  steps: 0\n", line: 2, key: "train.steps", mustContain: ["out of range"]),
    .init(name: "negative batch", yaml: "train:\n  fakeBatch: -4\n", line: 2, key: "train.fakeBatch",
          mustContain: ["out of range"]),
    .init(name: "steps for weeks", yaml: "train:\n  steps: 5000000000\n", line: 2, key: "train.steps",
          mustContain: ["10,000,000"]),
    .init(name: "absurd width", yaml: "discriminator:\n  hidden: [64, 1000000]\n", line: 2, key: "discriminator.hidden",
          mustContain: ["4,096"]),
    .init(name: "zero width", yaml: "generator:\n  hidden: [0]\n", line: 2, key: "generator.hidden",
          mustContain: ["width 0"]),
    .init(name: "no hidden layers", yaml: "generator:\n  hidden: []\n", line: 2, key: "generator.hidden",
          mustContain: ["0 hidden layers"]),
    .init(name: "memory beyond 2 GB", yaml: "generator:\n  hidden: [4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, "
            + "4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, "
            + "4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096]\n",
          line: 2, key: "generator.hidden", mustContain: ["2 GB"]),
    .init(name: "integer beyond 64 bits", yaml: "train:\n  steps: 123456789012345678901234567890\n", line: 2, key: "train.steps",
          mustContain: ["far too large"]),
    .init(name: "NaN learning rate", yaml: "train:\n  generatorOptimizer:\n    learningRate: .nan\n", line: 3,
          key: "train.generatorOptimizer.learningRate", mustContain: ["not a number"]),
    .init(name: "infinite learning rate", yaml: "train:\n  discriminatorOptimizer:\n    learningRate: -.inf\n", line: 3,
          key: "train.discriminatorOptimizer.learningRate", mustContain: ["infinite"]),
    .init(name: "learning rate overflowing", yaml: "train:\n  generatorOptimizer:\n    learningRate: 1e999\n", line: 3,
          key: "train.generatorOptimizer.learningRate", mustContain: ["infinite"]),
    .init(name: "beta2 of 1", yaml: "train:\n  discriminatorOptimizer:\n    beta2: 1.0\n", line: 3,
          key: "train.discriminatorOptimizer.beta2", mustContain: ["[0, 1)"]),
    .init(name: "unknown problem", yaml: "problem: spirale\n", line: 1, key: "problem",
          mustContain: ["did you mean 'spiral'?", "spiral, eight-gaussians, uniform-to-normal, ring8, ring8-pacgan, grid25"]),
    .init(name: "unknown loss", yaml: "train:\n  loss: wasserstein\n", line: 2, key: "train.loss",
          mustContain: ["non-saturating, minimax, least-squares, hinge"]),
    .init(name: "unknown activation", yaml: "generator:\n  activation: gelu\n", line: 2, key: "generator.activation",
          mustContain: ["leaky-relu, relu, tanh, sigmoid, identity"]),
    .init(name: "unknown optimizer", yaml: "train:\n  generatorOptimizer:\n    kind: rmsprop\n", line: 3,
          key: "train.generatorOptimizer.kind", mustContain: ["adam, sgd"]),
    .init(name: "sigmoid discriminator", yaml: "discriminator:\n  output: sigmoid\n", line: 2, key: "discriminator.output",
          mustContain: ["logit"]),
    .init(name: "CR line endings", yaml: "problem: spiral\rtrain:\r  stepz: 5\r", line: 3, key: "train.stepz"),
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
