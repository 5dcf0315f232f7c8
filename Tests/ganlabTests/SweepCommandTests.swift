import Foundation
import Testing

/// `ganlab sweep` on the built binary: refusals, a local sweep and its report, rerunning,
/// one task in another folder giving the same bytes, and the Slurm scripts.
@Suite("Sweeps (built binary)")
struct SweepCommandTests {
    static let tinySweep = """
        experiment: ring8
        seeds: [1, 2]
        grid:
          train.loss: [non-saturating, hinge]
        set:
          train.steps: 30
          generator.hidden: [8, 8]
          discriminator.hidden: [8, 8]
          train.realBatch: 16
          train.fakeBatch: 16
          train.generatorBatch: 32
          output.snapshotEvery: 15
          output.frameEvery: 0
          output.probeCount: 50
          output.diagnosticsGrid: 16
        """

    @Test("a bad sweep file: exit 2, one line naming the file, line and key, nothing written")
    func refused() throws {
        let dir = temporaryFolder("badsweep")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/bad.yaml"
        try Data("experiment: ring8\nseeds: [1, 2]\ngrid:\n  discriminator.packing: [1, 3]\n".utf8).write(to: URL(fileURLWithPath: file))
        let r = try CLI.run(["sweep", file, "--out", dir + "/sweep"])
        #expect(r.status == 2, "exit \(r.status): \(r.stderr)")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 1 && lines[0].hasPrefix("error: \(file):4: discriminator.packing: "), "\(lines)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/sweep"))
        let missing = try CLI.run(["sweep", "no-such-sweep", "--out", dir + "/sweep"])
        #expect(missing.status == 2 && missing.stderr.contains("no such sweep file"), "\(missing.stderr)")
    }

    @Test("a local sweep runs every run, reports, skips complete runs; a lone task makes the same bytes")
    func localSweep() throws {
        let dir = temporaryFolder("sweep")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/tiny.yaml"
        try Data(Self.tinySweep.utf8).write(to: URL(fileURLWithPath: file))
        let first = try CLI.run(["sweep", file, "--out", dir + "/local", "--jobs", "2"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("finished 4, already complete 0, failed 0"), "\(first.stdout)")
        let summary = try String(contentsOfFile: dir + "/local/summary.md", encoding: .utf8)
        #expect(summary.contains("| loss-hinge | hinge |") && summary.contains("4 of 4 runs complete"), "\(summary)")
        let again = try CLI.run(["sweep", file, "--out", dir + "/local"])
        #expect(again.status == 0 && again.stdout.contains("finished 0, already complete 4"), "\(again.stdout)")
        let task = try CLI.run(["sweep", file, "--out", dir + "/lone", "--task", "3"])
        #expect(task.status == 0, "\(task.stderr)")
        let snap = "/loss-hinge/seed-2/snapshots/step-0000030.snap"
        let local = FileManager.default.contents(atPath: dir + "/local" + snap)
        #expect(local != nil && local == FileManager.default.contents(atPath: dir + "/lone" + snap))
        // The file changed since the folder was made: refused with advice.
        try Data(Self.tinySweep.replacingOccurrences(of: "seeds: [1, 2]", with: "seeds: [1, 3]").utf8).write(to: URL(fileURLWithPath: file))
        let changed = try CLI.run(["sweep", file, "--out", dir + "/local"])
        #expect(changed.status != 0 && changed.stderr.contains("changed since"), "\(changed.stderr)")
    }

    @Test("a run that fails does not stop the others: it is listed with its error line and the exit status is 1")
    func failedRun() throws {
        let dir = temporaryFolder("sweepfail")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/tiny.yaml"
        try Data(Self.tinySweep.utf8).write(to: URL(fileURLWithPath: file))
        // A file where the hinge cell's folder belongs: its runs cannot start.
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir + "/out/loss-hinge", contents: Data())
        let r = try CLI.run(["sweep", file, "--out", dir + "/out"])
        #expect(r.status == 1, "exit \(r.status): \(r.stderr)")
        #expect(r.stdout.contains("finished 2, already complete 0, failed 2"), "\(r.stdout)")
        #expect(r.stdout.contains("failed: \(dir)/out/loss-hinge/seed-1 (exit 1): error: could not create the folder"), "\(r.stdout)")
        #expect(r.stdout.contains("2 of 4 runs complete"), "\(r.stdout)")
    }

    @Test("--slurm --dry-run writes the array and report scripts and prints the sbatch commands")
    func slurmScripts() throws {
        let dir = temporaryFolder("sweepslurm")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/tiny.yaml"
        try Data(Self.tinySweep.utf8).write(to: URL(fileURLWithPath: file))
        let r = try CLI.run(["sweep", file, "--out", dir + "/s", "--slurm", "--dry-run", "--max-parallel", "2", "--time", "10:00"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("sbatch --parsable --array=0-3%2 ") && r.stdout.contains("--dependency=afterany:"), "\(r.stdout)")
        let array = try String(contentsOfFile: dir + "/s/slurm/array.sbatch", encoding: .utf8)
        #expect(array.contains("#SBATCH --time=10:00") && array.contains("--task \"$SLURM_ARRAY_TASK_ID\""), "\(array)")
        let report = try String(contentsOfFile: dir + "/s/slurm/report.sbatch", encoding: .utf8)
        #expect(report.contains(" sweep report "), "\(report)")
    }
}
