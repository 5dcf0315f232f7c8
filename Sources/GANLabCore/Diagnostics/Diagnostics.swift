import GANLabEngine

/// The lab's metrics (docs/METRICS.md §4) in one place: score a generator, or any point set.
///
/// - `evaluate` draws N latents from the prior, scores G's samples, and measures G on the latent
///   grid (tears, Jacobians, folds, mode partition): what `ganlab diagnose` prints and the trainer
///   logs at every snapshot.
/// - `evaluateSamples` scores an arbitrary point set (true samples, a CSV of samples).
/// - For pictures, call `MapGeometry.measurePlanes` and keep the planes (tear band, labels, det J),
///   then summarise them with `GeometrySummary(planes:)`.
///
/// All metrics are computed in Double; nothing here touches the system random generator.
public enum Diagnostics {
    /// Samples scored by default (docs/METRICS.md §4: N = 2,500, the PacGAN protocol).
    public static let defaultSampleCount = 2_500
    /// Latent grid points per side by default (docs/METRICS.md §4).
    public static let defaultGridSize = 256

    /// Scores `generator` on `problem`: sample metrics on `sampleCount` samples drawn with `seed`,
    /// and, unless `gridSize` is nil, the map geometry on a gridSize² latent grid per plane.
    ///
    /// Cost: the generator sees `sampleCount` latents in one call and each latent plane in one
    /// call; a network's exact Jacobian (`JacobianMethod.exact`, the default for a network) adds two
    /// tangent passes, each about as costly as the forward pass. With the article's 512-wide G,
    /// 10,000 samples and a 256² grid take ≈ 2.8 CPU-seconds (≈ 1.4 s on two threads), of which
    /// the metrics themselves take ≈ 0.05–0.1; `eight-gaussians` measures eight planes of 96²
    /// for about the same work. The same seed gives the same report.
    public static func evaluate(problem: ToyProblem, generator: LatentMap,
                                sampleCount: Int = defaultSampleCount, gridSize: Int? = defaultGridSize,
                                jacobian: JacobianMethod? = nil, tears: TearCriterion? = nil,
                                seed: UInt64) -> DiagnosticsReport {
        let points = sample(problem: problem, generator: generator, count: sampleCount, seed: seed)
        let samples = SampleMetrics.measure(problem: problem, points: points)
        let geometry = gridSize.map {
            GeometrySummary(planes: MapGeometry.measurePlanes(problem: problem, map: generator, gridSize: $0,
                                                              jacobian: jacobian, tears: tears))
        }
        return DiagnosticsReport(problem: problem.kind, samples: samples, geometry: geometry)
    }

    /// Scores an arbitrary point set, flat (x, y) Float pairs (no map geometry).
    public static func evaluateSamples(problem: ToyProblem, points: [Float]) -> DiagnosticsReport {
        DiagnosticsReport(problem: problem.kind, samples: SampleMetrics.measure(problem: problem, points: points))
    }

    /// Scores an arbitrary point set (no map geometry).
    public static func evaluateSamples(problem: ToyProblem, points: [SIMD2<Double>]) -> DiagnosticsReport {
        DiagnosticsReport(problem: problem.kind, samples: SampleMetrics.measure(problem: problem, points: points))
    }

    /// `count` samples of `generator`: latents drawn from the problem's prior with a fresh
    /// generator seeded with `seed`, mapped in one call. Flat (x, y) pairs.
    public static func sample(problem: ToyProblem, generator: LatentMap, count: Int, seed: UInt64) -> [Float] {
        precondition(count > 0, "need at least one sample")
        var rng = RandomSource(seed: seed)
        let latents = problem.sampleLatents(count: count, using: &rng)
        let points = generator(latents, count)
        precondition(points.count == 2 * count, "the generator returned \(points.count / 2) points for \(count) latents")
        return points
    }

    // MARK: - Mode hopping

    /// The Jaccard distance 1 − |A ∩ B| / |A ∪ B| between two covered-mode sets (0 when both are
    /// empty: nothing changed).
    ///
    /// Mode hopping (docs/METRICS.md §4) is this distance between consecutive snapshots: 0 when the generator
    /// keeps the same modes, 1 when it moved to entirely different ones.
    public static func jaccardDistance(_ a: Set<Int>, _ b: Set<Int>) -> Double {
        let union = a.union(b).count
        guard union > 0 else { return 0 }
        return 1 - Double(a.intersection(b).count) / Double(union)
    }

    /// Mode hopping between two reports of the same mixture problem (nil for other problems).
    public static func modeHopping(from previous: DiagnosticsReport, to current: DiagnosticsReport) -> Double? {
        guard let a = previous.coveredModes, let b = current.coveredModes else { return nil }
        return jaccardDistance(a, b)
    }
}
