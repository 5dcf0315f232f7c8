import GANLabCore

/// The bridge from a run folder to the diagnostic views: a snapshot's generator measured with
/// the run's standard diagnostics settings (`SnapshotDiagnostics`), so the pictures agree with
/// the run's diagnostics.csv.
extension RunData {
    /// The per-plane grid side the run's diagnostics use for `config` (`output.diagnosticsGrid`,
    /// 3/8 of it per component for `eight-gaussians`); a run that switched the map diagnostics
    /// off (0) gets the SPEC default, 256².
    public static func diagnosticsGridSize(for config: ExperimentConfig) -> Int {
        SnapshotDiagnostics.gridSize(configured: config.output.diagnosticsGrid, problem: config.problem)
            ?? SnapshotDiagnostics.gridSize(configured: Diagnostics.defaultGridSize, problem: config.problem)
            ?? Diagnostics.defaultGridSize
    }

    /// The diagnostic views' data at `step` (default: the newest snapshot): the snapshot's G
    /// measured on the latent grid (`gridSize` per plane, default the run's diagnostics grid) and
    /// applied to `probeLatents` (default this run's probes).
    public func mapDiagnosticsData(step: Int?, view: String, gridSize: Int? = nil,
                                   probeLatents: [Float]? = nil) throws -> MapDiagnosticsData {
        try mapDiagnosticsData(snapshot: snapshot(step: step, for: view), view: view, gridSize: gridSize,
                               probeLatents: probeLatents)
    }

    /// The diagnostic views' data of an already loaded snapshot of this run.
    func mapDiagnosticsData(snapshot: Snapshot, view: String, gridSize: Int?, probeLatents: [Float]?) throws -> MapDiagnosticsData {
        let latents = probeLatents ?? self.probeLatents
        guard latents.count % problem.latentDimension == 0 else {
            throw RunError("\(latents.count) probe numbers are not whole latents of dimension \(problem.latentDimension)")
        }
        let generator = snapshot.makeGenerator()
        var data = MapDiagnosticsData.evaluating(
            problem: problem, map: generator.latentMap, gridSize: gridSize ?? Self.diagnosticsGridSize(for: snapshot.config),
            latents: latents, target: targetSamples(count: 5_000), title: viewTitle(step: snapshot.step, what: view))
        data.step = snapshot.step
        return data
    }

    /// The run's diagnostics.csv row for `step`, if it has one.
    public func diagnosticsRow(step: Int) -> [String: Double]? {
        SnapshotDiagnostics.read(from: run).last { $0.step == step }?.values
    }
}
