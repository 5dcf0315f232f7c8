import GANLabCore

/// Plain data for the pullback view: G evaluated at the centre of every latent pixel, one array
/// per latent plane (one plane, or one per component k for `eight-gaussians`), plus true samples
/// for the key.
public struct PullbackData: Sendable {
    /// The latent prior (decides the latent panels).
    public var prior: LatentPrior
    /// Half-width of the sample square shown (and the colouring's radius scale).
    public var sampleExtent: Double
    /// The latent grid every plane was evaluated on: one cell per pixel of a latent panel.
    public var grid: LatentCellGrid
    /// G(z) at the grid's points, flat `[x, y, …]` in grid index order, one array per plane.
    public var planes: [[Float]]
    /// True samples, flat `[x, y, …]`, drawn in grey on the key.
    public var target: [Float]
    /// The title line.
    public var title: String
    /// The training step shown (nil for the oracle).
    public var step: Int?
    /// The map's name in captions: "G", or "f" for the oracle.
    public var mapName = "G"
    /// The map's geometry on the run's diagnostics grid (docs/METRICS.md §4.4), the same numbers the
    /// tears view and `ganlab diagnose` give; nil when not measured.
    public var geometry: GeometrySummary?

    /// Data from already evaluated planes.
    public init(prior: LatentPrior, sampleExtent: Double, grid: LatentCellGrid, planes: [[Float]], target: [Float],
                title: String) {
        self.prior = prior
        self.sampleExtent = sampleExtent
        self.grid = grid
        self.planes = planes
        self.target = target
        self.title = title
    }

    /// Evaluates `map` on a `resolution`² grid of cell centres over [−latentExtent, latentExtent]²
    /// per latent plane, one batched call per plane.
    public static func evaluating(prior: LatentPrior, latentExtent: Double, sampleExtent: Double, resolution: Int,
                                  map: LatentMap, target: [Float], title: String) -> PullbackData {
        let grid = LatentCellGrid(size: max(2, resolution), lower: -latentExtent, upper: latentExtent,
                                  measure: prior == .uniformBox ? .uniform : .gaussian)
        let planes = LatentGrid.components(of: prior).map { k in
            map(grid.latentRows(dimension: prior.dimension, component: prior.dimension > 2 ? k : nil), grid.pointCount)
        }
        return PullbackData(prior: prior, sampleExtent: sampleExtent, grid: grid, planes: planes, target: target, title: title)
    }

    /// Half-width of the latent square shown.
    public var latentExtent: Double { grid.upper }

    /// Throws `RenderError.invalidData` naming the first inconsistency.
    public func validate() throws {
        guard sampleExtent > 0, sampleExtent.isFinite else { throw RenderError.invalidData("the sample extent must be positive") }
        guard planes.count == LatentGrid.components(of: prior).count else {
            throw RenderError.invalidData("\(planes.count) planes for \(LatentGrid.components(of: prior).count) latent panels")
        }
        guard planes.allSatisfy({ $0.count == 2 * grid.pointCount }), target.count % 2 == 0 else {
            throw RenderError.invalidData("every plane needs one point per grid cell (\(grid.pointCount))")
        }
    }

    // MARK: - Steep edges

    /// How torn the map looks at this resolution, from the stretch ‖G(a) − G(b)‖ / h of every
    /// pair of neighbouring latent pixels a, b (all planes) along z₀ and along z₁.
    public struct Stretch: Sendable, Equatable {
        /// Median stretch of the pairs along z₀ and along z₁.
        public var median: (z0: Double, z1: Double)
        /// Largest stretch of any pair.
        public var largest: Double
        /// Share of pairs that are steep edges.
        public var steepShare: Double

        /// Equal medians, largest stretch and steep share.
        public static func == (a: Stretch, b: Stretch) -> Bool {
            a.median == b.median && a.largest == b.largest && a.steepShare == b.steepShare
        }
    }

    /// A pair is a steep edge (a tear at this resolution) when its stretch is more than 10 × the
    /// median stretch along its direction (docs/METRICS.md §4's tear rule, per direction so that a map that
    /// stretches z₀ far more than z₁, like the spiral, is not flagged for it) and its images are
    /// more than 0.2 % of the sample extent apart (so a nearly constant map's wobbles do not count).
    public func stretch() -> Stretch {
        let n = grid.size, h = grid.spacing, floor = 0.002 * sampleExtent
        var along: [[Double]] = [[], []]
        for points in planes {
            func jump(_ a: Int, _ b: Int) -> Double {
                let dx = Double(points[2 * a] - points[2 * b]), dy = Double(points[2 * a + 1] - points[2 * b + 1])
                let v = (dx * dx + dy * dy).squareRoot()
                return v.isFinite ? v : .infinity
            }
            for j in 0..<n {
                for i in 0..<n {
                    if i + 1 < n { along[0].append(jump(j * n + i, j * n + i + 1)) }
                    if j + 1 < n { along[1].append(jump(j * n + i, (j + 1) * n + i)) }
                }
            }
        }
        let medians = along.map(Quantile.median)
        var steep = 0, total = 0, largest = 0.0
        for (d, jumps) in along.enumerated() {
            let threshold = max(10 * medians[d], floor)
            for v in jumps where v > threshold { steep += 1 }
            total += jumps.count
            largest = max(largest, jumps.max() ?? 0)
        }
        return Stretch(median: (medians[0] / h, medians[1] / h), largest: largest / h,
                       steepShare: total > 0 ? Double(steep) / Double(total) : 0)
    }
}
