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
///     density   = (1/(k·M)) Σ_j Σ_i 1[‖y_j − x_i‖ ≤ r_k(x_i)]      (k = 5)
///     coverage  = (1/N) Σ_i 1[∃ j: ‖x_i − y_j‖ ≤ r_k(x_i)]         (k = 5)
///
/// Computed exactly by comparing every pair (O(N·M) distance evaluations; 2,500 × 2,500 points
/// take a few milliseconds).
public struct ManifoldMetrics: Sendable, Equatable {
    /// Share of generated samples inside the reference manifold (k = 3).
    public var precision: Double
    /// Share of reference samples inside the generated manifold (k = 3).
    public var recall: Double
    /// Mean number of reference balls (k = 5) holding a generated sample, divided by k; 1 when Y
    /// is distributed like X, above 1 where Y crowds into dense parts of X.
    public var density: Double
    /// Share of reference samples whose own ball (k = 5) holds a generated sample.
    public var coverage: Double

    /// The k of precision and recall, and of density and coverage, as the papers set them.
    public static let precisionRecallK = 3
    public static let densityCoverageK = 5

    /// The four metrics of generated samples `generated` against reference samples `reference`,
    /// both flat `[x, y, …]` with at least k + 1 finite points each.
    public init(reference: [Float], generated: [Float]) {
        let x = Self.points(reference), y = Self.points(generated)
        precondition(x.count > Self.densityCoverageK && y.count > Self.densityCoverageK,
                     "manifold metrics need more than \(Self.densityCoverageK) points in each set")
        let rx3 = Self.kthNeighbourDistances(x, k: Self.precisionRecallK)
        let ry3 = Self.kthNeighbourDistances(y, k: Self.precisionRecallK)
        let rx5 = Self.kthNeighbourDistances(x, k: Self.densityCoverageK)
        var inside = 0, balls = 0
        for q in y {
            var hit = false
            for (i, p) in x.enumerated() {
                let d = Self.squaredDistance(p, q)
                if d <= rx3[i] { hit = true }
                if d <= rx5[i] { balls += 1 }
            }
            if hit { inside += 1 }
        }
        var recalled = 0, covered = 0
        for (i, p) in x.enumerated() {
            var inY = false, own = false
            for (j, q) in y.enumerated() {
                let d = Self.squaredDistance(p, q)
                if d <= ry3[j] { inY = true }
                if d <= rx5[i] { own = true }
                if inY && own { break }
            }
            if inY { recalled += 1 }
            if own { covered += 1 }
        }
        precision = Double(inside) / Double(y.count)
        recall = Double(recalled) / Double(x.count)
        density = Double(balls) / Double(Self.densityCoverageK * y.count)
        coverage = Double(covered) / Double(x.count)
    }

    /// Squared distance from each point to its k-th nearest other point of the same set.
    static func kthNeighbourDistances(_ points: [SIMD2<Double>], k: Int) -> [Double] {
        points.enumerated().map { (i, p) in
            var nearest = [Double](repeating: .infinity, count: k)  // ascending
            for (j, q) in points.enumerated() where j != i {
                let d = squaredDistance(p, q)
                guard d < nearest[k - 1] else { continue }
                var slot = k - 1
                while slot > 0 && nearest[slot - 1] > d {
                    nearest[slot] = nearest[slot - 1]
                    slot -= 1
                }
                nearest[slot] = d
            }
            return nearest[k - 1]
        }
    }

    @inline(__always)
    static func squaredDistance(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double {
        let d = a - b
        return d.x * d.x + d.y * d.y
    }

    static func points(_ flat: [Float]) -> [SIMD2<Double>] {
        stride(from: 0, to: flat.count - 1, by: 2).map { SIMD2(Double(flat[$0]), Double(flat[$0 + 1])) }
    }
}
