import Foundation

/// The folder of a sweep, `output/sweeps/NAME/`:
///
///     sweep.json              the plan's fingerprint and file, written when the folder is made
///     <cell>/seed-<s>/        one ordinary run folder per run (`render`, `diagnose`, … work on it)
///     <cell>/seed-<s>/complete  written after the run's final snapshot and diagnostics
///     logs/task-<i>.log       each run's output when the local executor runs it
///     summary.csv, summary.md, summary.png, index.html   the report (`SweepSummary`, `SweepReport`)
///     slurm/                  array.sbatch, report.sbatch, job ids and Slurm's output
public struct SweepDirectory: Sendable {
    /// The folder.
    public let path: String

    /// The folder at `path`.
    public init(path: String) { self.path = path }

    /// `output/sweeps/NAME` under `root` (the current folder by default).
    public static func defaultPath(sweep name: String, root: String = "output") -> String {
        root + "/sweeps/" + name
    }

    /// `sweep.json`.
    public var statePath: String { path + "/sweep.json" }
    /// The folder of `run`.
    public func runPath(_ run: SweepPlan.Run) -> String { path + "/" + run.folder }
    /// The marker a finished run leaves.
    public func completeMarker(_ run: SweepPlan.Run) -> String { runPath(run) + "/complete" }
    /// Whether `run` finished (its marker exists).
    public func isComplete(_ run: SweepPlan.Run) -> Bool { FileManager.default.fileExists(atPath: completeMarker(run)) }
    /// The log of task `index` under the local executor.
    public func logPath(task index: Int) -> String { path + "/logs/task-\(index).log" }

    /// Makes the folder and records the plan's fingerprint, or checks that an existing folder was
    /// made for the same plan; a folder made for another plan is refused with advice.
    public func prepare(for plan: SweepPlan) throws {
        let fm = FileManager.default
        if let data = fm.contents(atPath: statePath) {
            guard let state = try? JSONDecoder().decode(State.self, from: data) else {
                throw RunError("\(statePath) is damaged; move \(path) away to start the sweep again")
            }
            guard state.fingerprint == plan.fingerprint else {
                throw RunError("\(plan.file) (or its base experiment \(plan.experiments.joined(separator: ", "))) changed since \(path) was made "
                               + "(plan fingerprint \(state.fingerprint), now \(plan.fingerprint)), so its runs no longer "
                               + "match the file; move \(path) away to start again, or restore the file")
            }
            return
        }
        try makeDirectories(path + "/logs")
        let state = State(sweep: plan.name, file: plan.file, fingerprint: plan.fingerprint, runs: plan.runs.count,
                          cells: plan.cells.map(\.name), seeds: plan.seeds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(Array(try encoder.encode(state)) + [10], to: statePath)
    }

    /// What `sweep.json` holds.
    struct State: Codable {
        var sweep: String
        var file: String
        var fingerprint: String
        var runs: Int
        var cells: [String]
        var seeds: [UInt64]
    }

    // MARK: - One run

    /// What happened to one run.
    public enum Outcome: Sendable, Equatable {
        /// It was complete already.
        case skipped
        /// It trained to its last step (from scratch or from a snapshot) and is complete now.
        case finished
        /// It was asked to stop; its newest snapshot lets it continue.
        case interrupted
    }

    /// Trains `run` to completion: skips it when complete, continues it from its newest snapshot
    /// when its folder holds a run, else starts it; writes the marker at the end.
    public func execute(_ run: SweepPlan.Run, shouldStop: () -> Bool = { false },
                        progress: (TrainingProgress) -> Void = { _ in }) throws -> Outcome {
        if isComplete(run) { return .skipped }
        let folder = runPath(run)
        let fm = FileManager.default
        let session: TrainingSession
        if fm.fileExists(atPath: folder + "/config.yaml") {
            session = try TrainingSession.resume(at: folder) { path in
                try ExperimentConfig.load(contentsOf: URL(fileURLWithPath: path))
            }
        } else {
            var config = run.config
            let target = try ToyProblem.starting(&config).bytes
            try RunDirectory.clearForNewRun(at: folder, force: true)
            session = try TrainingSession.create(config: config, configYAML: config.yamlText, at: folder, target: target)
        }
        let summary = try session.train(shouldStop: shouldStop, progress: progress)
        if summary.interrupted { return .interrupted }
        try writeAtomically("step \(summary.finalStep)\n", to: completeMarker(run))
        return .finished
    }
}
