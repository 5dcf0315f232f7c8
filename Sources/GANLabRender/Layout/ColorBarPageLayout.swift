import GANLabCore

/// The page of the diagnostic views that colour the latent plane through a colour bar (folds,
/// Jacobian): latent panel(s) on the left, the sample plane on the right, the bar on top of the
/// side column and the legend under it.
public struct ColorBarPageLayout: Sendable {
    /// The page.
    public var page: ViewLayout
    /// The latent panel(s).
    public var latentPanels: [PlotPanel]
    /// The sample-plane panel.
    public var samplePanel: PlotPanel
    /// The colour bar.
    public var colorBar: ColorBar
    /// Where the legend starts.
    public var legendOrigin: (x: Double, y: Double)

    /// Lays out `data` with square panels of `panelSize` px; `makeBar` builds the bar for its area
    /// and the page's font size. The latent title gets ", per k" when the prior has components.
    init(for data: MapDiagnosticsData, panelSize: Int, latentTitle: String, sampleTitle: String,
         makeBar: (PixelRect, Double) -> ColorBar) {
        page = ViewLayout(panelSize: panelSize, columns: 2)
        latentPanels = data.latentPanels(on: page, column: 0, title: latentTitle + (data.prior.dimension > 2 ? ", per k" : ""))
        samplePanel = page.panel(column: 1, extent: data.sampleExtent, title: sampleTitle)
        let side = page.side, barHeight = (page.panelSide * 0.45).rounded()
        colorBar = makeBar(PixelRect(x: side.x, y: side.y, width: side.width, height: barHeight), page.fontSize)
        legendOrigin = (side.x, side.y + barHeight + page.fontSize * 1.6)
    }
}
