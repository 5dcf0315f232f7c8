import Foundation
import GANLabCore

/// How steep the map is (docs/METRICS.md §4): ‖J‖_F over the latent plane on a log colour scale, and the
/// same values carried to the sample plane at G(z) of every grid point (steepest drawn last), so
/// the latents G stretches most and where they land are both visible. The notes give L̂ = max
/// σ_max and the median ‖J‖_F, the numbers in diagnostics.csv.
public enum JacobianView {
    /// Where everything goes, exposed so tests can find pixels.
    public typealias Layout = ColorBarPageLayout

    /// The ‖J‖_F colours.
    public static let colormap = Colormap.stretch

    /// The log colour range of ‖J‖_F over all planes: the mass-weighted 1st to 99.5th percentile,
    /// widened to half decades and to at least one decade.
    public static func range(for data: MapDiagnosticsData) -> ClosedRange<Double> {
        var pairs: [(value: Double, weight: Double)] = []
        for plane in data.planes {
            for (J, m) in zip(plane.jacobians, plane.masses) where J.frobeniusNorm.isFinite && J.frobeniusNorm > 0 {
                pairs.append((J.frobeniusNorm, m))
            }
        }
        guard !pairs.isEmpty else { return 0.1...10 }
        pairs.sort { $0.value < $1.value }
        func quantile(_ q: Double) -> Double { Quantile.weighted(q, sorted: pairs) ?? 1 }
        var low = (log10(quantile(0.01)) * 2).rounded(.down) / 2, high = (log10(quantile(0.995)) * 2).rounded(.up) / 2
        if high - low < 1 {
            let middle = (low + high) / 2
            (low, high) = (middle - 0.5, middle + 0.5)
        }
        return pow(10, low)...pow(10, high)
    }

    /// The ‖J‖_F colour bar over `range` in `area`.
    public static func colorBar(range: ClosedRange<Double>, area: PixelRect, fontSize: Double) -> ColorBar {
        ColorBar(colormap: colormap, range: range, scale: .logarithmic, caption: ["‖J‖_F (local stretch)", "log scale"],
                 area: area, fontSize: fontSize)
    }

    /// Computes the layout for square panels of `panelSize` px.
    public static func layout(for data: MapDiagnosticsData, panelSize: Int = 800) -> Layout {
        Layout(for: data, panelSize: panelSize, latentTitle: "‖J‖_F on the latent plane",
               sampleTitle: "‖J‖_F carried to G(z) of the grid points") {
            colorBar(range: range(for: data), area: $0, fontSize: $1)
        }
    }

    /// Renders the view.
    public static func render(_ data: MapDiagnosticsData, panelSize: Int = 800) throws -> Canvas {
        try data.validate()
        let layout = layout(for: data, panelSize: panelSize)
        let canvas = try layout.page.makeCanvas(title: data.title)
        for (k, panel) in layout.latentPanels.enumerated() {
            drawLatentPlane(data, plane: k, bar: layout.colorBar, on: panel, canvas: canvas)
            data.drawSwatch(k, beside: panel, on: canvas)
        }
        if let spare = layout.page.spareCell(column: 0, prior: data.prior) {
            layout.page.drawNote(["‖J‖_F of G(n, k) for each", "component k over n;", "max σ_max per k:"] + lipschitzLines(data),
                                 x: spare.x, y: spare.y, on: canvas)
        }
        drawSamplePlane(data, bar: layout.colorBar, on: layout.samplePanel, canvas: canvas)
        layout.colorBar.draw(on: canvas)
        let g = data.geometry, page = layout.page
        MapDiagnosticsData.drawNote([
            "Lipschitz estimate (max σ_max): " + MapDiagnosticsData.significant(g.lipschitz),
            "‖J‖_F median " + MapDiagnosticsData.significant(g.frobeniusNorm.median) + ", p95 "
                + MapDiagnosticsData.significant(g.frobeniusNorm.p95) + ", max " + MapDiagnosticsData.significant(g.frobeniusNorm.max),
            "σ_max median " + MapDiagnosticsData.significant(g.largestSingularValue.median),
            "max grid-edge stretch " + MapDiagnosticsData.significant(g.maxStretch),
            "   (jumps included)",
            "grid: \(data.gridSize) × \(data.gridSize) cells" + (data.planes.count > 1 ? " per k" : ""),
            "J: differences between grid points,",
            "   one-sided beside a tear",
            "dots: opacity ∝ √(latent mass)",
        ], page: page, x: layout.legendOrigin.x, y: layout.legendOrigin.y, on: canvas)
        try canvas.checkStatus("rendering the Jacobian view '\(data.title)'")
        return canvas
    }

    // MARK: - Panels

    /// Latent plane `plane`: ‖J‖_F per cell through the log colour bar.
    public static func drawLatentPlane(_ data: MapDiagnosticsData, plane k: Int, bar: ColorBar, on panel: PlotPanel,
                                       canvas: Canvas) {
        let colors = data.planes[k].jacobians.map { bar.color(of: $0.frobeniusNorm) }
        MapDiagnosticsData.paintCells(data.planes[k].grid, on: panel, canvas: canvas) { c, _, _ in colors[c] }
        panel.drawFrame(on: canvas)
    }

    /// The sample plane: target in grey, then G(z) of every grid point coloured by its ‖J‖_F,
    /// in ascending order so the steepest points are on top.
    public static func drawSamplePlane(_ data: MapDiagnosticsData, bar: ColorBar, on panel: PlotPanel, canvas: Canvas,
                                       radius: Double? = nil) {
        let r = radius ?? MappingFigure.defaultPointRadius(panelSide: panel.rect.width)
        panel.drawBackground(on: canvas)
        panel.drawDots(data.target, color: MappingFigure.targetColor, radius: r * 0.85, opacity: 0.6, on: canvas)
        var items: [(norm: Double, x: SIMD2<Double>, mass: Double)] = []
        for plane in data.planes {
            for c in plane.values.indices where plane.values[c].x.isFinite && plane.values[c].y.isFinite {
                items.append((plane.jacobians[c].frobeniusNorm, plane.values[c], plane.masses[c]))
            }
        }
        items.sort { $0.norm < $1.norm }
        let cells = Double(items.count).squareRoot()
        let dot = max(0.6, min(r, panel.rect.width / max(cells, 1) * 0.6))
        let colors = MapDiagnosticsData.massShaded(items.map { bar.color(of: $0.norm) }, masses: items.map(\.mass))
        panel.drawDots(items.flatMap { [Float($0.x.x), Float($0.x.y)] }, colors: colors, radius: dot, opacity: 0.85, on: canvas)
        panel.drawFrame(on: canvas)
    }

    /// "k=0 2.31  k=1 1.9" lines for the per-component note.
    static func lipschitzLines(_ data: MapDiagnosticsData) -> [String] {
        let items = data.planes.enumerated().map { "k=\($0.offset) " + MapDiagnosticsData.significant($0.element.lipschitz) }
        return stride(from: 0, to: items.count, by: 2).map { items[$0..<min($0 + 2, items.count)].joined(separator: "   ") }
    }
}
