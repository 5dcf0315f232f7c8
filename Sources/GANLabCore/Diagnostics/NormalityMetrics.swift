#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How close samples are to N(0, I₂): the `uniform-to-normal` metrics (docs/METRICS.md §4).
///
/// Kolmogorov–Smirnov statistics D = sup_x |F̂ₙ(x) − F(x)| for each marginal against Φ, for the
/// squared radius r² = x₁² + x₂² against its law under N(0, I₂) (χ²₂, CDF 1 − e^{−r²/2}), and for
/// the angle atan2(x₂, x₁)/2π mod 1 against U(0, 1). KS is insensitive in the tails, so the tail
/// masses are reported too: a generator that never goes past |x| = 2.5 passes KS but shows 0 % here.
/// Non-finite samples count as +∞ (they sit above every finite value).
public struct NormalityMetrics: Sendable, Equatable, Codable {
    /// Number of samples scored, N.
    public var sampleCount: Int
    /// KS D of x₀ against Φ.
    public var ksX0: Double
    /// KS D of x₁ against Φ.
    public var ksX1: Double
    /// The 5 % critical value 1.358/√N (asymptotic Kolmogorov distribution).
    public var ksThreshold: Double
    /// Both marginal statistics at or below `ksThreshold`.
    public var marginalsPass: Bool
    /// KS D of r² against 1 − e^{−r²/2} (perfect, N = 2,500: ≈ 0.017).
    public var radialKS: Double
    /// KS D of atan2(x₁, x₀)/2π mod 1 against U(0, 1).
    public var angularKS: Double
    /// Share of samples with r² > 9.21 (the 99th percentile of χ²₂: expected 0.01).
    public var radialTailMass: Double
    /// Share with |x₀| > 2.576 (the two-sided 1 % point of N(0, 1): expected 0.01).
    public var tailMassX0: Double
    /// Share with |x₁| > 2.576 (expected 0.01).
    public var tailMassX1: Double

    /// r² beyond which 1 % of a standard 2-D normal lies (−2·log 0.01 = 9.2103).
    public static let radialTailThreshold = 9.21
    /// |x| beyond which 1 % of a standard 1-D normal lies (Φ⁻¹(0.995) = 2.5758).
    public static let marginalTailThreshold = 2.576

    /// Scores `points` (at least one) against N(0, I₂).
    public static func measure(points: [SIMD2<Double>]) -> NormalityMetrics {
        precondition(!points.isEmpty, "normality metrics need at least one sample")
        let n = Double(points.count)
        let x0 = points.map { finiteOrInfinity($0.x) }
        let x1 = points.map { finiteOrInfinity($0.y) }
        let r2 = points.map { finiteOrInfinity(($0 * $0).sum()) }
        let angles = points.map { p -> Double in
            guard p.x.isFinite && p.y.isFinite else { return .infinity }
            let u = atan2(p.y, p.x) / (2 * Double.pi)
            return u < 0 ? u + 1 : u
        }
        let ks0 = ksStatistic(x0, cdf: normalCDF)
        let ks1 = ksStatistic(x1, cdf: normalCDF)
        let threshold = ksThreshold(sampleCount: points.count)
        func share(_ values: [Double], above t: Double) -> Double {
            Double(values.filter { $0 > t }.count) / n
        }
        return NormalityMetrics(
            sampleCount: points.count, ksX0: ks0, ksX1: ks1, ksThreshold: threshold,
            marginalsPass: ks0 <= threshold && ks1 <= threshold,
            radialKS: ksStatistic(r2) { -expm1(-$0 / 2) },
            angularKS: ksStatistic(angles) { Swift.min(Swift.max($0, 0), 1) },
            radialTailMass: share(r2, above: radialTailThreshold),
            tailMassX0: share(x0.map(abs), above: marginalTailThreshold),
            tailMassX1: share(x1.map(abs), above: marginalTailThreshold))
    }

    /// The 5 % critical value of the one-sample KS statistic, 1.358/√n.
    public static func ksThreshold(sampleCount n: Int) -> Double {
        1.358 / Double(n).squareRoot()
    }

    /// The one-sample KS statistic D = sup |F̂ₙ − F| of `values` against the CDF `cdf`.
    ///
    /// With the values sorted, x₍₁₎ ≤ … ≤ x₍ₙ₎, the supremum is attained at a sample:
    /// D = max_i max(i/n − F(x₍ᵢ₎), F(x₍ᵢ₎) − (i − 1)/n).
    public static func ksStatistic(_ values: [Double], cdf: (Double) -> Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.map(finiteOrInfinity).sorted()
        let n = Double(sorted.count)
        var d = 0.0
        for (i, x) in sorted.enumerated() {
            let f = x == .infinity ? 1 : cdf(x)
            d = Swift.max(d, Double(i + 1) / n - f, f - Double(i) / n)
        }
        return d
    }
}

/// NaN as +∞ (a sortable stand-in for a value that is off every scale); other values unchanged.
@inline(__always)
func finiteOrInfinity(_ x: Double) -> Double { x.isNaN ? .infinity : x }
