import Foundation
import Testing
import GANLabCore

/// A tiny experiment on the file target `file` (`problem` points or picture), for the built binary.
private func fileTargetYAML(_ problem: String, file: String, extra: String = "") -> String {
    """
    problem: \(problem)
    seed: 4
    target:
      file: \(file)
    \(extra)
    generator:
      hidden: [16, 16]
      output: identity
    discriminator:
      hidden: [16, 16]
    train:
      steps: 60
      realBatch: 32
      fakeBatch: 32
      generatorBatch: 64
      threads: 1
    output:
      probeCount: 100
      frameEvery: 20
      logEvery: 10
      snapshotEvery: 30
      diagnosticsGrid: 16
    """
}

/// 150 points on a circle, as CSV.
private func circleCSV(_ count: Int = 150) -> String {
    "x,y\n" + (0..<count).map { k in
        let a = 2 * Double.pi * Double(k) / Double(count)
        return "\(cos(a)),\(sin(a))"
    }.joined(separator: "\n") + "\n"
}

@Suite("File targets (built binary)")
struct FileTargetCommandTests {
    @Test("a run on a CSV next to its experiment keeps a copy; render, diagnose and sample use it after the original changed")
    func runOnPoints() throws {
        let dir = temporaryFolder("filetarget-run")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try circleCSV().write(toFile: dir + "/circle.csv", atomically: true, encoding: .utf8)
        try fileTargetYAML("points", file: "circle.csv", extra: "  jitter: 0.01")
            .write(toFile: dir + "/circle.yaml", atomically: true, encoding: .utf8)
        let run = dir + "/run"
        let trained = try CLI.run(["run", dir + "/circle.yaml", "--out", run, "--no-render"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let config = String(decoding: contents(run + "/config.yaml"), as: UTF8.self)
        #expect(config.contains("file: \"\(dir)/circle.csv\"") && config.contains("checksum: \""), "\(config)")
        #expect(contents(run + "/target.csv") == contents(dir + "/circle.csv"))
        try circleCSV(300).write(toFile: dir + "/circle.csv", atomically: true, encoding: .utf8)
        let before = try CLI.run(["diagnose", run, "--format", "csv"])
        #expect(before.status == 0 && before.stdout.contains("precision_k3"), "\(before.stderr)")
        try FileManager.default.removeItem(atPath: dir + "/circle.csv")
        #expect(try CLI.run(["diagnose", run, "--format", "csv"]).stdout == before.stdout)
        let rendered = try CLI.run(["render", run, "--view", "mapping", "--size", "200"])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(try CLI.run(["sample", run, "--count", "5"]).status == 0)
        // The oracle's views say why they do not apply.
        let oracle = try CLI.run(["render", run, "--view", "target"])
        #expect(oracle.status != 0 && oracle.stderr.contains("has none"), "\(oracle.stderr)")
    }

    @Test("`ganlab target` writes samples of an experiment's file target, the same for the same seed")
    func targetSamples() throws {
        let a = try CLI.run(["target", "two-moons", "--count", "300", "--seed", "2"])
        #expect(a.status == 0, "\(a.stderr)")
        let lines = a.stdout.split(separator: "\n")
        #expect(lines.first == "x,y" && lines.count == 301)
        #expect(try CLI.run(["target", "two-moons", "--count", "300", "--seed", "2"]).stdout == a.stdout)
        #expect(try CLI.run(["target", "two-moons", "--count", "300", "--seed", "3"]).stdout != a.stdout)
    }

    @Test("bad target files: exit 2, one line naming the file, no run folder", arguments: [
        ("missing.csv", nil as String?, "no such file"),
        ("empty.csv", "", "is empty"),
        ("few.csv", "x,y\n1,2\n3,4\n", "a target needs at least 100"),
        ("text.csv", "x,y\n" + String(repeating: "1,2\n", count: 50) + "a,b\n" + String(repeating: "1,2\n", count: 60), "text.csv:52"),
        ("picture.png", "not a png at all", "picture.png"),
    ])
    func badTargets(_ name: String, _ text: String?, _ expected: String) throws {
        let dir = temporaryFolder("filetarget-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        if let text { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        let problem = name.hasSuffix(".png") ? "picture" : "points"
        try fileTargetYAML(problem, file: name).write(toFile: dir + "/e.yaml", atomically: true, encoding: .utf8)
        let r = try CLI.run(["run", dir + "/e.yaml", "--out", dir + "/run", "--no-render"])
        #expect(r.status == 2, "exit \(r.status): \(r.stderr)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.contains("\(dir)/\(name)") == true && r.stderr.contains(expected),
                "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/run"), "a run folder was created")
    }
}
