import Foundation
import GANLabCore

/// How the discriminator view colours D's output.
public enum DiscriminatorScale: Sendable, Equatable {
    /// σ(logit), the probability of "real", from 0 to 1 (the cross-entropy, least-squares and
    /// hinge losses).
    case probability
    /// A Wasserstein critic's value, whose offset is arbitrary (adding a constant to D changes
    /// no loss): a diverging scale centred at `center` (halfway between the mean critic values on
    /// real and generated samples), saturating at `center ± halfRange`.
    case critic(center: Double, halfRange: Double)

    /// A critic scale for critic values `values` on the sample plane and the two means: centred
    /// between the means, wide enough for 98 % of |value − centre| (at least the gap to the means).
    public static func critic(values: [Float], meanReal: Double, meanFake: Double) -> DiscriminatorScale {
        let center = (meanReal + meanFake) / 2
        let spread = values.map { abs(Double($0) - center) }.filter(\.isFinite).sorted()
        let robust = spread.isEmpty ? 0 : spread[min(spread.count - 1, Int(0.98 * Double(spread.count)))]
        let halfRange = max(robust, abs(meanReal - center), 1e-6)
        return .critic(center: center, halfRange: halfRange)
    }
}

/// Plain data for the discriminator view: D's logits on the sample plane and D(G(z)) on the
/// latent plane, sampled on grids, plus the probes at G(z) and true samples to draw on top.
public struct DiscriminatorData: Sendable {
    /// The prior of the latents (decides the latent panels and the colouring).
    public var prior: LatentPrior
    /// Half-width of the latent square shown.
    public var latentExtent: Double
    /// Half-width of the sample square shown.
    public var sampleExtent: Double
    /// D's logit at the nodes of a grid over the sample square.
    public var sampleLogits: ScalarGrid
    /// D(G(z))'s logit over the latent square: one grid, or one per component k.
    public var latentLogits: [ScalarGrid]
    /// Probe latents, row-major (probeCount × prior.dimension).
    public var latents: [Float]
    /// G(z) of the probes, flat `[x, y, …]`.
    public var points: [Float]
    /// True samples, flat `[x, y, …]`.
    public var target: [Float]
    /// How D's output is coloured: σ(logit) or a critic's diverging scale.
    public var scale: DiscriminatorScale = .probability
    /// Probabilities at which contour lines are drawn; for a critic, level ℓ is drawn at
    /// centre + (2ℓ − 1)·halfRange.
    public var contourLevels: [Double] = stride(from: 1, through: 9, by: 1).map { Double($0) / 10 }
    /// Lines of statistics for the side column (e.g. mean D on real and generated samples).
    public var notes: [String] = []
    /// The title line.
    public var title: String
    /// The training step shown.
    public var step: Int = 0

    /// Data from already evaluated grids and points.
    public init(prior: LatentPrior, latentExtent: Double, sampleExtent: Double, sampleLogits: ScalarGrid,
                latentLogits: [ScalarGrid], latents: [Float], points: [Float], target: [Float], title: String) {
        self.prior = prior
        self.latentExtent = latentExtent
        self.sampleExtent = sampleExtent
        self.sampleLogits = sampleLogits
        self.latentLogits = latentLogits
        self.latents = latents
        self.points = points
        self.target = target
        self.title = title
    }

    /// Evaluates D on a `resolution`² grid of the sample square and D∘G on a `latentResolution`²
    /// grid of the latent square (per component for priors with components), with one batched
    /// call per grid. `discriminator` maps flat 2-D points to logits; `generator` maps latent
    /// rows (prior.dimension numbers each) to flat 2-D points.
    public static func evaluating(
        prior: LatentPrior, latentExtent: Double, sampleExtent: Double, resolution: Int, latentResolution: Int,
        discriminator: (_ points: [Float], _ count: Int) -> [Float],
        generator: (_ latents: [Float], _ count: Int) -> [Float],
        latents: [Float], points: [Float], target: [Float], title: String
    ) -> DiscriminatorData {
        let sample = ScalarGrid.evaluating(extent: sampleExtent, size: resolution, discriminator)
        let latent = LatentGrid.components(of: prior).map { k in
            ScalarGrid.evaluating(extent: latentExtent, size: latentResolution) { nodes, count in
                let rows = LatentGrid.latentRows(plane: nodes, count: count, prior: prior, component: k)
                return discriminator(generator(rows, count), count)
            }
        }
        return DiscriminatorData(prior: prior, latentExtent: latentExtent, sampleExtent: sampleExtent,
                                 sampleLogits: sample, latentLogits: latent, latents: latents, points: points,
                                 target: target, title: title)
    }

    /// Throws `RenderError.invalidData` naming the first inconsistency.
    public func validate() throws {
        guard latentExtent > 0, sampleExtent > 0, latentExtent.isFinite, sampleExtent.isFinite else {
            throw RenderError.invalidData("extents must be positive and finite")
        }
        guard latentLogits.count == LatentGrid.components(of: prior).count else {
            throw RenderError.invalidData("\(latentLogits.count) latent grids for \(LatentGrid.components(of: prior).count) latent panels")
        }
        guard points.count % 2 == 0, target.count % 2 == 0, latents.count == points.count / 2 * prior.dimension else {
            throw RenderError.invalidData("\(latents.count) latent numbers for \(points.count / 2) points of dimension \(prior.dimension)")
        }
    }
}

/// The discriminator at one step: σ(D(x)) on the sample plane as a heatmap with contour lines,
/// true samples (grey) and the probes at G(z) (latent colours) on top; beside it D(G(z)) on the
/// latent plane, which shows which latents G sends where D still says "fake".
public enum DiscriminatorView {
    /// Where everything goes, exposed so tests can find pixels.
    public struct Layout: Sendable {
        /// The page.
        public var page: ViewLayout
        /// The sample-plane panel.
        public var samplePanel: PlotPanel
        /// The latent panel(s).
        public var latentPanels: [PlotPanel]
        /// The colour bar of D's probability.
        public var colorBar: ColorBar
        /// The latent colour key.
        public var key: ColorKey
        /// Where the legend starts.
        public var legendOrigin: (x: Double, y: Double)
    }

    /// The colour map of σ(D): purple "fake", white "undecided", green "real".
    public static let colormap = Colormap.probability

    /// Colour of the true samples drawn on the heatmap.
    public static let realColor = RGBA.grey(0.3)

    /// The logistic function σ(l) = 1 / (1 + e^−l).
    public static func sigmoid(_ logit: Double) -> Double { 1 / (1 + exp(-logit)) }

    /// Computes the layout for square panels of `panelSize` px.
    public static func layout(for data: DiscriminatorData, panelSize: Int = 800) -> Layout {
        let page = ViewLayout(panelSize: panelSize, columns: 2)
        let sampleTitle = data.scale == .probability ? "D(x) = P(real) on the sample plane"
            : "critic D(x) on the sample plane"
        let sample = page.panel(column: 0, extent: data.sampleExtent, title: sampleTitle)
        let latentTitle = data.prior == .uniformBox ? "D(G(z)) on the latent plane" : "D(G(z)) on the latent plane, z ~ N(0, I₂)"
        let latent = page.latentPanels(column: 1, prior: data.prior, extent: data.latentExtent, title: latentTitle)
        let f = page.fontSize, side = page.side
        let hasComponents = data.prior.dimension > 2
        let barHeight = (page.panelSide * (hasComponents ? 0.36 : 0.4)).rounded()
        let barArea = PixelRect(x: side.x, y: side.y, width: side.width, height: barHeight)
        let bar: ColorBar
        switch data.scale {
        case .probability:
            bar = ColorBar(colormap: colormap, range: 0...1, caption: ["D(x): probability of “real”"],
                           area: barArea, fontSize: f, ticks: probabilityTicks)
        case .critic(let center, let halfRange):
            bar = ColorBar(colormap: colormap, range: (center - halfRange)...(center + halfRange),
                           caption: ["critic D(x)", "(centre: between the", "means on real and G(z))"],
                           area: barArea, fontSize: f, ticks: criticTicks(center: center, halfRange: halfRange))
        }
        let keyTop = side.y + barHeight + f * 1.5
        let keyHeight = hasComponents ? f * 9 : (page.panelSide * 0.3).rounded()
        let key = ColorKey(prior: data.prior, extent: data.latentExtent,
                           area: PixelRect(x: side.x, y: keyTop, width: side.width * 0.8, height: keyHeight),
                           fontSize: f, caption: hasComponents ? "colour key (component k)" : "colour key (latent)",
                           showsSquare: !hasComponents)
        return Layout(page: page, samplePanel: sample, latentPanels: latent, colorBar: bar, key: key,
                      legendOrigin: (side.x, keyTop + keyHeight + f * (hasComponents ? 0.5 : 2.2)))
    }

    /// Ticks every 0.1, labelled at 0, ½ and 1 with what those values mean.
    static let probabilityTicks: [(value: Double, label: String)] = (0...10).map { i in
        let v = Double(i) / 10
        switch i {
        case 0: return (v, "0  fake")
        case 5: return (v, "0.5")
        case 10: return (v, "1  real")
        default: return (v, "")
        }
    }

    /// Ticks at the ends and the centre of a critic's scale, and at the quarter points between.
    static func criticTicks(center: Double, halfRange: Double) -> [(value: Double, label: String)] {
        (-4...4).map { i in
            let v = center + Double(i) / 4 * halfRange
            let text = AxisTicks.label(v, spacing: halfRange / 40)
            switch i {
            case -4: return (v, text + "  fake-like")
            case 0: return (v, text)
            case 4: return (v, text + "  real-like")
            default: return (v, "")
            }
        }
    }

    /// Contour levels of a critic: the centre and ±¼, ±½, ±¾ of the half range.
    public static let criticLevels: [Double] = (1...7).map { Double($0) / 8 }

    /// Position 0…1 on the colour map of D's output `value` (a logit or a critic value).
    static func position(_ value: Double, scale: DiscriminatorScale) -> Double {
        switch scale {
        case .probability:
            return sigmoid(value)
        case .critic(let center, let halfRange):
            let t = 0.5 + 0.5 * (value - center) / halfRange
            return t.isNaN ? 0.5 : min(max(t, 0), 1)
        }
    }

    /// Renders the view; `pointRadius` defaults to the mapping figure's.
    public static func render(_ data: DiscriminatorData, panelSize: Int = 800, pointRadius: Double? = nil) throws -> Canvas {
        try data.validate()
        let layout = layout(for: data, panelSize: panelSize)
        let canvas = try layout.page.makeCanvas(title: data.title)
        let radius = pointRadius ?? MappingFigure.defaultPointRadius(panelSide: layout.samplePanel.rect.width)

        let sample = layout.samplePanel
        drawHeatmap(data.sampleLogits, scale: data.scale, levels: data.contourLevels, on: sample, canvas: canvas)
        sample.drawDots(data.target, color: .white, radius: radius * 0.7 + 0.8, opacity: 0.6, on: canvas)
        sample.drawDots(data.target, color: realColor, radius: radius * 0.7, opacity: 0.8, on: canvas)
        let colors = LatentColoring(prior: data.prior).colors(latents: data.latents)
        sample.drawDots(data.points, colors: colors, radius: radius * 0.9, opacity: 0.85, on: canvas)
        sample.drawFrame(on: canvas)

        for (k, panel) in layout.latentPanels.enumerated() {
            drawHeatmap(data.latentLogits[k], scale: data.scale, levels: data.contourLevels, on: panel, canvas: canvas)
            panel.drawFrame(on: canvas)
            if case .gaussianWithComponent(let components) = data.prior {
                ViewLayout.drawComponentSwatch(k, of: components, beside: panel, on: canvas)
            }
        }
        if let spare = layout.page.spareCell(column: 1, prior: data.prior) {
            layout.page.drawNote(["D(G(n, k)) for each", "component k over the", "continuous part n"],
                                 x: spare.x, y: spare.y, on: canvas)
        }

        layout.colorBar.draw(on: canvas)
        layout.key.draw(on: canvas)
        drawLegend(data, layout: layout, radius: radius, on: canvas)
        try canvas.checkStatus("rendering the discriminator view '\(data.title)'")
        return canvas
    }

    /// Paints D's output in `grid` over `panel` (bilinear in the logit or critic value) and draws
    /// the contours: at the probabilities `levels`, or for a critic at the centre and at
    /// ±¼, ±½, ±¾ of the half range.
    static func drawHeatmap(_ grid: ScalarGrid, scale dScale: DiscriminatorScale = .probability, levels: [Double],
                            on panel: PlotPanel, canvas: Canvas) {
        canvas.paintPixels(in: panel.rect) { x, y in
            let p = panel.dataPoint(pixelX: x, pixelY: y)
            return colormap.color(at: position(grid.interpolated(x: p.x, y: p.y), scale: dScale))
        }
        let scale = max(0.55, panel.rect.width / 800)  // thinner lines on small panels
        canvas.withClip(panel.rect) {
            for level in levels where level > 0 && level < 1 {
                let value: Double
                switch dScale {
                case .probability: value = log(level / (1 - level))
                case .critic(let center, let halfRange): value = center + (2 * level - 1) * halfRange
                }
                let segments = pixelSegments(grid.contourSegments(level: value), panel: panel)
                let isHalf = abs(level - 0.5) < 1e-9
                canvas.strokeSegments(segments, color: isHalf ? .grey(0.1, alpha: 0.85) : .grey(0.25, alpha: 0.45),
                                      lineWidth: (isHalf ? 1.6 : 0.8) * scale)
            }
        }
    }

    /// Data-coordinate segments mapped to pixels.
    static func pixelSegments(_ segments: [Double], panel: PlotPanel) -> [Double] {
        let t = panel.transform
        var out = segments
        for i in stride(from: 0, to: out.count, by: 2) {
            out[i] = t.scaleX * out[i] + t.offsetX
            out[i + 1] = t.scaleY * out[i + 1] + t.offsetY
        }
        return out
    }

    private static func drawLegend(_ data: DiscriminatorData, layout: Layout, radius: Double, on canvas: Canvas) {
        let page = layout.page
        var y = layout.legendOrigin.y
        let x = layout.legendOrigin.x
        y = page.drawLegendRow("\(MappingFigure.grouped(data.target.count / 2)) real samples", color: realColor,
                               marker: .dot, x: x, y: y, on: canvas)
        let probeColor = data.prior.dimension > 2 ? LatentColoring.componentColor(0, of: 8)
            : LatentColoring(prior: data.prior).continuousColor(0.5, 0.5)
        y = page.drawLegendRow("G(z), \(MappingFigure.grouped(data.points.count / 2)) probes", color: probeColor,
                               marker: .dot, x: x, y: y, on: canvas)
        let (middle, others) = data.scale == .probability ? ("D = 0.5", "D = 0.1, 0.2, …, 0.9")
            : ("D = centre", "centre ± ¼, ½, ¾ of range")
        y = page.drawLegendRow(middle, color: .grey(0.1), marker: .line(width: 1.6 * max(1, page.panelSide / 800)),
                               x: x, y: y, on: canvas)
        y = page.drawLegendRow(others, color: .grey(0.4), marker: .line(width: max(1, page.panelSide / 800)),
                               x: x, y: y, on: canvas)
        page.drawNote(data.notes, x: x, y: y + page.fontSize * 0.6, on: canvas)
    }
}
