/// Precision and recall (Kynkäänniemi, Karras, Laine, Lehtinen, Aila, "Improved Precision and
/// Recall Metric for Assessing Generative Models", NeurIPS 2019) and density and coverage (Naeem,
/// Oh, Uh, Choi, Yoo, "Reliable Fidelity and Diversity Metrics for Generative Models", ICML 2020)
/// between a reference set X (true samples) and generated samples Y, in the plane.
///
/// Each set's manifold is the union of balls around its points, a point's ball reaching to its
/// k-th nearest neighbour in its own set (the point itself not counted):
///
///     precision = (1/M) Σ_j 1[∃ i: ‖y_j − x_i‖ ≤ r_k(x_i)]        (k = 3)
///     recall    = (1/N) Σ_i 1[∃ j: ‖x_i − y_j‖ ≤ r_k(y_j)]        (k = 3)
///     density   = (1/(k·M)) Σ_j Σ_i 1[‖y_j − x_i‖ < r_k(x_i)]      (k = 5)
///     coverage  = (1/N) Σ_i 1[∃ j: ‖x_i − y_j‖ < r_k(x_i)]         (k = 5)
///
/// (≤ for precision and recall, as Kynkäänniemi et al. define them; < for density and coverage,
/// as Naeem et al. do.)
///
/// Computed exactly. The points are sorted by x, so a ball or neighbour search only visits points
/// whose x lies within reach (`SortedPoints`); the answers are those of comparing every pair.
public struct ManifoldMetrics: Sendable, Equatable, Codable {
    /// Share of generated samples inside the reference manifold (k = 3 unless given).
    public var precision: Double
    /// Share of reference samples inside the generated manifold (k = 3 unless given).
    public var recall: Double
    /// Mean number of reference balls (k = 5 unless given) holding a generated sample, divided by
    /// k; 1 when Y is distributed like X, above 1 where Y crowds into dense parts of X.
    public var density: Double
    /// Share of reference samples whose own ball (k = 5 unless given) holds a generated sample.
    public var coverage: Double

    /// The k of precision and recall, and of density and coverage, as the papers set them.
    public static let precisionRecallK = 3
    public static let densityCoverageK = 5

    /// The four metrics of generated samples `generated` against reference samples `reference`,
    /// both flat `[x, y, …]`: the reference with more than k finite points, the generated set
    /// with at least one point. A non-finite generated sample counts in M but lies in no ball and
    /// has none of its own; with k or fewer finite generated samples, recall is 0.
    public init(reference: [Float], generated: [Float]) {
        self.init(reference: Self.points(reference), generated: Self.points(generated))
    }

    /// The same with the generated points given as Doubles.
    public init(reference: [Float], generated: [SIMD2<Double>]) {
        self.init(reference: Self.points(reference), generated: generated)
    }

    /// The same for points given as Doubles; `precisionRecallK` and `densityCoverageK` replace
    /// the papers' k = 3 and k = 5 (the literature also quotes precision and recall at k = 5).
    public init(reference: [SIMD2<Double>], generated: [SIMD2<Double>],
                precisionRecallK k3: Int = precisionRecallK, densityCoverageK k5: Int = densityCoverageK) {
        let x = SortedPoints(reference.filter(Self.isFinite))
        let y = SortedPoints(generated.filter(Self.isFinite))
        let m = generated.count
        precondition(k3 >= 1 && k5 >= 1 && x.count > Swift.max(k3, k5) && m > 0,
                     "manifold metrics need more than k reference points and a generated sample")
        let rx3 = x.kthNeighbourDistances(k: k3)
        let rx5 = x.kthNeighbourDistances(k: k5)
        let ry3 = y.count > k3 ? y.kthNeighbourDistances(k: k3) : [Double](repeating: -1, count: y.count)
        let reachX3 = SortedPoints.reach(rx3), reachX5 = SortedPoints.reach(rx5), reachY3 = SortedPoints.reach(ry3)
        var inside = 0, balls = 0
        for q in y.points {
            if x.anyBall(holding: q, radii: rx3, reach: reachX3, inclusive: true) { inside += 1 }
            balls += x.ballCount(holding: q, radii: rx5, reach: reachX5)
        }
        var recalled = 0, covered = 0
        for (i, p) in x.points.enumerated() {
            if y.anyBall(holding: p, radii: ry3, reach: reachY3, inclusive: true) { recalled += 1 }
            if y.anyPoint(near: p, within: rx5[i]) { covered += 1 }
        }
        precision = Double(inside) / Double(m)
        recall = Double(recalled) / Double(x.count)
        density = Double(balls) / Double(k5 * m)
        coverage = Double(covered) / Double(x.count)
    }

    @inline(__always)
    static func isFinite(_ p: SIMD2<Double>) -> Bool { p.x.isFinite && p.y.isFinite }

    @inline(__always)
    static func squaredDistance(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double {
        let d = a - b
        return d.x * d.x + d.y * d.y
    }

    static func points(_ flat: [Float]) -> [SIMD2<Double>] {
        stride(from: 0, to: flat.count - 1, by: 2).map { SIMD2(Double(flat[$0]), Double(flat[$0 + 1])) }
    }
}

/// A finite point set sorted by x, for exact neighbour and ball queries that skip every point
/// whose x alone puts it out of reach. Indices into `points` are those of the sorted order.
struct SortedPoints {
    /// The points, ascending in x.
    let points: [SIMD2<Double>]
    private let xs: [Double]

    init(_ unsorted: [SIMD2<Double>]) {
        points = unsorted.sorted { $0.x < $1.x }
        xs = points.map(\.x)
    }

    var count: Int { points.count }

    /// The first index whose x is ≥ `value`.
    private func lowerBound(_ value: Double) -> Int {
        var low = 0, high = xs.count
        while low < high {
            let mid = (low + high) / 2
            if xs[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Squared distance from each point to its k-th nearest other point of the set (k < count).
    func kthNeighbourDistances(k: Int) -> [Double] {
        precondition(k < count, "need more than k points")
        var nearest = [Double](repeating: .infinity, count: k)  // ascending
        return points.indices.map { i in
            for slot in 0..<k { nearest[slot] = .infinity }
            let p = points[i]
            func offer(_ j: Int) {
                let d = ManifoldMetrics.squaredDistance(p, points[j])
                guard d < nearest[k - 1] else { return }
                var slot = k - 1
                while slot > 0 && nearest[slot - 1] > d {
                    nearest[slot] = nearest[slot - 1]
                    slot -= 1
                }
                nearest[slot] = d
            }
            var left = i - 1, right = i + 1
            while left >= 0 || right < count {
                let dl = left >= 0 ? (p.x - xs[left]) * (p.x - xs[left]) : .infinity
                let dr = right < count ? (xs[right] - p.x) * (xs[right] - p.x) : .infinity
                if Swift.min(dl, dr) > nearest[k - 1] { break }
                if dl <= dr { offer(left); left -= 1 } else { offer(right); right += 1 }
            }
            return nearest[k - 1]
        }
    }

    /// How far in x a ball of squared radii `radii` can reach: the largest radius, with a margin
    /// for rounding; nil when there is no ball (no radius, or only negative ones). Computed once
    /// per set of balls, not per query.
    static func reach(_ radii: [Double]) -> Double? {
        guard let largest = radii.max(), largest >= 0 else { return nil }
        return largest.squareRoot() * (1 + 1e-9)
    }

    /// Whether some point i has ‖q − pᵢ‖² ≤ radii[i] (`inclusive`) or < radii[i] (squared radii;
    /// a negative radius is no ball); `reach` is `reach(radii)`.
    func anyBall(holding q: SIMD2<Double>, radii: [Double], reach: Double?, inclusive: Bool) -> Bool {
        guard let reach else { return false }
        var i = lowerBound(q.x - reach)
        while i < count && xs[i] <= q.x + reach {
            let d = ManifoldMetrics.squaredDistance(q, points[i])
            if inclusive ? d <= radii[i] : d < radii[i] { return true }
            i += 1
        }
        return false
    }

    /// The number of points i with ‖q − pᵢ‖² < radii[i] (squared radii); `reach` is `reach(radii)`.
    func ballCount(holding q: SIMD2<Double>, radii: [Double], reach: Double?) -> Int {
        guard let reach, reach > 0 else { return 0 }
        var i = lowerBound(q.x - reach), total = 0
        while i < count && xs[i] <= q.x + reach {
            if ManifoldMetrics.squaredDistance(q, points[i]) < radii[i] { total += 1 }
            i += 1
        }
        return total
    }

    /// Whether some point lies strictly within squared distance `radius` of q.
    func anyPoint(near q: SIMD2<Double>, within radius: Double) -> Bool {
        guard radius > 0 else { return false }
        let reach = radius.squareRoot() * (1 + 1e-9)
        var i = lowerBound(q.x - reach)
        while i < count && xs[i] <= q.x + reach {
            if ManifoldMetrics.squaredDistance(q, points[i]) < radius { return true }
            i += 1
        }
        return false
    }
}
