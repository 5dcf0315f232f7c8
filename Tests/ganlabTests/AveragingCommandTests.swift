import Foundation
import Testing
import GANLabCore

/// `--ema` on the built binary: the averaged generator of a run trained with
/// train.generatorAverage, and the refusal for a run without one.
@Suite("Generator weight averaging (built binary)", .serialized)
struct AveragingCommandTests {
    /// Trains the tiny experiment for 40 steps into `dir/name`, with `beta` when given.
    static func train(_ dir: String, _ name: String, beta: Double?) throws -> String {
        let file = dir + "/\(name).yaml"
        let steps = "steps: 40" + (beta.map { "\n  generatorAverage: \($0)" } ?? "")
        try tinyYAML.replacingOccurrences(of: "steps: 400", with: steps).write(toFile: file, atomically: true, encoding: .utf8)
        let run = try CLI.run(["run", file, "--out", dir + "/" + name, "--no-render"])
        #expect(run.status == 0, "\(run.stderr)")
        return dir + "/" + name
    }

    @Test("--ema on a run without an average: exit 2, one line naming the run and train.generatorAverage, nothing written")
    func refusedWithoutAverage() throws {
        let dir = temporaryFolder("ema-refused")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plain = try Self.train(dir, "plain", beta: nil)
        let commands: [(name: String, arguments: [String], writes: String)] = [
            ("render", ["render", plain, "--view", "tears", "--ema"], plain + "/pictures"),
            ("frames", ["frames", plain, "--sequence", "morph", "--ema"], plain + "/frames"),
            ("diagnose", ["diagnose", plain, "--ema", "--grid", "8"], ""),
            ("sample", ["sample", plain, "--ema", "--out", dir + "/s.csv"], dir + "/s.csv"),
            ("compare", ["compare", plain, plain + "+ema", "--out", dir + "/c.png"], dir + "/c.png"),
            ("compare --ema", ["compare", plain, plain, "--ema", "--out", dir + "/c.png"], dir + "/c.png"),
        ]
        for command in commands {
            let r = try CLI.run(command.arguments)
            let line = r.stderr.trimmingCharacters(in: .newlines)
            #expect(r.status == 2, "\(command.name): \(r.status) \(r.stderr)")
            #expect(!line.contains("\n") && line.contains(plain) && line.contains("train.generatorAverage 0"),
                    "\(command.name): \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(command.name): \(r.stdout)")
            if !command.writes.isEmpty {
                #expect(!FileManager.default.fileExists(atPath: command.writes), "\(command.name) wrote \(command.writes)")
            }
        }
        let view = try CLI.run(["render", plain, "--view", "curves", "--ema"])
        #expect(view.status == 2 && view.stderr.contains("--ema applies to views of the generator"), "\(view.stderr)")
    }

    @Test("a run keeping an average, stopped at step 20 and resumed to 40, ends with the snapshot and trace of an uninterrupted run")
    func resumeContinuesTheAverage() throws {
        let dir = temporaryFolder("ema-resume")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let whole = try Self.train(dir, "whole", beta: 0.9)
        let file = dir + "/half.yaml"
        try tinyYAML.replacingOccurrences(of: "steps: 400", with: "steps: 20\n  generatorAverage: 0.9")
            .write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["run", file, "--out", dir + "/half", "--no-render"]).status == 0)
        let resumed = try CLI.run(["run", "--resume", dir + "/half", "--steps", "40", "--no-render"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let a = FileManager.default.contents(atPath: whole + "/snapshots/step-0000040.snap")
        let b = FileManager.default.contents(atPath: dir + "/half/snapshots/step-0000040.snap")
        #expect(a != nil && a == b)
        #expect(a.map { $0[8] } == 3, "format 3")
        #expect(FileManager.default.contents(atPath: whole + "/trace.bin") == FileManager.default.contents(atPath: dir + "/half/trace.bin"))
    }

    @Test("--ema draws, measures and samples θ_EMA beside the trained G, under names of its own")
    func averagedGenerator() throws {
        let dir = temporaryFolder("ema")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try Self.train(dir, "ema", beta: 0.9)
        let averaged = try CLI.run(["render", run, "--view", "mapping", "--ema", "--size", "200"])
        let trained = try CLI.run(["render", run, "--view", "mapping", "--size", "200"])
        #expect(averaged.status == 0 && averaged.stdout.contains("pictures/mapping-40-ema.png"), "\(averaged.stderr)")
        #expect(trained.status == 0 && trained.stdout.contains("pictures/mapping-40.png"), "\(trained.stderr)")
        let a = FileManager.default.contents(atPath: run + "/pictures/mapping-40-ema.png")
        let b = FileManager.default.contents(atPath: run + "/pictures/mapping-40.png")
        #expect(a != nil && b != nil && a != b)

        let table = try CLI.run(["diagnose", run, "--ema", "--grid", "8"])
        #expect(table.status == 0 && table.stdout.hasPrefix("spiral · \(run) · step 40 · G: EMA β = 0.9"), "\(table.stdout)")
        let json = try CLI.run(["diagnose", run, "--ema", "--grid", "8", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["generator"] as? String == "ema" && object["negative_space"] is Double)
        let csv = try CLI.run(["diagnose", run, "--grid", "8", "--format", "csv"])
        #expect(csv.stdout.hasPrefix("generator,samples,") && csv.stdout.contains("\ntrained,"), "\(csv.stdout)")

        let sampled = try CLI.run(["sample", run, "--ema", "--count", "5"]).stdout.split(separator: "\n")
        let plainSampled = try CLI.run(["sample", run, "--count", "5"]).stdout.split(separator: "\n")
        #expect(sampled.count == 6 && plainSampled.count == 6 && sampled != plainSampled)
        #expect(zip(sampled, plainSampled).dropFirst().allSatisfy { $0.split(separator: ",").prefix(2) == $1.split(separator: ",").prefix(2) },
                "the same latents")

        let frames = try CLI.run(["frames", run, "--sequence", "morph", "--ema", "--frames", "3", "--size", "120"])
        #expect(frames.status == 0 && FileManager.default.fileExists(atPath: run + "/frames/morph-ema/manifest.json"), "\(frames.stderr)")
        let timelapse = try CLI.run(["frames", run, "--sequence", "timelapse", "--ema"])
        #expect(timelapse.status == 2 && timelapse.stderr.contains("trained weights only"), "\(timelapse.stderr)")

        let sheet = try CLI.run(["compare", run, run + "+ema", "--size", "120", "--out", dir + "/c.png"])
        #expect(sheet.status == 0 && sheet.stdout.contains("/ema @ 40 · G: EMA β = 0.9")
                && sheet.stdout.contains("/ema @ 40 · G: trained weights"), "\(sheet.stdout) \(sheet.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/c.png"))
    }
}
