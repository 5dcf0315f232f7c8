import GANLabEngine

/// The fixed set of true `spiral` samples that spiral samples are scored against (docs/METRICS.md §4,
/// "Spiral"), with its nearest-neighbour index and the calibrated negative-space distance τ.
///
/// - Reference: 20,000 samples of the problem's own sampler (`sampleTargets`, seed
///   `referenceSeed`), and the same draws' latents (`sampleLatents` consumes the generator the same
///   way), so every reference point knows its z₀ and hence its θ = 3π·z₀.
/// - τ: the 99.9th percentile of the nearest-reference distance of 100,000 fresh true samples
///   (seed `calibrationSeed`), so true samples land in negative space 0.1 % of the time by
///   construction. With the seeds below τ = 0.012782 (computed on first use, then cached in
///   `shared`; the diagnostics tests pin the value).
public struct SpiralReference: Sendable {
    /// Number of reference samples.
    public static let referenceCount = 20_000
    /// Seed of the reference samples.
    public static let referenceSeed: UInt64 = 20_000
    /// Number of fresh true samples τ is calibrated on.
    public static let calibrationCount = 100_000
    /// Seed of the calibration samples (different from the reference's).
    public static let calibrationSeed: UInt64 = 99_900
    /// Share of true samples that should score as negative space.
    public static let calibrationTail = 0.001
    /// Number of coverage bins along θ.
    public static let binCount = 20

    /// The reference, built on first use (about 120,000 nearest-neighbour queries) and then reused.
    public static let shared = SpiralReference()

    /// The reference samples.
    public var points: [SIMD2<Double>] { buckets.points }
    /// The coverage bin of each reference sample: ⌊20·(z₀ + 1)/2⌋, i.e. which twentieth of the θ
    /// range [−3π, 3π] its latent came from.
    public let bins: [Int]
    /// Distance beyond which a sample counts as negative space.
    public let tau: Double

    private let buckets: PointBuckets

    private init() {
        let problem = ToyProblem(.spiral)
        let n = Self.referenceCount
        var rng = RandomSource(seed: Self.referenceSeed)
        let samples = problem.sampleTargets(count: n, using: &rng)
        var latentRNG = RandomSource(seed: Self.referenceSeed)
        let latents = problem.sampleLatents(count: n, using: &latentRNG)
        let index = PointBuckets(points: pairs(samples), side: 128)
        buckets = index
        bins = (0..<n).map { r in Self.bin(thetaFraction: (Double(latents[2 * r]) + 1) / 2) }

        var calibrationRNG = RandomSource(seed: Self.calibrationSeed)
        let fresh = problem.sampleTargets(count: Self.calibrationCount, using: &calibrationRNG)
        var distances = pairs(fresh).map { index.nearest(to: $0).distance }
        distances.sort()
        let rank = Int((Double(distances.count) * (1 - Self.calibrationTail)).rounded(.up)) - 1
        tau = distances[Swift.min(Swift.max(rank, 0), distances.count - 1)]
    }

    /// The coverage bin of a position along the θ range, given as a fraction in [0, 1].
    public static func bin(thetaFraction f: Double) -> Int {
        Swift.min(Swift.max(Int(f * Double(binCount)), 0), binCount - 1)
    }

    /// The nearest reference sample to `x` (its index into `points`) and the distance to it;
    /// (−1, +∞) for a non-finite `x`.
    public func nearest(to x: SIMD2<Double>) -> (index: Int, distance: Double) {
        buckets.nearest(to: x)
    }

    /// Whether `x` lies in negative space: farther than τ from every reference sample.
    public func isNegativeSpace(_ x: SIMD2<Double>) -> Bool {
        !(nearest(to: x).distance <= tau)
    }
}

/// Sample metrics of the `spiral` problem (docs/METRICS.md §4, "Spiral").
public struct SpiralMetrics: Sendable, Equatable, Codable {
    /// Number of samples scored, N.
    public var sampleCount: Int
    /// The negative-space distance τ used.
    public var tau: Double
    /// Share of samples farther than τ from the reference set (true samples: ≈ 0.001).
    public var negativeSpace: Double
    /// Number of θ bins.
    public var binCount: Int
    /// Number of bins holding at least one on-target sample.
    public var coveredBins: Int
    /// coveredBins / binCount.
    public var coverage: Double
    /// On-target samples per θ bin.
    public var countPerBin: [Int]

    /// Scores `points` against the reference set.
    ///
    /// Each sample takes the θ bin of its nearest reference sample (the bins are 20 equal parts of
    /// the θ range, i.e. of z₀ in the oracle). Only samples within τ count towards coverage: a
    /// sample in negative space lies in no part of the spiral, just as `modesCovered` only counts
    /// high-quality samples. Non-finite samples are negative space.
    public static func measure(points: [SIMD2<Double>],
                               reference: SpiralReference = .shared) -> SpiralMetrics {
        precondition(!points.isEmpty, "spiral metrics need at least one sample")
        var counts = [Int](repeating: 0, count: SpiralReference.binCount)
        var outside = 0
        for x in points {
            let (index, distance) = reference.nearest(to: x)
            if distance <= reference.tau, index >= 0 {
                counts[reference.bins[index]] += 1
            } else {
                outside += 1
            }
        }
        let covered = counts.filter { $0 > 0 }.count
        return SpiralMetrics(sampleCount: points.count, tau: reference.tau,
                             negativeSpace: Double(outside) / Double(points.count),
                             binCount: SpiralReference.binCount, coveredBins: covered,
                             coverage: Double(covered) / Double(SpiralReference.binCount),
                             countPerBin: counts)
    }
}

/// Flat (x, y) Floats as Double points.
func pairs(_ flat: [Float]) -> [SIMD2<Double>] {
    precondition(flat.count % 2 == 0, "points come as (x, y) pairs")
    return (0..<(flat.count / 2)).map { SIMD2(Double(flat[2 * $0]), Double(flat[2 * $0 + 1])) }
}
