/// The 2 × 2 Jacobian J(z) = ∂G/∂z of a map from the latent plane to the sample plane (docs/METRICS.md §4).
///
/// Stored by columns: `dz0` = ∂G/∂z₀ and `dz1` = ∂G/∂z₁, so J = [dz0 dz1].
public struct Jacobian: Sendable, Equatable, Codable {
    /// ∂G/∂z₀, the first column.
    public var dz0: SIMD2<Double>
    /// ∂G/∂z₁, the second column.
    public var dz1: SIMD2<Double>

    /// A Jacobian from its two columns.
    public init(dz0: SIMD2<Double>, dz1: SIMD2<Double>) {
        self.dz0 = dz0
        self.dz1 = dz1
    }

    /// det J = ∂x/∂z₀·∂y/∂z₁ − ∂y/∂z₀·∂x/∂z₁: the signed area scale. A negative sign means the
    /// map reverses orientation there; where the sign differs from the majority, the map is folded.
    public var determinant: Double { dz0.x * dz1.y - dz0.y * dz1.x }

    /// ‖J‖_F = √(Σ J_ab²).
    public var frobeniusNorm: Double { frobeniusSquared.squareRoot() }

    /// ‖J‖_F².
    public var frobeniusSquared: Double { (dz0 * dz0).sum() + (dz1 * dz1).sum() }

    /// The largest singular value σ_max, the local Lipschitz constant.
    ///
    /// For a 2 × 2 matrix the singular values satisfy σ₁² + σ₂² = ‖J‖_F² and σ₁σ₂ = |det J|, so
    /// σ_max² = (‖J‖_F² + √(‖J‖_F⁴ − 4·det²))/2 (docs/METRICS.md §4). The discriminant is ≥ 0 in exact
    /// arithmetic; rounding can make it slightly negative for a conformal J, hence the clamp.
    public var largestSingularValue: Double {
        let f2 = frobeniusSquared, det = determinant
        let discriminant = max(0, f2 * f2 - 4 * det * det)
        return ((f2 + discriminant.squareRoot()) / 2).squareRoot()
    }
}

// MARK: - Summaries

/// Median, 95th percentile and maximum of a quantity over the latent grid.
public struct QuantileSummary: Sendable, Equatable, Codable {
    /// The (mass-weighted) median.
    public var median: Double
    /// The (mass-weighted) 95th percentile.
    public var p95: Double
    /// The largest value on the grid (not weighted: a single grid point decides it).
    public var max: Double

    /// A summary from its three numbers.
    public init(median: Double, p95: Double, max: Double) {
        self.median = median
        self.p95 = p95
        self.max = max
    }

    /// Summarises `values` with each value weighted by `weights` (latent mass).
    ///
    /// The weighted q-quantile is the smallest value whose cumulative weight reaches q of the
    /// total: with a Gaussian latent the far corners of the grid carry almost no mass and hardly
    /// move the median, as they hardly matter to the samples. Non-finite values are skipped; with
    /// none left all three numbers are 0.
    public init(values: [Double], weights: [Double]) {
        precondition(values.count == weights.count, "one weight per value")
        var pairs: [(value: Double, weight: Double)] = []
        pairs.reserveCapacity(values.count)
        for (v, w) in zip(values, weights) where v.isFinite { pairs.append((v, w)) }
        guard let largest = pairs.map(\.value).max() else {
            self.init(median: 0, p95: 0, max: 0)
            return
        }
        pairs.sort { $0.value < $1.value }
        func quantile(_ q: Double) -> Double { Quantile.weighted(q, sorted: pairs) ?? largest }
        self.init(median: quantile(0.5), p95: quantile(0.95), max: largest)
    }
}
