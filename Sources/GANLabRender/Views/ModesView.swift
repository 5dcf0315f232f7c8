import Foundation
import GANLabCore

/// Which latents go to which mode (docs/METRICS.md §4, "latent mode partition"): every latent grid cell in
/// the colour of the mode its image lands in (negative space black), with the latent mass and the
/// number of connected latent regions per mode; beside it the sample plane with each mode's 3σ
/// circle in its colour and the probes at G(z) coloured by the mode they reach. A mode reached
/// from several latent regions forces G to tear (or cross negative space) between them; a mode
/// with no latent mass is dropped. The spiral is labelled by arc-length bin instead.
public enum ModesView {
    /// Where everything goes, exposed so tests can find pixels.
    public struct Layout: Sendable {
        /// The page.
        public var page: ViewLayout
        /// The latent panel(s).
        public var latentPanels: [PlotPanel]
        /// The sample-plane panel.
        public var samplePanel: PlotPanel
        /// Where the legend table starts.
        public var legendOrigin: (x: Double, y: Double)
    }

    /// Computes the layout for square panels of `panelSize` px.
    public static func layout(for data: MapDiagnosticsData, panelSize: Int = 800) -> Layout {
        let page = ViewLayout(panelSize: panelSize, columns: 2)
        let noun = data.problem.kind == .spiral ? "arc-length bin" : "mode"
        let title = "latent plane by the \(noun) of G(z)" + (data.prior.dimension > 2 ? ", per k" : "")
        let latent = data.latentPanels(on: page, column: 0, title: title)
        let sample = page.panel(column: 1, extent: data.sampleExtent, title: "G(z) of the probes, by \(noun)")
        return Layout(page: page, latentPanels: latent, samplePanel: sample, legendOrigin: (page.side.x, page.side.y))
    }

    /// Renders the view; throws for problems without modes (uniform-to-normal).
    public static func render(_ data: MapDiagnosticsData, panelSize: Int = 800) throws -> Canvas {
        try data.validate()
        let labeling = try ModeLabeling(data)
        let layout = layout(for: data, panelSize: panelSize)
        let canvas = try layout.page.makeCanvas(title: data.title)
        for (k, panel) in layout.latentPanels.enumerated() {
            drawLatentPlane(data, labeling: labeling, plane: k, on: panel, canvas: canvas)
            data.drawSwatch(k, beside: panel, on: canvas)
        }
        if let spare = layout.page.spareCell(column: 0, prior: data.prior) {
            layout.page.drawNote(["each panel: the latents", "(n, k) of one component k,", "coloured by the mode",
                                  "G(n, k) lands in"], x: spare.x, y: spare.y, on: canvas)
        }
        drawSamplePlane(data, labeling: labeling, on: layout.samplePanel, canvas: canvas)
        drawLegend(data, labeling: labeling, layout: layout, on: canvas)
        try canvas.checkStatus("rendering the modes view '\(data.title)'")
        return canvas
    }

    // MARK: - Panels

    /// Latent plane `plane`, each cell in its label's colour (negative space black).
    public static func drawLatentPlane(_ data: MapDiagnosticsData, labeling: ModeLabeling, plane: Int,
                                       on panel: PlotPanel, canvas: Canvas) {
        let cells = labeling.labels[plane]
        MapDiagnosticsData.paintCells(data.planes[plane].grid, on: panel, canvas: canvas) { c, _, _ in
            labeling.color(of: cells[c])
        }
        panel.drawFrame(on: canvas)
    }

    /// The sample plane: mixtures show each mode's 3σ circle and number in its colour, the spiral
    /// its target samples tinted by bin; then the probes at G(z) in the colour of their label.
    public static func drawSamplePlane(_ data: MapDiagnosticsData, labeling: ModeLabeling, on panel: PlotPanel,
                                       canvas: Canvas, radius: Double? = nil, numbered: Bool = true) {
        let r = radius ?? MappingFigure.defaultPointRadius(panelSide: panel.rect.width)
        panel.drawBackground(on: canvas)
        let targetLabels = labels(of: data.target, problem: data.problem)
        panel.drawDots(data.target, colors: targetLabels.map { $0 >= 0 ? mixWhite(labeling.color(of: $0)) : MappingFigure.targetColor },
                       radius: r * 0.85, opacity: 0.6, on: canvas)
        if let mixture = data.problem.mixture {
            let scale = panel.rect.width / (2 * panel.extent)
            canvas.withClip(panel.rect) {
                for (j, centre) in mixture.centres.enumerated() {
                    let c = panel.pixel(x: centre.x, y: centre.y)
                    let ring = (0...48).flatMap { s -> [Double] in
                        let a = 2 * Double.pi * Double(s) / 48, radius = 3 * mixture.sigma * scale
                        return [c.x + radius * cos(a), c.y + radius * sin(a)]
                    }
                    canvas.strokePolyline(ring, color: labeling.color(of: j), lineWidth: max(1.2, panel.rect.width / 500))
                }
            }
        }
        let probeLabels = labels(of: data.points, problem: data.problem)
        panel.drawDots(data.points, colors: probeLabels.map { labeling.color(of: $0) }, radius: r, opacity: 0.85, on: canvas)
        if numbered, let mixture = data.problem.mixture {
            let scale = panel.rect.width / (2 * panel.extent), f = panel.fontSize
            for (j, centre) in mixture.centres.enumerated() {
                let c = panel.pixel(x: centre.x, y: centre.y)
                let offset = 3 * mixture.sigma * scale + f * 0.9
                let length = max((centre * centre).sum().squareRoot(), 1e-9)
                let direction = length > 1e-6 ? centre / length : SIMD2(0.7071, 0.7071)
                canvas.drawText("\(j)", x: c.x + direction.x * offset, y: c.y - direction.y * offset, size: f,
                                color: .grey(0.15), align: .center, vertical: .middle, bold: true)
            }
        }
        panel.drawFrame(on: canvas)
    }

    /// The label of each point `[x, y, …]`: mode j* when d ≤ t, the spiral bin within τ, else −1.
    static func labels(of points: [Float], problem: ToyProblem) -> [Int] {
        let count = points.count / 2
        if let mixture = problem.mixture {
            let t = MixtureMetrics.negativeSpaceThreshold(for: problem.kind)
            return (0..<count).map { i in
                let (mode, d) = mixture.assign(SIMD2(Double(points[2 * i]), Double(points[2 * i + 1])))
                return mode >= 0 && d <= t ? mode : ModeLabeling.negativeSpace
            }
        }
        guard problem.kind == .spiral else { return [Int](repeating: ModeLabeling.negativeSpace, count: count) }
        let reference = SpiralReference.shared
        return (0..<count).map { i in
            let (index, d) = reference.nearest(to: SIMD2(Double(points[2 * i]), Double(points[2 * i + 1])))
            return index >= 0 && d <= reference.tau ? reference.bins[index] : ModeLabeling.negativeSpace
        }
    }

    /// Region counts of labels split within a plane.
    static let splitColor = RGBA(red: 0.75, green: 0.1, blue: 0.1)

    /// A label colour washed halfway to white (target samples behind the probes).
    static func mixWhite(_ color: RGBA) -> RGBA { MapDiagnosticsData.mix(color, .white, 0.55) }

    // MARK: - Legend

    private static func drawLegend(_ data: MapDiagnosticsData, labeling: ModeLabeling, layout: Layout, on canvas: Canvas) {
        let page = layout.page, f = page.fontSize, side = page.side
        var y = layout.legendOrigin.y
        canvas.drawText("latent mass per \(labeling.noun)", x: side.x, y: y, size: f * 1.15, color: .grey(0.1), vertical: .top)
        y += f * 1.9
        y = drawTable(labeling, area: PixelRect(x: side.x, y: y, width: side.width, height: page.panelSide), fontSize: f,
                      on: canvas)
        y = page.drawLegendRow("negative space  " + MapDiagnosticsData.percent(labeling.negativeSpaceMass, digits: 1),
                               color: .black, marker: .square, x: side.x, y: y + f * 0.3, on: canvas)
        MapDiagnosticsData.drawNote(noteLines(data, labeling: labeling), page: page, x: side.x, y: y + f * 0.6, on: canvas)
    }

    /// A table of swatch, label, latent mass and latent components; one column up to 10 labels,
    /// two beyond. Returns the y below it.
    @discardableResult
    static func drawTable(_ labeling: ModeLabeling, area: PixelRect, fontSize: Double, on canvas: Canvas) -> Double {
        let columns = labeling.count > 10 ? 2 : 1
        let f = columns > 1 ? (fontSize * 0.85).rounded() : fontSize
        let rows = (labeling.count + columns - 1) / columns
        let width = area.width / Double(columns), rowHeight = f * 1.45
        let text = RGBA.grey(0.3)
        canvas.drawText(labeling.noun + (columns > 1 ? "" : "   latent mass   regions"), x: area.x, y: area.y, size: f * 0.9,
                        color: .grey(0.5), vertical: .top)
        let top = area.y + rowHeight
        for j in 0..<labeling.count {
            let x = area.x + Double(j / rows) * width, y = top + Double(j % rows) * rowHeight
            canvas.fillRect(PixelRect(x: x, y: (y + f * 0.1).rounded(), width: (f * 0.95).rounded(), height: (f * 0.95).rounded()),
                            color: labeling.color(of: j))
            let mass = labeling.massPerLabel[j]
            canvas.drawText("\(j)", x: x + f * (columns > 1 ? 2.5 : 2.6), y: y + f * 0.55, size: f, color: text, align: .right, vertical: .middle)
            canvas.drawText(mass > 0 ? MapDiagnosticsData.percent(mass, digits: 1) : "—", x: x + f * (columns > 1 ? 6.15 : 7.4),
                            y: y + f * 0.55, size: f, color: text, align: .right, vertical: .middle)
            let parts = labeling.componentsPerLabel[j]
            let partText = columns > 1 ? (parts > 1 ? "×\(parts)" : "") : "\(parts)"
            canvas.drawText(partText, x: x + f * (columns > 1 ? 6.45 : 10.4), y: y + f * 0.55, size: f,
                            color: labeling.isSplitWithinAPlane[j] ? splitColor : text,
                            align: columns > 1 ? .left : .right, vertical: .middle)
        }
        return top + Double(rows) * rowHeight
    }

    /// The numbers under the legend.
    static func noteLines(_ data: MapDiagnosticsData, labeling: ModeLabeling) -> [String] {
        let noun = labeling.noun
        var lines = ["\(noun)s reached by latent cells: \(labeling.labelsReached)/\(labeling.count)"]
        lines.append("\(noun)s split within a plane: \(labeling.labelsSplitWithinAPlane) (red)")
        if data.planes.count > 1 { lines.append("regions: summed over the \(data.planes.count) planes") }
        if labeling.count > 10 { lines.append("×n: a \(noun) reached from n regions") }
        if let m = data.report.samples.mixture {
            lines += ["\(MappingFigure.grouped(m.sampleCount)) samples: modes covered \(m.modesCovered)/\(m.modeCount)",
                      "   (strict \(m.strictModesCovered)), HQ " + MapDiagnosticsData.percent(m.hqFraction, digits: 1),
                      "   reverse KL " + MapDiagnosticsData.fixed(m.reverseKL, 3),
                      "   negative space " + MapDiagnosticsData.percent(m.negativeSpace, digits: 1)]
        }
        if let s = data.report.samples.spiral {
            lines += ["\(MappingFigure.grouped(s.sampleCount)) samples: bins covered \(s.coveredBins)/\(s.binCount)",
                      "   negative space " + MapDiagnosticsData.percent(s.negativeSpace, digits: 1)]
        }
        lines.append("grid: \(data.gridSize) × \(data.gridSize) cells" + (data.planes.count > 1 ? " per k" : ""))
        return lines
    }
}
