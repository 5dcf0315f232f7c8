import GANLabCore

/// The article's figure: latent plane on the left, generator output on the right, coloured so
/// that the same latent has the same colour in both; plus a title line and a colour key.
public enum MappingFigure {
    /// Where everything in a full figure goes, exposed so tests can find pixels.
    public struct Layout: Sendable {
        /// Canvas width in px.
        public var width: Int
        /// Canvas height in px.
        public var height: Int
        /// One latent panel, or one per component for priors with components.
        public var latentPanels: [PlotPanel]
        /// The sample-plane panel.
        public var samplePanel: PlotPanel
        /// The colour key.
        public var key: ColorKey
        /// Explanatory text lines and their anchor (for the component grid's spare cell).
        public var note: (x: Double, y: Double, lines: [String])?
        /// Title font size in px.
        public var titleSize: Double
        /// Outer margin in px.
        public var margin: Double
    }

    /// Point radius that reads well for 5,000–10,000 points: 1.6 px on an 800 px panel.
    public static func defaultPointRadius(panelSide: Double) -> Double {
        max(0.9, 1.6 * panelSide / 800)
    }

    /// Computes the layout of a full figure with square panels of `panelSize` px.
    public static func layout(for data: MappingData, panelSize: Int = 800) -> Layout {
        let page = ViewLayout(panelSize: panelSize, columns: 2)
        let components: Int
        if case .gaussianWithComponent(let k) = data.prior { components = k } else { components = 0 }
        let title = data.prior == .uniformBox ? "latent z ~ U(−1, 1)²" : "latent z ~ N(0, I₂)"
        let latentPanels = page.latentPanels(column: 0, prior: data.prior, extent: data.latentExtent, title: title)
        let note = page.spareCell(column: 0, prior: data.prior).map {
            (x: $0.x, y: $0.y, lines: ["each panel: the probes of", "one component k at (n₀, n₁),",
                                       "coloured by Φ(n₀), Φ(n₁);", "in G(z) they get hue k/\(components)"])
        }
        let sample = page.panel(column: 1, extent: data.sampleExtent, title: "generator output G(z)")
        let keyArea = PixelRect(x: page.side.x, y: page.side.y, width: page.side.width,
                                height: (page.panelSide * (components > 0 ? 0.75 : 0.5)).rounded())
        let key = ColorKey(prior: data.prior, extent: data.latentExtent, area: keyArea, fontSize: page.fontSize)
        return Layout(width: page.width, height: page.height, latentPanels: latentPanels, samplePanel: sample,
                      key: key, note: note, titleSize: page.titleSize, margin: page.margin)
    }

    /// Renders the full figure; `pointRadius` defaults to `defaultPointRadius(panelSide:)`.
    public static func render(_ data: MappingData, panelSize: Int = 800, pointRadius: Double? = nil,
                              alpha: Double = 0.8) throws -> Canvas {
        try data.validate()
        let layout = layout(for: data, panelSize: panelSize)
        let canvas = try Canvas(width: layout.width, height: layout.height)
        canvas.fillBackground(.white)
        canvas.drawText(data.title, x: layout.margin, y: layout.margin, size: layout.titleSize,
                        color: .grey(0.05), vertical: .top, bold: true)
        let radius = pointRadius ?? defaultPointRadius(panelSide: layout.samplePanel.rect.width)
        drawLatentPanels(data, layout: layout, radius: radius, alpha: alpha, on: canvas)
        drawSamples(data, on: layout.samplePanel, radius: radius, alpha: alpha, canvas: canvas)
        layout.key.draw(on: canvas)
        let font = layout.key.fontSize
        let footY = layout.key.layout().square.rect.maxY + font * 3.5
        canvas.drawText("\(grouped(data.probeCount)) probe latents", x: layout.key.area.x, y: footY, size: font,
                        color: .grey(0.3), vertical: .top)
        canvas.fillCircle(center: (layout.key.area.x + font * 0.4, footY + font * 2.0), radius: font * 0.35,
                          color: targetColor)
        canvas.drawText("\(grouped(data.targetCount)) target samples", x: layout.key.area.x + font * 1.1,
                        y: footY + font * 2.0, size: font, color: .grey(0.3), vertical: .middle)
        try canvas.checkStatus("rendering the mapping figure '\(data.title)'")
        return canvas
    }

    /// Light grey of the true samples drawn behind the probes.
    public static let targetColor = RGBA.grey(0.78)

    /// Draws target samples (grey, behind) and probes at G(z) in their latents' colours.
    static func drawSamples(_ data: MappingData, on panel: PlotPanel, radius: Double, alpha: Double,
                            canvas: Canvas) {
        panel.drawBackground(on: canvas)
        panel.drawDots(data.target, color: targetColor, radius: radius * 0.85, opacity: 0.7, on: canvas)
        let colors = LatentColoring(prior: data.prior).colors(latents: data.latents)
        panel.drawDots(data.points, colors: colors, radius: radius, opacity: alpha, on: canvas)
        panel.drawFrame(on: canvas)
    }

    private static func drawLatentPanels(_ data: MappingData, layout: Layout, radius: Double, alpha: Double,
                                         on canvas: Canvas) {
        let coloring = LatentColoring(prior: data.prior)
        let d = data.prior.dimension
        let colors = coloring.continuousColors(latents: data.latents)
        var positions = Array(repeating: [Float](), count: layout.latentPanels.count)
        var panelColors = Array(repeating: [RGBA](), count: layout.latentPanels.count)
        for i in 0..<data.probeCount {
            let row = data.latents[(i * d)..<(i * d + d)]
            let k = min(coloring.component(of: row), layout.latentPanels.count - 1)
            positions[k].append(contentsOf: [row[i * d], row[i * d + 1]])
            panelColors[k].append(colors[i])
        }
        let components = layout.latentPanels.count
        for (k, panel) in layout.latentPanels.enumerated() {
            panel.drawBackground(on: canvas)
            let small = components > 1 ? radius * max(0.6, panel.rect.width / layout.samplePanel.rect.width * 1.6) : radius
            panel.drawDots(positions[k], colors: panelColors[k], radius: small, opacity: alpha, on: canvas)
            panel.drawFrame(on: canvas)
            guard components > 1, let title = panel.title else { continue }
            let size = panel.fontSize * 1.25
            let advance = canvas.measureText(title, size: size).advance
            let side = (size * 0.75).rounded()
            canvas.fillRect(PixelRect(x: panel.rect.x + advance + size * 0.4, y: panel.rect.y - panel.fontSize * 0.7 - side,
                                      width: side, height: side),
                            color: LatentColoring.componentColor(k, of: components))
        }
        if let note = layout.note {
            for (i, line) in note.lines.enumerated() {
                canvas.drawText(line, x: note.x, y: note.y + Double(i) * layout.key.fontSize * 1.4,
                                size: layout.key.fontSize * 0.85, color: .grey(0.35), vertical: .top)
            }
        }
    }

    /// An integer with thousands separators: 5000 → "5,000".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return value < 0 ? "−" + out : out
    }
}
