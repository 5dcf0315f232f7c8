/// A jump edge: neighbouring grid latents that G sends to two places on the target with empty
/// space between them (docs/METRICS.md §4.4, "unresolved tears").
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

/// What counts as a tear (docs/METRICS.md §4.4).
///
/// A latent z is in the **tear band** when G(z) lies in the target's negative space and the local
/// stretch σ_max(J(z)) exceeds κ = `stretchFactor` times the map's typical stretch on the target:
/// the mass-weighted median of σ_max over the latents that G sends onto the target (over all
/// latents when none lands there). A network is continuous, so the article's tear is, in a
/// trained map, such a band: a narrow strip of latents stretched across the empty space between
/// parts of the target, so that its samples lie sparse there. Latents that land off the target
/// without being stretched (a generator that parks mass between two modes) are off-target mass,
/// not a tear; a steep stretch that stays on the target is not a tear either.
///
/// A band narrower than the grid spacing falls between grid points. Such an unresolved tear shows
/// as a **jump edge**: both ends on the target and the middle of the chord between their images
/// in negative space. The oracles' genuine discontinuities (ring8, grid25) are of this kind: zero
/// mass, and the length of their cut lines.
public struct TearCriterion: Sendable, Equatable, Codable {
    /// κ: a band latent is stretched more than κ × the map's median stretch on the target.
    public var stretchFactor: Double
    /// s: the smallest jump the grid-difference Jacobian treats as a discontinuity (it never
    /// differentiates across one).
    public var jumpScale: Double

    /// κ when none is given: see docs/METRICS.md §4.4 for how it was chosen.
    public static let defaultStretchFactor = 1.5

    /// A criterion with explicit numbers.
    public init(stretchFactor: Double = defaultStretchFactor, jumpScale: Double) {
        precondition(stretchFactor > 0, "the tear stretch factor must be positive")
        self.stretchFactor = stretchFactor
        self.jumpScale = jumpScale
    }

    /// The problem's criterion, with s = 6σ for mixtures, τ for `spiral`, 0.5 for
    /// `uniform-to-normal` (half a standard deviation of the target: the oracle's largest
    /// neighbour jump is 0.37 on a 256² grid and 0.43 on a 64² one).
    public init(problem: ToyProblem, stretchFactor: Double = defaultStretchFactor) {
        let scale: Double
        switch problem.kind {
        case .spiral: scale = SpiralReference.shared.tau
        case .uniformToNormal: scale = 0.5
        case .eightGaussians, .ring8, .ring8PacGAN, .grid25: scale = 6 * (problem.mixture?.sigma ?? 0)
        case .points, .picture: scale = problem.file?.reference.tau ?? 0
        }
        self.init(stretchFactor: stretchFactor, jumpScale: scale)
    }

    /// The mass-weighted median σ_max over the on-target grid points (over all of them when none
    /// is on the target); non-finite values are skipped.
    static func typicalStretch(stretch: [Double], masses: [Double], excess: [Double]) -> Double {
        let onTarget = excess.map { !($0 > 0) }
        let weights = zip(masses, onTarget).map { $1 ? $0 : 0 }
        let use = weights.contains { $0 > 0 } ? weights : masses
        return QuantileSummary(values: stretch, weights: use).median
    }
}

/// Where the target has no mass, as the tear band and the partition see it.
struct TargetSupport {
    /// The mixture and its negative-space threshold t (σ units), for mixture problems.
    let mixture: (mixture: Mixture, threshold: Double)?
    /// The spiral reference, for `spiral`.
    let spiral: SpiralReference?
    /// The held-out reference, for file targets.
    let file: TargetReference?

    init(problem: ToyProblem) {
        file = problem.file?.reference
        switch problem.kind {
        case .spiral:
            mixture = nil
            spiral = .shared
        case .uniformToNormal, .points, .picture:
            mixture = nil
            spiral = nil
        case .eightGaussians, .ring8, .ring8PacGAN, .grid25:
            mixture = problem.mixture.map { ($0, MixtureMetrics.negativeSpaceThreshold(for: problem.kind)) }
            spiral = nil
        }
    }

    /// Whether the target has negative space at all (the normal target has none).
    var hasNegativeSpace: Bool { mixture != nil || spiral != nil || file != nil }

    /// φ(x): how far x lies off the target, positive exactly in negative space, continuous in x.
    ///
    /// Mixtures: d(x) − t in σ units (d the distance to the nearest centre). Spiral: (distance to
    /// the nearest reference point − τ)/τ. The normal target: −∞. A non-finite x: +∞ when the
    /// target has negative space.
    func offTargetExcess(_ x: SIMD2<Double>) -> Double {
        if let m = mixture { return m.mixture.assign(x).distance - m.threshold }
        if let s = spiral {
            guard x.x.isFinite && x.y.isFinite else { return .infinity }
            return (s.nearest(to: x).distance - s.tau) / s.tau
        }
        if let f = file {
            guard x.x.isFinite && x.y.isFinite else { return .infinity }
            return (f.nearest(to: x).distance - f.tau) / f.tau
        }
        return -.infinity
    }

    /// The φ a torn piece must exceed somewhere: 1 for the spiral (2τ from the reference, beyond
    /// its noise floor: τ is the 99.9th percentile of true samples' distances) and likewise for
    /// file targets, 0 for mixtures (t already lies beyond all but a calibrated tail of the modes).
    var clearlyOffTarget: Double { spiral != nil || file != nil ? 1 : 0 }

    /// A chord shorter than this cannot have its midpoint off the target while both its ends are
    /// on it: 2τ for the spiral and file targets (the ends lie within τ of the reference, the
    /// midpoint beyond 2τ), 0 for mixtures, +∞ for the normal target.
    var shortestOffTargetChord: Double {
        if mixture != nil { return 0 }
        if let s = spiral { return 2 * s.tau }
        if let f = file { return 2 * f.tau }
        return .infinity
    }

    /// For a mixture, the largest φ on the chord from a to b (of length `length`), sampled at an
    /// odd number of evenly spaced interior points (the midpoint among them) no farther apart than
    /// σ, at most 15. A mode's on-target set is a ball, so a chord leaves the target exactly when
    /// its ends lie in different modes. The spiral's band is curved, and a chord between two
    /// points on one arm leaves it without crossing any gap; there φ at the midpoint is used.
    func largestExcess(along a: SIMD2<Double>, _ b: SIMD2<Double>, length: Double) -> Double {
        guard let scale = mixture.map({ $0.mixture.sigma }) else { return offTargetExcess((a + b) / 2) }
        let wanted = length / scale
        var count = wanted.isFinite ? Swift.min(15, Swift.max(1, Int(wanted))) : 15
        if count % 2 == 0 { count += 1 }
        var largest = -Double.infinity
        for i in 1...count {
            let t = Double(i) / Double(count + 1)
            largest = Swift.max(largest, offTargetExcess(a + t * (b - a)))
        }
        return largest
    }

    /// Whether a jump's chord midpoint x lies clearly in negative space: d > t for a mixture,
    /// farther than 2τ from the spiral's (or a file target's) reference (τ itself is exceeded by 0.1 % of points on the
    /// band, which over the ~50,000 candidate edges of a 256² grid would flag ~50 intact ones;
    /// none of 400,000 true samples lies beyond 1.5τ); never for the normal target.
    func isChordMidpointOffTarget(_ x: SIMD2<Double>) -> Bool {
        if let m = mixture { return !(m.mixture.assign(x).distance <= m.threshold) }
        if let s = spiral { return !(s.nearest(to: x).distance <= 2 * s.tau) }
        if let f = file { return !(f.nearest(to: x).distance <= 2 * f.tau) }
        return false
    }
}

/// One pass over the grid edges: jumps, stretches, their medians and the discontinuities.
///
/// An edge is a discontinuity ("torn" for the grid-difference stencil) when its jump exceeds s and
/// either its stretch exceeds 10 × the median stretch along the same latent axis or its chord's
/// midpoint lies in negative space (`discontinuities`, needed only by grid differences). Edge e
/// of axis 0 joins (e % (n−1), e / (n−1)) to its right neighbour; edge e of axis 1 joins
/// (e / (n−1), e % (n−1)) to the point above it.
struct JumpScan {
    let medianStretch: SIMD2<Double>
    let maxStretch: Double
    /// Per axis, per edge: the jump.
    let jumps: [[Double]]

    /// The steepness factor: a discontinuity's stretch is above 10 × the median along its axis.
    static let steepFactor = 10.0

    init(grid: LatentCellGrid, values: [SIMD2<Double>]) {
        let n = grid.size, h = grid.spacing
        var jumps: [[Double]] = [[], []]
        for axis in 0..<2 {
            jumps[axis] = (0..<(n * (n - 1))).map { e in
                let (a, b) = Self.endpoints(axis, e, n)
                let d = values[b] - values[a]
                let jump = (d * d).sum().squareRoot()
                return jump.isNaN ? .infinity : jump
            }
        }
        medianStretch = SIMD2(Quantile.median(jumps[0]), Quantile.median(jumps[1])) / h
        maxStretch = (jumps[0] + jumps[1]).reduce(0) { $1.isFinite ? Swift.max($0, $1) : $0 } / h
        self.jumps = jumps
    }

    /// Per axis, per edge: whether the edge is a discontinuity (jump over `jumpScale`, and steep
    /// or with its chord's midpoint in negative space).
    func discontinuities(grid: LatentCellGrid, values: [SIMD2<Double>], jumpScale: Double,
                         support: TargetSupport) -> [[Bool]] {
        let n = grid.size, h = grid.spacing
        var torn = [[Bool]](repeating: [Bool](repeating: false, count: n * (n - 1)), count: 2)
        for axis in 0..<2 {
            for (e, jump) in jumps[axis].enumerated() where jump > jumpScale {
                let (a, b) = Self.endpoints(axis, e, n)
                if jump / h > Self.steepFactor * medianStretch[axis]
                    || support.isChordMidpointOffTarget((values[a] + values[b]) / 2) {
                    torn[axis][e] = true
                }
            }
        }
        return torn
    }

    /// The two point indices edge `e` of `axis` joins on an n × n grid.
    @inline(__always)
    static func endpoints(_ axis: Int, _ e: Int, _ n: Int) -> (Int, Int) {
        let row = e / (n - 1), k = e % (n - 1)
        return axis == 0 ? (row * n + k, row * n + k + 1) : (k * n + row, (k + 1) * n + row)
    }
}
