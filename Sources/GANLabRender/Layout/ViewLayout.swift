import GANLabCore

/// The page layout the still views share with the mapping figure: a title band, a row of square
/// panel columns, and a side column for the colour bar, colour key and legend.
///
/// Sizes scale with the panel side p: labels 2 % of p, margins 3 %, gaps 4 %, the title band 6 %
/// and the side column 30 %, so every picture of the lab (the mapping figure included) has the
/// same look at the same `--size`.
public struct ViewLayout: Sendable {
    /// Canvas width in px.
    public var width: Int
    /// Canvas height in px.
    public var height: Int
    /// Panel side in px.
    public var panelSide: Double
    /// Tick label size in px.
    public var fontSize: Double
    /// Title size in px.
    public var titleSize: Double
    /// Outer margin in px.
    public var margin: Double
    /// The area of each panel column (labels included), left to right.
    public var columns: [PixelRect]
    /// The y of the top edge of the panel squares.
    public var panelTop: Double
    /// The side column (colour bar, key, legend).
    public var side: PixelRect

    /// A layout with `columns` square panels of `panelSize` px and a side column.
    public init(panelSize: Int, columns count: Int) {
        let p = Double(max(panelSize, 100))
        let font = (p * 0.02).rounded()
        let m = (p * 0.03).rounded(), gap = (p * 0.04).rounded(), titleBand = (p * 0.06).rounded()
        let margins = PlotPanel.margins(fontSize: font, hasTitle: true, hasAxisNames: true)
        let (ml, mt) = (margins.left.rounded(), margins.top.rounded())
        let column = (ml + p + margins.right).rounded()
        let sideWidth = (p * 0.3).rounded()
        let top = m + titleBand + mt
        width = Int(m + Double(count) * (column + gap) + sideWidth + m)
        height = Int(m + titleBand + mt + p + margins.bottom + m)
        panelSide = p
        fontSize = font
        titleSize = (font * 1.5).rounded()
        margin = m
        panelTop = top
        columns = (0..<count).map {
            PixelRect(x: m + Double($0) * (column + gap), y: top - mt, width: column, height: mt + p + margins.bottom)
        }
        side = PixelRect(x: m + Double(count) * (column + gap), y: top - font * 1.25, width: sideWidth,
                         height: p + font * 1.25)
    }

    /// The square panel of column `index`.
    public func panel(column index: Int, extent: Double, title: String?,
                      axisNames: (horizontal: String, vertical: String)? = ("x₀", "x₁")) -> PlotPanel {
        let margins = PlotPanel.margins(fontSize: fontSize, hasTitle: true, hasAxisNames: true)
        return PlotPanel(rect: PixelRect(x: columns[index].x + margins.left.rounded(), y: panelTop,
                                         width: panelSide, height: panelSide),
                         extent: extent, title: title, axisNames: axisNames, fontSize: fontSize)
    }

    /// The latent panels of column `index`: one square for a 2-D prior, or one small panel per
    /// component k (titled "k = …", laid out as in the mapping figure) for a prior with components.
    public func latentPanels(column index: Int, prior: LatentPrior, extent: Double, title: String) -> [PlotPanel] {
        guard case .gaussianWithComponent(let components) = prior, components > 0 else {
            return [panel(column: index, extent: extent, title: title, axisNames: ("z₀", "z₁"))]
        }
        let area = columns[index]
        let perRow = componentsPerRow(components)
        let cell = (area.width / Double(perRow)).rounded(.down)
        let gridTop = panelTop - fontSize * 1.2
        return (0..<components).map { k in
            let rect = PixelRect(x: area.x + Double(k % perRow) * cell, y: gridTop + Double(k / perRow) * cell,
                                 width: cell, height: cell)
            return PlotPanel.fitting(in: rect, extent: extent, title: "k = \(k)", fontSize: (fontSize * 0.75).rounded())
        }
    }

    /// Top-left corner of the spare cell after the per-component panels (for a caption), if any.
    public func spareCell(column index: Int, prior: LatentPrior) -> (x: Double, y: Double, width: Double)? {
        guard case .gaussianWithComponent(let components) = prior, components > 0 else { return nil }
        let perRow = componentsPerRow(components)
        guard components % perRow != 0 else { return nil }
        let cell = (columns[index].width / Double(perRow)).rounded(.down)
        return (columns[index].x + Double(components % perRow) * cell + fontSize,
                panelTop - fontSize * 1.2 + Double(components / perRow) * cell + fontSize * 2.2, cell - fontSize)
    }

    private func componentsPerRow(_ components: Int) -> Int {
        Int(Double(components + 1).squareRoot().rounded(.up))
    }

    // MARK: - Drawing helpers

    /// A white canvas of the layout's size with the title line drawn.
    public func makeCanvas(title: String) throws -> Canvas {
        let canvas = try Canvas(width: width, height: height)
        canvas.fillBackground(.white)
        canvas.drawText(title, x: margin, y: margin, size: titleSize, color: .grey(0.05), vertical: .top, bold: true)
        return canvas
    }

    /// Draws a small square of component k's hue right of a per-component panel's title.
    public static func drawComponentSwatch(_ k: Int, of components: Int, beside panel: PlotPanel, on canvas: Canvas) {
        guard let title = panel.title else { return }
        let size = panel.fontSize * 1.25
        let advance = canvas.measureText(title, size: size).advance
        let side = (size * 0.75).rounded()
        canvas.fillRect(PixelRect(x: panel.rect.x + advance + size * 0.4, y: panel.rect.y - panel.fontSize * 0.7 - side,
                                  width: side, height: side),
                        color: LatentColoring.componentColor(k, of: components))
    }

    /// Draws caption lines in small grey type from (x, y) downwards; returns the y below them.
    @discardableResult
    public func drawNote(_ lines: [String], x: Double, y: Double, size: Double? = nil, on canvas: Canvas) -> Double {
        let size = size ?? (fontSize * 0.85).rounded()
        for (i, line) in lines.enumerated() {
            canvas.drawText(line, x: x, y: y + Double(i) * size * 1.45, size: size, color: .grey(0.35), vertical: .top)
        }
        return y + Double(lines.count) * size * 1.45
    }

    /// Draws a legend row: a marker (dot or line) in `color` followed by `label`; returns the next row's y.
    @discardableResult
    public func drawLegendRow(_ label: String, color: RGBA, marker: LegendMarker, x: Double, y: Double,
                              on canvas: Canvas) -> Double {
        let f = fontSize
        let centre = y + f * 0.6
        switch marker {
        case .dot:
            canvas.fillCircle(center: (x + f * 0.45, centre), radius: f * 0.35, color: color)
        case .line(let width):
            canvas.strokeLine(from: (x, centre), to: (x + f * 1.1, centre), color: color, lineWidth: width)
        case .square:
            canvas.fillRect(PixelRect(x: x + f * 0.05, y: centre - f * 0.45, width: f * 0.9, height: f * 0.9), color: color)
        case .hatched:
            let box = PixelRect(x: (x + f * 0.05).rounded(), y: (centre - f * 0.45).rounded(), width: (f * 0.9).rounded(),
                                height: (f * 0.9).rounded())
            let period = max(4, (f * 0.4).rounded())
            canvas.paintPixels(in: box) { px, py in
                (px + py).truncatingRemainder(dividingBy: period) < period / 3 ? color : .white
            }
            canvas.strokeRect(PixelRect(x: box.x + 0.5, y: box.y + 0.5, width: box.width - 1, height: box.height - 1),
                              color: color, lineWidth: 1)
        }
        canvas.drawText(label, x: x + f * 1.5, y: centre, size: f, color: .grey(0.3), vertical: .middle)
        return y + f * 1.6
    }

    /// How a legend row marks its colour.
    public enum LegendMarker: Sendable {
        /// A filled dot (samples).
        case dot
        /// A short line of the given width (curves, contours).
        case line(width: Double)
        /// A filled square (areas).
        case square
        /// A square hatched with diagonal lines (marked areas).
        case hatched
    }
}

/// The column of stacked time-series plots that the curves and timeline views share: plots 1.4 × p
/// wide behind a y-axis label band, with labels 2 % of p and margins 3 % as in every other view.
struct PlotStack {
    /// Label size in px.
    let fontSize: Double
    /// Outer margin in px.
    let margin: Double
    /// Plot width in px.
    let plotWidth: Double

    init(size: Int) {
        let p = Double(max(size, 100))
        fontSize = (p * 0.02).rounded()
        margin = (p * 0.03).rounded()
        plotWidth = (p * 1.4).rounded()
    }

    /// Left edge of the plots (after the margin and the tick-label band).
    var plotX: Double { margin + (fontSize * 5.5).rounded() }
    /// Canvas width in px.
    var width: Int { Int(plotX + plotWidth + margin * 1.5) }

    /// `count` plots of `plotHeight` px, the first title band starting at `top`, `between` font
    /// sizes apart, with `below` font sizes under the last for its axis labels; also the canvas height.
    func plots(count: Int, top: Double, plotHeight: Double, between: Double, below: Double) -> (rects: [PixelRect], height: Int) {
        let above = (fontSize * 2.2).rounded(), gap = (fontSize * between).rounded()
        var rects: [PixelRect] = []
        var y = top + above
        for _ in 0..<count {
            rects.append(PixelRect(x: plotX, y: y, width: plotWidth, height: plotHeight.rounded()))
            y += plotHeight.rounded() + gap + above
        }
        return (rects, Int(y - gap - above + (fontSize * below).rounded() + margin))
    }
}
