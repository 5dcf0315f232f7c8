import Foundation
import GANLabCore

/// What each hidden unit computes: one small heatmap per unit of a layer, its activation over the
/// network's input plane (the latent plane for G, the sample plane for D), labelled with the
/// unit's index and its largest |activation|; the line where it changes sign (where a ReLU-type
/// unit switches on) drawn in each. The 2-D counterpart of looking at what each unit of an image
/// network responds to. Wide layers are split into pages of `UnitsData.perPage` units.
public enum UnitsView {
    /// Where everything goes, exposed so tests can find pixels.
    public struct Layout: Sendable {
        /// Canvas width in px.
        public var width: Int
        /// Canvas height in px.
        public var height: Int
        /// Label size in px (side column).
        public var fontSize: Double
        /// The square holding the tiles.
        public var gridArea: PixelRect
        /// Tiles per row.
        public var columns: Int
        /// One heatmap square per unit on the page, in unit order (row by row).
        public var tiles: [PlotPanel]
        /// Label size of the tiles in px.
        public var tileFontSize: Double
        /// The side column (colour bar, notes, axes key).
        public var side: PixelRect
        /// The page's style (title, notes).
        public var page: ViewLayout
    }

    /// Diverging blue → white → red (ColorBrewer RdBu, 9 classes, reversed): negative activations
    /// blue, zero white, positive red.
    public static let colormap = Colormap(name: "RdBu (reversed)", stops: [
        Colormap.hex(0x2166AC), Colormap.hex(0x4393C3), Colormap.hex(0x92C5DE), Colormap.hex(0xD1E5F0),
        Colormap.hex(0xF7F7F7), Colormap.hex(0xFDDBC7), Colormap.hex(0xF4A582), Colormap.hex(0xD6604D),
        Colormap.hex(0xB2182B),
    ])

    /// Computes the layout for a tile square of `panelSize` px holding `count` tiles.
    public static func layout(count: Int, extent: Double, panelSize: Int = 800) -> Layout {
        let page = ViewLayout(panelSize: panelSize, columns: 1)
        let p = page.panelSide, f = page.fontSize, m = page.margin
        let columns = max(1, Int(Double(count).squareRoot().rounded(.up)))
        let rows = max(1, (count + columns - 1) / columns)
        let top = (m + p * 0.06 + f * 0.5).rounded()
        let gridArea = PixelRect(x: m, y: top, width: p, height: p)
        let cell = (p / Double(columns)).rounded(.down)
        let tileFont = min(f, max(8, (cell * 0.13).rounded()))
        let band = (tileFont * 1.35).rounded(), gap = max(3, (cell * 0.06).rounded())
        let side = max(8, min(cell - gap, cell - band - gap).rounded(.down))
        let tiles = (0..<count).map { i in
            PlotPanel(rect: PixelRect(x: gridArea.x + Double(i % columns) * cell, y: top + Double(i / columns) * cell + band,
                                      width: side, height: side),
                      extent: extent, fontSize: tileFont)
        }
        let gridBottom = top + Double(rows) * cell
        // The side column needs about 0.36 p for the bar, 14 lines of text and the axes key below.
        let sideWidth = (p * 0.3).rounded()
        let sideHeight = (p * 0.36 + f * 20 + sideWidth * 0.55).rounded()
        let sideColumn = PixelRect(x: (gridArea.maxX + p * 0.04).rounded(), y: top, width: sideWidth,
                                   height: max(sideHeight, gridBottom - top))
        let width = Int(sideColumn.maxX + m), height = Int(max(gridBottom, sideColumn.maxY) + m)
        return Layout(width: width, height: height, fontSize: f, gridArea: gridArea, columns: columns, tiles: tiles,
                      tileFontSize: tileFont, side: sideColumn, page: page)
    }

    /// Renders one page of units; `target` (true samples, flat) is drawn on D's axes key.
    public static func render(_ data: UnitsData, panelSize: Int = 800, target: [Float] = []) throws -> Canvas {
        guard !data.grids.isEmpty else { throw RenderError.invalidData("no units on page \(data.page)") }
        let layout = layout(count: data.grids.count, extent: data.extent, panelSize: panelSize)
        let canvas = try Canvas(width: layout.width, height: layout.height)
        canvas.fillBackground(.white)
        canvas.drawText(data.title, x: layout.page.margin, y: layout.page.margin, size: layout.page.titleSize,
                        color: .grey(0.05), vertical: .top, bold: true)
        let style = labelStyle(data, tile: layout.tiles[0], canvas: canvas)
        for (i, tile) in layout.tiles.enumerated() {
            drawTile(data.grids[i], unit: data.firstUnit + i, range: data.colorRange(unit: data.firstUnit + i),
                     maximum: data.unitMaxima[data.firstUnit + i], label: style, on: tile, canvas: canvas)
        }
        drawSide(data, layout: layout, target: target, labels: style, on: canvas)
        try canvas.checkStatus("rendering the units view '\(data.title)'")
        return canvas
    }

    /// How much of "index  ≤ max" fits above the tiles of a page: the same for every tile.
    enum LabelStyle: Equatable {
        /// "12   ≤ 0.34".
        case full
        /// "12   0.34", the value at `valueScale` × the normal size.
        case valueOnly(valueScale: Double)
        /// "12" alone.
        case indexOnly
    }

    /// A unit's largest |a| in two significant digits ("0.34", "0.017", "1.2e+03").
    static func compact(_ maximum: Double) -> String {
        maximum > 0 ? String(format: "%.2g", maximum) : "dead"
    }

    /// The richest label style whose widest label on the page fits the tile width.
    static func labelStyle(_ data: UnitsData, tile: PlotPanel, canvas: Canvas) -> LabelStyle {
        let f = tile.fontSize
        let index = canvas.measureText("\(data.unitsOnPage.upperBound - 1)", size: f, bold: true).advance
        let values = data.unitsOnPage.map { compact(data.unitMaxima[$0]) }
        func widest(_ scale: Double) -> Double { values.map { canvas.measureText($0, size: f * scale).advance }.max() ?? 0 }
        let room = tile.rect.width - index - f * 0.4
        if widest(0.9) + canvas.measureText("≤ ", size: f * 0.9).advance <= room { return .full }
        if widest(0.9) <= room { return .valueOnly(valueScale: 0.9) }
        if widest(0.72) <= room { return .valueOnly(valueScale: 0.72) }
        return .indexOnly
    }

    /// One unit: the heatmap of a / range, the a = 0 line, a frame, and "index  ≤ max" above.
    static func drawTile(_ grid: ScalarGrid, unit: Int, range: Double, maximum: Double, label style: LabelStyle,
                         on tile: PlotPanel, canvas: Canvas) {
        canvas.paintPixels(in: tile.rect) { x, y in
            let p = tile.dataPoint(pixelX: x, pixelY: y)
            return colormap.color(at: 0.5 + 0.5 * grid.interpolated(x: p.x, y: p.y) / range)
        }
        canvas.withClip(tile.rect) {
            let segments = DiscriminatorView.pixelSegments(grid.contourSegments(level: 0), panel: tile)
            canvas.strokeSegments(segments, color: .grey(0.15, alpha: 0.75), lineWidth: min(2, max(0.8, tile.rect.width / 160)))
        }
        let lineWidth = 1.0
        canvas.strokeRect(PixelRect(x: tile.rect.x - 0.5, y: tile.rect.y - 0.5, width: tile.rect.width + 1,
                                    height: tile.rect.height + 1), color: .grey(0.6), lineWidth: lineWidth)
        let f = tile.fontSize, baseline = tile.rect.y - f * 0.35
        canvas.drawText("\(unit)", x: tile.rect.x, y: baseline, size: f, color: .grey(0.1), vertical: .baseline, bold: true)
        let value = compact(maximum)
        let (label, scale): (String, Double)
        switch style {
        case .indexOnly: return
        case .full: (label, scale) = (maximum > 0 ? "≤ " + value : value, 0.9)
        case .valueOnly(let valueScale): (label, scale) = (value, valueScale)
        }
        canvas.drawText(label, x: tile.rect.maxX, y: baseline, size: f * scale, color: maximum > 0 ? .grey(0.4) : .grey(0.6),
                        align: .right, vertical: .baseline)
    }

    /// The colour bar, the line legend, the notes and the axes key.
    static func drawSide(_ data: UnitsData, layout: Layout, target: [Float], labels: LabelStyle, on canvas: Canvas) {
        let page = layout.page, f = layout.fontSize, side = layout.side
        let shared = data.sharedScale, m = data.unitMaxima.max() ?? 0
        let range = shared && m > 0 ? -m...m : -1.0...1.0
        let ticks: [(value: Double, label: String)] = shared && m > 0
            ? [(-m, MapDiagnosticsData.significant(-m)), (0, "0"), (m, MapDiagnosticsData.significant(m))]
            : [(-1, "−max |a|"), (-0.5, ""), (0, "0"), (0.5, ""), (1, "+max |a|")]
        let caption = shared ? ["activation a", "one scale for the layer"] : ["activation a", "scaled per unit: ± its",
                                                                                  labels == .indexOnly ? "own max |a|" : "own max |a| (top right)"]
        let barHeight = (page.panelSide * 0.36).rounded()
        let bar = ColorBar(colormap: colormap, range: range, caption: caption,
                           area: PixelRect(x: side.x, y: side.y, width: side.width, height: barHeight), fontSize: f, ticks: ticks)
        bar.draw(on: canvas)
        var y = page.drawLegendRow("a = 0: where the sign flips", color: .grey(0.15), marker: .line(width: 1.4),
                                   x: side.x, y: side.y + barHeight + f * 0.6, on: canvas)
        let units = data.unitsOnPage
        let plane = data.network == .G ? "latent" : "sample"
        let lines = [
            "\(data.network.rawValue) layer \(data.layer) of \(data.layerWidths.count)" + (data.layer == data.layerWidths.count ? " (output)" : ""),
            "\(data.unitCount) units, \(data.activationName)",
            "page \(data.page) of \(data.pageCount): units \(units.lowerBound)–\(units.upperBound - 1)",
            "",
            "each tile: the unit's activation",
            "over the \(plane) plane, as the",
        ] + (labels == .indexOnly ? ["axes below; label: unit index"]
                                  : ["axes below; label: unit index", "and its largest |a| on the plane"]) + data.notes
        y = MapDiagnosticsData.drawNote(lines, page: page, x: side.x, y: y + f * 0.4, width: side.width, on: canvas)
        let keySide = min(side.width * 0.55, max(0, side.maxY - y - f * 4.5)).rounded(.down)
        guard keySide >= f * 3 else { return }
        let key = PlotPanel(rect: PixelRect(x: (side.x + f * 3.2).rounded(), y: (y + f * 2.6).rounded(), width: keySide, height: keySide),
                            extent: data.extent, title: data.network == .D ? "axes (target grey)" : "axes",
                            axisNames: data.axisNames, fontSize: f)
        key.drawBackground(on: canvas)
        if !target.isEmpty { key.drawDots(target, color: .grey(0.35), radius: 0.9, opacity: 0.5, on: canvas) }
        key.drawFrame(on: canvas)
    }
}
