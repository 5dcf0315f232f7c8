import Foundation

/// Appends the training log (docs/METRICS.md §4, "Training log") to `metrics.csv`.
///
/// Columns: step, d_loss, g_loss, d_real_minus_fake (mean logits), grad_norm_d, grad_norm_g,
/// wall_seconds; with a gradient penalty, penalty (its value, weight included) and
/// penalty_grad_norm (mean ‖∇ₓD‖ at the penalised points) come before wall_seconds, empty on steps
/// whose D steps took no penalty (lazy regularisation). Rows are written as they come and forced to disk before every snapshot, so after
/// a kill the file holds at least every row up to the newest snapshot (resume trims the rest).
final class MetricsLog {
    static func header(penalty: Bool) -> String {
        "step,d_loss,g_loss,d_real_minus_fake,grad_norm_d,grad_norm_g,"
            + (penalty ? "penalty,penalty_grad_norm," : "") + "wall_seconds\n"
    }

    private let file: AppendingFile
    private let penalty: Bool
    var path: String { file.path }

    /// Opens `path` for appending, writing the header first when the file is new or empty;
    /// `penalty` adds the gradient penalty's columns.
    init(path: String, penalty: Bool) throws {
        self.penalty = penalty
        file = try AppendingFile(path: path, header: Self.header(penalty: penalty))
    }

    /// Appends one row.
    func append(step: Int, _ s: StepStatistics, wallSeconds: Double) throws {
        func cell(_ v: Double?) -> String { v.map { "\($0)" } ?? "" }
        let penaltyCells = penalty ? "\(cell(s.penalty)),\(cell(s.penaltyGradientNorm))," : ""
        try file.append("\(step),\(s.discriminatorLoss),\(s.generatorLoss),\(s.realMinusFakeLogit),"
            + "\(s.discriminatorGradientNorm),\(s.generatorGradientNorm),\(penaltyCells)"
            + "\(String(format: "%.3f", wallSeconds))\n")
    }

    /// Forces the rows written so far to disk.
    func sync() throws {
        try file.sync()
    }

    /// The wall_seconds of the last row of a metrics file (0 when there is none): a resumed run
    /// continues the clock from there.
    static func lastWallSeconds(path: String) -> Double {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        guard let last = text.split(separator: "\n").last, !last.hasPrefix("step") else { return 0 }
        return Double(last.split(separator: ",").last ?? "") ?? 0
    }
}
