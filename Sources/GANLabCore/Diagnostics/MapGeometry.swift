/// How `MapGeometry` gets the Jacobian J(z) at each grid point (docs/METRICS.md §4.4 allows "analytic
/// through the network or central differences with h = 1e-3").
///
/// The default (`preferred(for:)`) is `.exact` for a network and `.gridDifferences` for a map known
/// only by its values (the oracles, test maps).
public enum JacobianMethod: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The network's own Jacobian by forward mode (`LatentMap.jacobianColumns`): two tangents pushed
    /// through the layers, exact up to Float rounding, at the cost of about two more forward passes.
    /// It does not depend on the grid spacing.
    case exact
    /// Central differences between the neighbouring grid points, (G(z + h·e) − G(z − h·e))/2h with
    /// h the grid spacing (one-sided at the box edge). Free: it reuses the grid evaluation. For the
    /// piecewise-linear LeakyReLU networks it is the Jacobian averaged over a 2h window, so it
    /// depends on the grid. A difference never spans a discontinuity: next to one the one-sided
    /// difference on the point's own side is used (a jump is not a derivative; across the ring8
    /// oracle's tears the straddling quotient has an arbitrary sign and would read as a fold). The
    /// tear's steepness is reported as `maxStretch` instead.
    case gridDifferences
    /// Central differences with a fixed latent step, h = 1e-3 of docs/METRICS.md §4.4: four more batched map
    /// evaluations. The step actually taken is the difference of the two Float latents, so the
    /// Float rounding of z ± h does not bias the quotient.
    case centralDifferences(step: Double)

    /// The docs/METRICS.md §4 step for `centralDifferences`.
    public static let specStep = 1e-3

    /// `.exact` when `map` gives its Jacobian, else `.gridDifferences`.
    public static func preferred(for map: LatentMap) -> JacobianMethod {
        map.jacobianColumns == nil ? .gridDifferences : .exact
    }

    /// "exact", "grid" or "central(h=…)", as written into reports.
    public var description: String {
        switch self {
        case .exact: return "exact"
        case .gridDifferences: return "grid"
        case .centralDifferences(let step): return "central(h=\(step))"
        }
    }
}

/// The measured geometry of a generator on one latent plane (docs/METRICS.md §4, "Map geometry").
///
/// One plane per problem, except `eight-gaussians`, whose latent is eight planes: one for each
/// component k, over (n₀, n₁) with the one-hot fixed (`MapGeometry.measurePlanes`). Arrays are
/// indexed like the grid points (`LatentCellGrid.index`).
public struct MapGeometry: Sendable {
    /// The latent grid.
    public let grid: LatentCellGrid
    /// The `eight-gaussians` component this plane belongs to (nil for the other problems).
    public let component: Int?
    /// The prior mass of each grid cell, normalised to 1 over the plane.
    public let masses: [Double]
    /// G at each grid point.
    public let values: [SIMD2<Double>]
    /// J at each grid point.
    public let jacobians: [Jacobian]
    /// How the Jacobians were estimated.
    public let jacobianMethod: JacobianMethod
    /// Median stretch of the edges along z₀ (x) and along z₁ (y).
    public let medianStretch: SIMD2<Double>
    /// What counts as a tear.
    public let tearCriterion: TearCriterion
    /// The tear band, its mass and length, the jump edges and the tear lines to draw.
    public let tears: TearBand
    /// The jump edges (unresolved tears), for drawing.
    public var tearEdges: [TearEdge] { tears.jumpEdges }
    /// Latent mass of the tear band (share of the plane's mass).
    public var tearMass: Double { tears.mass }
    /// Prior-weighted latent length of the tears (band and jump lines).
    public var tearLength: Double { tears.length }
    /// +1 or −1: the sign of det J carrying the larger mass.
    public let majorityOrientation: Int
    /// Latent mass where sign(det J) differs from `majorityOrientation`.
    public let foldedFraction: Double
    /// L̂ = max σ_max over the grid.
    public let lipschitz: Double
    /// The largest edge stretch ‖G(z + h·e) − G(z)‖/h, jumps included (edges with a
    /// non-finite end skipped): a lower bound on the Lipschitz constant of any continuous map
    /// through these grid values.
    public let maxStretch: Double
    /// Whether the problem's target has negative space (every problem but `uniform-to-normal`).
    public let hasNegativeSpace: Bool
    /// Which mode each latent cell lands in, for mixture problems (nil otherwise).
    public let partition: ModePartition?

    /// `foldedFraction` above this is flagged (docs/METRICS.md §4: 1 %).
    public static let foldedFlagLevel = 0.01

    /// Whether the folded fraction is above 1 %.
    public var isFolded: Bool { foldedFraction > Self.foldedFlagLevel }

    /// Measures `map` on `grid` (for `eight-gaussians`, on the plane of `component`).
    ///
    /// The map is called once with all grid points (plus once with the 4·size² shifted points for
    /// `.centralDifferences`). `tears` defaults to `TearCriterion(problem:)`.
    public static func measure(problem: ToyProblem, map: LatentMap, grid: LatentCellGrid,
                               component: Int? = nil, jacobian requested: JacobianMethod? = nil,
                               tears: TearCriterion? = nil) -> MapGeometry {
        let dimension = problem.latentDimension
        let jacobian = requested ?? JacobianMethod.preferred(for: map)
        let rows = grid.latentRows(dimension: dimension, component: component)
        var exact: (outputs: [Float], dx0: [Float], dx1: [Float])?
        if jacobian == .exact {
            guard let columns = map.jacobianColumns else { preconditionFailure("exact Jacobians need a map that gives them") }
            exact = columns(rows, grid.pointCount)
        }
        let values = pairs(exact?.outputs ?? map(rows, grid.pointCount))
        precondition(values.count == grid.pointCount,
                     "the map returned \(values.count) points for \(grid.pointCount) latents")
        let masses = grid.cellMasses()
        let support = TargetSupport(problem: problem)
        let criterion = tears ?? TearCriterion(problem: problem)
        let jumpScan = JumpScan(grid: grid, values: values)
        let jacobians: [Jacobian]
        switch jacobian {
        case .exact:
            let dx0 = pairs(exact?.dx0 ?? []), dx1 = pairs(exact?.dx1 ?? [])
            jacobians = zip(dx0, dx1).map { Jacobian(dz0: $0, dz1: $1) }
        case .gridDifferences:
            jacobians = gridJacobians(grid: grid, values: values,
                                      torn: jumpScan.discontinuities(grid: grid, values: values,
                                                                     jumpScale: criterion.jumpScale, support: support))
        case .centralDifferences(let step):
            jacobians = centralJacobians(grid: grid, map: map, dimension: dimension, component: component, step: step)
        }
        var positive = 0.0, negative = 0.0, lipschitz = 0.0
        for (J, m) in zip(jacobians, masses) {
            let det = J.determinant
            if det > 0 { positive += m } else if det < 0 { negative += m }
            let s = J.largestSingularValue
            if s.isFinite { lipschitz = Swift.max(lipschitz, s) }
        }
        let total = masses.reduce(0, +)
        let excess = values.map(support.offTargetExcess)
        let band = TearBand(grid: grid, values: values, jacobians: jacobians, masses: masses, excess: excess,
                            criterion: criterion, jumps: jumpScan, support: support)
        return MapGeometry(
            grid: grid, component: component, masses: masses, values: values, jacobians: jacobians,
            jacobianMethod: jacobian, medianStretch: jumpScan.medianStretch, tearCriterion: criterion,
            tears: band, majorityOrientation: positive >= negative ? 1 : -1,
            foldedFraction: Swift.min(positive, negative) / total, lipschitz: lipschitz,
            maxStretch: jumpScan.maxStretch, hasNegativeSpace: support.hasNegativeSpace,
            partition: support.mixture.map { ModePartition(grid: grid, values: values, masses: masses,
                                                           mixture: $0.mixture, threshold: $0.threshold) })
    }

    /// Measures every latent plane of `problem`: one grid, or eight for `eight-gaussians`.
    public static func measurePlanes(problem: ToyProblem, map: LatentMap, gridSize: Int = 256,
                                     jacobian: JacobianMethod? = nil,
                                     tears: TearCriterion? = nil) -> [MapGeometry] {
        let grid = LatentCellGrid(problem: problem, size: gridSize)
        if case .gaussianWithComponent(let components) = problem.prior {
            return (0..<components).map {
                measure(problem: problem, map: map, grid: grid, component: $0, jacobian: jacobian, tears: tears)
            }
        }
        return [measure(problem: problem, map: map, grid: grid, jacobian: jacobian, tears: tears)]
    }

    // MARK: - Jacobians

    /// Central differences between neighbouring grid points; one-sided on the box edge and next to
    /// a discontinuity (`torn[axis][edge]`, indexed as in `JumpScan`). A point with torn edges on both
    /// sides along an axis (a one-cell sliver) keeps the central difference: there is no piece to
    /// differentiate within.
    static func gridJacobians(grid: LatentCellGrid, values: [SIMD2<Double>], torn: [[Bool]]) -> [Jacobian] {
        let n = grid.size, h = grid.spacing
        // The stencil (low, high) along one axis for position k, whose edges are `row·(n−1) + k−1`
        // (below) and `row·(n−1) + k` (above).
        func stencil(_ k: Int, row: Int, axis: Int) -> (Int, Int) {
            let below = k > 0 && !torn[axis][row * (n - 1) + k - 1]
            let above = k < n - 1 && !torn[axis][row * (n - 1) + k]
            switch (below, above) {
            case (true, false): return (k - 1, k)
            case (false, true): return (k, k + 1)
            default: return (Swift.max(k - 1, 0), Swift.min(k + 1, n - 1))
            }
        }
        var result = [Jacobian](repeating: Jacobian(dz0: .zero, dz1: .zero), count: grid.pointCount)
        for j in 0..<n {
            for i in 0..<n {
                let (i0, i1) = stencil(i, row: j, axis: 0)
                let (j0, j1) = stencil(j, row: i, axis: 1)
                let dz0: SIMD2<Double> = (values[j * n + i1] - values[j * n + i0]) / (Double(i1 - i0) * h)
                let dz1: SIMD2<Double> = (values[j1 * n + i] - values[j0 * n + i]) / (Double(j1 - j0) * h)
                result[j * n + i] = Jacobian(dz0: dz0, dz1: dz1)
            }
        }
        return result
    }

    /// Central differences with latent step `step`: one batched call on 4·size² shifted latents.
    static func centralJacobians(grid: LatentCellGrid, map: LatentMap, dimension: Int, component: Int?,
                                 step: Double) -> [Jacobian] {
        precondition(step > 0, "the difference step must be positive")
        let count = grid.pointCount
        let base = grid.latentRows(dimension: dimension, component: component)
        var rows = [Float](repeating: 0, count: 4 * count * dimension)
        var steps = [SIMD2<Double>](repeating: .zero, count: count)
        for p in 0..<count {
            let z = SIMD2(Double(base[p * dimension]), Double(base[p * dimension + 1]))
            let plus = SIMD2<Float>(Float(z.x + step), Float(z.y + step))
            let minus = SIMD2<Float>(Float(z.x - step), Float(z.y - step))
            steps[p] = SIMD2(Double(plus.x) - Double(minus.x), Double(plus.y) - Double(minus.y))
            for s in 0..<4 {
                let offset = (4 * p + s) * dimension
                for c in 0..<dimension { rows[offset + c] = base[p * dimension + c] }
                switch s {
                case 0: rows[offset] = plus.x
                case 1: rows[offset] = minus.x
                case 2: rows[offset + 1] = plus.y
                default: rows[offset + 1] = minus.y
                }
            }
        }
        let shifted = pairs(map(rows, 4 * count))
        precondition(shifted.count == 4 * count, "the map returned the wrong number of points")
        return (0..<count).map { p -> Jacobian in
            let along0: SIMD2<Double> = shifted[4 * p] - shifted[4 * p + 1]
            let along1: SIMD2<Double> = shifted[4 * p + 2] - shifted[4 * p + 3]
            return Jacobian(dz0: along0 / steps[p].x, dz1: along1 / steps[p].y)
        }
    }
}
