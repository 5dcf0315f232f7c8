import Foundation
import GANLabCore

/// Plain data for the warped-grid view: G evaluated on a fine regular lattice of the latent
/// plane (one lattice per component for priors with components), and the geometry derived
/// from it (cell area stretch and folds, docs/METRICS.md §4 "Map geometry").
///
/// The latent square [−e, e]² is cut into `cells` × `cells` grid cells; each cell edge is
/// sampled `subdivisions` times, so grid lines bend smoothly and each cell's image is the
/// polygon through its 4·subdivisions boundary points. Fine cells (one subdivision wide) carry
/// the local stretch and fold sign. For Gaussian priors the lattice is evenly spaced in Φ(z)
/// (`LatentGrid.nodeCoordinates`), so every cell holds the same latent mass.
public struct WarpedGridData: Sendable {
    /// The latent prior.
    public var prior: LatentPrior
    /// Half-width of the latent square the grid covers.
    public var latentExtent: Double
    /// Half-width of the sample square shown.
    public var sampleExtent: Double
    /// Grid cells per side.
    public var cells: Int
    /// Samples per cell edge.
    public var subdivisions: Int
    /// The n+1 lattice coordinates along each latent axis, n = cells·subdivisions, ascending
    /// from −e to e; grid lines are every `subdivisions`-th.
    public var coordinates: [Double]
    /// Per component: G at the (n+1)² lattice nodes, flat `[x, y, …]`, node (i, j) at index
    /// j·(n+1) + i, the image of (z₀, z₁) = (coordinates[i], coordinates[j]).
    public var images: [[Float]]
    /// True samples drawn in light grey behind the grid.
    public var target: [Float]
    /// The title line.
    public var title: String
    /// The training step shown.
    public var step: Int = 0
    /// The map's geometry on the run's diagnostics grid (docs/METRICS.md §4.4): the folded fraction
    /// and tear mass the note states, the same numbers as `ganlab diagnose`; nil when not measured.
    public var geometry: GeometrySummary?

    /// Data from evaluated lattices.
    public init(prior: LatentPrior, latentExtent: Double, sampleExtent: Double, cells: Int, subdivisions: Int,
                coordinates: [Double], images: [[Float]], target: [Float], title: String) {
        self.prior = prior
        self.coordinates = coordinates
        self.latentExtent = latentExtent
        self.sampleExtent = sampleExtent
        self.cells = cells
        self.subdivisions = subdivisions
        self.images = images
        self.target = target
        self.title = title
    }

    /// Evaluates `generator` (latent rows → flat 2-D points) on the lattice of every component,
    /// one batched call per component.
    public static func evaluating(prior: LatentPrior, latentExtent: Double, sampleExtent: Double, cells: Int = 40,
                                  subdivisions: Int = 4, generator: (_ latents: [Float], _ count: Int) -> [Float],
                                  target: [Float], title: String) -> WarpedGridData {
        let side = cells * subdivisions + 1
        let coordinates = LatentGrid.nodeCoordinates(prior: prior, extent: latentExtent, cells: cells,
                                                     subdivisions: subdivisions)
        let plane = LatentGrid.latticePoints(coordinates)
        let images = LatentGrid.components(of: prior).map { k in
            generator(LatentGrid.latentRows(plane: plane, count: side * side, prior: prior, component: k), side * side)
        }
        return WarpedGridData(prior: prior, latentExtent: latentExtent, sampleExtent: sampleExtent, cells: cells,
                              subdivisions: subdivisions, coordinates: coordinates, images: images, target: target,
                              title: title)
    }

    /// Fine cells per side.
    public var fineCells: Int { cells * subdivisions }

    /// Throws `RenderError.invalidData` naming the first inconsistency.
    public func validate() throws {
        guard cells >= 1, subdivisions >= 1, latentExtent > 0, sampleExtent > 0 else {
            throw RenderError.invalidData("the grid needs cells ≥ 1, subdivisions ≥ 1 and positive extents")
        }
        let nodes = 2 * (fineCells + 1) * (fineCells + 1)
        guard coordinates.count == fineCells + 1, zip(coordinates, coordinates.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw RenderError.invalidData("the grid needs \(fineCells + 1) ascending lattice coordinates")
        }
        guard images.count == LatentGrid.components(of: prior).count, images.allSatisfy({ $0.count == nodes }) else {
            throw RenderError.invalidData("expected \(LatentGrid.components(of: prior).count) lattices of \(nodes / 2) points")
        }
        guard target.count % 2 == 0 else { throw RenderError.invalidData("target has an odd number of coordinates") }
    }

    /// G's image of lattice node (i, j) of component lattice `k`.
    @inline(__always)
    public func node(_ k: Int, i: Int, j: Int) -> (x: Double, y: Double) {
        let index = 2 * (j * (fineCells + 1) + i)
        return (Double(images[k][index]), Double(images[k][index + 1]))
    }

    // MARK: - Geometry

    /// Signed stretch of every fine cell of lattice `k`, row-major (fine j, fine i): the signed
    /// (shoelace) area of the image quad divided by the latent cell area, ≈ det J(z).
    public func fineStretch(_ k: Int) -> [Double] {
        let n = fineCells
        let width = zip(coordinates, coordinates.dropFirst()).map { $1 - $0 }
        var out = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            for i in 0..<n {
                let quad = [node(k, i: i, j: j), node(k, i: i + 1, j: j), node(k, i: i + 1, j: j + 1), node(k, i: i, j: j + 1)]
                out[j * n + i] = Self.signedArea(quad) / (width[i] * width[j])
            }
        }
        return out
    }

    /// The boundary of coarse cell (ci, cj) of lattice `k` in sample coordinates, anticlockwise in
    /// the latent plane: 4·subdivisions points.
    public func cellBoundary(_ k: Int, ci: Int, cj: Int) -> [(x: Double, y: Double)] {
        let s = subdivisions, i0 = ci * s, j0 = cj * s
        var points: [(x: Double, y: Double)] = []
        points.reserveCapacity(4 * s)
        for t in 0..<s { points.append(node(k, i: i0 + t, j: j0)) }
        for t in 0..<s { points.append(node(k, i: i0 + s, j: j0 + t)) }
        for t in 0..<s { points.append(node(k, i: i0 + s - t, j: j0 + s)) }
        for t in 0..<s { points.append(node(k, i: i0, j: j0 + s - t)) }
        return points
    }

    /// |signed area of the cell's image| / latent cell area for every coarse cell of lattice `k`.
    public func cellStretch(_ k: Int) -> [Double] {
        let s = subdivisions
        let width = (0..<cells).map { coordinates[($0 + 1) * s] - coordinates[$0 * s] }
        var out = [Double](repeating: 0, count: cells * cells)
        for cj in 0..<cells {
            for ci in 0..<cells {
                out[cj * cells + ci] = abs(Self.signedArea(cellBoundary(k, ci: ci, cj: cj))) / (width[ci] * width[cj])
            }
        }
        return out
    }

    /// Latent probability mass of every fine cell (normalised over the square), row-major.
    public func fineMass() -> [Double] {
        let n = fineCells
        let marginal = LatentGrid.intervalMass(prior: prior, coordinates: coordinates)
        var weights = [Double](repeating: 0, count: n * n)
        for j in 0..<n { for i in 0..<n { weights[j * n + i] = marginal[i] * marginal[j] } }
        let total = weights.reduce(0, +)
        return weights.map { $0 / max(total, .leastNormalMagnitude) }
    }

    /// G's image of a point given by fractional lattice indices (a, b), bilinear between nodes.
    public func image(_ k: Int, a: Double, b: Double) -> (x: Double, y: Double) {
        let n = fineCells
        let i = min(max(Int(a), 0), n - 1), j = min(max(Int(b), 0), n - 1)
        let fa = a - Double(i), fb = b - Double(j)
        let p00 = node(k, i: i, j: j), p10 = node(k, i: i + 1, j: j)
        let p01 = node(k, i: i, j: j + 1), p11 = node(k, i: i + 1, j: j + 1)
        let bottom = (p00.x + (p10.x - p00.x) * fa, p00.y + (p10.y - p00.y) * fa)
        let top = (p01.x + (p11.x - p01.x) * fa, p01.y + (p11.y - p01.y) * fa)
        return (bottom.0 + (top.0 - bottom.0) * fb, bottom.1 + (top.1 - bottom.1) * fb)
    }

    /// The creases of lattice `k` (curves where det J changes sign, bounding folded regions) as
    /// segments in fractional lattice indices `[a0, b0, a1, b1, …]`: marching squares at level 0
    /// on the signed stretch of the fine cells, with nodes at the cell centres.
    public func creases(stretch: [Double]) -> [Double] {
        let n = fineCells
        guard n >= 2 else { return [] }
        let half = Double(n - 1) / 2
        let field = ScalarGrid(extent: half, size: n, values: stretch.map { Float($0) })
        var segments = field.contourSegments(level: 0)
        for i in segments.indices { segments[i] += half + 0.5 }  // centre of cell i is at index i + ½
        return segments
    }

    /// Which fine cells are folded: their orientation (sign of the signed stretch) differs from
    /// the majority orientation by latent mass (a global mirror is not a fold, docs/METRICS.md §4).
    public static func folds(stretch: [Double], mass: [Double]) -> [Bool] {
        var positive = 0.0, negative = 0.0
        for (s, m) in zip(stretch, mass) {
            if s > 0 { positive += m } else if s < 0 { negative += m }
        }
        let majority: Double = positive >= negative ? 1 : -1
        return stretch.map { $0 * majority < 0 }
    }

    /// Shoelace formula: ½ Σ (x_i y_{i+1} − x_{i+1} y_i), positive for anticlockwise polygons.
    public static func signedArea(_ polygon: [(x: Double, y: Double)]) -> Double {
        var sum = 0.0
        for (a, b) in zip(polygon, polygon.dropFirst() + polygon.prefix(1)) {
            sum += a.x * b.y - b.x * a.y
        }
        return sum / 2
    }
}
