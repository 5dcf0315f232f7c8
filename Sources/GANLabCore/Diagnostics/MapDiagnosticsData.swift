/// Plain data for the diagnostic views (tears, modes, folds, Jacobian) and the compare sheet: a
/// generator measured on the docs/METRICS.md §4 latent grid, kept plane by plane so the pictures can draw
/// tear band, labels and det J per cell, and the report those planes summarise.
///
/// `evaluating` measures exactly what `SnapshotDiagnostics.evaluate` measures (same grid, same
/// Jacobian method and tear rule, same sample seed), so with the run's configured grid the
/// numbers on a picture are the numbers in the run's diagnostics.csv.
public struct MapDiagnosticsData: Sendable {
    /// The toy problem (prior, target, mixture).
    public var problem: ToyProblem
    /// The measured latent planes: one, or one per component k for `eight-gaussians`.
    public var planes: [MapGeometry]
    /// Sample metrics and the geometry summary of `planes`.
    public var report: DiagnosticsReport
    /// Probe latents, row-major (probeCount × prior.dimension).
    public var latents: [Float]
    /// G(z) of the probes, flat `[x, y, …]`.
    public var points: [Float]
    /// True samples, flat `[x, y, …]`.
    public var target: [Float]
    /// The title line.
    public var title: String
    /// The training step shown.
    public var step: Int = 0

    /// Data from measured planes.
    public init(problem: ToyProblem, planes: [MapGeometry], report: DiagnosticsReport, latents: [Float],
                points: [Float], target: [Float], title: String) {
        self.problem = problem
        self.planes = planes
        self.report = report
        self.latents = latents
        self.points = points
        self.target = target
        self.title = title
    }

    /// Measures `map` on a `gridSize`² grid per latent plane, scores `sampleCount` of its samples
    /// (seed `SnapshotDiagnostics.seed`) and maps the probe `latents`: the same numbers as
    /// `SnapshotDiagnostics.evaluate` for a configured grid whose per-plane side is `gridSize`.
    public static func evaluating(problem: ToyProblem, map: LatentMap, gridSize: Int,
                                  sampleCount: Int = SnapshotDiagnostics.sampleCount,
                                  latents: [Float], target: [Float], title: String) -> MapDiagnosticsData {
        let planes = MapGeometry.measurePlanes(problem: problem, map: map, gridSize: gridSize)
        let samples = Diagnostics.sample(problem: problem, generator: map, count: sampleCount,
                                         seed: SnapshotDiagnostics.seed)
        let report = DiagnosticsReport(problem: problem.kind,
                                       samples: SampleMetrics.measure(problem: problem, points: samples),
                                       geometry: GeometrySummary(planes: planes))
        let count = latents.count / problem.latentDimension
        let points = count > 0 ? map(latents, count) : []
        return MapDiagnosticsData(problem: problem, planes: planes, report: report, latents: latents,
                                  points: points, target: target, title: title)
    }

    /// The latent prior.
    public var prior: LatentPrior { problem.prior }
    /// Half-width of the latent square shown: the grid's box (1 uniform, 3 Gaussian).
    public var latentExtent: Double { planes.first?.grid.upper ?? (prior == .uniformBox ? 1 : 3) }
    /// Half-width of the sample square shown.
    public var sampleExtent: Double { problem.extent }
    /// The geometry summary (always present: `evaluating` measures the map).
    public var geometry: GeometrySummary { report.geometry ?? GeometrySummary(planes: planes) }
    /// Grid cells per side of each plane.
    public var gridSize: Int { planes.first?.grid.size ?? 0 }
}
