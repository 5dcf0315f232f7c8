extension MappingFigure {
    /// Where everything in a single-panel timelapse frame goes.
    public struct FrameLayout: Sendable {
        /// Frame side in px (frames are square).
        public var size: Int
        /// The sample-plane panel.
        public var samplePanel: PlotPanel
        /// The colour key, in the top band to the right of the text, so it never hides samples.
        public var key: ColorKey
        /// Anchor of the title line; overlay lines follow below it.
        public var textOrigin: (x: Double, y: Double)
        /// Title size in px.
        public var titleSize: Double
        /// Overlay line size in px.
        public var overlaySize: Double
    }

    /// Computes the layout of a square `frameSize` px frame with `overlayLines` lines under the title.
    ///
    /// The top band holds the title and overlay lines on the left and a small colour key on the
    /// right (hue swatches only for priors with components, as the panel colours by component);
    /// the sample panel fills the rest.
    public static func frameLayout(for data: MappingData, frameSize: Int = 800, overlayLines: Int = 0) -> FrameLayout {
        let s = Double(max(frameSize, 100))
        let font = (s * 0.017).rounded(), m = (s * 0.025).rounded()
        let titleSize = (font * 1.35).rounded(), overlaySize = (font * 1.1).rounded()
        let keyFont = max(7, (font * 0.75).rounded())
        let textHeight = titleSize * 1.3 + Double(overlayLines) * overlaySize * 1.35
        let keyArea: PixelRect
        let key: ColorKey
        if case .gaussianWithComponent(let components) = data.prior {
            let width = min(s * 0.42, Double(components) * keyFont * 4.2).rounded()
            keyArea = PixelRect(x: s - m - width, y: m, width: width, height: keyFont * 6)
            key = ColorKey(prior: data.prior, extent: data.latentExtent, area: keyArea, fontSize: keyFont,
                           caption: "colour key (component k)", swatchColumns: components, showsSquare: false)
        } else {
            let side = (s * 0.115).rounded()
            keyArea = PixelRect(x: s - m - side, y: m, width: side, height: side + keyFont * 1.7)
            key = ColorKey(prior: data.prior, extent: data.latentExtent, area: keyArea, fontSize: keyFont,
                           caption: "colour key")
        }
        let band = (m + max(textHeight, keyArea.height) + font * 0.3).rounded()
        let area = PixelRect(x: m, y: band, width: s - 2 * m, height: s - band - m * 0.4)
        let panel = PlotPanel.fitting(in: area, extent: data.sampleExtent, fontSize: font)
        return FrameLayout(size: Int(s), samplePanel: panel, key: key, textOrigin: (m, m),
                           titleSize: titleSize, overlaySize: overlaySize)
    }

    /// Renders one square timelapse frame: the sample panel, a small colour key, the title and
    /// the caller's overlay lines (e.g. "step 4000 · D loss 0.69") at the top.
    public static func samplePanelOnly(_ data: MappingData, frameSize: Int = 800, pointRadius: Double? = nil,
                                       alpha: Double = 0.8, overlay: [String] = []) throws -> Canvas {
        try data.validate()
        let layout = frameLayout(for: data, frameSize: frameSize, overlayLines: overlay.count)
        let canvas = try Canvas(width: layout.size, height: layout.size)
        canvas.fillBackground(.white)
        let radius = pointRadius ?? defaultPointRadius(panelSide: layout.samplePanel.rect.width)
        drawSamples(data, on: layout.samplePanel, radius: radius, alpha: alpha, canvas: canvas)
        layout.key.draw(on: canvas)
        var y = layout.textOrigin.y
        canvas.drawText(data.title, x: layout.textOrigin.x, y: y, size: layout.titleSize, color: .grey(0.05),
                        vertical: .top, bold: true)
        y += layout.titleSize * 1.3
        for line in overlay {
            canvas.drawText(line, x: layout.textOrigin.x, y: y, size: layout.overlaySize, color: .grey(0.3),
                            vertical: .top)
            y += layout.overlaySize * 1.35
        }
        try canvas.checkStatus("rendering the frame '\(data.title)'")
        return canvas
    }
}
