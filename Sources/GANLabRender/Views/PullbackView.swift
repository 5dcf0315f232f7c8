import Foundation
import GANLabCore

/// The generator drawn as an image: every latent pixel z painted in the colour of the point G(z)
/// it lands on, under a 2-D colour map of the sample plane (`SamplePlaneColoring`), shown beside
/// it as the key with the target in grey. A smooth map gives smooth colours; a tear (neighbouring
/// latents sent far apart) is a sharp colour edge, and the oracle map f gives the reference.
public enum PullbackView {
    /// Where everything goes, exposed so tests can find pixels.
    public struct Layout: Sendable {
        /// The page.
        public var page: ViewLayout
        /// The latent panel(s): one, or one per component k.
        public var latentPanels: [PlotPanel]
        /// The colour key: the sample plane painted in its colouring.
        public var keyPanel: PlotPanel
    }

    /// Colour of the target samples drawn on the key.
    public static let targetColor = RGBA.grey(0.25)

    /// Computes the layout for square panels of `panelSize` px.
    public static func layout(prior: LatentPrior, latentExtent: Double, sampleExtent: Double,
                              panelSize: Int = 800, mapName: String = "G") -> Layout {
        let page = ViewLayout(panelSize: panelSize, columns: 2)
        let title = prior.dimension > 2 ? "latent planes (n, k), coloured by where \(mapName) sends them"
            : "latent plane, coloured by where \(mapName) sends each z"
        let latent = page.latentPanels(column: 0, prior: prior, extent: latentExtent, title: title)
        let key = page.panel(column: 1, extent: sampleExtent, title: "colour key: the sample plane, target in grey")
        return Layout(page: page, latentPanels: latent, keyPanel: key)
    }

    /// Latent pixels per side of each latent panel at `panelSize`: the grid to evaluate G on, so
    /// that every pixel shows its own latent.
    public static func planeResolution(prior: LatentPrior, panelSize: Int = 800) -> Int {
        let panels = layout(prior: prior, latentExtent: 1, sampleExtent: 1, panelSize: panelSize).latentPanels
        return Int(panels.first?.rect.width ?? Double(panelSize))
    }

    /// Renders the view.
    public static func render(_ data: PullbackData, panelSize: Int = 800) throws -> Canvas {
        try data.validate()
        let layout = layout(prior: data.prior, latentExtent: data.latentExtent, sampleExtent: data.sampleExtent,
                            panelSize: panelSize, mapName: data.mapName)
        let canvas = try layout.page.makeCanvas(title: data.title)
        let coloring = SamplePlaneColoring(extent: data.sampleExtent)
        for (k, panel) in layout.latentPanels.enumerated() {
            let points = data.planes[k]
            MapDiagnosticsData.paintCells(data.grid, on: panel, canvas: canvas) { cell, _, _ in
                coloring.color(Double(points[2 * cell]), Double(points[2 * cell + 1]))
            }
            panel.drawFrame(on: canvas)
            if case .gaussianWithComponent(let components) = data.prior {
                ViewLayout.drawComponentSwatch(k, of: components, beside: panel, on: canvas)
            }
        }
        if let spare = layout.page.spareCell(column: 0, prior: data.prior) {
            layout.page.drawNote(["each panel: the latents", "(n, k) of one component k,", "coloured by where",
                                  "\(data.mapName)(n, k) lands"], x: spare.x, y: spare.y, on: canvas)
        }
        drawKey(data, coloring: coloring, on: layout.keyPanel, canvas: canvas)
        drawNotes(data, layout: layout, on: canvas)
        try canvas.checkStatus("rendering the pullback view '\(data.title)'")
        return canvas
    }

    /// The sample plane painted in its colouring, the target samples in grey on top.
    static func drawKey(_ data: PullbackData, coloring: SamplePlaneColoring, on panel: PlotPanel, canvas: Canvas) {
        canvas.paintPixels(in: panel.rect) { x, y in
            let p = panel.dataPoint(pixelX: x, pixelY: y)
            return coloring.color(p.x, p.y)
        }
        let radius = MappingFigure.defaultPointRadius(panelSide: panel.rect.width) * 0.75
        panel.drawDots(data.target, color: .white, radius: radius + 0.6, opacity: 0.35, on: canvas)
        panel.drawDots(data.target, color: targetColor, radius: radius, opacity: 0.55, on: canvas)
        panel.drawFrame(on: canvas)
    }

    /// The side column: how to read the picture, then the jump statistics.
    static func drawNotes(_ data: PullbackData, layout: Layout, on canvas: Canvas) {
        let page = layout.page, f = page.fontSize, side = page.side
        canvas.drawText("how to read it", x: side.x, y: side.y, size: f * 1.15, color: .grey(0.1), vertical: .top)
        let g = data.mapName
        var y = page.drawNote(["each latent pixel z takes the", "colour of the point \(g)(z) on", "the key (right):",
                               "  hue: direction of \(g)(z) from 0", "  pale → deep: distance from 0", "",
                               "smooth colours: a smooth map", "sharp colour edges: tears,", "neighbouring latents sent",
                               "far apart"],
                              x: side.x, y: side.y + f * 1.9, on: canvas)
        let stretch = data.stretch(), z = data.prior.dimension > 2 ? "n" : "z"
        y += f * 1.2
        var lines: [String] = []
        if let geometry = data.geometry {
            canvas.drawText("tears (as in --view tears)", x: side.x, y: y, size: f * 1.15, color: .grey(0.1), vertical: .top)
            lines += [
                "tear mass: " + MapDiagnosticsData.percent(geometry.tearMass) + " of latent mass",
                "length " + MapDiagnosticsData.significant(geometry.tearLength) + ", width "
                    + MapDiagnosticsData.significant(geometry.tearWidth),
            ]
            if let off = geometry.negativeSpaceLatentMass {
                lines.append("off target: " + MapDiagnosticsData.percent(off) + " of latent mass")
            }
            lines.append("")
        } else {
            canvas.drawText("stretch between pixels", x: side.x, y: y, size: f * 1.15, color: .grey(0.1), vertical: .top)
        }
        lines += [
            "stretch between pixels:",
            "  median \(z)₀ " + MapDiagnosticsData.significant(stretch.median.z0) + ", \(z)₁ "
                + MapDiagnosticsData.significant(stretch.median.z1),
            "  largest " + MapDiagnosticsData.significant(stretch.largest),
            "\(data.grid.size)² latents" + (data.planes.count > 1 ? " per k" : "") + ", one per pixel",
        ]
        MapDiagnosticsData.drawNote(lines, page: page, x: side.x, y: y + f * 1.9, width: side.width, on: canvas)
    }
}
