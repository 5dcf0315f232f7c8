/// The latent mode partition of a mixture problem (docs/METRICS.md §4): every latent cell labelled with the
/// mode G sends it to, or with negative space.
///
/// A perfect generator gives each mode 1/K of the latent mass; a collapsed one gives some modes
/// none. A mode whose latent region falls apart into several 4-connected components is reached
/// from disconnected parts of the latent plane, so the map has to tear or pass through negative
/// space between them.
public struct ModePartition: Sendable, Equatable {
    /// Label of negative space in `labels`.
    public static let negativeSpace = -1

    /// Per grid cell: the mode j* of G(z), or `negativeSpace` when d > t (or G(z) is non-finite).
    public let labels: [Int]
    /// Number of modes, K.
    public let modeCount: Int
    /// Latent mass per mode (share of the plane's mass).
    public let massPerMode: [Double]
    /// Latent mass sent to negative space.
    public let negativeSpaceMass: Double
    /// Number of 4-connected components of each mode's cells (0 for a mode no cell reaches).
    public let componentsPerMode: [Int]
    /// Number of 4-connected components of the negative-space cells.
    public let negativeSpaceComponents: Int

    /// Labels the grid cells by where `values` (G at the grid points) land in `mixture`.
    public init(grid: LatentCellGrid, values: [SIMD2<Double>], masses: [Double], mixture: Mixture,
                threshold: Double) {
        precondition(values.count == grid.pointCount && masses.count == grid.pointCount,
                     "one value and one mass per grid point")
        let k = mixture.centres.count
        var labels = [Int](repeating: Self.negativeSpace, count: grid.pointCount)
        var mass = [Double](repeating: 0, count: k)
        var negative = 0.0
        let total = masses.reduce(0, +)
        for (p, x) in values.enumerated() {
            let (mode, d) = mixture.assign(x)
            if mode >= 0 && d <= threshold {
                labels[p] = mode
                mass[mode] += masses[p] / total
            } else {
                negative += masses[p] / total
            }
        }
        let components = Self.countComponents(labels: labels, size: grid.size, labelCount: k)
        self.labels = labels
        self.modeCount = k
        self.massPerMode = mass
        self.negativeSpaceMass = negative
        self.componentsPerMode = Array(components.dropLast())
        self.negativeSpaceComponents = components[k]
    }

    /// Number of 4-connected components per label 0..<labelCount, then for `negativeSpace` last.
    ///
    /// A flood fill with an explicit stack: every unvisited cell starts a component and the fill
    /// visits each cell once, so the whole count is O(size²).
    static func countComponents(labels: [Int], size n: Int, labelCount k: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: k + 1)
        var visited = [Bool](repeating: false, count: labels.count)
        var stack: [Int] = []
        for start in labels.indices where !visited[start] {
            let label = labels[start]
            counts[label == negativeSpace ? k : label] += 1
            visited[start] = true
            stack.append(start)
            while let p = stack.popLast() {
                let i = p % n, j = p / n
                for (ni, nj) in [(i - 1, j), (i + 1, j), (i, j - 1), (i, j + 1)]
                where ni >= 0 && ni < n && nj >= 0 && nj < n {
                    let q = nj * n + ni
                    if !visited[q] && labels[q] == label {
                        visited[q] = true
                        stack.append(q)
                    }
                }
            }
        }
        return counts
    }
}
