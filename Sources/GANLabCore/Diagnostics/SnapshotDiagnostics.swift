import Foundation
import GANLabEngine

/// The diagnostics a run records at every snapshot, and the file they go to.
///
/// `diagnostics.csv` has a `step` column followed by `DiagnosticsReport.csvHeader` (the same
/// columns for every snapshot of a problem). A row is appended just after its snapshot is
/// written, so it never names a snapshot that does not exist; resume trims rows past the snapshot
/// it starts from and adds that snapshot's row when a kill came between the two writes.
public enum SnapshotDiagnostics {
    /// Samples scored per snapshot (docs/METRICS.md §4: N = 2,500).
    public static let sampleCount = Diagnostics.defaultSampleCount
    /// Seed of the diagnostic latents (fixed, so snapshots compare on the same samples).
    public static let seed: UInt64 = 0xD1A6_2500

    /// Latent grid side per plane for a configured side: `eight-gaussians` has one plane per
    /// component, so it measures each at 3/8 of the side (8 × (3/8)² ≈ one full plane of work).
    /// Nil (no map geometry) when the configured side is 0.
    public static func gridSize(configured side: Int, problem: ProblemKind) -> Int? {
        guard side > 0 else { return nil }
        return problem == .eightGaussians ? max(8, side * 3 / 8) : side
    }

    /// The per-plane grid side a run with `config` measures (`output.diagnosticsGrid`, 3/8 of it per
    /// component for `eight-gaussians`); a run that switched the map diagnostics off (0) gets the
    /// default of docs/METRICS.md §4.4, 256².
    public static func gridSize(for config: ExperimentConfig) -> Int {
        gridSize(configured: config.output.diagnosticsGrid, problem: config.problem)
            ?? gridSize(configured: Diagnostics.defaultGridSize, problem: config.problem)
            ?? Diagnostics.defaultGridSize
    }

    /// Full diagnostics of a generator on its problem, with the run's standard settings.
    public static func evaluate(problem: ToyProblem, generator: LatentMap,
                                sampleCount: Int = sampleCount, configuredGrid: Int) -> DiagnosticsReport {
        Diagnostics.evaluate(problem: problem, generator: generator, sampleCount: sampleCount,
                             gridSize: gridSize(configured: configuredGrid, problem: problem.kind), seed: seed)
    }

    /// Path of the diagnostics table inside a run folder.
    public static func path(in run: RunDirectory) -> String { run.path + "/diagnostics.csv" }

    /// Appends `report` for `step` to the run's diagnostics.csv (header first when new).
    public static func append(_ report: DiagnosticsReport, step: Int, to run: RunDirectory) throws {
        let file = try AppendingFile(path: path(in: run), header: "step," + report.csvHeader + "\n")
        try file.append("\(step)," + report.csvRow + "\n")
        try file.close()
    }

    /// The rows of a run's diagnostics.csv as (step, [name: value]) in file order; empty when the
    /// file is missing or unreadable. A field that is not a number is left out of its row.
    public static func read(from run: RunDirectory) -> [(step: Int, values: [String: Double])] {
        guard FileManager.default.fileExists(atPath: path(in: run)),
              let table = try? CSVTable.read(path: path(in: run)), table.columns.first == "step" else { return [] }
        return table.rows.compactMap { row in
            guard let step = Int(row.fields[0]) else { return nil }
            var values: [String: Double] = [:]
            for (name, field) in zip(table.columns.dropFirst(), row.fields.dropFirst()) { values[name] = Double(field) }
            return (step, values)
        }
    }
}
