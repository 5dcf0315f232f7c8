import ArgumentParser
import Foundation
import GANLabCore

/// How `diagnose` takes the Jacobian (see `JacobianMethod`).
enum JacobianChoice: String, ExpressibleByArgument, CaseIterable {
    case exact, grid, central

    /// The method; `central` uses the h = 1e-3 step of docs/METRICS.md §4.4.
    var method: JacobianMethod {
        switch self {
        case .exact: return .exact
        case .grid: return .gridDifferences
        case .central: return .centralDifferences(step: JacobianMethod.specStep)
        }
    }
}

/// Output formats for metric tables.
enum TableFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

extension GANLab {
    /// `ganlab diagnose`: the docs/METRICS.md §4 metrics of a snapshot, or of any point set.
    struct Diagnose: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure tearing, mode collapse and folding of a snapshot (or score a CSV of samples).",
            discussion: """
                Examples:
                  ganlab diagnose output/spiral/20261123-061500
                  ganlab diagnose output/ring8/seed1 --step 10000 --count 10000 --format json
                  ganlab diagnose --problem ring8-pacgan --samples their_samples.csv
                  ganlab diagnose output/eight-gaussians-ema/seed1 --ema   (θ_EMA of train.generatorAverage)
                With --samples, the CSV needs a header with columns x and y (any case, quoted or not; other columns, e.g. latents, are ignored);
                blank lines are skipped; every x and y must be a finite number.
                """)

        @Argument(help: ArgumentHelp("The run folder.", valueName: "run"))
        var runFolder: String?

        @Option(help: "Snapshot step (default: the newest).")
        var step: Int?

        @Option(help: "Generated samples to score (docs/METRICS.md §4: 2,500).")
        var count: Int = Diagnostics.defaultSampleCount

        @Option(help: "Latent grid side for the map geometry (0 = skip it).")
        var grid: Int = Diagnostics.defaultGridSize

        @Option(help: "How the map geometry takes the Jacobian: exact (forward mode through the network), grid (differences between neighbouring grid points) or central (differences with h = 1e-3).")
        var jacobian: JacobianChoice = .exact

        @Option(name: .customLong("tear-stretch"),
                help: "κ of the tear band: a tear latent is stretched more than κ × the oracle's median stretch (docs/METRICS.md §4.4; default \(TearCriterion.defaultStretchFactor)).")
        var tearStretch: Double = TearCriterion.defaultStretchFactor

        @Option(help: "Problem of the point set given with --samples.")
        var problem: ProblemKind?

        @Option(help: "CSV of samples (columns x, y) to score instead of a run.")
        var samples: String?

        @Option(help: "Output format.")
        var format: TableFormat = .table

        @OptionGroup var generator: GeneratorOptions

        func validate() throws {
            if samples != nil {
                guard let problem, runFolder == nil else {
                    throw ValidationError("--samples needs --problem and no run folder, e.g. ganlab diagnose --problem ring8 --samples s.csv")
                }
                guard !problem.isFileTarget else {
                    throw ValidationError("--problem takes a built-in problem; a \(problem.rawValue) target lives in a run: train on it and give the run folder.")
                }
            } else {
                guard runFolder != nil else { throw ValidationError("Give a run folder, or --problem P --samples FILE.csv.") }
                guard problem == nil else { throw ValidationError("--problem goes with --samples; a run knows its problem.") }
            }
            if generator.averaged && samples != nil {
                throw ValidationError("--ema applies to a run's generator; --samples scores the given points.")
            }
            guard (10...10_000_000).contains(count) else { throw ValidationError("--count must be between 10 and 10,000,000.") }
            guard (0...2048).contains(grid) else { throw ValidationError("--grid must be between 0 and 2048.") }
            guard tearStretch.isFinite && tearStretch > 0 else { throw ValidationError("--tear-stretch must be a positive number.") }
        }

        func run() throws {
            let report: DiagnosticsReport
            let title: String
            let toy: ToyProblem
            var measured: String?
            do {
                if let samples, let problem {
                    let points = try PointSetCSV.read(path: samples)
                    toy = ToyProblem(problem)
                    report = Diagnostics.evaluateSamples(problem: toy, points: points)
                    title = "\(problem.rawValue) · \(samples) · \(points.count / 2) samples"
                } else {
                    let run = RunDirectory(path: runFolder ?? "")
                    let snapshot = try run.loadSnapshot(step: step, generator: generator.weights)
                    let problem = try ToyProblem(config: snapshot.config, run: run)
                    toy = problem
                    report = Diagnostics.evaluate(problem: problem, generator: snapshot.makeGenerator().latentMap,
                                                  sampleCount: count,
                                                  gridSize: SnapshotDiagnostics.gridSize(configured: grid, problem: problem.kind),
                                                  jacobian: jacobian.method,
                                                  tears: TearCriterion(problem: problem, stretchFactor: tearStretch),
                                                  seed: SnapshotDiagnostics.seed)
                    let caption = generator.weights.caption(config: snapshot.config)
                    title = "\(problem.kind.rawValue) · \(run.path) · step \(snapshot.step)" + (caption.map { " · " + $0 } ?? "")
                    if caption != nil { measured = generator.weights.name }
                }
            }
            print(Self.format(report.metrics + Self.noiseFloor(of: report, problem: toy), title: title, generator: measured,
                              as: format))
        }

        /// Precision, recall, density and coverage of 2,500 true samples against the same reference
        /// (`ManifoldReference.noiseFloor`): the values a perfect generator gets, named `…_true`.
        static func noiseFloor(of report: DiagnosticsReport, problem: ToyProblem) -> [Metric] {
            guard report.samples.manifold != nil else { return [] }
            let floor = ManifoldReference.of(problem).noiseFloor
            return [Metric("precision_k3_true", floor.precision), Metric("recall_k3_true", floor.recall),
                    Metric("density_k5_true", floor.density), Metric("coverage_k5_true", floor.coverage)]
        }

        /// Formats named metrics as an aligned table, CSV (header + row) or a JSON object.
        /// `generator` ("ema" or "trained", for a run that keeps an average) leads the CSV columns
        /// and the JSON keys; the table says it in its title.
        static func format(_ metrics: [Metric], title: String, generator: String? = nil, as format: TableFormat) -> String {
            switch format {
            case .table:
                let width = metrics.map(\.name.count).max() ?? 0
                return ([title] + metrics.map { $0.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + Self.number($0.value) })
                    .joined(separator: "\n")
            case .csv:
                let names = (generator == nil ? [] : ["generator"]) + metrics.map(\.name)
                let values = (generator.map { [$0] } ?? []) + metrics.map { "\($0.value)" }
                return names.joined(separator: ",") + "\n" + values.joined(separator: ",")
            case .json:
                let rows = (generator.map { ["  \"generator\": \"\($0)\""] } ?? [])
                    + metrics.map { "  \"\($0.name)\": \($0.value.isFinite ? "\($0.value)" : "null")" }
                return "{\n" + rows.joined(separator: ",\n") + "\n}"
            }
        }

        /// A value for people: integers plainly, small fractions with enough digits.
        static func number(_ v: Double) -> String {
            if v.isNaN { return "nan" }
            if v == v.rounded() && abs(v) < 1e9 { return String(Int(v)) }
            return String(format: abs(v) < 1e-3 && v != 0 ? "%.3e" : "%.6f", v)
        }
    }
}
