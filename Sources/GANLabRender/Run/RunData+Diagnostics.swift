import GANLabCore

/// The bridge from a run folder to the diagnostic views: a snapshot's generator measured with
/// the run's standard diagnostics settings (`SnapshotDiagnostics`), so the pictures agree with
/// the run's diagnostics.csv.
extension RunData {
    /// The diagnostic views' data at `step` (default: the newest snapshot): the snapshot's G
    /// measured on the latent grid (`gridSize` per plane, default the run's diagnostics grid) and
    /// applied to `probeLatents` (default this run's probes).
    public func mapDiagnosticsData(step: Int?, view: ViewKind, gridSize: Int? = nil,
                                   probeLatents: [Float]? = nil) throws -> MapDiagnosticsData {
        try mapDiagnosticsData(snapshot: snapshot(step: step, for: view.rawValue), view: view.rawValue, gridSize: gridSize,
                               probeLatents: probeLatents)
    }

    /// The diagnostic views' data of an already loaded snapshot of this run, titled with `view`.
    func mapDiagnosticsData(snapshot: Snapshot, view: String, gridSize: Int?, probeLatents: [Float]?) throws -> MapDiagnosticsData {
        let latents = probeLatents ?? self.probeLatents
        guard latents.count % problem.latentDimension == 0 else {
            throw RunError("\(latents.count) probe numbers are not whole latents of dimension \(problem.latentDimension)")
        }
        let generator = snapshot.makeGenerator()
        var data = MapDiagnosticsData.evaluating(
            problem: problem, map: generator.latentMap, gridSize: gridSize ?? SnapshotDiagnostics.gridSize(for: snapshot.config),
            latents: latents, target: targetSamples(count: 5_000), title: viewTitle(step: snapshot.step, what: view))
        data.step = snapshot.step
        return data
    }

    /// The run's diagnostics.csv row for `step`, if it has one.
    public func diagnosticsRow(step: Int) -> [String: Double]? {
        SnapshotDiagnostics.read(from: run).last { $0.step == step }?.values
    }
}
