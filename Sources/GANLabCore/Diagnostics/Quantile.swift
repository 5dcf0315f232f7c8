/// Medians and weighted quantiles: the one implementation the diagnostics and the views share.
public enum Quantile {
    /// The median of `values` (mean of the two middle values for an even count; 0 when empty).
    /// NaN counts as +∞, so a non-finite value sorts last instead of breaking the sort.
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.map { $0.isNaN ? Double.infinity : $0 }.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// The weighted q-quantile of (value, weight) pairs sorted ascending by value: the first value
    /// at which the running weight reaches q of the total weight; nil when there are no pairs.
    ///
    /// With latent mass as the weight, the far corners of a Gaussian latent's grid hardly move
    /// a quantile, as they hardly matter to the samples.
    public static func weighted(_ q: Double, sorted pairs: [(value: Double, weight: Double)]) -> Double? {
        let total = pairs.reduce(0) { $0 + $1.weight }
        var running = 0.0
        for pair in pairs {
            running += pair.weight
            if running >= q * total { return pair.value }
        }
        return pairs.last?.value
    }
}
