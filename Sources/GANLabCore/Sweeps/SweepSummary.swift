import Foundation

/// The statistics of a sweep over its complete runs: every final diagnostic and the final losses
/// of every run, and per cell the mean ± standard error over seeds.
///
/// `summary.csv` is long format, one row per run and metric (sweep, cell, experiment, each grid
/// key, seed, step, metric, value), which `pandas.read_csv` or R's `read.csv` take in one call;
/// `summary.md` has one table row per cell and one column per headline metric, as PacGAN's
/// Table 1 lays them out.
public struct SweepSummary: Sendable {
    /// One run's final numbers.
    public struct RunValues: Sendable {
        /// The run in the plan.
        public var run: SweepPlan.Run
        /// The step of its last diagnostics row.
        public var step: Int
        /// Metric name → value (every column of its last diagnostics row, then d_loss and g_loss).
        public var values: [(name: String, value: Double)]
    }

    /// Mean, standard error and count of one metric over one cell's seeds.
    public struct Statistic: Sendable, Equatable {
        /// The mean.
        public var mean: Double
        /// s/√n with s the sample standard deviation (0 for one seed).
        public var standardError: Double
        /// Seeds with a finite value.
        public var count: Int

        /// Over the finite values of `values`.
        public init(_ values: [Double]) {
            let finite = values.filter(\.isFinite)
            count = finite.count
            mean = finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
            if finite.count > 1 {
                let m = mean
                let variance = finite.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(finite.count - 1)
                standardError = (variance / Double(finite.count)).squareRoot()
            } else {
                standardError = 0
            }
        }
    }

    /// The plan.
    public var plan: SweepPlan
    /// Complete runs' values, in plan order.
    public var runs: [RunValues]
    /// Runs not complete (not started, running, interrupted or failed), in plan order.
    public var missing: [SweepPlan.Run]

    /// The metrics `summary.md` shows, in order, where the runs have them.
    public static let headline = [
        "modes_covered", "modes_covered_strict", "hq_fraction", "reverse_kl", "negative_space", "radial_ks", "angular_ks",
        "precision_k3", "recall_k3", "density_k5", "coverage_k5", "tear_mass", "tear_length", "folded_fraction", "lipschitz", "d_loss", "g_loss",
    ]

    /// Reads every complete run of `plan` in `directory`.
    public static func read(_ plan: SweepPlan, in directory: SweepDirectory) throws -> SweepSummary {
        var runs: [RunValues] = [], missing: [SweepPlan.Run] = []
        for run in plan.runs {
            guard directory.isComplete(run) else { missing.append(run); continue }
            let folder = RunDirectory(path: directory.runPath(run))
            let diagnostics = try CSVTable.read(path: SnapshotDiagnostics.path(in: folder))
            guard let last = diagnostics.rows.last else {
                throw RunError("\(SnapshotDiagnostics.path(in: folder)) has no rows, although the run is marked complete")
            }
            var values: [(name: String, value: Double)] = []
            var step = 0
            for (name, text) in zip(diagnostics.columns, last.fields) {
                let value = Double(text) ?? .nan
                if name == "step" { step = Int(value.isFinite ? value : 0); continue }
                values.append((name, value))
            }
            if let metrics = try? CSVTable.read(path: folder.metricsPath), let row = metrics.rows.last {
                for name in ["d_loss", "g_loss"] {
                    if let c = metrics.columns.firstIndex(of: name) { values.append((name, Double(row.fields[c]) ?? .nan)) }
                }
            }
            runs.append(RunValues(run: run, step: step, values: values))
        }
        return SweepSummary(plan: plan, runs: runs, missing: missing)
    }

    /// Every metric name in first-seen order.
    public var metricNames: [String] {
        var seen = Set<String>(), names: [String] = []
        for run in runs { for (name, _) in run.values where seen.insert(name).inserted { names.append(name) } }
        return names
    }

    /// The statistic of `metric` over the complete runs of cell `cell`.
    public func statistic(_ metric: String, cell: Int) -> Statistic {
        Statistic(runs.filter { $0.run.cell == cell }.compactMap { r in r.values.first { $0.name == metric }?.value })
    }

    // MARK: - Files

    /// `summary.csv`: sweep, cell, experiment, the grid keys, seed, step, metric, value.
    public var csv: String {
        var lines = [(["sweep", "cell", "experiment"] + plan.gridKeys + ["seed", "step", "metric", "value"]).joined(separator: ",")]
        for r in runs {
            let cell = plan.cells[r.run.cell]
            let prefix = ([plan.name, cell.name, cell.experiment] + cell.settings.map { Self.csvField($0.value) } + ["\(r.run.seed)", "\(r.step)"])
                .joined(separator: ",")
            for (name, value) in r.values { lines.append(prefix + ",\(name),\(value.isFinite ? "\(value)" : "")") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// `summary.md`: a table with one row per cell, mean ± standard error (n) of each headline metric.
    public var markdown: String {
        let names = Self.headline.filter(metricNames.contains)
        var out = "# Sweep \(plan.name)\n\n"
        if !plan.description.isEmpty { out += plan.description + "\n\n" }
        out += "Base experiment\(plan.experiments.count == 1 ? "" : "s") "
            + plan.experiments.map { "`\($0)`" }.joined(separator: ", ") + ", seeds \(Self.seedList(plan.seeds)), \(plan.threads) engine "
            + "thread\(plan.threads == 1 ? "" : "s") per run; \(runs.count) of \(plan.runs.count) runs complete. "
            + "Each entry is the mean ± standard error over seeds (sample standard deviation / √n), with n, "
            + "at each run's last snapshot.\n\n"
        out += "| cell | " + plan.gridKeys.map { "`\($0)`" }.joined(separator: " | ") + (plan.gridKeys.isEmpty ? "" : " | ")
            + names.joined(separator: " | ") + " |\n"
        out += "|---|" + String(repeating: "---|", count: plan.gridKeys.count) + String(repeating: "---:|", count: names.count) + "\n"
        for (c, cell) in plan.cells.enumerated() {
            out += "| \(cell.name) | " + cell.settings.map(\.value).joined(separator: " | ") + (cell.settings.isEmpty ? "" : " | ")
            out += names.map { Self.format(statistic($0, cell: c), metric: $0) }.joined(separator: " | ") + " |\n"
        }
        if !missing.isEmpty {
            out += "\nNot complete (\(missing.count)): " + missing.prefix(20).map(\.folder).joined(separator: ", ")
                + (missing.count > 20 ? ", …" : "") + "\n"
        }
        return out
    }

    /// "6.3 ± 0.5 (10)", digits by the metric's scale.
    public static func format(_ s: Statistic, metric: String) -> String {
        guard s.count > 0 else { return "—" }
        let digits = metric.hasPrefix("modes") ? 1 : (abs(s.mean) >= 10 ? 2 : 3)
        return String(format: "%.\(digits)f ± %.\(digits)f (\(s.count))", s.mean, s.standardError)
    }

    /// "1–10" for a consecutive range of seeds, else the seeds listed.
    public static func seedList(_ seeds: [UInt64]) -> String {
        if seeds.count > 2, let first = seeds.first, let last = seeds.last, seeds == Array(first...last) {
            return "\(first)–\(last)"
        }
        return seeds.map(String.init).joined(separator: ", ")
    }

    /// Writes `summary.csv` and `summary.md` into the sweep's folder; returns their paths.
    public func write(to directory: SweepDirectory) throws -> [String] {
        let csvPath = directory.path + "/summary.csv", mdPath = directory.path + "/summary.md"
        try writeAtomically(csv, to: csvPath)
        try writeAtomically(markdown, to: mdPath)
        return [csvPath, mdPath]
    }
}
