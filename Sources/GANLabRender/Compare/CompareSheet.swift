import Foundation
import GANLabCore

/// One argument of `ganlab compare`: a run folder, optionally a step, and which generator,
/// written `RUN[@STEP][+ema]`.
public struct CompareSpec: Sendable, Equatable {
    /// The run folder.
    public var path: String
    /// The snapshot step (nil: the newest).
    public var step: Int?
    /// The trained generator, or (`+ema`) its moving average.
    public var generator: GeneratorWeights

    /// The suffix that asks for the averaged generator of one column.
    public static let averagedSuffix = "+ema"

    /// A spec from its parts.
    public init(path: String, step: Int? = nil, generator: GeneratorWeights = .trained) {
        self.path = path
        self.step = step
        self.generator = generator
    }

    /// Parses `RUN[@STEP][+ema]`: a trailing `+ema` asks for the averaged generator, then a
    /// trailing `@` followed by digits is the step; anything else is path.
    public init(parsing text: String) {
        var text = Substring(text), generator = GeneratorWeights.trained
        if text.hasSuffix(Self.averagedSuffix), text.count > Self.averagedSuffix.count {
            text = text.dropLast(Self.averagedSuffix.count)
            generator = .averaged
        }
        if let at = text.lastIndex(of: "@"), let step = Int(text[text.index(after: at)...]), step >= 0, at > text.startIndex {
            self.init(path: String(text[..<at]), step: step, generator: generator)
        } else {
            self.init(path: String(text), generator: generator)
        }
    }
}

/// One column of a compare sheet: a snapshot measured with the diagnostics settings on the
/// sheet's shared probe latents.
public struct CompareColumn: Sendable {
    /// "A", "B", … in argument order.
    public var letter: String
    /// The run folder.
    public var runPath: String
    /// The run's short name ("experiment/run").
    public var runName: String
    /// The snapshot step.
    public var step: Int
    /// The snapshot measured on the sheet's grid, applied to the shared probes.
    public var data: MapDiagnosticsData
    /// The run's diagnostics.csv row for this step, if any.
    public var recordedRow: [String: Double]?
    /// Whether the sheet's grid is the one the run's diagnostics used (so the row must agree).
    public var usesRunGrid: Bool
    /// Which of the run's generators the column shows.
    public var generator: GeneratorWeights = .trained
    /// The generator in the words of the titles ("G: EMA β = 0.999"); nil for a run without an average.
    public var generatorCaption: String?

    /// "A · spiral/seed1 @ 4,000", then " · G: EMA β = 0.999" when the run keeps an average.
    public var label: String {
        "\(letter) · \(runName) @ \(MappingFigure.grouped(step))" + (generatorCaption.map { " · " + $0 } ?? "")
    }

    /// How the computed metrics relate to the run's diagnostics.csv, in a few words.
    public var recordedAgreement: String {
        guard generator == .trained else { return "the averaged generator; diagnostics.csv measures the trained weights" }
        guard let row = recordedRow else { return "no diagnostics.csv row for step \(step)" }
        guard usesRunGrid else { return "diagnostics.csv used another grid; not compared" }
        let differing = data.report.metrics.filter { metric in
            guard let recorded = row[metric.name] else { return true }
            if recorded.isNaN && metric.value.isNaN { return false }
            return abs(recorded - metric.value) > 1e-9 * max(1, abs(recorded))
        }
        return differing.isEmpty ? "matches its diagnostics.csv row"
            : "differs from diagnostics.csv in " + differing.map(\.name).joined(separator: ", ")
    }
}

/// A side-by-side comparison of snapshots of one problem (`ganlab compare`): the contact sheet,
/// the metrics table and the morph between them.
///
/// Every column draws the first argument's probe latents through its own snapshot's G, in the
/// same colours, and measures its map on the same latent grid with the run diagnostics'
/// settings (`SnapshotDiagnostics`): snapshots of one problem share the prior, so the probes are
/// valid latents for every run.
public struct CompareSheetData: Sendable {
    /// The common problem.
    public var problem: ToyProblem
    /// The columns, in argument order.
    public var columns: [CompareColumn]
    /// Grid side per plane used for every column.
    public var gridSize: Int
    /// Whether the columns come from more than one run (the probes are then the first run's).
    public var mixesRuns: Bool

    /// The sheet's title line; a column of the averaged generator is marked "(EMA)" (its header
    /// gives β).
    public var title: String {
        "\(problem.kind.rawValue) · " + columns.map { "\($0.letter) \($0.runName) @ \(MappingFigure.grouped($0.step))\(Self.mark($0))" }
            .joined(separator: " | ")
    }

    /// The title and shorter forms of it, longest first, for a sheet too narrow for the whole line.
    public var titles: [String] {
        let steps = columns.map { "\($0.letter) @ \(MappingFigure.grouped($0.step))\(Self.mark($0))" }.joined(separator: " | ")
        return [title, "\(problem.kind.rawValue) · " + steps, problem.kind.rawValue]
    }

    /// " (EMA)" for a column of the averaged generator, else nothing.
    static func mark(_ column: CompareColumn) -> String { column.generator == .averaged ? " (EMA)" : "" }

    /// The shared note and shorter forms of it, longest first.
    public var sharedNotes: [String] {
        let probes = MappingFigure.grouped((columns.first?.data.latents.count ?? 0) / problem.latentDimension)
        let grid = "\(gridSize) × \(gridSize) latent grid" + (problem.latentDimension > 2 ? " per k" : "")
        return [sharedNote, "every column: \(probes) probes in the same colours, a \(grid)", "\(probes) probes, \(grid)"]
    }

    /// What the columns share, for the line under the title.
    public var sharedNote: String {
        let probes = MappingFigure.grouped((columns.first?.data.latents.count ?? 0) / problem.latentDimension)
        let source = mixesRuns ? "the probe latents of \(columns.first?.runName ?? "A") (same problem, same prior)"
            : "the run's probe latents"
        return "every column: \(probes) probes from \(source), the same colours, a \(gridSize) × \(gridSize) latent grid"
            + (problem.latentDimension > 2 ? " per k" : "")
    }

    /// The third row: the mode partition (arc-length bins for the spiral), or folds for
    /// uniform-to-normal and file targets, which have no modes.
    public var showsFolds: Bool { problem.kind == .uniformToNormal || problem.kind.isFileTarget }

    /// Opens every snapshot, checks they share a problem, and measures them all on the first
    /// run's probes and grid (`gridSize` overrides the grid per plane). A spec asking for the
    /// averaged generator of a run that keeps none is refused, naming the run.
    public static func load(_ specs: [CompareSpec], gridSize: Int? = nil) throws -> CompareSheetData {
        guard let firstSpec = specs.first else { throw RunError("compare needs at least one snapshot") }
        var opened: [String: RunData] = [:]
        func open(_ spec: CompareSpec) throws -> RunData {
            let key = spec.path + "\u{0}" + spec.generator.rawValue
            if let run = opened[key] { return run }
            let run = try RunData(path: spec.path, generator: spec.generator)
            opened[key] = run
            return run
        }
        for spec in specs { _ = try open(spec) }
        let first = try open(firstSpec)
        for spec in specs.dropFirst() {
            let run = try open(spec)
            guard run.problem.kind == first.problem.kind else {
                throw RunError("cannot compare \(first.run.path) (\(first.problem.kind.rawValue)) with \(run.run.path) "
                               + "(\(run.problem.kind.rawValue)): snapshots of different problems")
            }
        }
        let grid = gridSize ?? SnapshotDiagnostics.gridSize(for: first.config)
        var columns: [CompareColumn] = []
        for (i, spec) in specs.enumerated() {
            let run = try open(spec)
            let snapshot = try run.snapshot(step: spec.step, for: "compare")
            let data = try run.mapDiagnosticsData(snapshot: snapshot, view: "compare", gridSize: grid,
                                                  probeLatents: first.probeLatents)
            let usesRunGrid = snapshot.config.output.diagnosticsGrid > 0
                && SnapshotDiagnostics.gridSize(for: snapshot.config) == grid
            columns.append(CompareColumn(letter: letter(i), runPath: run.run.path, runName: run.name, step: data.step,
                                         data: data, recordedRow: run.diagnosticsRow(step: data.step),
                                         usesRunGrid: usesRunGrid, generator: run.generatorWeights,
                                         generatorCaption: run.generatorCaption))
        }
        return CompareSheetData(problem: first.problem, columns: columns, gridSize: grid,
                                mixesRuns: Set(columns.map(\.runPath)).count > 1)
    }

    /// "A", "B", …, "Z", "AA", ….
    static func letter(_ i: Int) -> String {
        let scalars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return i < 26 ? String(scalars[i]) : letter(i / 26 - 1) + String(scalars[i % 26])
    }

    // MARK: - Metrics table

    /// The metrics of every column with deltas against the first: names in report order.
    public var table: CompareTable {
        let names = columns.first?.data.report.metrics.map(\.name) ?? []
        let values = names.map { name in columns.map { $0.data.report.value(of: name) } }
        return CompareTable(letters: columns.map(\.letter), labels: columns.map(\.label),
                            csvLabels: columns.map { "\($0.letter) \($0.runName)@\($0.step)" + ($0.generatorCaption.map { " " + $0 } ?? "") },
                            names: names, values: values)
    }
}

/// The metrics of several snapshots side by side, with the change of each column against the
/// first (B − A, C − A, …).
public struct CompareTable: Sendable, Equatable {
    /// Column letters ("A", "B", …).
    public var letters: [String]
    /// Column labels ("A · spiral/seed1 @ 4,000").
    public var labels: [String]
    /// Column labels for CSV headers ("A spiral/seed1@4000").
    public var csvLabels: [String]
    /// Metric names, one per row.
    public var names: [String]
    /// Per metric, per column: the value (nil when a column lacks the metric).
    public var values: [[Double?]]

    /// Column `column` minus column 0 for metric `row`.
    public func delta(row: Int, column: Int) -> Double? {
        guard let a = values[row][0], let b = values[row][column] else { return nil }
        return b - a
    }

    /// An aligned text table: metric, A, then each further column's value and Δ against A.
    public var text: String {
        var header = ["metric", letters[0]]
        for letter in letters.dropFirst() { header += [letter, "Δ\(letter)−\(letters[0])"] }
        var rows = [header]
        for (r, name) in names.enumerated() {
            var row = [name, Self.number(values[r][0])]
            for c in 1..<letters.count { row += [Self.number(values[r][c]), Self.signed(delta(row: r, column: c))] }
            rows.append(row)
        }
        let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        let lines = rows.map { row in
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        return (labels + [""] + lines).joined(separator: "\n")
    }

    /// CSV: a `metric` column, then per column its value and (after the first) its delta
    /// against the first column.
    public var csv: String {
        var header = ["metric", Self.csvField(csvLabels[0])]
        for label in csvLabels.dropFirst() { header += [Self.csvField(label), Self.csvField("delta " + label)] }
        var lines = [header.joined(separator: ",")]
        for (r, name) in names.enumerated() {
            var row = [name, values[r][0].map { "\($0)" } ?? ""]
            for c in 1..<labels.count { row += [values[r][c].map { "\($0)" } ?? "", delta(row: r, column: c).map { "\($0)" } ?? ""] }
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A value for people: integers plainly, others with four significant digits.
    static func number(_ v: Double?) -> String {
        guard let v else { return "—" }
        if v.isNaN { return "nan" }
        if v == v.rounded() && abs(v) < 1e9 { return String(Int(v)) }
        return String(format: abs(v) < 1e-3 && v != 0 ? "%.3e" : "%.4g", v)
    }

    /// A delta with its sign ("+0.012", "−3", "0").
    static func signed(_ v: Double?) -> String {
        guard let v else { return "—" }
        if v == 0 { return "0" }
        let text = number(abs(v))
        return (v < 0 ? "−" : "+") + text
    }

    /// Quotes a CSV field when it holds a comma or a quote.
    static func csvField(_ text: String) -> String {
        guard text.contains(",") || text.contains("\"") else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
