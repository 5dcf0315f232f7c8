/// A torn grid edge: neighbouring latents that G sends far apart (docs/METRICS.md §4).
///
/// The edge joins grid point (i, j) to (i + 1, j) (`direction` z₀) or to (i, j + 1) (`direction`
/// z₁). Draw `LatentCellGrid.cutSegment(of:)` on the latent plane and start → end on the sample plane.
public struct TearEdge: Sendable, Equatable, Codable {
    /// The latent axis the edge runs along.
    public enum Direction: String, Sendable, Codable {
        /// From (i, j) to (i + 1, j).
        case z0
        /// From (i, j) to (i, j + 1).
        case z1
    }

    /// Grid column of the edge's first point.
    public var i: Int
    /// Grid row of the edge's first point.
    public var j: Int
    /// Along which latent axis the edge runs.
    public var direction: Direction
    /// ‖G(z + h·e) − G(z)‖ (+∞ if either value is non-finite).
    public var jump: Double
    /// jump / h.
    public var stretch: Double
    /// G at the first point.
    public var start: SIMD2<Double>
    /// G at the second point.
    public var end: SIMD2<Double>
}

/// When a grid edge counts as torn.
///
/// docs/METRICS.md §4 reads: a jump larger than the target's local scale s, or a stretch above 10 × the
/// median (`Rule.literal`). On a 256² grid that flags the oracles, which docs/METRICS.md §1 calls tear-free:
/// the spiral oracle moves up to 3π·r·h ≈ 0.07 between neighbouring grid points along z₀, five
/// times τ, while never leaving the band; its z₀ edges stretch 10–190 × more than its z₁ edges,
/// so most z₀ edges exceed 10 × the overall median; and the uniform-to-normal oracle's stretch
/// 1/(2φ(x)) reaches 47 on the outermost cells, 30 × its median, with jumps below 0.37.
///
/// `Rule.refined` (the default) keeps both ingredients but asks for a jump that lands somewhere:
/// an edge is torn when jump > s **and** either stretch > 10 × the median stretch *along the
/// same latent axis*, or the midpoint of G(z) and G(z + h·e) lies in the target's negative space
/// (d > t for a mixture; farther than 2τ from the spiral reference; the normal target has none).
/// The spiral uses 2τ because τ itself is exceeded by 0.1 % of points *on* the band, which over
/// the ~50,000 candidate edges of a 256² grid would flag ~50 intact ones; none of 400,000 true
/// samples lies beyond 1.5τ. A genuine cut passes (its stretch grows like 1/h and its chord
/// crosses empty space); a smooth anisotropic map does not, and every oracle edge stays intact.
public struct TearCriterion: Sendable, Equatable, Codable {
    /// How the jump and stretch tests combine.
    public enum Rule: String, Sendable, Codable {
        /// jump > s, or stretch > factor × median over all edges (docs/METRICS.md §4 word for word).
        case literal
        /// jump > s, and (stretch > factor × median along the axis, or the chord midpoint is off-target).
        case refined
    }

    /// The target's local scale s.
    public var jumpScale: Double
    /// Stretch beyond this many medians is suspicious (docs/METRICS.md §4.4: 10).
    public var stretchFactor: Double
    /// How the tests combine.
    public var rule: Rule

    /// A criterion with explicit numbers.
    public init(jumpScale: Double, stretchFactor: Double = 10, rule: Rule = .refined) {
        self.jumpScale = jumpScale
        self.stretchFactor = stretchFactor
        self.rule = rule
    }

    /// The problem's criterion: s = 6σ for mixtures, τ for `spiral`, and 0.5 for
    /// `uniform-to-normal` (half a standard deviation of the target: the oracle's largest
    /// neighbour jump is 0.37 on a 256² grid and 0.43 on a 64² one, both at the outermost cells).
    public init(problem: ToyProblem, rule: Rule = .refined) {
        let scale: Double
        switch problem.kind {
        case .spiral: scale = SpiralReference.shared.tau
        case .uniformToNormal: scale = 0.5
        case .eightGaussians, .ring8, .ring8PacGAN, .grid25: scale = 6 * (problem.mixture?.sigma ?? 0)
        }
        self.init(jumpScale: scale, rule: rule)
    }
}

/// Where the target has no mass, as the tear and partition tests see it.
struct TargetSupport {
    /// The mixture and its negative-space threshold t (σ units), for mixture problems.
    let mixture: (mixture: Mixture, threshold: Double)?
    /// The spiral reference, for `spiral`.
    let spiral: SpiralReference?

    init(problem: ToyProblem) {
        switch problem.kind {
        case .spiral:
            mixture = nil
            spiral = .shared
        case .uniformToNormal:
            mixture = nil
            spiral = nil
        case .eightGaussians, .ring8, .ring8PacGAN, .grid25:
            mixture = problem.mixture.map { ($0, MixtureMetrics.negativeSpaceThreshold(for: problem.kind)) }
            spiral = nil
        }
    }

    /// Whether a jump's chord midpoint x lies clearly in negative space: d > t for a mixture,
    /// farther than 2τ from the spiral reference (see `TearCriterion`); never for the normal target.
    /// Non-finite points always do, for targets that have negative space.
    func isChordMidpointOffTarget(_ x: SIMD2<Double>) -> Bool {
        if let m = mixture { return !(m.mixture.assign(x).distance <= m.threshold) }
        if let s = spiral { return !(s.nearest(to: x).distance <= 2 * s.tau) }
        return false
    }
}

/// One pass over the grid edges: stretches, their medians, the torn edges and the torn mass.
///
/// Edge e of axis 0 joins (e % (n−1), e / (n−1)) to its right neighbour; edge e of axis 1 joins
/// (e / (n−1), e % (n−1)) to the point above it.
struct TearScan {
    let medianStretch: SIMD2<Double>
    let maxStretch: Double
    let edges: [TearEdge]
    let tornMass: Double
    /// Per axis, per edge: torn or not.
    let torn: [[Bool]]

    init(grid: LatentCellGrid, values: [SIMD2<Double>], masses: [Double], criterion: TearCriterion,
         support: TargetSupport) {
        let n = grid.size, h = grid.spacing
        // Edge e of axis a joins point `first(a, e)` to its neighbour along a.
        func endpoints(_ axis: Int, _ e: Int) -> (Int, Int) {
            let row = e / (n - 1), k = e % (n - 1)
            return axis == 0 ? (row * n + k, row * n + k + 1) : (k * n + row, (k + 1) * n + row)
        }
        var jumps: [[Double]] = [[], []]
        for axis in 0..<2 {
            jumps[axis] = (0..<(n * (n - 1))).map { e in
                let (a, b) = endpoints(axis, e)
                let d = values[b] - values[a]
                let jump = (d * d).sum().squareRoot()
                return jump.isNaN ? .infinity : jump
            }
        }
        let axisMedians = SIMD2(Quantile.median(jumps[0]), Quantile.median(jumps[1])) / h
        let overallMedian = Quantile.median(jumps[0] + jumps[1]) / h
        var edges: [TearEdge] = []
        var touched = [Bool](repeating: false, count: grid.pointCount)
        var torn = [[Bool]](repeating: [Bool](repeating: false, count: n * (n - 1)), count: 2)
        for axis in 0..<2 {
            let typical = criterion.rule == .literal ? overallMedian : axisMedians[axis]
            for (e, jump) in jumps[axis].enumerated() {
                let stretch = jump / h
                let (a, b) = endpoints(axis, e)
                let steep = stretch > criterion.stretchFactor * typical
                let isTorn: Bool
                switch criterion.rule {
                case .literal:
                    isTorn = jump > criterion.jumpScale || steep
                case .refined:
                    isTorn = jump > criterion.jumpScale
                        && (steep || support.isChordMidpointOffTarget((values[a] + values[b]) / 2))
                }
                guard isTorn else { continue }
                torn[axis][e] = true
                touched[a] = true
                touched[b] = true
                edges.append(TearEdge(i: a % n, j: a / n, direction: axis == 0 ? .z0 : .z1,
                                      jump: jump, stretch: stretch, start: values[a], end: values[b]))
            }
        }
        var mass = 0.0, total = 0.0
        for (m, t) in zip(masses, touched) {
            total += m
            if t { mass += m }
        }
        medianStretch = axisMedians
        maxStretch = (jumps[0] + jumps[1]).reduce(0) { $1.isFinite ? Swift.max($0, $1) : $0 } / h
        self.torn = torn
        self.edges = edges
        tornMass = total > 0 ? mass / total : 0
    }
}
