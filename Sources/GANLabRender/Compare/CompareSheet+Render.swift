import GANLabCore

/// The contact sheet of `ganlab compare`: one column per snapshot, three rows drawn by the
/// diagnostic views' own panel functions — the mapping (probes at G(z) over the target), the
/// tears on the latent plane, and the mode partition (arc-length bins for the spiral; det J and
/// folds for uniform-to-normal) — with each column's key number over its panel and one shared
/// key per row on the right.
public enum CompareSheet {
    /// The rows of a sheet, top to bottom.
    public enum Row: Int, CaseIterable, Sendable {
        /// Probes at G(z) in their latent colours over the grey target.
        case mapping
        /// The tear band over the washed-out latent colouring.
        case tears
        /// The mode partition of the latent plane (or det J and folds for uniform-to-normal).
        case partition
    }

    /// Where everything goes, exposed so tests can find pixels.
    public struct Layout: Sendable {
        /// Canvas width in px.
        public var width: Int
        /// Canvas height in px.
        public var height: Int
        /// Label size in px.
        public var fontSize: Double
        /// Outer margin in px.
        public var margin: Double
        /// The cell of each (row, column), labels included.
        public var cells: [[PixelRect]]
        /// The side area of each row (keys and legends).
        public var sides: [PixelRect]
        /// The top of the column headers.
        public var headerY: Double
        /// The x of the row labels' centre.
        public var rowLabelX: Double
        /// Plot square side in px.
        public var panelSide: Double
    }

    /// Computes the layout for `columns` columns of `panelSize` px squares.
    public static func layout(columns: Int, panelSize: Int = 360) -> Layout {
        let p = Double(max(panelSize, 120))
        let f = max(10, (p * 0.034).rounded()), m = (p * 0.05).rounded(), gap = (p * 0.05).rounded()
        let margins = PlotPanel.margins(fontSize: cellFont(f), hasTitle: true)
        let cellWidth = (margins.left + p + margins.right).rounded(), cellHeight = (margins.top + p + margins.bottom).rounded()
        let rowLabel = (f * 2.4).rounded(), sideWidth = max(p * 0.55, f * 14).rounded()
        let headerY = (m + f * 1.45 * 1.4 + f * 1.5).rounded()
        let top = headerY + (f * 3.2).rounded()
        let left = m + rowLabel
        let cells = Row.allCases.map { row in
            (0..<columns).map { c in
                PixelRect(x: left + Double(c) * (cellWidth + gap), y: top + Double(row.rawValue) * (cellHeight + gap),
                          width: cellWidth, height: cellHeight)
            }
        }
        let sideX = left + Double(columns) * (cellWidth + gap)
        let sides = Row.allCases.map {
            PixelRect(x: sideX, y: top + Double($0.rawValue) * (cellHeight + gap) + margins.top - f, width: sideWidth,
                      height: p + f)
        }
        return Layout(width: Int(sideX + sideWidth + m), height: Int(top + 3 * cellHeight + 2 * gap + m), fontSize: f,
                      margin: m, cells: cells, sides: sides, headerY: headerY, rowLabelX: m + rowLabel / 2, panelSide: p)
    }

    /// Tick and panel-title size inside the cells.
    static func cellFont(_ f: Double) -> Double { (f * 0.85).rounded() }

    /// The plot panels of one cell: one square, or one small panel per component k for a latent
    /// row of a prior with components.
    public static func panels(in cell: PixelRect, data: MapDiagnosticsData, latent: Bool, title: String,
                              fontSize f: Double) -> [PlotPanel] {
        let font = cellFont(f)
        let extent = latent ? data.latentExtent : data.sampleExtent
        guard latent, case .gaussianWithComponent(let components) = data.prior, components > 0 else {
            return [PlotPanel.fitting(in: cell, extent: extent, title: title, fontSize: font, verticalPosition: 0)]
        }
        let perRow = Int(Double(components + 1).squareRoot().rounded(.up))
        let top = cell.y + font * 2.0
        let side = (min(cell.width, cell.maxY - top) / Double(perRow)).rounded(.down)
        return (0..<components).map { k in
            let area = PixelRect(x: cell.x + Double(k % perRow) * side, y: top + Double(k / perRow) * side, width: side, height: side)
            return PlotPanel.fitting(in: area, extent: extent, title: "k = \(k)", fontSize: (font * 0.75).rounded())
        }
    }

    /// Renders the sheet.
    public static func render(_ sheet: CompareSheetData, panelSize: Int = 360) throws -> Canvas {
        for column in sheet.columns { try column.data.validate() }
        let layout = layout(columns: sheet.columns.count, panelSize: panelSize)
        let canvas = try Canvas(width: layout.width, height: layout.height)
        canvas.fillBackground(.white)
        let f = layout.fontSize
        let headerWidth = Double(layout.width) - 2 * layout.margin
        canvas.drawText(FrameText.fitting(sheet.titles, width: headerWidth, size: (f * 1.45).rounded(), bold: true),
                        x: layout.margin, y: layout.margin, size: (f * 1.45).rounded(), color: .grey(0.05),
                        vertical: .top, bold: true)
        canvas.drawText(FrameText.fitting(sheet.sharedNotes, width: headerWidth, size: f, bold: false),
                        x: layout.margin, y: layout.margin + f * 1.45 * 1.4, size: f, color: .grey(0.35), vertical: .top)
        let labeling = sheet.showsFolds ? nil : try sheet.columns.map { try ModeLabeling($0.data) }
        let scale = SymmetricLogScale.fitting(
            magnitudes: sheet.columns.flatMap { $0.data.planes.flatMap { $0.jacobians.map { abs($0.determinant) } } },
            weights: sheet.columns.flatMap { $0.data.planes.flatMap(\.masses) })
        let bar = FoldsView.colorBar(scale: scale, area: layout.sides[Row.partition.rawValue], fontSize: f)
        for (c, column) in sheet.columns.enumerated() {
            drawHeader(column, cell: layout.cells[0][c], fontSize: f, on: canvas)
            let data = column.data
            let mapping = panels(in: layout.cells[0][c], data: data, latent: false,
                                 title: fit(mappingTitle(data), layout.cells[0][c], f, canvas), fontSize: f)[0]
            MappingFigure.drawSamples(mappingData(data), on: mapping,
                                      radius: MappingFigure.defaultPointRadius(panelSide: mapping.rect.width) * 0.9,
                                      alpha: 0.8, canvas: canvas)
            let tears = panels(in: layout.cells[1][c], data: data, latent: true,
                               title: fit(tearsTitle(data), layout.cells[1][c], f, canvas), fontSize: f)
            drawLatentCell(tears, cell: layout.cells[1][c], title: fit(tearsTitle(data), layout.cells[1][c], f, canvas),
                           data: data, fontSize: f, canvas: canvas) { k, panel in
                TearsView.drawLatentPlane(data, plane: k, on: panel, canvas: canvas)
            }
            let thirdTitle = fit(partitionTitle(data, labeling: labeling?[c]), layout.cells[2][c], f, canvas)
            let third = panels(in: layout.cells[2][c], data: data, latent: true, title: thirdTitle, fontSize: f)
            drawLatentCell(third, cell: layout.cells[2][c], title: thirdTitle, data: data, fontSize: f, canvas: canvas) { k, panel in
                if let labels = labeling?[c] {
                    ModesView.drawLatentPlane(data, labeling: labels, plane: k, on: panel, canvas: canvas)
                } else {
                    FoldsView.drawLatentPlane(data, plane: k, bar: bar, scale: scale, on: panel, canvas: canvas)
                }
            }
        }
        drawRowLabels(sheet, layout: layout, on: canvas)
        drawSides(sheet, layout: layout, labeling: labeling?.first, bar: bar, on: canvas)
        try canvas.checkStatus("rendering the compare sheet '\(sheet.title)'")
        return canvas
    }

    // MARK: - Parts

    /// A cell's panels; for several component panels, the cell title goes above their grid.
    static func drawLatentCell(_ panels: [PlotPanel], cell: PixelRect, title: String, data: MapDiagnosticsData,
                               fontSize f: Double, canvas: Canvas, draw: (Int, PlotPanel) -> Void) {
        for (k, panel) in panels.enumerated() {
            draw(k, panel)
            if panels.count > 1 { data.drawSwatch(k, beside: panel, on: canvas) }
        }
        guard panels.count > 1 else { return }
        let font = cellFont(f)
        canvas.drawText(title, x: cell.x + PlotPanel.margins(fontSize: font, hasTitle: true).left, y: cell.y + font * 1.25,
                        size: font * 1.25, color: .grey(0.1), vertical: .baseline)
    }

    /// The column header: letter and run on one line, the step on the next, with the generator
    /// when the run keeps an average ("step 4,000 · G: EMA β = 0.999").
    static func drawHeader(_ column: CompareColumn, cell: PixelRect, fontSize f: Double, on canvas: Canvas) {
        let x = cell.x + PlotPanel.margins(fontSize: cellFont(f), hasTitle: true).left
        let width = cell.maxX - x
        let name = FrameText.fitting(["\(column.letter) · \(column.runName)", "\(column.letter) · "
                                      + (column.runName.split(separator: "/").last.map(String.init) ?? column.runName), column.letter],
                                     width: width, size: f * 1.15, bold: true)
        canvas.drawText(name, x: x, y: cell.y - f * 3.0, size: f * 1.15, color: .grey(0.05), vertical: .top, bold: true)
        let step = "step " + MappingFigure.grouped(column.step)
        let line = column.generatorCaption.map {
            FrameText.fitting([step + " · " + $0, step + " · G: " + column.generator.name], width: width, size: f, bold: false)
        } ?? step
        canvas.drawText(line, x: x, y: cell.y - f * 1.45, size: f, color: .grey(0.3), vertical: .top)
    }

    /// The first of `title` and its shorter forms ("·"-separated parts dropped from the end) that fits the cell.
    static func fit(_ title: String, _ cell: PixelRect, _ f: Double, _ canvas: Canvas) -> String {
        let parts = title.components(separatedBy: " · ")
        let candidates = (1...parts.count).reversed().map { parts.prefix($0).joined(separator: " · ") }
        let width = cell.width - PlotPanel.margins(fontSize: cellFont(f), hasTitle: true).left
        return FrameText.fitting(candidates, width: width, size: cellFont(f) * 1.25, bold: false)
    }

    /// The mapping figure's data for a column.
    static func mappingData(_ data: MapDiagnosticsData) -> MappingData {
        MappingData(prior: data.prior, latentExtent: data.latentExtent, sampleExtent: data.sampleExtent,
                    latents: data.latents, points: data.points, target: data.target, title: data.title)
    }

    /// The sample metrics that matter most for the problem, for the mapping panel's title; it
    /// starts with "samples:" because these are shares of generated samples, beside the third
    /// row's shares of latent mass.
    static func mappingTitle(_ data: MapDiagnosticsData) -> String {
        let s = data.report.samples
        if let m = s.mixture {
            return "samples: " + MapDiagnosticsData.percent(m.negativeSpace, digits: 1) + " off · modes \(m.modesCovered)/\(m.modeCount)"
                + " · HQ " + MapDiagnosticsData.percent(m.hqFraction, digits: 1)
        }
        if let sp = s.spiral {
            return "samples: " + MapDiagnosticsData.percent(sp.negativeSpace, digits: 1) + " off spiral · bins "
                + "\(sp.coveredBins)/\(sp.binCount)"
        }
        if let n = s.normality {
            return "KS " + MapDiagnosticsData.fixed(max(n.ksX0, n.ksX1), 3) + " · radial " + MapDiagnosticsData.fixed(n.radialKS, 3)
        }
        return "G(z)"
    }

    /// Tear mass and length.
    static func tearsTitle(_ data: MapDiagnosticsData) -> String {
        let g = data.geometry
        return "tear mass " + MapDiagnosticsData.percent(g.tearMass) + " · length " + MapDiagnosticsData.significant(g.tearLength)
    }

    /// Labels reached, negative space and splits; or the folded fraction.
    static func partitionTitle(_ data: MapDiagnosticsData, labeling: ModeLabeling?) -> String {
        guard let l = labeling else {
            return "folded " + MapDiagnosticsData.percent(data.geometry.foldedFraction) + " · |det J| "
                + MapDiagnosticsData.significant(data.geometry.absoluteDeterminant.median)
        }
        return "latent: " + MapDiagnosticsData.percent(l.negativeSpaceMass, digits: 1) + " of mass off · \(l.noun)s "
            + "\(l.labelsReached)/\(l.count) · split \(l.labelsSplitWithinAPlane)"
    }

    private static func drawRowLabels(_ sheet: CompareSheetData, layout: Layout, on canvas: Canvas) {
        let names = ["G(z) on the probes", "tears, latent plane",
                     sheet.showsFolds ? "det J and folds, latent" : (sheet.problem.kind == .spiral ? "arc-length bins, latent" : "modes, latent plane")]
        for (row, name) in names.enumerated() {
            let cell = layout.cells[row][0]
            let top = cell.y + PlotPanel.margins(fontSize: cellFont(layout.fontSize), hasTitle: true).top
            canvas.drawVerticalText(name, x: layout.rowLabelX, y: top + layout.panelSide / 2, size: layout.fontSize * 1.1,
                                    color: .grey(0.15))
        }
    }

    /// One key per row: the colour key, the tear legend, the mode palette (or the det J bar).
    private static func drawSides(_ sheet: CompareSheetData, layout: Layout, labeling: ModeLabeling?, bar: ColorBar,
                                  on canvas: Canvas) {
        let f = layout.fontSize, prior = sheet.problem.prior
        let legend = ViewLayout(panelSize: Int((f / 0.02).rounded()), columns: 1)
        let s0 = layout.sides[0]
        let key = ColorKey(prior: prior, extent: prior == .uniformBox ? 1 : 3,
                           area: PixelRect(x: s0.x, y: s0.y, width: s0.width * 0.8, height: s0.height * 0.75), fontSize: f)
        key.draw(on: canvas)
        legend.drawLegendRow("target samples", color: MappingFigure.targetColor, marker: .dot, x: s0.x,
                             y: key.layout().square.rect.maxY + f * 2.6, on: canvas)
        let s1 = layout.sides[1]
        var y = legend.drawLegendRow("tear band", color: TearsView.bandColor, marker: .dot, x: s1.x, y: s1.y, on: canvas)
        y = legend.drawLegendRow("off target, not a tear", color: TearsView.offTargetColor, marker: .dot, x: s1.x, y: y, on: canvas)
        y = MapDiagnosticsData.drawNote(["over the latent colouring,", "washed out", "title: tear mass (share of",
                                         "latent mass) · tear length"], page: legend, x: s1.x, y: y + f * 0.4,
                                        width: s1.width, on: canvas)
        let s2 = layout.sides[2]
        guard let labeling else {
            bar.draw(on: canvas)
            return
        }
        let heading = FrameText.fitting(["colour: the \(labeling.noun) G(z) lands in", "colour: \(labeling.noun) of G(z)"],
                                        width: Double(layout.width) - s2.x - 4, size: f * 1.05, bold: false)
        canvas.drawText(heading, x: s2.x, y: s2.y, size: f * 1.05, color: .grey(0.1), vertical: .top)
        let columns = labeling.count > 8 ? 5 : 4, cell = (s2.width / Double(columns)).rounded(.down)
        let swatch = (f * 1.2).rounded(), top = s2.y + f * 2.0
        for j in 0..<labeling.count {
            let x = s2.x + Double(j % columns) * cell, yy = top + Double(j / columns) * (swatch + f * 0.6)
            canvas.fillRect(PixelRect(x: x, y: yy, width: swatch, height: swatch), color: labeling.color(of: j))
            canvas.drawText("\(j)", x: x + swatch + f * 0.3, y: yy + swatch / 2, size: f * 0.9, color: .grey(0.3), vertical: .middle)
        }
        y = top + Double((labeling.count + columns - 1) / columns) * (swatch + f * 0.6) + f * 0.3
        y = legend.drawLegendRow("negative space", color: .black, marker: .square, x: s2.x, y: y, on: canvas)
        MapDiagnosticsData.drawNote(["title: latent mass off target ·", "\(labeling.noun)s reached by", "latent cells · \(labeling.noun)s split",
                                     "within a latent plane"],
                                    page: legend, x: s2.x, y: y + f * 0.4, width: s2.width, on: canvas)
    }
}
