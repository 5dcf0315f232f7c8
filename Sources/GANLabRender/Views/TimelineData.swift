import Foundation
import GANLabCore

/// What the timeline view draws: a run's diagnostics rows (one per snapshot), its training log and
/// the events between consecutive snapshots (`Timeline.events(rows:)`).
public struct TimelineData: Sendable {
    /// The problem (decides which panels apply).
    public var problem: ProblemKind
    /// The diagnostics.csv rows, ascending by step.
    public var rows: [Timeline.Row]
    /// The training log (nil when the run has none yet).
    public var training: TrainingCurves?
    /// The events, in step order.
    public var events: [TimelineEvent]
    /// The title line.
    public var title: String

    /// Timeline data from diagnostics rows (sorted here) and an optional training log; the events
    /// are computed from the rows.
    public init(problem: ProblemKind, rows: [Timeline.Row], training: TrainingCurves?, title: String) {
        self.problem = problem
        self.rows = rows.sorted { $0.step < $1.step }
        self.training = training
        self.events = Timeline.events(rows: self.rows)
        self.title = title
    }

    /// The number of modes K (0 for problems without modes).
    public var modeCount: Int {
        rows.first.map { Timeline.modeCount(in: $0.values) } ?? (problem.isFileTarget ? nil : ToyProblem(problem).mixture?.centres.count) ?? 0
    }

    /// The newest step in either file (0 when both are empty).
    public var lastStep: Double {
        max(Double(rows.last?.step ?? 0), training?.steps.last(where: \.isFinite) ?? 0)
    }

    /// A diagnostics column, one value per row (NaN where a row lacks it); nil when no row has it.
    public func diagnosticsValues(_ column: String) -> [Double]? {
        guard rows.contains(where: { $0.values[column] != nil }) else { return nil }
        return rows.map { $0.values[column] ?? .nan }
    }
}

extension RunData {
    /// The timeline of this run: diagnostics.csv, metrics.csv (when readable) and their events.
    public func timelineData() throws -> TimelineData {
        let rows = SnapshotDiagnostics.read(from: run)
        let training = try? trainingCurves()
        guard !rows.isEmpty || !(training?.steps.isEmpty ?? true) else {
            throw RunError("\(run.path) has no diagnostics.csv rows and no training log yet; the timeline needs at least one")
        }
        return TimelineData(problem: config.problem, rows: rows, training: training,
                            title: "\(config.problem.rawValue) · \(name) · timeline")
    }
}
