import GANLabCore

/// One `walk` frame: the latent square (painted in its colouring: the frame's colour key) with
/// the path, and the sample plane with the trail of G(z(t)); everything precomputed once so
/// `draw(upTo:)` only reads immutable data and can run on several threads.
struct WalkFrame: Sendable {
    /// Where everything goes.
    struct Layout: Sendable {
        var width: Int
        var height: Int
        var latent: PlotPanel
        var sample: PlotPanel
        var margin: Double
        var titleSize: Double
        var overlaySize: Double
    }

    let layout: Layout
    let path: [SIMD2<Double>]
    let samples: [SIMD2<Double>]
    let jumps: [Bool]
    let threshold: Double
    let title: String
    let caption: String
    /// The latent square painted in its colouring, as packed pixels of the latent panel, row-major.
    let latentPixels: [UInt32]
    /// The walker's colour at each frame (its latent's continuous colour, as on the square).
    let walkerColors: [RGBA]
    let probeImage: [Float]
    let probeColors: [RGBA]
    let target: [Float]

    init(height: Int, prior: LatentPrior, latentExtent: Double, sampleExtent: Double, latentTitle: String,
         path: [SIMD2<Double>], samples: [SIMD2<Double>], jumps: [Bool], threshold: Double,
         probeLatents: [Float], probeImage: [Float], target: [Float], title: String, caption: String) {
        layout = Self.layout(height: height, latentExtent: latentExtent, sampleExtent: sampleExtent,
                             latentTitle: latentTitle, mixture: prior.dimension > 2)
        let coloring = LatentColoring(prior: prior)
        let panel = layout.latent
        let side = Int(panel.rect.width)
        var pixels: [RGBA] = []
        pixels.reserveCapacity(side * side)
        for y in 0..<side {
            for x in 0..<side {
                let z = panel.dataPoint(pixelX: panel.rect.x + Double(x) + 0.5, pixelY: panel.rect.y + Double(y) + 0.5)
                pixels.append(coloring.continuousColor(z.x, z.y))
            }
        }
        latentPixels = Canvas.packedPixels(pixels)
        walkerColors = path.map { coloring.continuousColor($0.x, $0.y) }
        probeColors = coloring.colors(latents: probeLatents)
        self.path = path
        self.samples = samples
        self.jumps = jumps
        self.threshold = threshold
        self.probeImage = probeImage
        self.target = target
        self.title = title
        self.caption = caption
    }

    /// Two square panels side by side under a text band; `height` px tall, width even.
    static func layout(height: Int, latentExtent: Double, sampleExtent: Double, latentTitle: String,
                       mixture: Bool) -> Layout {
        let s = Double(max(height, 100))
        let font = (s * 0.017).rounded(), m = (s * 0.025).rounded(), gap = (s * 0.04).rounded()
        let titleSize = (font * 1.35).rounded(), overlaySize = (font * 1.1).rounded()
        let band = (m + titleSize * 1.3 + 2 * overlaySize * 1.35 + font * 0.4).rounded()
        let margins = PlotPanel.margins(fontSize: font, hasTitle: true, hasAxisNames: true)
        let (ml, mt) = (margins.left.rounded(.up), margins.top.rounded(.up))
        let side = (s - band - mt - margins.bottom - m * 0.4).rounded(.down)
        let column = ml + side + margins.right.rounded(.up)
        var width = Int(m + column + gap + column + m)
        width += width % 2
        let latent = PlotPanel(rect: PixelRect(x: m + ml, y: band + mt, width: side, height: side),
                               extent: latentExtent, title: latentTitle + " (colour key)",
                               axisNames: mixture ? ("n₀", "n₁") : ("z₀", "z₁"), fontSize: font)
        let sample = PlotPanel(rect: PixelRect(x: m + column + gap + ml, y: band + mt, width: side, height: side),
                               extent: sampleExtent, title: "generator output G(z(t)) and its trail",
                               axisNames: ("x₀", "x₁"), fontSize: font)
        return Layout(width: width, height: Int(s), latent: latent, sample: sample, margin: m,
                      titleSize: titleSize, overlaySize: overlaySize)
    }

    /// Draws the frame with the walker at path point `index`.
    func draw(upTo index: Int) throws -> Canvas {
        let canvas = try Canvas(width: layout.width, height: layout.height)
        canvas.fillBackground(.white)
        drawLatentPanel(upTo: index, on: canvas)
        drawSamplePanel(upTo: index, on: canvas)
        drawText(upTo: index, on: canvas)
        try canvas.checkStatus("rendering walk frame \(index)")
        return canvas
    }

    // MARK: - Panels

    private static let jumpColor = RGBA(red: 0.88, green: 0.05, blue: 0.05)
    private static let trailColor = RGBA.grey(0.12)

    private func drawLatentPanel(upTo index: Int, on canvas: Canvas) {
        let panel = layout.latent
        let side = Int(panel.rect.width)
        canvas.blit(latentPixels, width: side, height: side, x: Int(panel.rect.x), y: Int(panel.rect.y))
        let line = max(1.5, panel.fontSize / 6)
        let pixels = path.map { panel.pixel(x: $0.x, y: $0.y) }
        canvas.withClip(panel.rect) {
            let flat = pixels.flatMap { [$0.x, $0.y] }
            let closed = isClosedLoop
            canvas.strokePolyline(flat, color: .grey(0, alpha: 0.55), lineWidth: line * 2.6, closed: closed)
            canvas.strokePolyline(flat, color: .white, lineWidth: line * 1.2, closed: closed)
            canvas.strokePolyline(Array(flat.prefix(2 * (index + 1))), color: Self.trailColor, lineWidth: line * 2.2)
            for i in 1..<max(path.count, 1) where jumps[i] {
                canvas.strokeLine(from: pixels[i - 1], to: pixels[i], color: Self.jumpColor, lineWidth: line * 2.4)
            }
            drawWalker(at: pixels[index], color: walkerColors[index], radius: line * 3.2, on: canvas)
        }
        panel.drawFrame(on: canvas)
    }

    private func drawSamplePanel(upTo index: Int, on canvas: Canvas) {
        let panel = layout.sample
        let radius = MappingFigure.defaultPointRadius(panelSide: panel.rect.width)
        panel.drawBackground(on: canvas)
        panel.drawDots(target, color: MappingFigure.targetColor, radius: radius * 0.85, opacity: 0.7, on: canvas)
        panel.drawDots(probeImage, colors: probeColors, radius: radius, opacity: 0.3, on: canvas)
        let line = max(1.5, panel.fontSize / 6)
        let pixels = samples.map { panel.pixel(x: $0.x, y: $0.y) }
        canvas.withClip(panel.rect) {
            var run: [Double] = []
            func flush() {
                canvas.strokePolyline(run, color: Self.trailColor, lineWidth: line * 1.2)
                run.removeAll(keepingCapacity: true)
            }
            for i in 0...index {
                let p = pixels[i]
                guard p.x.isFinite, p.y.isFinite else { flush(); continue }
                if i > 0, jumps[i] {
                    flush()
                    Self.strokeDashed(from: pixels[i - 1], to: p, color: Self.jumpColor, lineWidth: line * 1.4,
                                      dash: line * 4, on: canvas)
                }
                if run.isEmpty || (i > 0 && jumps[i]) { run = [p.x, p.y] } else { run += [p.x, p.y] }
            }
            flush()
            let here = pixels[index]
            if here.x.isFinite, here.y.isFinite {
                drawWalker(at: here, color: walkerColors[index], radius: line * 3.2, on: canvas)
            }
        }
        panel.drawFrame(on: canvas)
    }

    private var isClosedLoop: Bool {
        guard let first = path.first, let last = path.last, path.count > 2 else { return false }
        let step = LatentPath.length(path[1] - path[0])
        return LatentPath.length(first - last) < 1.5 * step
    }

    /// A disc in the walker's colour inside a white and a black ring: visible on any background.
    private func drawWalker(at p: (x: Double, y: Double), color: RGBA, radius: Double, on canvas: Canvas) {
        canvas.fillCircle(center: p, radius: radius + 3, color: .grey(0.05))
        canvas.fillCircle(center: p, radius: radius + 1.5, color: .white)
        canvas.fillCircle(center: p, radius: radius, color: color)
    }

    /// A dashed segment (Canvas draws solid lines only): dashes of `dash` px with equal gaps.
    static func strokeDashed(from a: (x: Double, y: Double), to b: (x: Double, y: Double), color: RGBA,
                             lineWidth: Double, dash: Double, on canvas: Canvas) {
        let dx = b.x - a.x, dy = b.y - a.y
        let length = (dx * dx + dy * dy).squareRoot()
        guard length.isFinite, length > 0, dash > 0 else { return }
        let pieces = min(Int((length / dash).rounded(.up)), 10_000)
        for k in stride(from: 0, to: pieces, by: 2) {
            let s = Double(k) * dash / length, e = min(Double(k + 1) * dash / length, 1)
            canvas.strokeLine(from: (a.x + s * dx, a.y + s * dy), to: (a.x + e * dx, a.y + e * dy),
                              color: color, lineWidth: lineWidth)
        }
    }

    // MARK: - Text

    private func drawText(upTo index: Int, on canvas: Canvas) {
        let m = layout.margin
        var y = m
        canvas.drawText(title, x: m, y: y, size: layout.titleSize, color: .grey(0.05), vertical: .top, bold: true)
        y += layout.titleSize * 1.3
        canvas.drawText(caption, x: m, y: y, size: layout.overlaySize, color: .grey(0.3), vertical: .top)
        y += layout.overlaySize * 1.35
        let z = path[index], x = samples[index]
        let t = path.count > 1 ? Double(index) / Double(path.count - 1) : 0
        let jumpsSoFar = jumps.prefix(index + 1).filter { $0 }.count
        let text = "t = " + FrameSequences.fixed(t, 2) + " · z = " + Self.pair(z) + " → G(z) = " + Self.pair(x)
            + " · jumps so far: \(jumpsSoFar) (red dashes: a step longer than " + FrameSequences.fixed(threshold, 3) + ")"
        canvas.drawText(text, x: m, y: y, size: layout.overlaySize, color: .grey(0.3), vertical: .top)
    }

    private static func pair(_ v: SIMD2<Double>) -> String {
        "(" + FrameSequences.fixed(v.x, 2) + ", " + FrameSequences.fixed(v.y, 2) + ")"
    }
}
