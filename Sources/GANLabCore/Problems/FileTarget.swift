import GANLabEngine

/// A target distribution read from the user's file (docs/TARGETS.md): a weighted point set or a
/// picture, as a list of atoms (points, or the pixels that hold mass) with a cumulative weight
/// table to draw from.
///
/// Drawing one sample consumes the random source in this order: u = `nextUnitDouble()` picks the
/// atom (the first whose cumulative weight exceeds u); then, for a point with jitter σ > 0,
/// x = p + σ·(`nextGaussian()`, `nextGaussian()`); for a pixel, x = its lower-left corner +
/// cell·(`nextUnitDouble()`, `nextUnitDouble()`), uniform over the pixel.
///
/// Immutable once built, so it is shared freely between threads. `FileTarget+Reading.swift`
/// builds it from a file's bytes; `reference` is the held-out set its negative space is measured
/// against.
public final class FileTarget: Sendable {
    /// `points` or `picture`.
    public let kind: ProblemKind
    /// The settings it was built with, `checksum` and a resolved `extent` filled in.
    public let settings: TargetConfig
    /// Half-width of the plot square.
    public let extent: Double
    /// The points (`points`; empty for a picture).
    let points: [SIMD2<Double>]
    /// The pixels that hold mass, as row-major indices (`picture`; empty for points): 4 bytes
    /// an atom, so a 4096² picture fits in 64 MB.
    let pixels: [UInt32]
    /// Normalised cumulative weights of the atoms; the last is exactly 1.
    public let cumulative: [Double]
    /// Side of one pixel in plot units (`picture`), 0 for points.
    public let cell: Double
    /// Picture size in pixels (0 × 0 for points).
    public let pixelWidth: Int, pixelHeight: Int

    /// A point set and the points' (finite, non-negative, not all zero) weights.
    convenience init(settings: TargetConfig, extent: Double, points: [SIMD2<Double>], weights: [Double]) {
        self.init(kind: .points, settings: settings, extent: extent, points: points, pixels: [], weights: weights,
                  cell: 0, pixelWidth: 0, pixelHeight: 0)
    }

    /// A picture: the row-major indices of its pixels that hold mass, and their weights.
    convenience init(settings: TargetConfig, extent: Double, pixels: [UInt32], weights: [Double], width: Int, height: Int) {
        self.init(kind: .picture, settings: settings, extent: extent, points: [], pixels: pixels, weights: weights,
                  cell: 2 * extent / Double(Swift.max(width, height)), pixelWidth: width, pixelHeight: height)
    }

    private init(kind: ProblemKind, settings: TargetConfig, extent: Double, points: [SIMD2<Double>], pixels: [UInt32],
                 weights: [Double], cell: Double, pixelWidth: Int, pixelHeight: Int) {
        precondition(points.count + pixels.count == weights.count && !weights.isEmpty, "a file target needs atoms")
        var settings = settings
        settings.extent = extent
        self.kind = kind
        self.settings = settings
        self.extent = extent
        self.points = points
        self.pixels = pixels
        self.cell = cell
        self.pixelWidth = pixelWidth
        self.pixelHeight = pixelHeight
        let total = weights.reduce(0, +)
        precondition(total > 0 && total.isFinite, "a file target needs positive total weight")
        var running = 0.0
        var table = weights.map { w -> Double in
            running += w
            return running / total
        }
        table[table.count - 1] = 1
        cumulative = table
    }

    /// Number of atoms (points, or pixels that hold mass).
    public var atomCount: Int { cumulative.count }

    /// Atom `i`: the point, or the lower-left corner of the pixel. The picture is centred on the
    /// origin, `cell` wide per pixel, its top row at the top.
    @inline(__always)
    public func atom(_ i: Int) -> SIMD2<Double> {
        guard kind == .picture else { return points[i] }
        let index = Int(pixels[i])
        let row = index / pixelWidth, column = index - row * pixelWidth
        return SIMD2((Double(column) - Double(pixelWidth) / 2) * cell, (Double(pixelHeight) / 2 - Double(row) - 1) * cell)
    }

    /// σ of the jitter added to drawn points.
    public var jitter: Double { settings.jitter }

    /// The latent prior G draws from.
    public var prior: LatentPrior { settings.latent == .gaussian ? .gaussian : .uniformBox }

    /// One sample and the index of the atom it came from.
    @inline(__always)
    func draw(using rng: inout RandomSource) -> (point: SIMD2<Double>, atom: Int) {
        let atom = Self.index(of: rng.nextUnitDouble(), in: cumulative)
        return (place(atom, using: &rng), atom)
    }

    /// One sample of atom `atom` (jittered point or uniform position in the pixel).
    @inline(__always)
    func place(_ atom: Int, using rng: inout RandomSource) -> SIMD2<Double> {
        let corner = self.atom(atom)
        if kind == .picture {
            let a = rng.nextUnitDouble(), b = rng.nextUnitDouble()
            return corner + cell * SIMD2(a, b)
        }
        guard jitter > 0 else { return corner }
        let g0 = rng.nextGaussian(), g1 = rng.nextGaussian()
        return corner + jitter * SIMD2(g0, g1)
    }

    /// The first index whose cumulative weight exceeds u (u in [0, 1)); binary search.
    @inline(__always)
    static func index(of u: Double, in table: [Double]) -> Int {
        var low = 0, high = table.count - 1
        while low < high {
            let mid = (low + high) / 2
            if table[mid] > u { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// The points and weights of the atoms whose index passes `keep`, as a cumulative table.
    func cumulativeWeights(keeping keep: (Int) -> Bool) -> [Double] {
        var running = 0.0
        var table: [Double] = []
        table.reserveCapacity(atomCount)
        var previous = 0.0
        for index in 0..<atomCount {
            let w = cumulative[index] - previous
            previous = cumulative[index]
            if keep(index) { running += w }
            table.append(running)
        }
        return table.map { $0 / running }
    }

    /// The negative-space reference of this target, built on first use (see `TargetReference`).
    public var reference: TargetReference { referenceBox.value { TargetReference(target: self) } }
    private let referenceBox = OnceBox<TargetReference>()

    /// The set precision, recall, density and coverage are measured against, built on first use.
    public var manifoldReference: ManifoldReference {
        manifoldBox.value { ManifoldReference(problem: ToyProblem(file: self)) }
    }
    private let manifoldBox = OnceBox<ManifoldReference>()
}

extension FileTarget: Equatable {
    /// Two targets are equal when they come from the same bytes (by checksum) with the same
    /// sampling settings, wherever the file lies.
    public static func == (a: FileTarget, b: FileTarget) -> Bool {
        a === b || (a.kind == b.kind && a.settings.checksum == b.settings.checksum && a.settings.latent == b.settings.latent
                    && a.settings.jitter == b.settings.jitter && a.extent == b.extent)
    }
}
