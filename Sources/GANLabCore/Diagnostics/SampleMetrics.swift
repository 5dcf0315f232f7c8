#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Metrics of a set of generated samples (docs/METRICS.md §4): whichever of the mixture, spiral and
/// normality metrics apply to the problem.
public struct SampleMetrics: Sendable, Equatable, Codable {
    /// Number of samples scored, N.
    public var sampleCount: Int
    /// Mode metrics, for `eight-gaussians`, `ring8`, `ring8-pacgan` and `grid25`.
    public var mixture: MixtureMetrics?
    /// Negative space and coverage, for `spiral`.
    public var spiral: SpiralMetrics?
    /// Kolmogorov–Smirnov and tail tests, for `uniform-to-normal`.
    public var normality: NormalityMetrics?
    /// Negative space against the held-out reference set, for file targets (`points`, `picture`).
    public var reference: ReferenceMetrics?
    /// Precision, recall, density and coverage against the problem's `ManifoldReference`, for
    /// every problem (nil only in reports read from files written without them).
    public var manifold: ManifoldMetrics?

    /// Scores `points` (at least one) as samples of `problem`'s target.
    public static func measure(problem: ToyProblem, points: [SIMD2<Double>]) -> SampleMetrics {
        var metrics = SampleMetrics(sampleCount: points.count)
        switch problem.kind {
        case .spiral:
            metrics.spiral = SpiralMetrics.measure(points: points)
        case .uniformToNormal:
            metrics.normality = NormalityMetrics.measure(points: points)
        case .eightGaussians, .ring8, .ring8PacGAN, .grid25:
            if let mixture = problem.mixture {
                metrics.mixture = MixtureMetrics.measure(
                    points: points, mixture: mixture,
                    negativeSpaceThreshold: MixtureMetrics.negativeSpaceThreshold(for: problem.kind))
            }
        case .points, .picture:
            if let file = problem.file {
                metrics.reference = ReferenceMetrics.measure(points: points, reference: file.reference)
            }
        }
        metrics.manifold = ManifoldMetrics(reference: ManifoldReference.of(problem).points, generated: points)
        return metrics
    }

    /// Scores flat (x, y) Float pairs, as generators return them.
    public static func measure(problem: ToyProblem, points: [Float]) -> SampleMetrics {
        measure(problem: problem, points: pairs(points))
    }
}

// MARK: - Mixtures

/// Mode metrics of a Gaussian mixture target (docs/METRICS.md §4, "Mixtures"; PacGAN's protocol).
///
/// Each sample x has a nearest mode j*(x) = argmin_j ‖x − μ_j‖ and a normalised distance
/// d(x) = ‖x − μ_j*‖/σ. It is high quality (HQ) when d ≤ 3 and negative space when d > t.
/// Non-finite samples have d = +∞ and no mode.
public struct MixtureMetrics: Sendable, Equatable, Codable {
    /// Number of samples scored, N.
    public var sampleCount: Int
    /// Number of modes, K.
    public var modeCount: Int
    /// HQ samples / N (true samples: 1 − e^{−4.5} = 0.9889).
    public var hqFraction: Double
    /// Modes that are j* of at least one HQ sample (the literature's count).
    public var modesCovered: Int
    /// Modes with at least 20 % of N/K HQ samples.
    public var strictModesCovered: Int
    /// log K − H(p̂), p̂_j = HQ count of mode j / HQ count (natural log, 0·log 0 = 0).
    ///
    /// With no HQ sample p̂ does not exist; the metric is then log K, the largest value it can
    /// take (all mass on one mode): nothing on target is scored at least as badly as full
    /// collapse, and the number stays finite for CSV and JSON.
    public var reverseKL: Double
    /// Share of samples with d > t (`negativeSpaceThreshold`).
    public var negativeSpace: Double
    /// The threshold t in σ units: 6 for `ring8*` and `grid25`, 3 for `eight-gaussians`.
    public var negativeSpaceThreshold: Double
    /// The covered modes (ascending), for mode hopping.
    public var coveredModes: [Int]
    /// HQ samples per mode.
    public var hqCountPerMode: [Int]
    /// Finite samples per nearest mode, HQ or not.
    public var countPerMode: [Int]

    /// t for a problem (docs/METRICS.md §4): 3 for the wide `eight-gaussians` modes (σ = 0.2; a perfect
    /// generator then gives 1.1 %), 6 for the narrow ones (a perfect generator gives ≈ 1.5·10⁻⁸).
    public static func negativeSpaceThreshold(for kind: ProblemKind) -> Double {
        precondition(!kind.isFileTarget, "file targets are scored against their reference set, not a mixture")
        return kind == .eightGaussians ? 3 : 6
    }

    /// Scores `points` (at least one) against `mixture`.
    public static func measure(points: [SIMD2<Double>], mixture: Mixture,
                               negativeSpaceThreshold t: Double) -> MixtureMetrics {
        precondition(!points.isEmpty, "mixture metrics need at least one sample")
        let k = mixture.centres.count
        var hq = [Int](repeating: 0, count: k)
        var nearest = [Int](repeating: 0, count: k)
        var negative = 0
        for x in points {
            let (mode, d) = mixture.assign(x)
            if mode >= 0 { nearest[mode] += 1 }
            if d <= 3, mode >= 0 { hq[mode] += 1 }
            if !(d <= t) { negative += 1 }
        }
        let n = Double(points.count)
        let hqTotal = hq.reduce(0, +)
        let covered = (0..<k).filter { hq[$0] > 0 }
        let strictMinimum = 0.2 * n / Double(k)
        return MixtureMetrics(
            sampleCount: points.count, modeCount: k,
            hqFraction: Double(hqTotal) / n,
            modesCovered: covered.count,
            strictModesCovered: hq.filter { Double($0) >= strictMinimum }.count,
            reverseKL: reverseKL(counts: hq),
            negativeSpace: Double(negative) / n,
            negativeSpaceThreshold: t,
            coveredModes: covered, hqCountPerMode: hq, countPerMode: nearest)
    }

    /// KL(p̂ ‖ uniform) = log K − H(p̂) for the empirical distribution of `counts` (log K when all
    /// counts are 0; see `reverseKL`).
    public static func reverseKL(counts: [Int]) -> Double {
        let logK = log(Double(counts.count))
        let total = Double(counts.reduce(0, +))
        guard total > 0 else { return logK }
        var entropy = 0.0
        for c in counts where c > 0 {
            let p = Double(c) / total
            entropy -= p * log(p)
        }
        return Swift.max(0, logK - entropy)
    }
}

extension Mixture {
    /// The nearest mode j* and the normalised distance d = ‖x − μ_j*‖/σ; (−1, +∞) for a non-finite x.
    public func assign(_ x: SIMD2<Double>) -> (mode: Int, distance: Double) {
        guard x.x.isFinite && x.y.isFinite else { return (-1, .infinity) }
        let j = nearestCentre(to: x)
        let offset = x - centres[j]
        return (j, (offset * offset).sum().squareRoot() / sigma)
    }
}
