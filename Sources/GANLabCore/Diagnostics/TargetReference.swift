import GANLabEngine
import Synchronization

/// The held-out reference set a file target's samples are scored against (docs/METRICS.md §6,
/// "Negative space of a file target"), with its nearest-neighbour index and the calibrated
/// negative-space distance τ: the spiral's construction (`SpiralReference`) applied to any target.
///
/// - Points: the points are split in two halves by a fixed shuffle. The reference is
///   `referenceCount` draws from the first half (weights and jitter as in training), τ the
///   99.9th percentile of the nearest-reference distance of `calibrationCount` draws from the
///   second, held-out half. So τ is how far a new point of the data typically lies from the rest:
///   held-out samples score 0.1 %, true samples (half of them from the reference half) about
///   0.05 %, and a generator that copies the reference points exactly scores 0.
/// - Pictures: reference and calibration are independent draws from the whole picture, so true
///   samples score 0.1 %.
public struct TargetReference: Sendable {
    /// Number of reference samples.
    public static let referenceCount = SpiralReference.referenceCount
    /// Number of held-out samples τ is calibrated on.
    public static let calibrationCount = SpiralReference.calibrationCount
    /// Share of held-out samples that score as negative space.
    public static let calibrationTail = SpiralReference.calibrationTail
    /// Seeds of the split, the reference draws and the calibration draws.
    static let splitSeed: UInt64 = 5_917, referenceSeed: UInt64 = 20_000, calibrationSeed: UInt64 = 99_900

    /// Distance beyond which a sample counts as negative space.
    public let tau: Double
    private let buckets: PointBuckets

    /// The reference of `target`.
    init(target: FileTarget) {
        var reference = [Bool](repeating: true, count: target.atomCount)
        if target.kind == .points {
            var order = Array(0..<target.atomCount)
            var rng = RandomSource(seed: Self.splitSeed)
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, rng.nextInt(below: i + 1))
            }
            for position in (order.count + 1) / 2 ..< order.count { reference[order[position]] = false }
        }
        var referenceTable = target.cumulative, heldOutTable = target.cumulative
        if target.kind == .points {
            referenceTable = target.cumulativeWeights { reference[$0] }
            heldOutTable = target.cumulativeWeights { !reference[$0] }
            // A half whose atoms all weigh 0 cannot be drawn from; use the whole set for it.
            if !(referenceTable.last ?? .nan).isFinite { referenceTable = target.cumulative }
            if !(heldOutTable.last ?? .nan).isFinite { heldOutTable = target.cumulative }
        }
        func draws(_ count: Int, seed: UInt64, table: [Double]) -> [SIMD2<Double>] {
            var rng = RandomSource(seed: seed)
            return (0..<count).map { _ in
                target.place(FileTarget.index(of: rng.nextUnitDouble(), in: table), using: &rng)
            }
        }
        let index = PointBuckets(points: draws(Self.referenceCount, seed: Self.referenceSeed, table: referenceTable),
                                 side: 128)
        buckets = index
        var distances = draws(Self.calibrationCount, seed: Self.calibrationSeed, table: heldOutTable)
            .map { index.nearest(to: $0).distance }
        distances.sort()
        let rank = Int((Double(distances.count) * (1 - Self.calibrationTail)).rounded(.up)) - 1
        tau = distances[Swift.min(Swift.max(rank, 0), distances.count - 1)]
    }

    /// The reference samples.
    public var points: [SIMD2<Double>] { buckets.points }

    /// The nearest reference sample to `x` (index, distance); (−1, +∞) for a non-finite `x`.
    public func nearest(to x: SIMD2<Double>) -> (index: Int, distance: Double) {
        buckets.nearest(to: x)
    }
}

/// Negative space of samples of a file target against its `TargetReference`.
public struct ReferenceMetrics: Sendable, Equatable, Codable {
    /// Number of samples scored, N.
    public var sampleCount: Int
    /// The negative-space distance τ used.
    public var tau: Double
    /// Share of samples farther than τ from the reference set (non-finite samples included).
    public var negativeSpace: Double

    /// Scores `points` (at least one) against `reference`.
    public static func measure(points: [SIMD2<Double>], reference: TargetReference) -> ReferenceMetrics {
        precondition(!points.isEmpty, "reference metrics need at least one sample")
        let outside = points.filter { !(reference.nearest(to: $0).distance <= reference.tau) }.count
        return ReferenceMetrics(sampleCount: points.count, tau: reference.tau,
                                negativeSpace: Double(outside) / Double(points.count))
    }
}

// MARK: - Precision, recall, density, coverage

/// The true samples X precision, recall, density and coverage are measured against
/// (docs/METRICS.md §6), and the four metrics of fresh true samples against it: their noise floor.
///
/// X is `count` draws of the target's own sampler (seed `seed`); the noise floor scores another
/// `count` draws (seed `floorSeed`). Built-in problems share one reference per problem
/// (`shared(for:)`); a file target keeps its own (`FileTarget.manifoldReference`).
public struct ManifoldReference: Sendable {
    /// Size of X and of the noise-floor sample (the PacGAN protocol's N = 2,500).
    public static let count = 2_500
    /// Seeds of X and of the noise-floor sample.
    public static let seed: UInt64 = 25_000, floorSeed: UInt64 = 25_001

    /// X, flat (x, y) pairs.
    public let points: [Float]
    /// The metrics of `count` fresh true samples against X.
    public let noiseFloor: ManifoldMetrics

    /// The reference of `problem`.
    public init(problem: ToyProblem) {
        var rng = RandomSource(seed: Self.seed)
        points = problem.sampleTargets(count: Self.count, using: &rng)
        var floorRNG = RandomSource(seed: Self.floorSeed)
        noiseFloor = ManifoldMetrics(reference: points, generated: problem.sampleTargets(count: Self.count, using: &floorRNG))
    }

    private static let cache = Mutex<[ProblemKind: ManifoldReference]>([:])

    /// The reference of a problem: built once per built-in problem and kept, or the file target's own.
    public static func of(_ problem: ToyProblem) -> ManifoldReference {
        if let file = problem.file { return file.manifoldReference }
        if let known = cache.withLock({ $0[problem.kind] }) { return known }
        let made = ManifoldReference(problem: problem)
        cache.withLock { $0[problem.kind] = made }
        return made
    }
}
