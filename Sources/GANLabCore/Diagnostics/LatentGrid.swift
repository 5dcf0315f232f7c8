/// Helpers for evaluating a generator on regular grids of the latent plane.
///
/// The latent plane of a 2-D prior is (z₀, z₁). For a prior with K components it is the
/// continuous part (n₀, n₁), and there is one plane per component k: the latent row fed to G is
/// (n₀, n₁, one-hot k).
public enum LatentGrid {
    /// The components whose latent planes are drawn: `[0]` for a 2-D prior, else 0..<K.
    public static func components(of prior: LatentPrior) -> [Int] {
        if case .gaussianWithComponent(let k) = prior, k > 0 { return Array(0..<k) }
        return [0]
    }

    /// Full latent rows (prior.dimension numbers each) for `count` plane points `[n₀, n₁, …]`
    /// of component `component`.
    public static func latentRows(plane: [Float], count: Int, prior: LatentPrior, component: Int) -> [Float] {
        let d = prior.dimension
        guard d > 2 else { return plane }
        var rows = [Float](repeating: 0, count: count * d)
        for r in 0..<count {
            rows[r * d] = plane[2 * r]
            rows[r * d + 1] = plane[2 * r + 1]
            rows[r * d + 2 + component] = 1
        }
        return rows
    }
}

extension LatentGrid {
    /// The lattice coordinates along one latent axis, from −extent to extent: the `cells` + 1
    /// grid-line positions, each interval split evenly into `subdivisions`.
    ///
    /// Uniform box: grid lines evenly spaced. Gaussian priors: grid lines evenly spaced in Φ(z)
    /// between Φ(−extent) and Φ(extent), so every grid cell holds the same probability mass and
    /// the lines sit where the colour key's (u, v) = (Φ(z₀), Φ(z₁)) is evenly spaced; the
    /// subdivisions stay even in z, so the wide outer cells are still sampled finely.
    public static func nodeCoordinates(prior: LatentPrior, extent: Double, cells: Int, subdivisions: Int) -> [Double] {
        precondition(cells >= 1 && subdivisions >= 1, "an axis needs at least one cell and subdivision")
        let t = (0...cells).map { Double($0) / Double(cells) }
        var lines: [Double]
        if prior == .uniformBox {
            lines = t.map { -extent + 2 * extent * $0 }
        } else {
            let lo = normalCDF(-extent), hi = normalCDF(extent)
            lines = t.map { normalQuantile(lo + (hi - lo) * $0) }
        }
        lines[0] = -extent
        lines[cells] = extent
        var coordinates: [Double] = []
        for c in 0..<cells {
            for s in 0..<subdivisions {
                coordinates.append(lines[c] + (lines[c + 1] - lines[c]) * Double(s) / Double(subdivisions))
            }
        }
        coordinates.append(extent)
        return coordinates
    }

    /// The prior's marginal probability of each interval between consecutive `coordinates`.
    public static func intervalMass(prior: LatentPrior, coordinates: [Double]) -> [Double] {
        let cdf: (Double) -> Double = prior == .uniformBox ? { min(max(($0 + 1) / 2, 0), 1) } : { normalCDF($0) }
        return zip(coordinates, coordinates.dropFirst()).map { cdf($1) - cdf($0) }
    }

    /// The plane points (z₀, z₁) of the lattice `coordinates` × `coordinates`, flat, row j at z₁ = c_j.
    public static func latticePoints(_ coordinates: [Double]) -> [Float] {
        var points: [Float] = []
        points.reserveCapacity(2 * coordinates.count * coordinates.count)
        for y in coordinates {
            for x in coordinates { points += [Float(x), Float(y)] }
        }
        return points
    }

    /// The fractional index of `value` among ascending `coordinates` (clamped to the ends).
    public static func fractionalIndex(of value: Double, in coordinates: [Double]) -> Double {
        guard value > coordinates[0] else { return 0 }
        guard value < coordinates[coordinates.count - 1] else { return Double(coordinates.count - 1) }
        var lo = 0, hi = coordinates.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if coordinates[mid] <= value { lo = mid } else { hi = mid }
        }
        return Double(lo) + (value - coordinates[lo]) / (coordinates[hi] - coordinates[lo])
    }

    /// The coordinate at a fractional index (linear between nodes).
    public static func coordinate(atFractionalIndex a: Double, in coordinates: [Double]) -> Double {
        let i = min(max(Int(a), 0), coordinates.count - 2)
        return coordinates[i] + (a - Double(i)) * (coordinates[i + 1] - coordinates[i])
    }
}
