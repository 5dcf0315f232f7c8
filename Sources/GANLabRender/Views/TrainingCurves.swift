import Foundation
import GANLabCore

/// The training log of a run (metrics.csv), column by column, for the curves view.
///
/// Columns (docs/METRICS.md §4 "Training log", written by GANLabCore's MetricsLog): step, d_loss, g_loss,
/// d_real_minus_fake (mean logits), grad_norm_d, grad_norm_g, wall_seconds. Columns are found by
/// their header names, so added columns do not break old runs.
public struct TrainingCurves: Sendable {
    /// The logged steps, ascending.
    public var steps: [Double]
    /// Every other column by header name, one value per step (NaN where a cell was empty).
    public var columns: [String: [Double]]
    /// A step to mark with a vertical line, if any.
    public var markedStep: Int?
    /// Loss at the GAN equilibrium D = ½ (ln 2 for the cross-entropy losses), drawn as a reference.
    public var equilibriumLoss: Double?
    /// The title line.
    public var title: String

    /// Curves from parsed columns.
    public init(steps: [Double], columns: [String: [Double]], markedStep: Int? = nil, equilibriumLoss: Double? = nil,
                title: String) {
        self.steps = steps
        self.columns = columns
        self.markedStep = markedStep
        self.equilibriumLoss = equilibriumLoss
        self.title = title
    }

    /// The values of `name`, or `nil` when the log has no such column.
    public func values(_ name: String) -> [Double]? { columns[name] }

    /// Parses metrics.csv text; `path` names the file in errors.
    ///
    /// The header must have a `step` column. A last line without its newline (cut by a kill)
    /// is ignored; any other row with the wrong number of fields or an unreadable number is an
    /// error naming the file and line.
    public static func parse(csv text: String, path: String, title: String) throws -> TrainingCurves {
        // Only whole lines: a last line without its newline was cut by a kill.
        let whole = text.hasSuffix("\n") ? Substring(text) : text[..<(text.lastIndex(of: "\n") ?? text.startIndex)]
        let table = try CSVTable(text: String(whole), file: path)
        guard let stepIndex = table.column("step") else {
            throw RenderError.invalidData("\(path) has no header line with a 'step' column")
        }
        let header = table.columns
        var steps: [Double] = []
        var values = [[Double]](repeating: [], count: header.count)
        for row in table.rows {
            for (c, text) in row.fields.enumerated() {
                guard let value = text.isEmpty ? .nan : Double(text) else {
                    throw RenderError.invalidData("\(path) line \(row.line): '\(text)' in column \(header[c]) is not a number")
                }
                values[c].append(value)
            }
            steps.append(values[stepIndex].last ?? .nan)
        }
        var columns: [String: [Double]] = [:]
        for (c, name) in header.enumerated() where c != stepIndex { columns[name] = values[c] }
        return TrainingCurves(steps: steps, columns: columns, title: title)
    }
}
