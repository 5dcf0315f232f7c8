#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - The oracle map f: latent → sample

extension ToyProblem {
    /// f(z) for one latent row of `latentDimension` numbers (docs/METRICS.md §1, §3).
    ///
    /// For `eight-gaussians` the component is the argmax of the one-hot part z[2...9].
    /// Cheap enough to call per row: no allocation, a few transcendental functions.
    public func oracle(_ z: UnsafeBufferPointer<Float>) -> SIMD2<Double> {
        precondition(z.count == latentDimension, "oracle expects \(latentDimension) latent numbers")
        guard let row = z.baseAddress else { return .zero }
        return oracle(row: row)
    }

    /// f(z) for one latent given as Doubles (`latentDimension` of them).
    public func oracle(_ z: [Double]) -> SIMD2<Double> {
        precondition(z.count == latentDimension, "oracle expects \(latentDimension) latent numbers")
        var k = 0
        if case .gaussianWithComponent(let components) = prior {
            for j in 1..<components where z[2 + j] > z[2 + k] { k = j }
        }
        return oracle(z[0], z[1], component: k)
    }

    /// Applies f to `count` row-major latent rows, writing `count` × 2 Floats into `samples`.
    public func applyOracle(
        latents: UnsafeBufferPointer<Float>, count: Int, into samples: UnsafeMutableBufferPointer<Float>
    ) {
        let d = latentDimension
        precondition(latents.count >= count * d && samples.count >= count * 2, "buffer too small")
        guard let base = latents.baseAddress else { return }
        for row in 0..<count {
            let x = oracle(row: base + row * d)
            samples[2 * row] = Float(x.x)
            samples[2 * row + 1] = Float(x.y)
        }
    }

    /// f for the two continuous latent numbers (z₀, z₁) and, for `eight-gaussians`, component k.
    ///
    /// - `spiral`: r = 0.05 + 0.90·(z₀+1)/2 + 0.05·z₁, θ = 3π·z₀, x = (r cos θ, r sin θ).
    /// - `eight-gaussians`: x = 0.2·(z₀, z₁) + 2·(cos 2πk/8, sin 2πk/8).
    /// - `uniform-to-normal`: x_i = Φ⁻¹((z_i+1)/2).
    /// - `ring8`, `ring8-pacgan`, `grid25`: a measure-preserving map from N(0, I₂) onto the
    ///   mixture (see `ringMap` and `gridMap`). Such a map must tear: a continuous image of the
    ///   connected plane is connected, and the mixture's modes are (up to negligible tails) not.
    public func oracle(_ z0: Double, _ z1: Double, component k: Int) -> SIMD2<Double> {
        switch kind {
        case .spiral:
            let r = 0.05 + 0.90 * (z0 + 1) / 2 + 0.05 * z1
            let theta = 3 * Double.pi * z0
            return SIMD2(r * cos(theta), r * sin(theta))
        case .eightGaussians:
            return centre(k) + sigma * SIMD2(z0, z1)
        case .uniformToNormal:
            return SIMD2(normalQuantile(clampedUnit((z0 + 1) / 2)),
                         normalQuantile(clampedUnit((z1 + 1) / 2)))
        case .ring8, .ring8PacGAN:
            return ringMap(z0, z1)
        case .grid25:
            return gridMap(z0, z1)
        case .points, .picture:
            preconditionFailure("a file target has no oracle map (check ToyProblem.hasOracle)")
        }
    }

    // MARK: - Preset oracles (Gaussian latent → mixture)

    /// Ring presets: polar coordinates of z pick the mode and the offset.
    ///
    /// With z ~ N(0, I₂) the angle a ∈ [0, 2π) is uniform and independent of |z|, and
    /// u₂ = 1 − exp(−|z|²/2) is U(0, 1) (|z|²/2 ~ Exp(1)). The sector k = ⌊8a/2π⌋ is uniform on
    /// 0..7 and the position within it, u₁ = frac(8a/2π), is U(0, 1) and independent of k. So
    /// n = (Φ⁻¹(u₁), Φ⁻¹(u₂)) ~ N(0, I₂) and x = μ_k + σ·n has exactly the mixture's law.
    ///
    /// The map tears along the 8 sector rays (u₁ jumps from 1 to 0, n₀ from +∞ to −∞, and the mode
    /// changes) and at the origin (u₂ → 0 sends n₁ to −∞). That is unavoidable for any exact
    /// map; it is the known-good reference, not a smooth one.
    @inline(__always)
    func ringMap(_ z0: Double, _ z1: Double) -> SIMD2<Double> {
        let modes = 8
        var angle = atan2(z1, z0)
        if angle < 0 { angle += 2 * Double.pi }
        let t = angle * Double(modes) / (2 * Double.pi)
        let k = min(max(Int(t), 0), modes - 1)
        // On a sector ray itself (a null set, but one the symmetric diagnostics grid hits on its
        // diagonals) u₁ would be 0 and n₀ = Φ⁻¹(0) far out in the tail; keeping u₁ within
        // [10⁻⁷, 1 − 10⁻⁷] bounds |n₀| by 5.2 and changes the law by 2·10⁻⁷ of mass.
        let u1 = min(max(t - Double(k), 1e-7), 1 - 1e-7)
        let u2 = clampedUnit(-expm1(-(z0 * z0 + z1 * z1) / 2))
        return centre(k) + sigma * SIMD2(normalQuantile(u1), normalQuantile(u2))
    }

    /// grid25: each coordinate independently picks a column / row and an offset.
    ///
    /// u = Φ(z₀) is U(0, 1); column i = ⌊5u⌋ is uniform on 0..4 and frac(5u) is U(0, 1) and
    /// independent of i, so n₀ = Φ⁻¹(frac(5u)) ~ N(0, 1); likewise row j and n₁ from z₁. Then
    /// x = μ_ij + σ·n has exactly the mixture's law. The map tears along the 4 + 4 lines
    /// z_i = Φ⁻¹(m/5), m = 1..4, where the cell changes and the offset jumps from +∞ to −∞.
    @inline(__always)
    func gridMap(_ z0: Double, _ z1: Double) -> SIMD2<Double> {
        let (i, n0) = gridCell(z0)
        let (j, n1) = gridCell(z1)
        return centre(5 * j + i) + sigma * SIMD2(n0, n1)
    }

    /// Cell index 0..4 and standard normal offset for one grid coordinate.
    ///
    /// For z > 0 it works with the upper tail q = Φ(−z) = 1 − u, so that cells far out on the
    /// positive side keep as many digits as those on the negative side.
    @inline(__always)
    private func gridCell(_ z: Double) -> (Int, Double) {
        let cells = 5
        if z <= 0 {
            let s = Double(cells) * normalCDF(z)
            let m = min(Int(s), cells - 1)
            return (m, normalQuantile(clampedUnit(s - Double(m))))
        }
        // 5u = 5 − s = (4 − m) + (1 − f): cell 4 − m, offset Φ⁻¹(1 − f) = −Φ⁻¹(f).
        let s = Double(cells) * normalCDF(-z)
        let m = min(Int(s), cells - 1)
        return (cells - 1 - m, -normalQuantile(clampedUnit(s - Double(m))))
    }

    // MARK: - Helpers

    /// The mixture's σ (0 for problems that are not mixtures).
    @inline(__always)
    private var sigma: Double { mixture?.sigma ?? 0 }

    /// Centre k of the mixture (the origin for problems that are not mixtures).
    @inline(__always)
    private func centre(_ k: Int) -> SIMD2<Double> {
        guard let centres = mixture?.centres, centres.indices.contains(k) else { return .zero }
        return centres[k]
    }

    /// f of the `latentDimension` Floats at `z` (unchecked: callers check sizes once).
    ///
    /// The component is the argmax of the one-hot part z[2...] (0 when the prior has none).
    @inline(__always)
    private func oracle(row z: UnsafePointer<Float>) -> SIMD2<Double> {
        var k = 0
        if case .gaussianWithComponent(let components) = prior {
            for j in 1..<components where z[2 + j] > z[2 + k] { k = j }
        }
        return oracle(Double(z[0]), Double(z[1]), component: k)
    }
}

/// Keeps a probability inside [2⁻⁵³, 1 − 2⁻⁵³] so that Φ⁻¹ stays finite (|Φ⁻¹| ≤ 8.3).
@inline(__always)
private func clampedUnit(_ u: Double) -> Double {
    min(max(u, 0x1p-53), 1 - 0x1p-53)
}
