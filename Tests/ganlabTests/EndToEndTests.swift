import Foundation
import Testing
import GANLabCore

/// Steps of the kill -9 run: ten kills at 50–450 ms intervals must land before it ends.
private let killSteps = 800

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

    @Test("target writes the spiral of docs/METRICS.md §1: r and θ match the formula for every row")
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

    @Test("bench --compare-torch without PyTorch or JAX still measures the ceiling and ganlab, and says the ratios were skipped")
    func benchWithoutTorch() throws {
        let r = try CLI.run(["bench", "--compare-torch", "--configs", "spiral64", "--rounds", "1", "--repeats", "1",
                             "--seconds", "0.2", "--python", "/nonexistent/python3"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("PyTorch reference skipped: PyTorch is not installed for /nonexistent/python3 (pip install torch); the ratios to PyTorch are skipped."))
        #expect(r.stdout.contains("JAX reference skipped: JAX is not installed for /nonexistent/python3 (pip install jax optax); the ratios to JAX are skipped."))
        let row = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("| spiral64 |") })
        let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        // config, G, D, GFLOP/step, ganlab steps/s, PyTorch, ratio, JAX, ratio, GFLOP/s, ceiling,
        // % of ceiling, sgemm, % of sgemm, FMA peak, % of peak, load, steal
        #expect(cells.count == 18)
        #expect(cells[5] == "skipped" && cells[6] == "skipped")
        #expect(cells[7] == "skipped" && cells[8] == "skipped")
        let steps = try #require(Double(cells[4])), gflops = try #require(Double(cells[9]))
        let ceiling = try #require(Double(cells[10])), percent = try #require(Double(cells[11].replacingOccurrences(of: " %", with: "")))
        #expect(steps > 0 && gflops > 0 && ceiling > 0)
        #expect(abs(gflops - steps * (try #require(Double(cells[3])))) <= 0.05 * gflops + 0.1)
        #expect(abs(percent - 100 * gflops / ceiling) <= 1)
        // One round: the ceiling is the faster of sgemm and the engine's product, so never below sgemm.
        let sgemm = try #require(Double(cells[12]))
        let sgemmPercent = try #require(Double(cells[13].replacingOccurrences(of: " %", with: "")))
        #expect(sgemm > 0 && ceiling >= sgemm)
        #expect(abs(sgemmPercent - 100 * gflops / sgemm) <= 1)
        // The FMA peak and ganlab's share of it (this debug binary's peak loop is not the
        // release's, so it is not compared with the ceiling here).
        let peak = try #require(Double(cells[14]))
        let peakPercent = try #require(Double(cells[15].replacingOccurrences(of: " %", with: "")))
        #expect(peak > 0 && abs(peakPercent - 100 * gflops / peak) <= 1)
        #expect(r.stdout.contains("What the FMA peak allows"))
        // --compare is the same flag.
        let alias = try CLI.run(["bench", "--compare", "--configs", "spiral64", "--rounds", "1", "--repeats", "1",
                                 "--seconds", "0.2", "--python", "/nonexistent/python3"])
        #expect(alias.status == 0, "\(alias.stderr)")
        #expect(alias.stdout.contains("| spiral64 |") && alias.stdout.contains("the ratios to JAX are skipped"))
    }

    @Test("run, sample, and kill -9 ten times at moments set by the run's progress, resuming each time: every snapshot and the trace identical to an uninterrupted run")
    func killAndResume() throws {
        let dir = temporaryFolder("kill")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/tiny.yaml"
        // A snapshot every 40 steps, a trace frame every 10.
        try tinyYAML.replacingOccurrences(of: "steps: 400", with: "steps: \(killSteps)")
            .write(toFile: file, atomically: true, encoding: .utf8)

        let straight = try CLI.run(["run", file, "--out", dir + "/straight", "--no-render"])
        #expect(straight.status == 0, "\(straight.stderr)")
        #expect(straight.stdout.contains("done: \(killSteps) steps"))

        let killed = dir + "/killed"
        let original = ["run", file, "--out", killed, "--no-render"]
        var process = try CLI.start(original).process
        // Each kill waits for the run to reach a step (read from its trace): the first as soon as
        // config.yaml exists, then on and between snapshot steps, all well before the end, so the
        // kills land whatever the machine's speed.
        let targets = [0, 10, 40, 70, 80, 130, 200, 240, 330, 410]
        var kills = 0, restarts = 0
        for target in targets {
            guard waitForProgress(killed, reaching: target, while: process) else { break }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            kills += 1
            // A kill before config.yaml was written leaves no run to resume: start it again.
            let hasConfig = FileManager.default.fileExists(atPath: killed + "/config.yaml")
            if !hasConfig { restarts += 1 }
            process = try CLI.start(hasConfig ? ["run", "--resume", killed, "--no-render"] : original + ["--force"]).process
        }
        process.waitUntilExit()
        print("kill -9 harness: \(kills) kills, \(restarts) of them before the run wrote its config")
        #expect(process.terminationStatus == 0)
        #expect(kills == targets.count, "the run finished after \(kills) kills")
        #expect(restarts < kills, "every kill landed before the run wrote its config")
        let a = RunDirectory(path: dir + "/straight"), b = RunDirectory(path: killed)
        #expect(try b.listSnapshots() == a.listSnapshots())
        #expect(try b.listSnapshots().last == killSteps)
        for step in try a.listSnapshots() {
            #expect(contents(a.snapshotPath(step: step)) == contents(b.snapshotPath(step: step)), "snapshot \(step)")
        }
        #expect(contents(a.tracePath) == contents(b.tracePath))
        #expect(try FileManager.default.contentsOfDirectory(atPath: b.snapshotsPath).allSatisfy { $0.hasPrefix("step-") },
                "killed writers' temporary files are not listed as snapshots")

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
        #expect(badLayer.status == 2 && badLayer.stderr.contains("layers 1…3"), "\(badLayer.stderr)")
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

    @Test("diagnose scores a run's snapshot and a CSV of true samples by the yardstick of docs/METRICS.md §4")
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
        for name in ["negative_space", "coverage", "tear_mass", "tear_length", "tear_width", "folded_fraction", "lipschitz"] {
            #expect(table.stdout.contains(name))
        }
        // κ of the tear band: a bad value is refused with exit 2 and one line naming the flag.
        for bad in ["0", "-1", "nan"] {
            let refused = try CLI.run(["diagnose", dir + "/run", "--grid", "32", "--tear-stretch", bad])
            #expect(refused.status == 2 && refused.stderr.contains("--tear-stretch") && refused.stdout.isEmpty, "\(bad): \(refused.stderr)")
        }
        #expect(try CLI.run(["diagnose", dir + "/run", "--grid", "32", "--tear-stretch", "3"]).status == 0)
        let diagnostics = try String(contentsOfFile: dir + "/run/diagnostics.csv", encoding: .utf8)
        #expect(diagnostics.hasPrefix("step,samples,negative_space"))
        #expect(diagnostics.split(separator: "\n").count == 2)
    }

    @Test("Ctrl-C (SIGINT) writes a snapshot at the current step, exits 130, and the run resumes to the end")
    func interrupt() throws {
        let dir = temporaryFolder("sigint")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/tiny.yaml"
        try tinyYAML.replacingOccurrences(of: "steps: 400", with: "steps: 100000").write(toFile: file, atomically: true, encoding: .utf8)
        let started = try CLI.start(["run", file, "--out", dir + "/run", "--no-render"])
        waitForTraining(dir + "/run")
        kill(started.process.processIdentifier, SIGINT)
        started.process.waitUntilExit()
        let out = String(decoding: PipeReading.readToEnd(started.stdout.fileHandleForReading), as: UTF8.self)
        #expect(started.process.terminationStatus == 130, "\(out)")
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
        #expect(resumed.process.terminationStatus == 130)
        #expect(try run.loadSnapshot().step >= snapshot.step)
    }
}

/// Waits (up to 60 s) until the run in `folder` has traced a frame at `step` or later (step 0: its
/// config.yaml exists); false if `process` ended first.
private func waitForProgress(_ folder: String, reaching step: Int, while process: Process) -> Bool {
    for _ in 0..<60_000 {
        guard process.isRunning else { return false }
        if step == 0 {
            if FileManager.default.fileExists(atPath: folder + "/config.yaml") { return true }
        } else if let last = (try? TraceReader(path: folder + "/trace.bin"))?.frameSteps.last, last >= step {
            return true
        }
        usleep(1_000)
    }
    return false
}
