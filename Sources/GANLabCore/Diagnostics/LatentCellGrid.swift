import GANLabEngine

/// A generator as the diagnostics see it: `count` latent rows (row-major, `latentDimension`
/// numbers each) in, `count` points (x, y) out, row-major; call it like a function.
///
/// Both a network (`TrainableNetwork.latentMap`) and the oracle (`ToyProblem.oracleMap`) fit this shape, so the
/// same measurements run on a trained generator and on the known-good map. Call it with as many
/// rows as possible at once: a network evaluates a batch far faster than single rows. A network
/// also gives its exact Jacobian on the latent plane (`jacobianColumns`, forward mode), which the
/// map geometry uses instead of differences.
public struct LatentMap {
    /// G on `count` latent rows.
    public let evaluate: ([Float], Int) -> [Float]
    /// G and its Jacobian columns ∂G/∂z₀, ∂G/∂z₁ on `count` latent rows (each (count, 2)), when
    /// the map can give them exactly; nil for a map known only by its values.
    public let jacobianColumns: (([Float], Int) -> (outputs: [Float], dx0: [Float], dx1: [Float]))?

    /// A map from its evaluation and, optionally, its exact Jacobian columns.
    public init(_ evaluate: @escaping ([Float], Int) -> [Float],
                jacobianColumns: (([Float], Int) -> (outputs: [Float], dx0: [Float], dx1: [Float]))? = nil) {
        self.evaluate = evaluate
        self.jacobianColumns = jacobianColumns
    }

    /// G on `count` latent rows.
    public func callAsFunction(_ latents: [Float], _ count: Int) -> [Float] { evaluate(latents, count) }
}

extension TrainableNetwork {
    /// This network as a `LatentMap`: one batched `predict` (the network chunks internally), and
    /// its exact Jacobian columns by forward mode.
    public var latentMap: LatentMap {
        LatentMap({ [self] latents, count in predict(latents, count: count) },
                  jacobianColumns: { [self] latents, count in jacobianColumns(latents, count: count) })
    }
}

extension ToyProblem {
    /// The oracle f (docs/METRICS.md §1) as a `LatentMap`: the perfect generator, the diagnostics' reference.
    public var oracleMap: LatentMap {
        LatentMap { [self] latents, count in
            var points = [Float](repeating: 0, count: count * 2)
            latents.withUnsafeBufferPointer { z in
                points.withUnsafeMutableBufferPointer { x in applyOracle(latents: z, count: count, into: x) }
            }
            return points
        }
    }
}

// MARK: - The grid

/// A regular grid of latent points over a square box, for measuring the map G (docs/METRICS.md §4, "Map
/// geometry").
///
/// The box [lower, upper]² is cut into size × size square cells and the grid points are the cell
/// centres, z = lower + (i + ½)·h with h = (upper − lower)/size. So every grid point owns one cell,
/// and a cell's latent mass is the prior mass of that cell; neighbouring points are the centres of
/// neighbouring cells, so an edge between them crosses exactly the boundary the two cells share.
/// Centres also keep the points off the box boundary, where the `uniform-to-normal` oracle is
/// infinite (Φ⁻¹(0) = −∞).
///
/// Point (i, j) has z₀ = coordinate(i), z₁ = coordinate(j) and flat index j·size + i.
public struct LatentCellGrid: Sendable, Equatable {
    /// How latent mass is spread over the box.
    public enum Measure: String, Sendable, Codable {
        /// Uniform prior: every cell has the same mass.
        case uniform
        /// Standard normal prior per coordinate: a cell's mass is a product of Φ differences.
        case gaussian
    }

    /// Cells (and points) per side.
    public let size: Int
    /// Lower edge of the box, the same for both coordinates.
    public let lower: Double
    /// Upper edge of the box.
    public let upper: Double
    /// The prior the cell masses come from.
    public let measure: Measure

    /// A size × size grid over [lower, upper]².
    public init(size: Int, lower: Double, upper: Double, measure: Measure) {
        precondition(size >= 2, "a latent grid needs at least 2 points per side")
        precondition(upper > lower, "empty latent box")
        self.size = size
        self.lower = lower
        self.upper = upper
        self.measure = measure
    }

    /// The docs/METRICS.md §4 grid for a problem: [−1, 1]² for a uniform latent, [−3, 3]² for a Gaussian one
    /// (for `eight-gaussians`, the (n₀, n₁) plane of one component).
    public init(problem: ToyProblem, size: Int = 256) {
        switch problem.prior {
        case .uniformBox:
            self.init(size: size, lower: -1, upper: 1, measure: .uniform)
        case .gaussian, .gaussianWithComponent:
            self.init(size: size, lower: -3, upper: 3, measure: .gaussian)
        }
    }

    /// Distance between neighbouring grid points, h.
    public var spacing: Double { (upper - lower) / Double(size) }

    /// Number of grid points, size².
    public var pointCount: Int { size * size }

    /// The latent coordinate of grid column (or row) i: the centre of cell i.
    public func coordinate(_ i: Int) -> Double { lower + (Double(i) + 0.5) * spacing }

    /// The flat index of point (i, j): j·size + i.
    public func index(_ i: Int, _ j: Int) -> Int { j * size + i }

    /// The latent (z₀, z₁) of point (i, j).
    public func latent(_ i: Int, _ j: Int) -> SIMD2<Double> { SIMD2(coordinate(i), coordinate(j)) }

    /// Each cell's prior mass, flat like the points, normalised to sum to 1 over the box.
    ///
    /// Uniform: 1/size². Gaussian: (Φ(b_i) − Φ(a_i))·(Φ(b_j) − Φ(a_j)) for cell edges a < b,
    /// divided by the box's mass (0.9946 for [−3, 3]²): every share the diagnostics report is a
    /// share of the prior restricted to the box.
    public func cellMasses() -> [Double] {
        var axis = [Double](repeating: 1 / Double(size), count: size)
        if measure == .gaussian {
            for i in 0..<size {
                let a = lower + Double(i) * spacing, b = a + spacing
                // Work in the lower tail, where Φ keeps its relative accuracy.
                axis[i] = b <= 0 ? normalCDF(b) - normalCDF(a) : normalCDF(-a) - normalCDF(-b)
            }
            let total = axis.reduce(0, +)
            for i in 0..<size { axis[i] /= total }
        }
        var masses = [Double](repeating: 0, count: pointCount)
        for j in 0..<size {
            for i in 0..<size { masses[j * size + i] = axis[i] * axis[j] }
        }
        return masses
    }

    /// The grid's latents as generator input rows, flat index order.
    ///
    /// Each row is (z₀, z₁), followed for a `dimension` > 2 by a one-hot block with a 1 at
    /// position 2 + `component` (the `eight-gaussians` layout, docs/METRICS.md §1).
    public func latentRows(dimension: Int = 2, component: Int? = nil) -> [Float] {
        precondition(dimension >= 2, "latent rows need at least the two continuous numbers")
        var rows = [Float](repeating: 0, count: pointCount * dimension)
        for j in 0..<size {
            let z1 = Float(coordinate(j))
            for i in 0..<size {
                let offset = (j * size + i) * dimension
                rows[offset] = Float(coordinate(i))
                rows[offset + 1] = z1
                if let k = component, dimension > 2 + k { rows[offset + 2 + k] = 1 }
            }
        }
        return rows
    }

    /// The latent segment a jump edge cuts: the boundary shared by the edge's two cells. The cut
    /// segments of neighbouring jump edges join into the line a thin tear runs along.
    public func cutSegment(of edge: TearEdge) -> (SIMD2<Double>, SIMD2<Double>) {
        let h = spacing
        switch edge.direction {
        case .z0:
            let x = lower + Double(edge.i + 1) * h, y = lower + Double(edge.j) * h
            return (SIMD2(x, y), SIMD2(x, y + h))
        case .z1:
            let x = lower + Double(edge.i) * h, y = lower + Double(edge.j + 1) * h
            return (SIMD2(x, y), SIMD2(x + h, y))
        }
    }
}
