import GANLabCore

/// The colour key every figure carries (docs/METRICS.md §2): the latent square drawn in its own colouring.
///
/// - Uniform box: the [−1, 1]² square filled pixel by pixel with the colour of docs/METRICS.md §2.
/// - Gaussian: the [−extent, extent]² square (default 3) with Φ-mapped colours.
/// - Gaussian with components: one hue swatch per component (labelled k = 0, 1, …) plus the
///   continuous (n₀, n₁) square used by the per-component panels.
public struct ColorKey: Sendable {
    /// The prior whose colouring is shown.
    public var prior: LatentPrior
    /// Half-width of the latent square shown.
    public var extent: Double
    /// The area the key (caption, swatches, square and labels) must fit into.
    public var area: PixelRect
    /// Label size in px.
    public var fontSize: Double
    /// Text above the key.
    public var caption: String
    /// Swatches per row for priors with components.
    public var swatchColumns: Int
    /// Whether to draw the continuous latent square (priors with components may show swatches only).
    public var showsSquare: Bool

    /// Creates a key; `extent` defaults to 1 for the uniform box and 3 for Gaussian latents.
    public init(prior: LatentPrior, extent: Double? = nil, area: PixelRect, fontSize: Double,
                caption: String = "colour key (latent)", swatchColumns: Int = 4, showsSquare: Bool = true) {
        self.prior = prior
        self.extent = extent ?? (prior == .uniformBox ? 1 : 3)
        self.area = area
        self.fontSize = fontSize
        self.caption = caption
        self.swatchColumns = max(1, swatchColumns)
        self.showsSquare = showsSquare || prior.dimension == 2
    }

    /// Where the key's parts go: the continuous square's panel and one swatch per component.
    public struct Layout: Sendable {
        /// The painted latent square with its labels.
        public var square: PlotPanel
        /// Hue swatches, one per component k (empty unless the prior has components).
        public var swatches: [PixelRect]
        /// Baseline height of the swatch labels, per swatch.
        public var swatchLabelY: [Double]
    }

    /// Computes the layout inside `area`.
    public func layout() -> Layout {
        var top = area.y + fontSize * 1.7
        var swatches: [PixelRect] = []
        var labelY: [Double] = []
        var squareTitle: String?
        if case .gaussianWithComponent(let components) = prior, components > 0 {
            let columns = min(components, swatchColumns)
            let cell = area.width / Double(columns)
            let side = min(cell * 0.6, fontSize * 2.4).rounded()
            for k in 0..<components {
                let row = Double(k / columns), column = Double(k % columns)
                let y = top + row * (side + fontSize * 1.6)
                let x = area.x + column * cell + ((cell - side) / 2).rounded()
                swatches.append(PixelRect(x: x, y: y, width: side, height: side))
                labelY.append(y + side + fontSize * 0.3)
            }
            let rows = Double((components + columns - 1) / columns)
            top += rows * (side + fontSize * 1.6) + fontSize * 0.4
            squareTitle = "n, per component"
        }
        let rest = PixelRect(x: area.x, y: top, width: area.width, height: max(1, area.maxY - top))
        let names = squareTitle == nil ? ("z₀", "z₁") : ("n₀", "n₁")
        let square = PlotPanel.fitting(in: rest, extent: extent, title: squareTitle,
                                       axisNames: (names.0, names.1), fontSize: fontSize, verticalPosition: 0)
        return Layout(square: square, swatches: swatches, swatchLabelY: labelY)
    }

    /// Draws the caption, swatches and painted square.
    public func draw(on canvas: Canvas) {
        let parts = layout()
        canvas.drawText(caption, x: area.x, y: area.y, size: fontSize * 1.15, color: .grey(0.1),
                        align: .left, vertical: .top)
        let coloring = LatentColoring(prior: prior)
        if case .gaussianWithComponent(let components) = prior {
            for (k, swatch) in parts.swatches.enumerated() {
                canvas.fillRect(swatch, color: LatentColoring.componentColor(k, of: components))
                canvas.drawText("k=\(k)", x: swatch.center.x, y: parts.swatchLabelY[k], size: fontSize,
                                color: .grey(0.3), align: .center, vertical: .top)
            }
        }
        guard showsSquare else { return }
        let panel = parts.square
        canvas.paintPixels(in: panel.rect) { x, y in
            let z = panel.dataPoint(pixelX: x, pixelY: y)
            return coloring.continuousColor(z.x, z.y)
        }
        panel.drawFrame(on: canvas)
    }
}
