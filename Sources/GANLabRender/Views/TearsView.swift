import GANLabCore

/// Where the map tears (docs/METRICS.md §4.4): on the latent plane, the tear band (latents G sends
/// into negative space while stretching them beyond κ × its typical stretch) painted over the
/// washed-out latent colouring, with the tear lines (the band's edges along the target boundary
/// and the jump lines of bands thinner than a cell); on the sample plane, where the band's latents
/// land, and each jump edge's chord G(z) → G(z + h·e). Both planes and the note come from the
/// same `TearBand` as the run's diagnostics (`tear_mass`, `tear_length`, `tear_edges`).
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
    /// Latents sent off the target without being stretched enough to count as a tear.
    public static let offTargetColor = RGBA(red: 0.55, green: 0.55, blue: 0.58)
    /// The tear band: its latent cells, and its latents' images on the sample plane.
    public static let bandColor = RGBA(red: 0.85, green: 0.05, blue: 0.12)
    /// How far the latent colouring is washed towards white under the tear lines.
    public static let dimming = 0.6

    /// Computes the layout for square panels of `panelSize` px.
    public static func layout(for data: MapDiagnosticsData, panelSize: Int = 800) -> Layout {
        let page = ViewLayout(panelSize: panelSize, columns: 2)
        let title = data.prior.dimension > 2 ? "tears on the latent plane, per k" : "tears on the latent plane"
        let latent = data.latentPanels(on: page, column: 0, title: title)
        let none = data.geometry.tearMass == 0 && data.geometry.tearEdgeCount == 0 ? " (none)" : ""
        let sample = page.panel(column: 1, extent: data.sampleExtent, title: "where the tear band lands" + none)
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
            layout.page.drawNote(["the tear band of G(n, k) for", "each component k over n;", "tear mass per k:"]
                                 + tearMassLines(data), x: spare.x, y: spare.y, on: canvas)
        }
        drawSamplePlane(data, on: layout.samplePanel, canvas: canvas)
        layout.key.draw(on: canvas)
        drawLegend(data, layout: layout, on: canvas)
        try canvas.checkStatus("rendering the tears view '\(data.title)'")
        return canvas
    }

    // MARK: - Panels

    /// Latent plane `plane`: its cells in the washed-out latent colouring, the band's cells in
    /// `bandColor`, the tear lines on top.
    public static func drawLatentPlane(_ data: MapDiagnosticsData, plane: Int, on panel: PlotPanel, canvas: Canvas) {
        let geometry = data.planes[plane], grid = geometry.grid
        let coloring = LatentColoring(prior: data.prior)
        let members = geometry.tears.members, off = geometry.tears.offTarget
        let colors = (0..<grid.pointCount).map {
            members[$0] ? bandColor : off[$0] ? offTargetColor
                : MapDiagnosticsData.dimmedLatentColor(coloring, grid: grid, cell: $0, dimming: dimming)
        }
        MapDiagnosticsData.paintCells(grid, on: panel, canvas: canvas) { c, _, _ in colors[c] }
        canvas.withClip(panel.rect) {
            canvas.strokeSegments(tearLineSegments(geometry, on: panel), color: tearColor,
                                  lineWidth: tearLineWidth(panel: panel))
        }
        panel.drawFrame(on: canvas)
    }

    /// The sample plane: target in grey, the probes faded in their latent colours, the images of
    /// the band's grid latents in `bandColor`, and every jump edge's chord (all planes).
    public static func drawSamplePlane(_ data: MapDiagnosticsData, on panel: PlotPanel, canvas: Canvas,
                                       radius: Double? = nil) {
        let r = radius ?? MappingFigure.defaultPointRadius(panelSide: panel.rect.width)
        panel.drawBackground(on: canvas)
        panel.drawDots(data.target, color: MappingFigure.targetColor, radius: r * 0.85, opacity: 0.7, on: canvas)
        let colors = LatentColoring(prior: data.prior).colors(latents: data.latents)
        panel.drawDots(data.points, colors: colors, radius: r, opacity: 0.25, on: canvas)
        var band: [Float] = []
        for plane in data.planes {
            for (p, inBand) in plane.tears.members.enumerated() where inBand {
                let x = plane.values[p]
                guard x.x.isFinite && x.y.isFinite else { continue }
                band += [Float(x.x), Float(x.y)]
            }
        }
        panel.drawDots(band, color: bandColor, radius: r * 0.6, opacity: 0.5, on: canvas)
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
            canvas.strokeSegments(segments, color: tearColor.withAlpha(alpha), lineWidth: max(0.8, panel.rect.width / 800))
        }
        panel.drawFrame(on: canvas)
    }

    /// A plane's tear lines (the counted band edges and the jump lines), in pixels.
    static func tearLineSegments(_ geometry: MapGeometry, on panel: PlotPanel) -> [Double] {
        var segments: [Double] = []
        segments.reserveCapacity(4 * geometry.tears.segments.count)
        for piece in geometry.tears.segments {
            let p = panel.pixel(x: piece.start.x, y: piece.start.y), q = panel.pixel(x: piece.end.x, y: piece.end.y)
            segments += [p.x, p.y, q.x, q.y]
        }
        return segments
    }

    /// Tear lines 1.2 px wide per 800 px of panel.
    static func tearLineWidth(panel: PlotPanel) -> Double {
        max(1, panel.rect.width / 800 * 1.2)
    }

    /// "k=0 1.2 %  k=1 0.0 %" lines for the per-component note.
    static func tearMassLines(_ data: MapDiagnosticsData) -> [String] {
        let items = data.planes.enumerated().map { "k=\($0.offset) " + MapDiagnosticsData.percent($0.element.tearMass, digits: 1) }
        return stride(from: 0, to: items.count, by: 2).map { items[$0..<min($0 + 2, items.count)].joined(separator: "   ") }
    }

    /// The numbers under the legend: tear mass, length and width, jump edges, the threshold.
    static func noteLines(_ data: MapDiagnosticsData) -> [String] {
        let g = data.geometry, n = data.gridSize
        let thresholds = data.planes.map(\.tears.stretchThreshold)
        let threshold = thresholds.count == 1 ? MapDiagnosticsData.significant(thresholds[0])
            : MapDiagnosticsData.significant(thresholds.min() ?? 0) + "–" + MapDiagnosticsData.significant(thresholds.max() ?? 0)
        return [
            "tear mass: " + MapDiagnosticsData.percent(g.tearMass),
            "length " + MapDiagnosticsData.significant(g.tearLength) + ", width " + MapDiagnosticsData.significant(g.tearWidth),
            "jump edges: \(MappingFigure.grouped(g.tearEdgeCount))",
            "torn: median σ_max > " + threshold,
            "   (" + MapDiagnosticsData.significant(g.tearStretchFactor) + " × median on target)",
            "grid: \(n) × \(n)" + (data.planes.count > 1 ? " per k" : ""),
        ]
    }

    private static func drawLegend(_ data: MapDiagnosticsData, layout: Layout, on canvas: Canvas) {
        let page = layout.page, x = layout.legendOrigin.x
        var y = layout.legendOrigin.y
        let scale = max(1, page.panelSide / 800)
        y = page.drawLegendRow("tear band", color: bandColor, marker: .dot, x: x, y: y, on: canvas)
        y = page.drawLegendRow("tear line, jump", color: tearColor, marker: .line(width: 1.2 * scale), x: x, y: y, on: canvas)
        y = page.drawLegendRow("off target, not torn", color: offTargetColor, marker: .dot, x: x, y: y, on: canvas)
        y = page.drawLegendRow("G(z), probes (faded)", color: LatentColoring(prior: .uniformBox).continuousColor(0.3, 0.4).withAlpha(0.5),
                               marker: .dot, x: x, y: y, on: canvas)
        y = page.drawLegendRow("target samples", color: MappingFigure.targetColor, marker: .dot, x: x, y: y, on: canvas)
        MapDiagnosticsData.drawNote(noteLines(data), page: page, x: x, y: y + page.fontSize * 0.6, on: canvas)
    }
}
