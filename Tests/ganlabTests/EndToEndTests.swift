import Foundation
import Testing
import GANLabCore

/// Runs the built `ganlab` binary as a user would.
enum CLI {
    /// The package root (this file is Tests/ganlabTests/EndToEndTests.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `ganlab` executable next to the test bundle (same build configuration).
    static var binary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ganlab")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return root.appendingPathComponent(".build/debug/ganlab")
    }

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// Runs ganlab with `arguments` in the package root and waits for it.
    @discardableResult
    static func run(_ arguments: [String]) throws -> Result {
        let p = try start(arguments)
        p.process.waitUntilExit()
        let o = p.stdout.fileHandleForReading.readDataToEndOfFile(), e = p.stderr.fileHandleForReading.readDataToEndOfFile()
        return Result(status: p.process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    struct Started { var process: Process; var stdout: Pipe; var stderr: Pipe }

    /// Starts ganlab without waiting.
    static func start(_ arguments: [String]) throws -> Started {
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        p.currentDirectoryURL = root
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return Started(process: p, stdout: out, stderr: err)
    }
}

private func temporaryFolder(_ name: String) -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ganlab-e2e-\(name)-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Waits (up to 60 s) until the run's metrics.csv has grown past `beyond` characters and holds a
/// logged row: training, and so the Ctrl-C handler, has started.
private func waitForTraining(_ run: String, beyond: Int = 0) {
    for _ in 0..<600 {
        let text = (try? String(contentsOfFile: run + "/metrics.csv", encoding: .utf8)) ?? ""
        if text.count > beyond && text.split(separator: "\n").count >= 2 { return }
        usleep(100_000)
    }
}

private let tinyYAML = """
    description: end-to-end test run
    problem: spiral
    seed: 4
    generator:
      hidden: [32, 32]
    discriminator:
      hidden: [32, 32]
    train:
      steps: 400
      threads: 1
    output:
      probeCount: 200
      frameEvery: 10
      logEvery: 10
      snapshotEvery: 40
      diagnosticsGrid: 24
    """

@Suite("End to end (built binary)", .serialized)
struct EndToEndTests {
    @Test("list names every experiment with its description")
    func list() throws {
        let r = try CLI.run(["list"])
        #expect(r.status == 0)
        for name in ["spiral", "eight-gaussians", "uniform-to-normal", "spiral-article"] {
            #expect(r.stdout.contains(name))
        }
        #expect(!r.stdout.contains("[invalid]"))
    }

    @Test("target writes the SPEC spiral: r and θ match the formula for every row")
    func target() throws {
        let r = try CLI.run(["target", "spiral", "--count", "100", "--seed", "3"])
        #expect(r.status == 0)
        let rows = r.stdout.split(separator: "\n")
        #expect(rows.first == "z0,z1,x,y")
        #expect(rows.count == 101)
        for row in rows.dropFirst() {
            let v = row.split(separator: ",").compactMap { Double($0) }
            let radius = 0.05 + 0.90 * (v[0] + 1) / 2 + 0.05 * v[1], theta = 3 * Double.pi * v[0]
            #expect(abs(v[2] - radius * cos(theta)) < 1e-5 && abs(v[3] - radius * sin(theta)) < 1e-5)
        }
    }

    @Test("a bad experiment file exits 2 naming file, line and key, and creates no run folder")
    func badConfig() throws {
        let dir = temporaryFolder("bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/bad.yaml"
        try "problem: spiral\ntrain:\n  stepz: 10\n".write(toFile: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["run", file, "--out", dir + "/run"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.yaml") && r.stderr.contains("3") && r.stderr.contains("stepz"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/run"))
        let unknown = try CLI.run(["run", "spirale"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("spiral"))
    }

    @Test("run, sample, and kill -9 at random moments then resume: final snapshot and trace identical to an uninterrupted run")
    func killAndResume() throws {
        let dir = temporaryFolder("kill")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/tiny.yaml"
        try tinyYAML.write(toFile: file, atomically: true, encoding: .utf8)

        let straight = try CLI.run(["run", file, "--out", dir + "/straight", "--no-render"])
        #expect(straight.status == 0, "\(straight.stderr)")
        #expect(straight.stdout.contains("done: 400 steps"))

        let started = try CLI.start(["run", file, "--out", dir + "/killed", "--no-render"])
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        var process = started.process
        // Kill repeatedly at random moments, resuming each time, until a resume finishes the run.
        while true {
            usleep(UInt32.random(in: 150_000...600_000, using: &generator))
            if !process.isRunning { break }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            kills += 1
            process = try CLI.start(["run", "--resume", dir + "/killed", "--no-render"]).process
            if kills >= 4 { process.waitUntilExit(); break }
        }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(kills >= 1, "the run finished before it could be killed; make the test run longer")
        let a = RunDirectory(path: dir + "/straight"), b = RunDirectory(path: dir + "/killed")
        #expect(try b.listSnapshots().last == 400)
        #expect(FileManager.default.contents(atPath: a.snapshotPath(step: 400)) == FileManager.default.contents(atPath: b.snapshotPath(step: 400)))
        #expect(FileManager.default.contents(atPath: a.tracePath) == FileManager.default.contents(atPath: b.tracePath))

        let sample = try CLI.run(["sample", dir + "/straight", "--count", "10", "--seed", "2"])
        #expect(sample.status == 0)
        let rows = sample.stdout.split(separator: "\n")
        #expect(rows.count == 11 && rows[0] == "z0,z1,x,y")
        // The spiral generator ends in tanh: every sample lies in the open square.
        for row in rows.dropFirst() {
            let v = row.split(separator: ",").compactMap { Float($0) }
            #expect(v.count == 4 && abs(v[2]) < 1 && abs(v[3]) < 1)
        }
    }

    @Test("a finished run renders its stills, and render draws every view from the run folder")
    func renderViews() throws {
        let dir = temporaryFolder("views")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/tiny.yaml"
        try tinyYAML.replacingOccurrences(of: "steps: 400", with: "steps: 80").write(toFile: file, atomically: true, encoding: .utf8)
        let run = try CLI.run(["run", file, "--out", dir + "/run"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("pictures/mapping-80.png") && run.stdout.contains("pictures/curves")
                && run.stdout.contains("pictures/timeline.png"))
        #expect(FileManager.default.fileExists(atPath: dir + "/run/events.csv"))
        for view in ["mapping", "target", "discriminator", "grid", "density", "curves", "tears", "modes", "folds", "jacobian", "timeline",
                     "pullback", "pullback-target", "units"] {
            let r = try CLI.run(["render", dir + "/run", "--view", view, "--size", "200", "--out", dir + "/\(view).png"])
            #expect(r.status == 0, "\(view): \(r.stderr)")
            let png = FileManager.default.contents(atPath: dir + "/\(view).png") ?? Data()
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(view) did not write a PNG")
        }
        let missing = try CLI.run(["render", dir + "/run", "--view", "discriminator", "--step", "30"])
        #expect(missing.status != 0 && missing.stderr.contains("40"), "a step without a snapshot names the snapshot steps")

        let units = try CLI.run(["render", dir + "/run", "--view", "units", "--net", "D", "--layer", "2", "--size", "200"])
        #expect(units.status == 0 && units.stdout.contains("pictures/units-D2-80.png"), "\(units.stderr)")
        let badLayer = try CLI.run(["render", dir + "/run", "--view", "units", "--net", "G", "--layer", "9"])
        #expect(badLayer.status == 1 && badLayer.stderr.contains("layers 1…3"), "\(badLayer.stderr)")
        let misplaced = try CLI.run(["render", dir + "/run", "--view", "mapping", "--layer", "2"])
        #expect(misplaced.status == 2 && misplaced.stderr.contains("--layer applies to --view units only"))
    }

    @Test("cppn renders presets and flags, lists its presets, and its frames encode with ganlab video")
    func cppn() throws {
        let dir = temporaryFolder("cppn")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let list = try CLI.run(["list"])
        #expect(list.stdout.contains("CPPN presets") && list.stdout.contains("cppn-tanh-8x16") && list.stdout.contains("cppn-halving"))
        let still = try CLI.run(["cppn", "cppn-halving", "--size", "48", "--seed", "3", "--out", dir + "/h.png"])
        #expect(still.status == 0, "\(still.stderr)")
        #expect(still.stdout.contains("128 → 64 → 32 → 16 → 8 → 4") && still.stdout.contains("intricacy"))
        let png = FileManager.default.contents(atPath: dir + "/h.png") ?? Data()
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let grey = try CLI.run(["cppn", "--init", "uniform", "--scale", "1", "--size", "32", "--out", dir + "/g.png"])
        #expect(grey.status == 0 && grey.stdout.contains("σ 0.00"), "\(grey.stdout)")
        let bad = try CLI.run(["cppn", "--width", "8", "--hidden", "4,4"])
        #expect(bad.status == 2 && bad.stderr.contains("not both"))
        let unknown = try CLI.run(["cppn", "cppn-tanh-8x61"])
        #expect(unknown.status == 2 && unknown.stderr.contains("did you mean 'cppn-tanh-8x16'"))

        let frames = try CLI.run(["cppn", "--width", "8", "--depth", "3", "--frames", "4", "--size", "32", "--out", dir + "/loop"])
        #expect(frames.status == 0, "\(frames.stderr)")
        #expect(frames.stdout.contains("ganlab video " + dir + "/loop"))
        #expect(FileManager.default.fileExists(atPath: dir + "/loop/manifest.json"))
        #expect(FileManager.default.fileExists(atPath: dir + "/loop/00003.png"))
        let video = try CLI.run(["video", dir + "/loop", "--format", "gif"])
        #expect(video.status == 0, "\(video.stderr)")
        if video.stderr.contains("ffmpeg is not on PATH") {
            #expect(video.stderr.contains("ffmpeg"))
        } else {
            #expect(FileManager.default.fileExists(atPath: dir + "/videos/loop.gif"), "\(video.stdout)")
        }
        let wrong = try CLI.run(["video", dir + "/loop", "--sequence", "morph"])
        #expect(wrong.status == 2 && wrong.stderr.contains("leave out --sequence"))
    }

    @Test("diagnose scores a run's snapshot and a CSV of true samples by the SPEC's yardstick")
    func diagnose() throws {
        let dir = temporaryFolder("diag")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = try CLI.run(["target", "ring8", "--count", "2500", "--seed", "5", "--out", dir + "/r8.csv"])
        #expect(target.status == 0)
        let scored = try CLI.run(["diagnose", "--problem", "ring8", "--samples", dir + "/r8.csv", "--format", "json"])
        #expect(scored.status == 0, "\(scored.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(scored.stdout.utf8)) as? [String: Double])
        #expect(json["modes_covered"] == 8)
        #expect(abs((json["hq_fraction"] ?? 0) - 0.9889) < 0.006)
        #expect((json["reverse_kl"] ?? 1) < 0.01)

        let file = dir + "/tiny.yaml"
        try tinyYAML.replacingOccurrences(of: "steps: 400", with: "steps: 40").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["run", file, "--out", dir + "/run", "--no-render"]).status == 0)
        let table = try CLI.run(["diagnose", dir + "/run", "--grid", "32"])
        #expect(table.status == 0, "\(table.stderr)")
        for name in ["negative_space", "coverage", "tear_mass", "folded_fraction", "lipschitz"] {
            #expect(table.stdout.contains(name))
        }
        let diagnostics = try String(contentsOfFile: dir + "/run/diagnostics.csv", encoding: .utf8)
        #expect(diagnostics.hasPrefix("step,samples,negative_space"))
        #expect(diagnostics.split(separator: "\n").count == 2)
    }

    @Test("Ctrl-C (SIGINT) writes a snapshot at the current step, exits 0, and the run resumes to the end")
    func interrupt() throws {
        let dir = temporaryFolder("sigint")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/tiny.yaml"
        try tinyYAML.replacingOccurrences(of: "steps: 400", with: "steps: 100000").write(toFile: file, atomically: true, encoding: .utf8)
        let started = try CLI.start(["run", file, "--out", dir + "/run", "--no-render"])
        waitForTraining(dir + "/run")
        kill(started.process.processIdentifier, SIGINT)
        started.process.waitUntilExit()
        let out = String(decoding: started.stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(started.process.terminationStatus == 0, "\(out)")
        #expect(out.contains("stopped at step") && out.contains("--resume"))
        let run = RunDirectory(path: dir + "/run")
        let snapshot = try run.loadSnapshot()
        #expect(snapshot.step > 0 && snapshot.step < 100_000)
        // The interrupted step's snapshot is a normal one: training continues from it.
        let rows = (try? String(contentsOfFile: dir + "/run/metrics.csv", encoding: .utf8))?.count ?? 0
        let resumed = try CLI.start(["run", "--resume", dir + "/run", "--no-render"])
        waitForTraining(dir + "/run", beyond: rows)
        kill(resumed.process.processIdentifier, SIGINT)
        resumed.process.waitUntilExit()
        #expect(resumed.process.terminationStatus == 0)
        #expect(try run.loadSnapshot().step >= snapshot.step)
    }
}
