import Foundation
import GANLabCore

/// Plain data for the density view: histograms of generated and true samples on the same bins.
public struct DensityData: Sendable {
    /// Histogram of G on fresh latents from the prior.
    public var generated: Histogram2D
    /// Histogram of true samples.
    public var target: Histogram2D
    /// The title line.
    public var title: String
    /// The training step shown.
    public var step: Int = 0

    /// Data from two histograms over the same square and bins.
    public init(generated: Histogram2D, target: Histogram2D, title: String) {
        self.generated = generated
        self.target = target
        self.title = title
    }

    /// Throws `RenderError.invalidData` when the histograms do not share their square and bins.
    public func validate() throws {
        guard generated.bins == target.bins, generated.extent == target.extent else {
            throw RenderError.invalidData("generated and target histograms must share extent and bins")
        }
    }

    /// The shared log colour range: from one sample's density (the sparser sample) to the peak.
    public var densityRange: ClosedRange<Double> {
        let lo = max(generated.singleSampleDensity, target.singleSampleDensity)
        let hi = max(Double(generated.counts.max() ?? 0) * generated.singleSampleDensity,
                     Double(target.counts.max() ?? 0) * target.singleSampleDensity, lo * 10)
        return lo...hi
    }
}

/// Log density of generated samples beside that of the target, on one colour scale: where G
/// puts mass the target lacks (tearing leaves trails between modes) and where it puts none
/// (collapse), at a glance.
public enum DensityView {
    /// Where everything goes, exposed so tests can find pixels.
    public struct Layout: Sendable {
        /// The page.
        public var page: ViewLayout
        /// Generated samples (left).
        public var generatedPanel: PlotPanel
        /// True samples (right).
        public var targetPanel: PlotPanel
        /// The shared colour bar.
        public var colorBar: ColorBar
    }

    /// The density colours (empty bins stay white).
    public static let colormap = Colormap.density

    /// Computes the layout for square panels of `panelSize` px.
    public static func layout(for data: DensityData, panelSize: Int = 800) -> Layout {
        let page = ViewLayout(panelSize: panelSize, columns: 2)
        let e = data.generated.extent
        let generated = page.panel(column: 0, extent: e,
                                   title: "G(z): \(MappingFigure.grouped(data.generated.total)) fresh latents")
        let target = page.panel(column: 1, extent: e,
                                title: "target: \(MappingFigure.grouped(data.target.total)) true samples")
        let f = page.fontSize, side = page.side
        let bar = ColorBar(colormap: colormap, range: data.densityRange, scale: .logarithmic,
                           caption: ["density (per unit area)", "log scale, same on both"],
                           area: PixelRect(x: side.x, y: side.y, width: side.width, height: (page.panelSide * 0.5).rounded()),
                           fontSize: f, emptyLabel: "no samples")
        return Layout(page: page, generatedPanel: generated, targetPanel: target, colorBar: bar)
    }

    /// Renders the view.
    public static func render(_ data: DensityData, panelSize: Int = 800) throws -> Canvas {
        try data.validate()
        let layout = layout(for: data, panelSize: panelSize)
        let canvas = try layout.page.makeCanvas(title: data.title)
        for (histogram, panel) in [(data.generated, layout.generatedPanel), (data.target, layout.targetPanel)] {
            paint(histogram, bar: layout.colorBar, on: panel, canvas: canvas)
            panel.drawFrame(on: canvas)
        }
        layout.colorBar.draw(on: canvas)
        let page = layout.page, f = page.fontSize
        let bins = data.generated.bins
        page.drawNote([
            "\(bins) × \(bins) bins",
            "G(z) in bins where the target",
            String(format: "   has no samples: %.2f %%", 100 * data.generated.share(outsideSupportOf: data.target)),
            "target in bins where G(z)",
            String(format: "   has no samples: %.2f %%", 100 * data.target.share(outsideSupportOf: data.generated)),
            String(format: "G(z) outside the plot: %.2f %%", 100 * data.generated.shareOutside),
        ], x: page.side.x, y: layout.colorBar.area.maxY + f * 1.5, on: canvas)
        try canvas.checkStatus("rendering the density view '\(data.title)'")
        return canvas
    }

    /// Paints each bin in its density colour (white when empty), one bin per block of pixels.
    static func paint(_ histogram: Histogram2D, bar: ColorBar, on panel: PlotPanel, canvas: Canvas) {
        let n = histogram.bins
        let colors = histogram.counts.map { count in
            count == 0 ? RGBA.white : bar.color(of: Double(count) * histogram.singleSampleDensity)
        }
        canvas.paintPixels(in: panel.rect) { x, y in
            let p = panel.dataPoint(pixelX: x, pixelY: y)
            guard let bin = histogram.bin(x: p.x, y: p.y) else { return .white }
            return colors[bin.j * n + bin.i]
        }
        let origin = panel.pixel(x: 0, y: 0)
        canvas.withClip(panel.rect) {
            let faint = RGBA.grey(0.5, alpha: 0.15)
            canvas.strokeLine(from: (origin.x, panel.rect.y), to: (origin.x, panel.rect.maxY), color: faint)
            canvas.strokeLine(from: (panel.rect.x, origin.y), to: (panel.rect.maxX, origin.y), color: faint)
        }
    }
}
