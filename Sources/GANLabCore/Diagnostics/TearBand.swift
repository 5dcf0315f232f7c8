#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A straight piece of a tear line on the latent plane.
public struct LatentSegment: Sendable, Equatable {
    /// One end.
    public var start: SIMD2<Double>
    /// The other end.
    public var end: SIMD2<Double>

    /// A segment from its ends.
    public init(_ start: SIMD2<Double>, _ end: SIMD2<Double>) {
        self.start = start
        self.end = end
    }

    /// Its Euclidean length.
    public var length: Double {
        let d = end - start
        return (d * d).sum().squareRoot()
    }

    /// Its midpoint.
    public var midpoint: SIMD2<Double> { (start + end) / 2 }
}

/// The tears of a map on one latent plane (docs/METRICS.md §4.4): the pieces of the latent plane
/// that G stretches across negative space, their mass and their length.
///
/// The map is read as its piecewise-linear interpolant through the grid values, sampled on a grid
/// twice as fine: the grid points, the edge midpoints (where the interpolant is the midpoint of
/// the two images' chord) and the square centres. On that fine grid:
///
/// - the **off-target pieces** are the 4-connected components of the points whose image lies in
///   negative space (φ > 0, `TargetSupport.offTargetExcess`). A band thinner than a grid cell still
///   shows: its edges' chords cross the gap, so their midpoints are off the target;
/// - a piece is **torn** when its stretch, the density-weighted median over its points, exceeds
///   κ × the map's median stretch on the target (`TearCriterion`), and, for the spiral, it
///   reaches clearly into negative space: farther than 2τ from the reference somewhere (0.1 % of
///   true spiral samples lie beyond τ, none of 400,000 beyond 1.5τ), so pieces that only graze
///   the band's noise floor are not tears. A
///   point's stretch is σ_max of the exact Jacobian at a grid point, the larger of the chord's
///   stretch (jump / h) and the ends' mean σ_max at an edge midpoint, and the mean of the four
///   sides' at a centre;
/// - **mass**: the latent mass of the grid points in torn pieces;
/// - **length**: half the length of the torn pieces' boundary, the level set φ = 0 traced by
///   marching squares with linear interpolation. A strip crossing a gap has two long edges, one
///   where it leaves the target and one where it comes back, so half its boundary is its length.
///
/// Every piece of length is weighted by the prior's density there relative to its peak (1 for the
/// uniform prior, exp(−‖z‖²/2) for the Gaussian), so a tear line that runs out into the far tails
/// of a Gaussian latent has a finite length that does not depend on the grid's box. On a uniform
/// latent it is the plain latent length.
public struct TearBand: Sendable {
    /// Per grid point: whether it lies in a torn piece.
    public let members: [Bool]
    /// Per grid point: whether G sends it into negative space.
    public let offTarget: [Bool]
    /// Latent mass share of the grid points G sends into negative space (0 for a target without).
    public let offTargetMass: Double
    /// Latent mass share of the torn pieces.
    public let mass: Double
    /// The prior-weighted tear length.
    public let length: Double
    /// Latent segments of the torn pieces' boundary, for drawing.
    public let segments: [LatentSegment]
    /// The jump edges: grid edges whose ends both land on the target while their chord's
    /// midpoint lies in negative space (tears thinner than a cell).
    public let jumpEdges: [TearEdge]
    /// The stretch above which an off-target piece is torn: κ × the map's median σ_max on the target.
    public let stretchThreshold: Double

    /// Finds the tears of `values` (G at the grid points) with Jacobians `jacobians`.
    init(grid: LatentCellGrid, values: [SIMD2<Double>], jacobians: [Jacobian], masses: [Double],
         excess: [Double], criterion: TearCriterion, jumps: JumpScan, support: TargetSupport) {
        let n = grid.size, h = grid.spacing, half = h / 2
        let sigma = jacobians.map(\.largestSingularValue)
        let typical = TearCriterion.typicalStretch(stretch: sigma, masses: masses, excess: excess)
        let threshold = criterion.stretchFactor * typical
        let off = excess.map { $0 > 0 }
        let gaussian = grid.measure == .gaussian
        @inline(__always) func density(_ z: SIMD2<Double>) -> Double {
            gaussian ? exp(-(z * z).sum() / 2) : 1
        }
        let shortest = support.shortestOffTargetChord

        // The fine grid: φ and stretch at the grid points, edge midpoints and square centres. At an
        // edge midpoint whose chord is long enough to leave the target, φ is evaluated: at the
        // chord's midpoint when an end is off the target (the band is resolved there), and, for a
        // mixture, as the largest φ along the chord when both ends are on it (a band thinner than
        // the edge lies between them even when the chord's middle falls inside a wide mode).
        // Elsewhere it is interpolated.
        let m = 2 * n - 1
        var phi = [Double](repeating: 0, count: m * m)
        var stretch = [Double](repeating: 0, count: m * m)
        var point = [SIMD2<Double>](repeating: .zero, count: m * m)
        var evaluated = [Bool](repeating: false, count: m * m)
        for j in 0..<n {
            for i in 0..<n {
                let r = 2 * j * m + 2 * i, p = j * n + i
                phi[r] = excess[p]
                stretch[r] = sigma[p].isNaN ? .infinity : sigma[p]
                point[r] = values[p]
            }
        }
        var jumpEdges: [TearEdge] = []
        for axis in 0..<2 {
            for e in 0..<(n * (n - 1)) {
                let (a, b) = JumpScan.endpoints(axis, e, n)
                let r = axis == 0 ? (2 * (a / n)) * m + 2 * (a % n) + 1 : (2 * (a / n) + 1) * m + 2 * (a % n)
                let jump = jumps.jumps[axis][e]
                let x = (values[a] + values[b]) / 2
                point[r] = x
                if jump > shortest || !excess[a].isFinite || !excess[b].isFinite {
                    phi[r] = off[a] || off[b] ? support.offTargetExcess(x)
                        : support.largestExcess(along: values[a], values[b], length: jump)
                    evaluated[r] = true
                } else {
                    phi[r] = (excess[a] + excess[b]) / 2
                }
                let chord = jump / h, ends = (stretch[2 * (a / n) * m + 2 * (a % n)] + stretch[2 * (b / n) * m + 2 * (b % n)]) / 2
                stretch[r] = chord.isNaN ? .infinity : Swift.max(chord, ends)
                if !off[a] && !off[b] && jump > shortest && support.isChordMidpointOffTarget(x) {
                    jumpEdges.append(TearEdge(i: a % n, j: a / n, direction: axis == 0 ? .z0 : .z1,
                                              jump: jump, stretch: chord, start: values[a], end: values[b]))
                }
            }
        }
        for j in 0..<(n - 1) {
            for i in 0..<(n - 1) {
                let r = (2 * j + 1) * m + 2 * i + 1
                let sides = (r - m, r + 1, r + m, r - 1)
                stretch[r] = (stretch[sides.0] + stretch[sides.1] + stretch[sides.2] + stretch[sides.3]) / 4
                if evaluated[sides.0] || evaluated[sides.1] || evaluated[sides.2] || evaluated[sides.3] {
                    phi[r] = support.offTargetExcess((point[sides.0] + point[sides.1] + point[sides.2] + point[sides.3]) / 4)
                } else {
                    let corners = (r - m - 1, r - m + 1, r + m + 1, r + m - 1)
                    phi[r] = (phi[corners.0] + phi[corners.1] + phi[corners.2] + phi[corners.3]) / 4
                }
            }
        }
        let origin = grid.lower + half, step = half
        @inline(__always) func position(_ r: Int) -> SIMD2<Double> {
            SIMD2(origin + Double(r % m) * step, origin + Double(r / m) * step)
        }

        // The off-target pieces and which of them are torn.
        var label = [Int32](repeating: -1, count: m * m)
        var torn: [Bool] = []
        var stack: [Int] = []
        var weighted: [(value: Double, weight: Double)] = []
        for start in 0..<(m * m) where phi[start] > 0 && label[start] < 0 {
            let id = Int32(torn.count)
            label[start] = id
            stack.append(start)
            weighted.removeAll(keepingCapacity: true)
            var deepest = -Double.infinity
            while let r = stack.popLast() {
                weighted.append((stretch[r], density(position(r))))
                deepest = Swift.max(deepest, phi[r])
                let x = r % m
                if x > 0 && phi[r - 1] > 0 && label[r - 1] < 0 { label[r - 1] = id; stack.append(r - 1) }
                if x < m - 1 && phi[r + 1] > 0 && label[r + 1] < 0 { label[r + 1] = id; stack.append(r + 1) }
                if r >= m && phi[r - m] > 0 && label[r - m] < 0 { label[r - m] = id; stack.append(r - m) }
                if r + m < m * m && phi[r + m] > 0 && label[r + m] < 0 { label[r + m] = id; stack.append(r + m) }
            }
            weighted.sort { $0.value < $1.value }
            torn.append(!((Quantile.weighted(0.5, sorted: weighted) ?? 0) <= threshold) && deepest > support.clearlyOffTarget)
        }
        @inline(__always) func isTorn(_ r: Int) -> Bool { label[r] >= 0 && torn[Int(label[r])] }

        var inBand = [Bool](repeating: false, count: grid.pointCount)
        var inside = 0.0, total = 0.0, outside = 0.0
        for j in 0..<n {
            for i in 0..<n {
                let p = j * n + i
                total += masses[p]
                if off[p] { outside += masses[p] }
                if isTorn(2 * j * m + 2 * i) {
                    inBand[p] = true
                    inside += masses[p]
                }
            }
        }

        // Half the torn pieces' boundary. Corners (i, j), (i+1, j), (i+1, j+1), (i, j+1); sides
        // bottom, right, top, left.
        var segments: [LatentSegment] = []
        var length = 0.0
        if torn.contains(true) {
            for j in 0..<(m - 1) {
                for i in 0..<(m - 1) {
                    let c0 = j * m + i, c1 = c0 + 1, c2 = c0 + m + 1, c3 = c0 + m
                    let o0 = phi[c0] > 0, o1 = phi[c1] > 0, o2 = phi[c2] > 0, o3 = phi[c3] > 0
                    let offCount = (o0 ? 1 : 0) + (o1 ? 1 : 0) + (o2 ? 1 : 0) + (o3 ? 1 : 0)
                    guard offCount > 0 && offCount < 4 else { continue }
                    let tornCount = (isTorn(c0) ? 1 : 0) + (isTorn(c1) ? 1 : 0) + (isTorn(c2) ? 1 : 0) + (isTorn(c3) ? 1 : 0)
                    guard tornCount > 0 else { continue }
                    let weight = Double(tornCount) / Double(offCount)
                    let p0 = position(c0)
                    let p1 = p0 + SIMD2(step, 0), p2 = p0 + SIMD2(step, step), p3 = p0 + SIMD2(0, step)
                    @inline(__always) func crossing(_ fa: Double, _ fb: Double, _ a: SIMD2<Double>, _ b: SIMD2<Double>) -> SIMD2<Double> {
                        var t = fa / (fa - fb)
                        if !t.isFinite || t < 0 || t > 1 { t = 0.5 }
                        return a + t * (b - a)
                    }
                    // Crossings on the sides bottom, right, top, left (nil where the side has none).
                    let bottom = o0 != o1 ? crossing(phi[c0], phi[c1], p0, p1) : nil
                    let right = o1 != o2 ? crossing(phi[c1], phi[c2], p1, p2) : nil
                    let top = o3 != o2 ? crossing(phi[c3], phi[c2], p3, p2) : nil
                    let left = o0 != o3 ? crossing(phi[c0], phi[c3], p0, p3) : nil
                    var pieces: (LatentSegment?, LatentSegment?) = (nil, nil)
                    if let b = bottom, let r = right, let t = top, let l = left {
                        func clamp(_ v: Double) -> Double { Swift.min(Swift.max(v, -1e6), 1e6) }
                        let centreOff = clamp(phi[c0]) + clamp(phi[c1]) + clamp(phi[c2]) + clamp(phi[c3]) > 0
                        // Corners 0 and 2 share a state; if the centre has it too they are joined
                        // through the middle and the segments cut off corners 1 and 3.
                        pieces = o0 == centreOff ? (LatentSegment(b, r), LatentSegment(t, l))
                            : (LatentSegment(l, b), LatentSegment(r, t))
                    } else {
                        let ends = [bottom, right, top, left].compactMap { $0 }
                        if ends.count == 2 { pieces.0 = LatentSegment(ends[0], ends[1]) }
                    }
                    for case let piece? in [pieces.0, pieces.1] {
                        segments.append(piece)
                        length += 0.5 * weight * piece.length * density(piece.midpoint)
                    }
                }
            }
        }
        self.members = inBand
        offTarget = off
        self.mass = total > 0 ? inside / total : 0
        offTargetMass = total > 0 ? outside / total : 0
        self.length = length
        self.segments = segments
        self.jumpEdges = jumpEdges
        stretchThreshold = threshold
    }
}
