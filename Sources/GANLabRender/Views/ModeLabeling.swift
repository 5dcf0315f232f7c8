import GANLabCore

/// The latent partition the modes view draws: every latent grid cell labelled with the part of
/// the target its image lands in, or with negative space (docs/METRICS.md §4, "latent mode partition").
///
/// - Mixtures: the mode j* of G(z) when d ≤ t, from the measured `ModePartition` of each plane.
/// - Spiral: the arc-length bin (one of 20 equal parts of the θ range, as in the coverage metric)
///   of the reference sample nearest to G(z), when it lies within τ of the reference set.
/// - Uniform-to-normal has a single connected target without parts: no labelling.
public struct ModeLabeling: Sendable {
    /// The label of negative space.
    public static let negativeSpace = ModePartition.negativeSpace

    /// Per plane, per grid cell: a label in 0..<count, or `negativeSpace`.
    public var labels: [[Int]]
    /// Number of labels (modes or bins).
    public var count: Int
    /// Latent mass per label (share of all latent mass, planes weighted equally).
    public var massPerLabel: [Double]
    /// Latent mass sent to negative space.
    public var negativeSpaceMass: Double
    /// 4-connected latent components per label, summed over planes.
    public var componentsPerLabel: [Int]
    /// Per label: reached from more than one region of a single latent plane (a continuous G
    /// must tear or cross negative space between those regions).
    public var isSplitWithinAPlane: [Bool]
    /// The colour of each label.
    public var palette: [RGBA]
    /// What a label is: "mode" or "bin".
    public var noun: String

    /// The labelling of `data`'s planes; throws for a problem without modes or bins.
    public init(_ data: MapDiagnosticsData) throws {
        try Self.check(data.problem)
        var perPlane: [[Int]]? = nil
        switch data.problem.kind {
        case .uniformToNormal, .points, .picture:
            throw RunError("\(data.problem.kind.rawValue) has no modes")
        case .spiral:
            let reference = SpiralReference.shared
            labels = data.planes.map { plane in
                plane.values.map { x in
                    let (index, distance) = reference.nearest(to: x)
                    return index >= 0 && distance <= reference.tau ? reference.bins[index] : Self.negativeSpace
                }
            }
            count = SpiralReference.binCount
            palette = Self.binPalette(count)
            noun = "bin"
        case .eightGaussians, .ring8, .ring8PacGAN, .grid25:
            let partitions = data.planes.compactMap(\.partition)
            guard partitions.count == data.planes.count, let k = partitions.first?.modeCount else {
                throw RenderError.invalidData("the planes of \(data.problem.kind.rawValue) carry no mode partition")
            }
            labels = partitions.map(\.labels)
            perPlane = partitions.map(\.componentsPerMode)
            count = k
            palette = Self.modePalette(k)
            noun = "mode"
        }
        let share = 1 / Double(data.planes.count)
        var mass = [Double](repeating: 0, count: count), negative = 0.0
        for (plane, cells) in zip(data.planes, labels) {
            let total = plane.masses.reduce(0, +)
            for (label, m) in zip(cells, plane.masses) {
                if label >= 0 { mass[label] += m / total * share } else { negative += m / total * share }
            }
        }
        massPerLabel = mass
        // The diagnostics' number where it was measured (the same test, d > t or distance > τ).
        negativeSpaceMass = data.geometry.negativeSpaceLatentMass ?? negative
        // Mixtures: the partition's own count (the diagnostics' numbers); bins: counted here.
        let planeComponents = perPlane ?? zip(data.planes, labels).map { plane, cells in
            Self.components(cells, size: plane.grid.size, count: SpiralReference.binCount)
        }
        componentsPerLabel = (0..<count).map { j in planeComponents.reduce(0) { $0 + $1[j] } }
        isSplitWithinAPlane = (0..<count).map { j in planeComponents.contains { $0[j] > 1 } }
    }

    /// Throws a message naming the problems the modes view applies to, for one it does not.
    public static func check(_ problem: ToyProblem) throws {
        if problem.kind == .uniformToNormal {
            throw RunError("the modes view applies to mixtures (eight-gaussians, ring8, ring8-pacgan, grid25) and to the "
                           + "spiral (arc-length bins); uniform-to-normal has one connected target without modes: "
                           + "try --view folds or --view jacobian")
        }
        if problem.kind.isFileTarget {
            throw RunError("the modes view applies to mixtures (eight-gaussians, ring8, ring8-pacgan, grid25) and to the "
                           + "spiral (arc-length bins); a \(problem.kind.rawValue) target from a file has no modes: "
                           + "try --view tears, --view folds or --view density")
        }
    }

    /// Number of labels split within a plane.
    public var labelsSplitWithinAPlane: Int { isSplitWithinAPlane.filter { $0 }.count }

    /// Labels that some latent cell reaches.
    public var labelsReached: Int { massPerLabel.filter { $0 > 0 }.count }

    /// The colour of a label (black for negative space).
    public func color(of label: Int) -> RGBA { label >= 0 && label < palette.count ? palette[label] : .black }

    // MARK: - Palettes

    /// Categorical colours for K modes. Up to 8: hue j/8, the component colours of the article
    /// (so the `eight-gaussians` oracle paints plane k in k's own swatch colour). More: Tableau's
    /// 10 strong and 10 light colours and five darker ones, no black (that is negative space).
    public static func modePalette(_ k: Int) -> [RGBA] {
        if k <= 8 { return (0..<k).map { LatentColoring.componentColor($0, of: 8) } }
        let list: [UInt32] = [
            0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF,
            0xAEC7E8, 0xFFBB78, 0x98DF8A, 0xFF9896, 0xC5B0D5, 0xC49C94, 0xF7B6D2, 0xC7C7C7, 0xDBDB8D, 0x9EDAE5,
            0x393B79, 0x637939, 0x8C6D31, 0x843C39, 0x7B4173,
        ]
        return (0..<k).map { Colormap.hex(list[$0 % list.count]) }
    }

    /// Ordered colours for arc-length bins: viridis from the spiral's centre (dark blue) to its
    /// rim (yellow), so a continuous map shows a smooth ramp and a tear a jump in colour.
    public static func binPalette(_ n: Int) -> [RGBA] {
        (0..<n).map { Colormap.stretch.color(at: (Double($0) + 0.5) / Double(n)) }
    }

    // MARK: - Components

    /// 4-connected components of each label 0..<count on a size × size grid (row-major).
    static func components(_ labels: [Int], size n: Int, count: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: count)
        var visited = [Bool](repeating: false, count: labels.count)
        var stack: [Int] = []
        for start in labels.indices where !visited[start] {
            let label = labels[start]
            visited[start] = true
            if label >= 0 { counts[label] += 1 }
            stack.append(start)
            while let p = stack.popLast() {
                let i = p % n, j = p / n
                for (ni, nj) in [(i - 1, j), (i + 1, j), (i, j - 1), (i, j + 1)] where (0..<n).contains(ni) && (0..<n).contains(nj) {
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
