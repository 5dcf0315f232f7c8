import Foundation
import Testing
import GANLabEngine
import GANLabTestSupport

@testable import GANLabCore

@Suite("Sweeps: plan, runs and statistics")
struct SweepTests {
    static let library = ExperimentLibrary(directory: packageRoot.appendingPathComponent("experiments"))

    /// A sweep over tiny ring8 runs (a few dozen steps each).
    static let tiny = """
        description: "tiny"
        experiment: ring8
        seeds: [4, 2]
        grid:
          discriminator.packing: [1, 2]
          train.loss: [non-saturating, hinge]
        set:
          train.steps: 24
          generator.hidden: [8, 8]
          discriminator.hidden: [8, 8]
          train.realBatch: 16
          train.fakeBatch: 16
          train.generatorBatch: 32
          output.snapshotEvery: 12
          output.frameEvery: 0
          output.probeCount: 50
          output.diagnosticsGrid: 16
        """

    static func plan(_ text: String = tiny) throws -> SweepPlan {
        try SweepPlan.parse(yaml: text, name: "tiny", file: "sweeps/tiny.yaml", library: library)
    }

    @Test("a sweep expands to cells (experiment, then the grid row-major) × seeds, every setting applied")
    func expansion() throws {
        let plan = try Self.plan()
        #expect(plan.cells.map(\.name) == ["packing-1_loss-non-saturating", "packing-1_loss-hinge",
                                           "packing-2_loss-non-saturating", "packing-2_loss-hinge"])
        #expect(plan.runs.count == 8 && plan.runs.map(\.seed) == [4, 2, 4, 2, 4, 2, 4, 2])
        #expect(plan.runs[3].folder == "packing-1_loss-hinge/seed-2" && plan.runs[3].index == 3)
        let run = plan.runs[5]
        #expect(run.config.discriminator.packing == 2 && run.config.train.loss == .nonSaturating && run.config.seed == 2)
        #expect(run.config.train.steps == 24 && run.config.generator.hidden == [8, 8] && run.config.train.threads == 1)
        #expect(plan.runs(shard: 1, of: 3).map(\.index) == [1, 4, 7])
        let several = try Self.plan("experiment: [spiral, ring8]\nseeds: {from: 3, to: 5}\nthreads: 2\n")
        #expect(several.cells.map(\.name) == ["spiral", "ring8"] && several.runs.map(\.seed) == [3, 4, 5, 3, 4, 5])
        #expect(several.runs.allSatisfy { $0.config.train.threads == 2 })
    }

    @Test("the fingerprint is stable and changes with any run's config")
    func fingerprint() throws {
        #expect(try Self.plan().fingerprint == (try Self.plan()).fingerprint)
        #expect(try Self.plan().fingerprint != (try Self.plan(Self.tiny.replacingOccurrences(of: "steps: 24", with: "steps: 25"))).fingerprint)
    }

    @Test("a file target's runs record its checksum; the fingerprint follows the file's bytes, not its path's spelling")
    func fileTarget() throws {
        let folder = temporaryFolder("sweep-file-target")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        func write(_ count: Int) throws {
            try pointsCSV(circlePoints(count)).write(toFile: folder + "/data/c.csv", atomically: true, encoding: .utf8)
        }
        try write(120)
        try "problem: points\ntarget:\n  file: data/c.csv\n".write(toFile: folder + "/c.yaml", atomically: true, encoding: .utf8)
        let text = "experiment: c\nseeds: [1, 2]\ngrid:\n  target.jitter: [0, 0.1]\n"
        func plan(_ library: String) throws -> SweepPlan {
            try SweepPlan.parse(yaml: text, name: "c", file: "c-sweep.yaml",
                                library: ExperimentLibrary(directory: URL(fileURLWithPath: library)))
        }
        let absolute = try plan(folder)
        let sum = FileTarget.checksum(of: Array(FileManager.default.contents(atPath: folder + "/data/c.csv") ?? Data()))
        #expect(absolute.runs.count == 4 && absolute.runs.allSatisfy { $0.config.target.checksum == sum })
        #expect(absolute.runs.allSatisfy { $0.config.target.file == folder + "/data/c.csv" })
        // The same folder named through a relative path from elsewhere gives the same plan.
        let cwd = FileManager.default.currentDirectoryPath
        let relative = String(repeating: "../", count: cwd.split(separator: "/").count) + folder.dropFirst()
        #expect(try plan(relative).fingerprint == absolute.fingerprint)
        try write(130)
        #expect(try plan(folder).fingerprint != absolute.fingerprint)
    }

    @Test("bad sweep files are refused with one line naming the file, line and key", arguments: [
        ("experiment: ring8\nseeds: [1]\ncolour: red\n", "sweeps/tiny.yaml:3", "colour"),
        ("experiment: ring9\nseeds: [1]\n", "sweeps/tiny.yaml:1", "ring9"),
        ("experiment: ring8\nseeds: []\n", "sweeps/tiny.yaml:2", "seeds"),
        ("experiment: ring8\nseeds: [1, 1]\n", "sweeps/tiny.yaml:2", "seeds"),
        ("experiment: ring8\nseeds: {from: 5, to: 2}\n", "sweeps/tiny.yaml:2", "seeds"),
        ("experiment: ring8\nseeds: [x]\n", "sweeps/tiny.yaml:2", "seeds"),
        ("experiment: ring8\nseeds: [1]\ngrid:\n  discriminator.packing: [1, 0]\n", "sweeps/tiny.yaml:4", "discriminator.packing"),
        ("experiment: ring8\nseeds: [1]\ngrid:\n  discriminator.packing: [3]\n", "sweeps/tiny.yaml:4", "discriminator.packing"),
        ("experiment: ring8\nseeds: [1]\ngrid:\n  train.los: [hinge]\n", "sweeps/tiny.yaml:4", "train.los"),
        ("experiment: ring8\nseeds: [1]\ngrid:\n  train.loss: hinge\n", "sweeps/tiny.yaml:4", "train.loss"),
        ("experiment: ring8\nseeds: [1]\nset:\n  train.steps: many\n", "sweeps/tiny.yaml:4", "train.steps"),
        ("experiment: ring8\nseeds: [1]\nthreads: 0\n", "sweeps/tiny.yaml:3", "threads"),
        ("seeds: [1]\n", "sweeps/tiny.yaml", "experiment"),
    ])
    func refused(text: String, location: String, key: String) {
        #expect {
            _ = try Self.plan(text)
        } throws: { error in
            let message = "\(error)"
            return message.hasPrefix(location) && message.contains(key) && !message.contains("\n")
        }
    }

    @Test("a run is trained once: complete runs are skipped, an interrupted one continues to the same bytes")
    func runsAndResume() throws {
        let plan = try Self.plan()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ganlab-sweep-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let a = SweepDirectory(path: root + "/a"), b = SweepDirectory(path: root + "/b")
        try a.prepare(for: plan)
        try b.prepare(for: plan)
        let run = plan.runs[2]
        #expect(try a.execute(run) == .finished)
        #expect(try a.execute(run) == .skipped)
        // Stopped after the first snapshot, then continued.
        var calls = 0
        #expect(try b.execute(run, shouldStop: { calls += 1; return calls > 14 }) == .interrupted)
        #expect(!b.isComplete(run))
        #expect(try b.execute(run) == .finished)
        let last = "/snapshots/step-0000024.snap"
        #expect(FileManager.default.contents(atPath: a.runPath(run) + last) == FileManager.default.contents(atPath: b.runPath(run) + last))
        // A folder made for another plan is refused.
        let changed = try Self.plan(Self.tiny.replacingOccurrences(of: "seeds: [4, 2]", with: "seeds: [4, 3]"))
        #expect { try a.prepare(for: changed) } throws: { "\($0)".contains("changed since") }
    }

    @Test("the report: mean ± standard error per cell against a direct computation, long-format CSV")
    func report() throws {
        let plan = try Self.plan()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ganlab-sweep-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = SweepDirectory(path: root)
        try directory.prepare(for: plan)
        for run in plan.runs.prefix(3) { _ = try directory.execute(run) }
        let summary = try SweepSummary.read(plan, in: directory)
        #expect(summary.runs.count == 3 && summary.missing.count == 5)
        // Cell 0 has seeds 4 and 2: the mean and s/√2 of their last diagnostics rows.
        let values = try plan.runs.prefix(2).map { run -> Double in
            let table = try CSVTable.read(path: SnapshotDiagnostics.path(in: RunDirectory(path: directory.runPath(run))))
            let column = try #require(table.columns.firstIndex(of: "folded_fraction"))
            let row = try #require(table.rows.last)
            return try #require(Double(row.fields[column]))
        }
        let stat = summary.statistic("folded_fraction", cell: 0)
        let mean = (values[0] + values[1]) / 2
        let se = (((values[0] - mean) * (values[0] - mean) + (values[1] - mean) * (values[1] - mean)) / 1 / 2).squareRoot()
        #expect(stat.count == 2 && abs(stat.mean - mean) < 1e-12 && abs(stat.standardError - se) < 1e-12)
        let lines = summary.csv.split(separator: "\n")
        #expect(lines.first == "sweep,cell,experiment,discriminator.packing,train.loss,seed,step,metric,value")
        #expect(lines.count == 1 + 3 * summary.metricNames.count)
        #expect(summary.markdown.contains("| packing-1_loss-non-saturating | 1 | non-saturating |"))
        #expect(SweepSummary.Statistic([1, 2, 3, 4]).standardError == (1.6666666666666667 / 4).squareRoot())
    }
}
