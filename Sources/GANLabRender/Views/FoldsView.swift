import GANLabCore

/// Where the map folds (docs/METRICS.md §4): det J over the latent plane on a diverging, symmetric-log colour
/// scale (red: orientation reversed, blue: kept), the folded cells — whose sign differs from the
/// plane's majority — hatched and outlined; beside it the sample plane with the images of the
/// folded cells in their sign's colour. A global mirror (all red) is not a fold.
public enum FoldsView {
    /// Where everything goes, exposed so tests can find pixels.
    public typealias Layout = ColorBarPageLayout

    /// The outline of folded regions.
    public static let outlineColor = RGBA.grey(0.05)
    /// Colour of the probes on the sample plane.
    public static let probeColor = RGBA.grey(0.5)

    /// The symmetric log scale of det J over all planes of `data`.
    public static func scale(for data: MapDiagnosticsData) -> SymmetricLogScale {
        SymmetricLogScale.fitting(magnitudes: data.planes.flatMap { $0.jacobians.map { abs($0.determinant) } },
                                  weights: data.planes.flatMap(\.masses))
    }

    /// The det J colour bar for `scale` in `area`.
    public static func colorBar(scale: SymmetricLogScale, area: PixelRect, fontSize: Double) -> ColorBar {
        ColorBar(colormap: .determinant, range: 0...1, caption: ["det J (signed area stretch)", "symmetric log scale"],
                 area: area, fontSize: fontSize, ticks: scale.ticks)
    }

    /// Computes the layout for square panels of `panelSize` px.
    public static func layout(for data: MapDiagnosticsData, panelSize: Int = 800) -> Layout {
        let none = data.planes.allSatisfy { $0.foldedFraction == 0 } ? " (none)" : ""
        return Layout(for: data, panelSize: panelSize, latentTitle: "det J on the latent plane",
                      sampleTitle: "images of the folded cells" + none) {
            colorBar(scale: scale(for: data), area: $0, fontSize: $1)
        }
    }

    /// Renders the view.
    public static func render(_ data: MapDiagnosticsData, panelSize: Int = 800) throws -> Canvas {
        try data.validate()
        let layout = layout(for: data, panelSize: panelSize)
        let canvas = try layout.page.makeCanvas(title: data.title)
        let scale = scale(for: data)
        for (k, panel) in layout.latentPanels.enumerated() {
            drawLatentPlane(data, plane: k, bar: layout.colorBar, scale: scale, on: panel, canvas: canvas)
            data.drawSwatch(k, beside: panel, on: canvas)
        }
        if let spare = layout.page.spareCell(column: 0, prior: data.prior) {
            layout.page.drawNote(["det J of G(n, k) for each", "component k; folds judged", "within each panel;",
                                  "folded mass per k:"] + foldLines(data), x: spare.x, y: spare.y, on: canvas)
        }
        drawSamplePlane(data, bar: layout.colorBar, on: layout.samplePanel, canvas: canvas)
        layout.colorBar.draw(on: canvas)
        drawLegend(data, layout: layout, on: canvas)
        try canvas.checkStatus("rendering the folds view '\(data.title)'")
        return canvas
    }

    // MARK: - Panels

    /// Whether cell `c` of `plane` is folded: det J has the sign opposite to the plane's majority.
    static func isFolded(_ plane: MapGeometry, _ c: Int) -> Bool {
        plane.jacobians[c].determinant * Double(plane.majorityOrientation) < 0
    }

    /// Latent plane `plane`: det J per cell through `bar`, folded cells hatched and outlined.
    /// `scale` defaults to the data's own (`scale(for:)`); pass one to share it between panels.
    public static func drawLatentPlane(_ data: MapDiagnosticsData, plane k: Int, bar: ColorBar,
                                       scale: SymmetricLogScale? = nil, on panel: PlotPanel, canvas: Canvas) {
        let plane = data.planes[k], scale = scale ?? Self.scale(for: data)
        let colors = plane.jacobians.map { bar.color(of: scale.position(of: $0.determinant)) }
        let folded = plane.jacobians.indices.map { isFolded(plane, $0) }
        let period = GridView.hatchPeriod(panelSide: panel.rect.width)
        MapDiagnosticsData.paintCells(plane.grid, on: panel, canvas: canvas) { c, x, y in
            folded[c] && GridView.isHatched(x: x, y: y, period: period) ? MapDiagnosticsData.mix(colors[c], .black, 0.45) : colors[c]
        }
        canvas.withClip(panel.rect) {
            canvas.strokeSegments(MapDiagnosticsData.outline(plane.grid, on: panel) { folded[$0] }, color: outlineColor,
                                  lineWidth: max(1, min(1.6, panel.rect.width / 500)))
        }
        panel.drawFrame(on: canvas)
    }

    /// The sample plane: target in grey, the probes at G(z) in mid grey, and the image of every
    /// folded cell in the colour of its sign.
    public static func drawSamplePlane(_ data: MapDiagnosticsData, bar: ColorBar, on panel: PlotPanel, canvas: Canvas,
                                       radius: Double? = nil) {
        let r = radius ?? MappingFigure.defaultPointRadius(panelSide: panel.rect.width)
        panel.drawBackground(on: canvas)
        panel.drawDots(data.target, color: MappingFigure.targetColor, radius: r * 0.85, opacity: 0.6, on: canvas)
        panel.drawDots(data.points, color: probeColor, radius: r * 0.8, opacity: 0.35, on: canvas)
        var points: [Float] = [], colors: [RGBA] = [], masses: [Double] = []
        for plane in data.planes {
            let color = foldImageColor(bar, majority: plane.majorityOrientation)
            for c in plane.values.indices where isFolded(plane, c) {
                points += [Float(plane.values[c].x), Float(plane.values[c].y)]
                colors.append(color)
                masses.append(plane.masses[c])
            }
        }
        panel.drawDots(points, colors: MapDiagnosticsData.massShaded(colors, masses: masses), radius: r * 0.7,
                       opacity: 0.45, on: canvas)
        panel.drawFrame(on: canvas)
    }

    /// The colour of a folded cell's image: the strong end of its sign's arm of the colour map.
    static func foldImageColor(_ bar: ColorBar, majority: Int) -> RGBA {
        bar.colormap.color(at: majority > 0 ? 0.12 : 0.88)
    }

    /// "k=0 1.2 %  k=1 0.0 %" lines for the per-component note.
    static func foldLines(_ data: MapDiagnosticsData) -> [String] {
        let items = data.planes.enumerated().map { "k=\($0.offset) " + MapDiagnosticsData.percent($0.element.foldedFraction, digits: 1) }
        return stride(from: 0, to: items.count, by: 2).map { items[$0..<min($0 + 2, items.count)].joined(separator: "   ") }
    }

    private static func drawLegend(_ data: MapDiagnosticsData, layout: Layout, on canvas: Canvas) {
        let page = layout.page, x = layout.legendOrigin.x, g = data.geometry
        var y = layout.legendOrigin.y
        y = page.drawLegendRow("folded cell (minority sign)", color: outlineColor, marker: .hatched, x: x, y: y, on: canvas)
        for majority in [1, -1] where data.planes.contains(where: { $0.majorityOrientation == majority && $0.foldedFraction > 0 }) {
            y = page.drawLegendRow("folded image, det J " + (majority > 0 ? "< 0" : "> 0"),
                                   color: foldImageColor(layout.colorBar, majority: majority), marker: .dot, x: x, y: y, on: canvas)
        }
        y = page.drawLegendRow("G(z), probes", color: probeColor, marker: .dot, x: x, y: y, on: canvas)
        y = page.drawLegendRow("target samples", color: MappingFigure.targetColor, marker: .dot, x: x, y: y, on: canvas)
        let majority = data.planes.map(\.majorityOrientation)
        let sign = majority.allSatisfy { $0 > 0 } ? "+ (orientation kept)" : majority.allSatisfy { $0 < 0 } ? "− (mirrored)" : "mixed per k"
        MapDiagnosticsData.drawNote([
            "folded: " + MapDiagnosticsData.percent(g.foldedFraction) + " of latent mass",
            g.isFolded ? "   above 1 %: the map folds" : "   at most 1 %: not flagged",
            "majority sign: " + sign,
            "|det J|: median " + MapDiagnosticsData.significant(g.absoluteDeterminant.median) + ", p95 "
                + MapDiagnosticsData.significant(g.absoluteDeterminant.p95),
            "grid: \(data.gridSize) × \(data.gridSize) cells" + (data.planes.count > 1 ? " per k" : ""),
            "J: differences between grid points",
        ], page: page, x: x, y: y + page.fontSize * 0.6, on: canvas)
    }
}

extension Colormap {
    /// Diverging red → near-white → blue (ColorBrewer RdBu, 11 classes), for signed quantities:
    /// det J < 0 red (orientation reversed), > 0 blue.
    public static let determinant = Colormap(name: "RdBu", stops: [
        hex(0x67001F), hex(0xB2182B), hex(0xD6604D), hex(0xF4A582), hex(0xFDDBC7), hex(0xF7F7F7),
        hex(0xD1E5F0), hex(0x92C5DE), hex(0x4393C3), hex(0x2166AC), hex(0x053061),
    ])
}
