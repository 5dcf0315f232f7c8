import Foundation
import GANLabCore

/// GAN Lab's manifold view: a regular latent grid pushed through G and drawn on the sample
/// plane, each cell filled by how much G stretches its area (log colour scale), folded cells
/// (orientation flipped against the majority) tinted red and the creases (det J = 0) drawn in
/// red; beside it the latent plane painted with the same stretch, so tears show as bright seams,
/// and folded regions hatched red.
public enum GridView {
    /// Where everything goes, exposed so tests can find pixels.
    public struct Layout: Sendable {
        /// The page.
        public var page: ViewLayout
        /// The latent panel(s).
        public var latentPanels: [PlotPanel]
        /// The sample-plane panel.
        public var samplePanel: PlotPanel
        /// The stretch colour bar.
        public var colorBar: ColorBar
        /// The component key, for priors with components (grid lines take the component's hue).
        public var key: ColorKey?
        /// Where the legend starts.
        public var legendOrigin: (x: Double, y: Double)
    }

    /// The stretch colours.
    public static let colormap = Colormap.stretch
    /// Folded cells.
    public static let foldColor = RGBA(red: 0.86, green: 0.08, blue: 0.12)
    /// Grid lines of a 2-D prior.
    public static let lineColor = RGBA.grey(0.12)
    /// Opacity of the stretch fill of grid cells on the sample plane.
    public static let fillOpacity = 0.45
    /// Opacity of folded cells' images on the sample plane.
    public static let foldOpacity = 0.22

    /// Computes the layout for square panels of `panelSize` px.
    public static func layout(for data: WarpedGridData, panelSize: Int = 800,
                              range: ClosedRange<Double> = 0.1...10) -> Layout {
        let page = ViewLayout(panelSize: panelSize, columns: 2)
        let latentTitle = data.prior.dimension > 2 ? "area stretch on the latent plane, per k" : "area stretch on the latent plane"
        let latent = page.latentPanels(column: 0, prior: data.prior, extent: data.latentExtent, title: latentTitle)
        let sample = page.panel(column: 1, extent: data.sampleExtent,
                                title: data.images.count > 1 ? "latent grids pushed through G, one per k" : "latent grid pushed through G")
        let f = page.fontSize, side = page.side
        let barHeight = (page.panelSide * 0.42).rounded()
        let bar = ColorBar(colormap: colormap, range: range, scale: .logarithmic,
                           caption: ["area stretch |det J|", "image area / latent area"],
                           area: PixelRect(x: side.x, y: side.y, width: side.width, height: barHeight), fontSize: f)
        var legendY = side.y + barHeight + f * 1.6
        var key: ColorKey?
        if data.prior.dimension > 2 {
            key = ColorKey(prior: data.prior, extent: data.latentExtent,
                           area: PixelRect(x: side.x, y: legendY, width: side.width * 0.8, height: f * 9),
                           fontSize: f, caption: "grid colour (component k)", showsSquare: false)
            legendY += f * 8.5
        }
        return Layout(page: page, latentPanels: latent, samplePanel: sample, colorBar: bar, key: key,
                      legendOrigin: (side.x, legendY))
    }

    /// Renders the view.
    public static func render(_ data: WarpedGridData, panelSize: Int = 800) throws -> Canvas {
        try data.validate()
        let geometry = geometry(of: data)
        let layout = layout(for: data, panelSize: panelSize, range: geometry.range)
        let canvas = try layout.page.makeCanvas(title: data.title)
        let scale = max(1, layout.page.panelSide / 800)

        for (k, panel) in layout.latentPanels.enumerated() {
            drawLatentStretch(data, k: k, geometry: geometry, bar: layout.colorBar, on: panel, canvas: canvas)
            if case .gaussianWithComponent(let components) = data.prior {
                ViewLayout.drawComponentSwatch(k, of: components, beside: panel, on: canvas)
            }
        }
        if let spare = layout.page.spareCell(column: 0, prior: data.prior) {
            layout.page.drawNote(["stretch, folds and creases", "of G(n, k) per component;", "on the sample plane only",
                                  "the grid lines, in hue k"],
                                 x: spare.x, y: spare.y, on: canvas)
        }

        let sample = layout.samplePanel
        sample.drawBackground(on: canvas)
        sample.drawDots(data.target, color: MappingFigure.targetColor, radius: MappingFigure.defaultPointRadius(panelSide: sample.rect.width) * 0.8,
                        opacity: 0.7, on: canvas)
        // One lattice: fills, folds and creases on the sample plane. Several (one per component)
        // overlap there, so they show only their grid lines in the component's hue; their
        // stretch, folds and creases are on the per-component latent panels.
        let many = data.images.count > 1
        canvas.withClip(sample.rect) {
            if !many {
                drawCellFills(data, k: 0, stretch: geometry.cells[0], bar: layout.colorBar, opacity: fillOpacity,
                              panel: sample, canvas: canvas)
                drawFoldedCells(data, k: 0, folds: geometry.folds[0], panel: sample, canvas: canvas)
            }
            for k in data.images.indices {
                let color: RGBA
                if case .gaussianWithComponent(let components) = data.prior {
                    color = LatentColoring.componentColor(k, of: components)
                } else {
                    color = lineColor
                }
                canvas.strokePolylines(gridLines(data, k: k, panel: sample), color: color.withAlpha(many ? 0.6 : 0.85),
                                       lineWidth: (many ? 0.6 : 0.8) * scale)
            }
            if !many {
                canvas.strokeSegments(creaseImages(data, k: 0, creases: geometry.creases[0], panel: sample),
                                      color: foldColor, lineWidth: 1.4 * scale)
            }
        }
        sample.drawFrame(on: canvas)

        layout.colorBar.draw(on: canvas)
        layout.key?.draw(on: canvas)
        drawLegend(data, geometry: geometry, layout: layout, on: canvas)
        try canvas.checkStatus("rendering the grid view '\(data.title)'")
        return canvas
    }

    // MARK: - Parts

    /// Paints every fine latent cell of lattice `k` in its stretch colour (hatched red when
    /// folded), draws the coarse grid faintly (on large panels) and the creases in red.
    static func drawLatentStretch(_ data: WarpedGridData, k: Int, geometry: Geometry, bar: ColorBar,
                                  on panel: PlotPanel, canvas: Canvas) {
        let n = data.fineCells, c = data.coordinates
        let colors = geometry.fine[k].map { bar.color(of: abs($0)) }
        let folds = geometry.folds[k]
        let period = hatchPeriod(panelSide: panel.rect.width)
        // Column (and row) index of every pixel centre, found once per axis.
        let columns = (0..<Int(panel.rect.width)).map { x -> Int in
            let z = panel.dataPoint(pixelX: panel.rect.x + Double(x) + 0.5, pixelY: 0).x
            return min(Int(LatentGrid.fractionalIndex(of: z, in: c)), n - 1)
        }
        let rows = (0..<Int(panel.rect.height)).map { y -> Int in
            let z = panel.dataPoint(pixelX: 0, pixelY: panel.rect.y + Double(y) + 0.5).y
            return min(Int(LatentGrid.fractionalIndex(of: z, in: c)), n - 1)
        }
        canvas.paintPixels(in: panel.rect) { x, y in
            let i = columns[min(max(Int(x - panel.rect.x), 0), columns.count - 1)]
            let j = rows[min(max(Int(y - panel.rect.y), 0), rows.count - 1)]
            return folds[j * n + i] && isHatched(x: x, y: y, period: period) ? foldColor : colors[j * n + i]
        }
        var segments: [Double] = []
        let e = data.latentExtent
        for line in 1..<data.cells {
            let v = c[line * data.subdivisions]
            let a = panel.pixel(x: v, y: -e), b = panel.pixel(x: v, y: e)
            let l = panel.pixel(x: -e, y: v), r = panel.pixel(x: e, y: v)
            segments += [a.x, a.y, b.x, b.y, l.x, l.y, r.x, r.y]
        }
        let scale = max(1, panel.rect.width / 800)
        if panel.rect.width >= 400 { canvas.strokeSegments(segments, color: .white.withAlpha(0.3), lineWidth: scale) }
        let creases = geometry.creases[k]
        var creasePixels = creases
        for i in stride(from: 0, to: creases.count, by: 2) {
            let p = panel.pixel(x: LatentGrid.coordinate(atFractionalIndex: creases[i], in: c),
                                y: LatentGrid.coordinate(atFractionalIndex: creases[i + 1], in: c))
            creasePixels[i] = p.x
            creasePixels[i + 1] = p.y
        }
        canvas.withClip(panel.rect) {
            canvas.strokeSegments(creasePixels, color: foldColor, lineWidth: 1.4 * scale * min(1, panel.rect.width / 400))
        }
        panel.drawFrame(on: canvas)
    }

    /// Spacing of the fold hatching in px: 1.2 % of the panel side, at least 5 px.
    static func hatchPeriod(panelSide: Double) -> Double { max(5, (panelSide * 0.012).rounded()) }

    /// Whether pixel centre (x, y) lies on a diagonal hatch line (a third of each period).
    static func isHatched(x: Double, y: Double, period: Double) -> Bool {
        let phase = (x + y).truncatingRemainder(dividingBy: period)
        return phase < period / 3
    }

    /// The images of the creases of lattice `k` on the sample plane, as pixel segments.
    static func creaseImages(_ data: WarpedGridData, k: Int, creases: [Double], panel: PlotPanel) -> [Double] {
        var out = creases
        for i in stride(from: 0, to: creases.count, by: 2) {
            let x = data.image(k, a: creases[i], b: creases[i + 1])
            let p = panel.pixel(x: x.x, y: x.y)
            out[i] = p.x
            out[i + 1] = p.y
        }
        return out
    }

    /// Fills each coarse cell's image polygon with its stretch colour.
    static func drawCellFills(_ data: WarpedGridData, k: Int, stretch: [Double], bar: ColorBar, opacity: Double,
                              panel: PlotPanel, canvas: Canvas) {
        for cj in 0..<data.cells {
            for ci in 0..<data.cells {
                let polygon = data.cellBoundary(k, ci: ci, cj: cj).flatMap { p -> [Double] in
                    let q = panel.pixel(x: p.x, y: p.y)
                    return [q.x, q.y]
                }
                canvas.fillPolygon(polygon, color: bar.color(of: stretch[cj * data.cells + ci]).withAlpha(opacity))
            }
        }
    }

    /// Fills the image quad of every folded fine cell in red.
    static func drawFoldedCells(_ data: WarpedGridData, k: Int, folds: [Bool], panel: PlotPanel, canvas: Canvas) {
        let n = data.fineCells
        for (c, folded) in folds.enumerated() where folded {
            let i = c % n, j = c / n
            let quad = [data.node(k, i: i, j: j), data.node(k, i: i + 1, j: j), data.node(k, i: i + 1, j: j + 1),
                        data.node(k, i: i, j: j + 1)]
            canvas.fillPolygon(quad.flatMap { p -> [Double] in
                let q = panel.pixel(x: p.x, y: p.y)
                return [q.x, q.y]
            }, color: foldColor.withAlpha(foldOpacity))
        }
    }

    /// The images of the grid lines z₀ = const and z₁ = const as pixel polylines.
    static func gridLines(_ data: WarpedGridData, k: Int, panel: PlotPanel) -> [[Double]] {
        let n = data.fineCells, s = data.subdivisions
        var lines: [[Double]] = []
        for c in 0...data.cells {
            var along0: [Double] = [], along1: [Double] = []
            for t in 0...n {
                let p = data.node(k, i: t, j: c * s), q = data.node(k, i: c * s, j: t)
                let pp = panel.pixel(x: p.x, y: p.y), qq = panel.pixel(x: q.x, y: q.y)
                along0 += [pp.x, pp.y]
                along1 += [qq.x, qq.y]
            }
            lines += [along0, along1]
        }
        return lines
    }

    private static func drawLegend(_ data: WarpedGridData, geometry: Geometry, layout: Layout, on canvas: Canvas) {
        let page = layout.page, x = layout.legendOrigin.x
        var y = layout.legendOrigin.y
        y = page.drawLegendRow("folded cell", color: foldColor, marker: .hatched, x: x, y: y, on: canvas)
        y = page.drawLegendRow("crease (det J = 0)", color: foldColor, marker: .line(width: 2), x: x, y: y, on: canvas)
        if data.prior.dimension == 2 {
            y = page.drawLegendRow("grid line", color: lineColor, marker: .line(width: 1.2), x: x, y: y, on: canvas)
        }
        y = page.drawLegendRow("target samples", color: MappingFigure.targetColor, marker: .dot, x: x, y: y, on: canvas)
        let e = PlotPanel.format(data.latentExtent)
        let spacing = data.prior == .uniformBox ? "evenly spaced" : "of equal latent mass"
        page.drawNote([
            "\(data.cells) × \(data.cells) cells \(spacing)", "over [−\(e), \(e)]²",
        ] + measuredLines(data, geometry: geometry), x: x, y: y + page.fontSize * 0.6, on: canvas)
    }

    /// The folded fraction and tear mass of docs/METRICS.md §4.4 when the data carries them (the
    /// same numbers as `ganlab diagnose`), else the folded share of this picture's own cells.
    static func measuredLines(_ data: WarpedGridData, geometry: Geometry) -> [String] {
        guard let g = data.geometry else {
            return [String(format: "folded cells: %.2f %% of latent mass", 100 * geometry.foldedMass),
                    String(format: "median cell stretch: %.3g", geometry.medianStretch)]
        }
        return [String(format: "folded fraction: %.2f %%", 100 * g.foldedFraction),
                String(format: "tear mass: %.2f %%", 100 * g.tearMass),
                String(format: "median σ_max: %.3g", g.largestSingularValue.median)]
    }
}
