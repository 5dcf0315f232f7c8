import Foundation
import GANLabCore

/// A symmetric logarithmic scale for signed quantities spanning decades (det J): linear within
/// ±`threshold`, logarithmic beyond, mapped onto 0...1 with 0 at ½.
///
/// u(v) = sign(v)·log(1 + |v|/c) / log(1 + M/c), position = (1 + u)/2, clamped; c = `threshold`,
/// M = `limit`. Values with |v| ≫ c are spaced by their logarithm, values near 0 linearly, and
/// both signs share one scale so equal magnitudes get equally strong colours.
public struct SymmetricLogScale: Sendable, Equatable {
    /// The linear threshold c > 0.
    public var threshold: Double
    /// The magnitude M > c at the ends of the scale.
    public var limit: Double

    /// A scale linear within ±threshold and ending at ±limit.
    public init(threshold: Double, limit: Double) {
        precondition(threshold > 0 && limit > threshold, "a symmetric log scale needs 0 < threshold < limit")
        self.threshold = threshold
        self.limit = limit
    }

    /// A scale for `magnitudes` (|v|, with their weights): the limit is the decade at or above
    /// the weighted 99th percentile, the threshold a decade below the median (at least 10⁻⁴ of
    /// the limit), both powers of ten so the ticks read plainly.
    public static func fitting(magnitudes: [Double], weights: [Double]) -> SymmetricLogScale {
        var pairs: [(value: Double, weight: Double)] = zip(magnitudes, weights).filter { $0.0.isFinite && $0.0 > 0 }
            .map { (value: $0.0, weight: $0.1) }
        pairs.sort { $0.value < $1.value }
        func quantile(_ q: Double) -> Double { Quantile.weighted(q, sorted: pairs) ?? 1 }
        guard !pairs.isEmpty else { return SymmetricLogScale(threshold: 0.01, limit: 1) }
        let limit = pow(10, log10(quantile(0.99)).rounded(.up))
        let threshold = max(pow(10, log10(quantile(0.5)).rounded(.down) - 1), limit * 1e-4)
        return SymmetricLogScale(threshold: threshold, limit: max(limit, threshold * 10))
    }

    /// Position 0...1 of `value` (0 at −limit, ½ at 0, 1 at +limit; NaN at ½).
    public func position(of value: Double) -> Double {
        guard !value.isNaN else { return 0.5 }
        let u = log1p(abs(value) / threshold) / log1p(limit / threshold)
        return min(max(0.5 + 0.5 * (value < 0 ? -u : u), 0), 1)
    }

    /// Ticks for a colour bar in position units: 0, and ±10ᵏ from the threshold to the limit
    /// (at most four per side), labelled with the value.
    public var ticks: [(value: Double, label: String)] {
        let first = Int(log10(threshold).rounded()), last = Int(log10(limit).rounded())
        var decades = Array(first...max(first, last))
        let every = (decades.count + 3) / 4
        decades = decades.reversed().enumerated().filter { $0.offset % every == 0 }.map(\.element)
        var ticks: [(Double, String)] = [(position(of: 0), "0")]
        // A decade closer than 7 % of the bar to 0 would print on top of the 0 label.
        for k in decades where position(of: pow(10, Double(k))) - 0.5 >= 0.07 {
            let v = pow(10, Double(k))
            ticks.append((position(of: v), AxisTicks.logLabel(v)))
            ticks.append((position(of: -v), "−" + AxisTicks.logLabel(v)))
        }
        return ticks
    }
}
