import GANLabCore

/// Where the map tears (docs/METRICS.md §4): on the latent plane, the cut between every pair of neighbouring
/// grid cells that G sends far apart, drawn as a thick line over the washed-out latent colouring;
/// on the sample plane, each torn edge's jump G(z) → G(z + h·e) as a segment over the target and
/// the faded probes. Both planes agree with the run's diagnostics (`tear_mass`, `tear_edges`).
public enum TearsView {
    /// Where everything goes, exposed so tests can find pixels.
    public struct Layout: Sendable {
        /// The page.
        public var page: ViewLayout
        /// The latent panel(s).
        public var latentPanels: [PlotPanel]
        /// The sample-plane panel.
        public var samplePanel: PlotPanel
        /// The latent colour key.
        public var key: ColorKey
        /// Where the legend starts.
        public var legendOrigin: (x: Double, y: Double)
    }

    /// The tear lines on the latent plane.
    public static let tearColor = RGBA(red: 0.05, green: 0.05, blue: 0.05)
    /// The jump segments on the sample plane.
    public static let jumpColor = RGBA(red: 0.85, green: 0.05, blue: 0.12)
    /// How far the latent colouring is washed towards white under the tear lines.
    public static let dimming = 0.6

    /// Computes the layout for square panels of `panelSize` px.
    public static func layout(for data: MapDiagnosticsData, panelSize: Int = 800) -> Layout {
        let page = ViewLayout(panelSize: panelSize, columns: 2)
        let title = data.prior == .uniformBox ? "tears on the latent plane" : "tears on the latent plane, per k"
        let latent = data.latentPanels(on: page, column: 0, title: title)
        let jumps = data.geometry.tearEdgeCount == 0 ? " (no torn edge)" : ""
        let sample = page.panel(column: 1, extent: data.sampleExtent, title: "jumps G(z) → G(z + h·e) on the sample plane" + jumps)
        let f = page.fontSize, side = page.side
        let hasComponents = data.prior.dimension > 2
        let keyHeight = (page.panelSide * (hasComponents ? 0.5 : 0.32)).rounded()
        let key = ColorKey(prior: data.prior, extent: data.latentExtent,
                           area: PixelRect(x: side.x, y: side.y, width: side.width * 0.8, height: keyHeight), fontSize: f)
        return Layout(page: page, latentPanels: latent, samplePanel: sample, key: key,
                      legendOrigin: (side.x, side.y + keyHeight + f * 2.2))
    }

    /// Renders the view.
    public static func render(_ data: MapDiagnosticsData, panelSize: Int = 800) throws -> Canvas {
        try data.validate()
        let layout = layout(for: data, panelSize: panelSize)
        let canvas = try layout.page.makeCanvas(title: data.title)
        for (k, panel) in layout.latentPanels.enumerated() {
            drawLatentPlane(data, plane: k, on: panel, canvas: canvas)
            data.drawSwatch(k, beside: panel, on: canvas)
        }
        if let spare = layout.page.spareCell(column: 0, prior: data.prior) {
            layout.page.drawNote(["the cuts of G(n, k) for each", "component k over n;", "tear mass per k:"]
                                 + tearMassLines(data), x: spare.x, y: spare.y, on: canvas)
        }
        drawSamplePlane(data, on: layout.samplePanel, canvas: canvas)
        layout.key.draw(on: canvas)
        drawLegend(data, layout: layout, on: canvas)
        try canvas.checkStatus("rendering the tears view '\(data.title)'")
        return canvas
    }

    // MARK: - Panels

    /// Latent plane `plane`: its cells in the washed-out latent colouring, the tear cuts on top.
    public static func drawLatentPlane(_ data: MapDiagnosticsData, plane: Int, on panel: PlotPanel, canvas: Canvas) {
        let geometry = data.planes[plane], grid = geometry.grid
        let coloring = LatentColoring(prior: data.prior)
        let colors = (0..<grid.pointCount).map {
            MapDiagnosticsData.dimmedLatentColor(coloring, grid: grid, cell: $0, dimming: dimming)
        }
        MapDiagnosticsData.paintCells(grid, on: panel, canvas: canvas) { c, _, _ in colors[c] }
        canvas.withClip(panel.rect) {
            canvas.strokeSegments(cutSegments(geometry, on: panel), color: tearColor,
                                  lineWidth: tearLineWidth(panel: panel, grid: grid))
        }
        panel.drawFrame(on: canvas)
    }

    /// The sample plane: target in grey, the probes faded in their latent colours, and every
    /// torn edge's jump as a segment (all planes).
    public static func drawSamplePlane(_ data: MapDiagnosticsData, on panel: PlotPanel, canvas: Canvas,
                                       radius: Double? = nil) {
        let r = radius ?? MappingFigure.defaultPointRadius(panelSide: panel.rect.width)
        panel.drawBackground(on: canvas)
        panel.drawDots(data.target, color: MappingFigure.targetColor, radius: r * 0.85, opacity: 0.7, on: canvas)
        let colors = LatentColoring(prior: data.prior).colors(latents: data.latents)
        panel.drawDots(data.points, colors: colors, radius: r, opacity: 0.25, on: canvas)
        var segments: [Double] = []
        for plane in data.planes {
            for edge in plane.tearEdges where edge.start.x.isFinite && edge.end.x.isFinite
                && edge.start.y.isFinite && edge.end.y.isFinite {
                let a = panel.pixel(x: edge.start.x, y: edge.start.y), b = panel.pixel(x: edge.end.x, y: edge.end.y)
                segments += [a.x, a.y, b.x, b.y]
            }
        }
        let count = segments.count / 4
        // Thousands of overlapping jumps would paint a solid blob; fade them as they multiply.
        let alpha = min(0.8, max(0.08, 40 / Double(max(count, 1)).squareRoot()))
        canvas.withClip(panel.rect) {
            canvas.strokeSegments(segments, color: jumpColor.withAlpha(alpha), lineWidth: max(0.8, panel.rect.width / 800))
        }
        panel.drawFrame(on: canvas)
    }

    /// The cut segments of a plane's tear edges, in pixels.
    static func cutSegments(_ geometry: MapGeometry, on panel: PlotPanel) -> [Double] {
        var segments: [Double] = []
        segments.reserveCapacity(4 * geometry.tearEdges.count)
        for edge in geometry.tearEdges {
            let (a, b) = geometry.grid.cutSegment(of: edge)
            let p = panel.pixel(x: a.x, y: a.y), q = panel.pixel(x: b.x, y: b.y)
            segments += [p.x, p.y, q.x, q.y]
        }
        return segments
    }

    /// Tear lines about a cell wide (so parallel cuts merge into a band), between 1.2 and 3 px.
    static func tearLineWidth(panel: PlotPanel, grid: LatentCellGrid) -> Double {
        min(3, max(1.2, panel.rect.width / Double(grid.size) * 0.9))
    }

    /// "k=0 1.2 %  k=1 0.0 %" lines for the per-component note.
    static func tearMassLines(_ data: MapDiagnosticsData) -> [String] {
        let items = data.planes.enumerated().map { "k=\($0.offset) " + MapDiagnosticsData.percent($0.element.tearMass, digits: 1) }
        return stride(from: 0, to: items.count, by: 2).map { items[$0..<min($0 + 2, items.count)].joined(separator: "   ") }
    }

    /// The numbers under the legend: tear mass and edges, stretch, the rule.
    static func noteLines(_ data: MapDiagnosticsData) -> [String] {
        let g = data.geometry, n = data.gridSize
        let edges = data.planes.count * 2 * n * (n - 1)
        let scale = data.planes.first?.tearCriterion.jumpScale ?? 0
        let medians = data.planes.first?.medianStretch ?? .zero
        let axes = data.prior.dimension > 2 ? ("n₀", "n₁") : ("z₀", "z₁")
        return [
            "tear mass: " + MapDiagnosticsData.percent(g.tearMass) + " of latent mass",
            "torn edges: \(MappingFigure.grouped(g.tearEdgeCount)) of \(MappingFigure.grouped(edges))",
            "max stretch: " + MapDiagnosticsData.significant(g.maxStretch),
            "median stretch: \(axes.0) " + MapDiagnosticsData.significant(medians.x) + ", \(axes.1) "
                + MapDiagnosticsData.significant(medians.y),
            "grid: \(n) × \(n) cells" + (data.planes.count > 1 ? " per k" : ""),
            "torn: jump > " + MapDiagnosticsData.significant(scale) + " and (stretch",
            "   > 10× median or chord off target)",
        ]
    }

    private static func drawLegend(_ data: MapDiagnosticsData, layout: Layout, on canvas: Canvas) {
        let page = layout.page, x = layout.legendOrigin.x
        var y = layout.legendOrigin.y
        let scale = max(1, page.panelSide / 800)
        y = page.drawLegendRow("tear (cut between cells)", color: tearColor, marker: .line(width: 2.5 * scale), x: x, y: y, on: canvas)
        y = page.drawLegendRow("jump G(z) → G(z + h·e)", color: jumpColor, marker: .line(width: 1.2 * scale), x: x, y: y, on: canvas)
        y = page.drawLegendRow("G(z), probes (faded)", color: LatentColoring(prior: .uniformBox).continuousColor(0.3, 0.4).withAlpha(0.5),
                               marker: .dot, x: x, y: y, on: canvas)
        y = page.drawLegendRow("target samples", color: MappingFigure.targetColor, marker: .dot, x: x, y: y, on: canvas)
        MapDiagnosticsData.drawNote(noteLines(data), page: page, x: x, y: y + page.fontSize * 0.6, on: canvas)
    }
}
