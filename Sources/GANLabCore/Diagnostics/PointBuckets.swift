/// A uniform bucket grid over a fixed point set, for nearest-neighbour queries.
///
/// The points' bounding square is cut into side × side cells; each cell lists its points
/// (compressed: one index array grouped by cell, `cellStart` marks where each cell begins). A query
/// scans square rings of cells around its own cell, nearest ring first, and stops as soon as no
/// unscanned cell can hold a closer point. For a query near the set that is a handful of cells, so
/// N queries cost O(N) rather than the O(N·M) of comparing against every point.
struct PointBuckets: Sendable {
    /// The indexed points.
    let points: [SIMD2<Double>]
    private let xs: [Double]
    private let ys: [Double]
    private let origin: SIMD2<Double>
    private let cellSize: Double
    private let side: Int
    private let cellStart: [Int]
    private let order: [Int32]

    /// Indexes `points` (at least one, all finite) in a side × side bucket grid.
    init(points: [SIMD2<Double>], side: Int) {
        precondition(!points.isEmpty && side >= 1, "PointBuckets needs points and at least one cell")
        precondition(points.count < Int(Int32.max), "too many points for 32-bit indices")
        var low = points[0], high = points[0]
        for p in points {
            precondition(p.x.isFinite && p.y.isFinite, "PointBuckets needs finite points")
            low = pointwiseMin(low, p)
            high = pointwiseMax(high, p)
        }
        let extent = Swift.max(high.x - low.x, high.y - low.y)
        self.points = points
        self.xs = points.map(\.x)
        self.ys = points.map(\.y)
        self.origin = low
        self.side = side
        self.cellSize = extent > 0 ? extent * (1 + 1e-12) / Double(side) : 1
        // Counting sort of the points by cell.
        var counts = [Int](repeating: 0, count: side * side + 1)
        var cells = [Int](repeating: 0, count: points.count)
        for (n, p) in points.enumerated() {
            let (i, j) = Self.cell(of: p, origin: low, cellSize: cellSize, side: side)
            cells[n] = j * side + i
            counts[cells[n] + 1] += 1
        }
        for c in 0..<(side * side) { counts[c + 1] += counts[c] }
        var next = counts
        var order = [Int32](repeating: 0, count: points.count)
        for (n, c) in cells.enumerated() {
            order[next[c]] = Int32(n)
            next[c] += 1
        }
        self.cellStart = counts
        self.order = order
    }

    /// The index of the point nearest to `q` and its Euclidean distance; (−1, +∞) for a
    /// non-finite query.
    ///
    /// Let p be q clamped onto the bucket square (its projection, as the square is convex). For any
    /// indexed point y, ‖q − y‖² ≥ ‖q − p‖² + ‖p − y‖², and a point in ring r around p's cell is at
    /// least (r − 1) cells from p. So once the best squared distance is ≤ ‖q − p‖² + ((r − 1)·cell)²
    /// nothing in ring r or beyond can beat it.
    func nearest(to q: SIMD2<Double>) -> (index: Int, distance: Double) {
        guard q.x.isFinite && q.y.isFinite else { return (-1, .infinity) }
        // Plain Doubles and loops (no SIMD, no closures): this runs ~10⁵ times per evaluation and
        // must stay quick in debug builds too.
        let qx = q.x, qy = q.y
        let upper = Double(side) * cellSize
        let px = Swift.min(Swift.max(qx, origin.x), origin.x + upper)
        let py = Swift.min(Swift.max(qy, origin.y), origin.y + upper)
        let gapSquared = (qx - px) * (qx - px) + (qy - py) * (qy - py)
        let (ci, cj) = Self.cell(of: SIMD2(px, py), origin: origin, cellSize: cellSize, side: side)
        var best = Double.infinity, bestIndex = -1
        for r in 0...side {
            if r > 0 && bestIndex >= 0 {
                let reach = Double(r - 1) * cellSize
                if best <= gapSquared + reach * reach { break }
            }
            // The cells at Chebyshev distance r: full rows at dy = ±r, the two ends of the others.
            for dy in -r...r {
                let j = cj + dy
                guard j >= 0 && j < side else { continue }
                let step = (dy == -r || dy == r || r == 0) ? 1 : 2 * r
                var dx = -r
                while dx <= r {
                    let i = ci + dx
                    dx += step
                    guard i >= 0 && i < side else { continue }
                    let cell = j * side + i
                    var k = cellStart[cell]
                    let end = cellStart[cell + 1]
                    while k < end {
                        let n = Int(order[k])
                        let ex = qx - xs[n], ey = qy - ys[n]
                        let squared = ex * ex + ey * ey
                        if squared < best { best = squared; bestIndex = n }
                        k += 1
                    }
                }
            }
        }
        return (bestIndex, best.squareRoot())
    }

    /// The (clamped) cell of a point.
    @inline(__always)
    private static func cell(of p: SIMD2<Double>, origin: SIMD2<Double>, cellSize: Double,
                             side: Int) -> (Int, Int) {
        let u = (p - origin) / cellSize
        let i = Swift.min(Swift.max(Int(u.x), 0), side - 1)
        let j = Swift.min(Swift.max(Int(u.y), 0), side - 1)
        return (i, j)
    }
}
