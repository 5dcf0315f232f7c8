import GANLabEngine

/// What a perfect generator scores on every diagnostic of a problem: the values the report page
/// puts beside a run's (docs/REPORT.md).
///
/// Sample metrics come from true samples: a built-in problem's oracle map (docs/METRICS.md §1)
/// through the same latents and count as a run's diagnostics, a file target's own sampler (seed
/// `ManifoldReference.floorSeed`); precision, recall, density and coverage are the documented
/// noise floor (`ManifoldReference.noiseFloor`, `diagnose`'s `*_true`). Map metrics come from the
/// oracle map on the run's latent grid; a file target has no oracle map, so it has none.
public enum NoiseFloor {
    /// Columns that are settings of the measurement, not measurements (the same for any map).
    public static let settings: Set<String> = ["samples", "grid_size", "tau", "ks_threshold"]

    /// The floor of every diagnostic of `problem` measured as a run with `configuredGrid`
    /// (`output.diagnosticsGrid`) measures its snapshots, by column name; settings left out.
    public static func of(problem: ToyProblem, configuredGrid: Int) -> [String: Double] {
        let report: DiagnosticsReport
        if problem.hasOracle {
            report = SnapshotDiagnostics.evaluate(problem: problem, generator: problem.oracleMap, configuredGrid: configuredGrid)
        } else {
            var rng = RandomSource(seed: ManifoldReference.floorSeed)
            let points = problem.sampleTargets(count: SnapshotDiagnostics.sampleCount, using: &rng)
            report = Diagnostics.evaluateSamples(problem: problem, points: points)
        }
        var floors: [String: Double] = [:]
        for metric in report.metrics where !settings.contains(metric.name) { floors[metric.name] = metric.value }
        if report.samples.manifold != nil {
            let floor = ManifoldReference.of(problem).noiseFloor
            floors["precision_k3"] = floor.precision
            floors["recall_k3"] = floor.recall
            floors["density_k5"] = floor.density
            floors["coverage_k5"] = floor.coverage
        }
        return floors
    }
}
