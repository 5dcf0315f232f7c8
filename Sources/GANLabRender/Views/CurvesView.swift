import Foundation

/// The training log as stacked panels sharing the step axis: losses (with the D = ½
/// equilibrium), D's mean logit gap between real and generated samples, and both gradient norms
/// on a log scale. Long logs are drawn faintly with a rolling mean on top.
public enum CurvesView {
    /// One curve: a metrics.csv column, its legend label and colour.
    public struct Series: Sendable {
        /// Column name in metrics.csv.
        public var column: String
        /// Legend text.
        public var label: String
        /// Line colour.
        public var color: RGBA
    }

    /// One panel: its curves, y scale and reference lines.
    public struct PanelSpec: Sendable {
        /// Text above the panel.
        public var title: String
        /// The y axis title (drawn vertically on the left).
        public var axisTitle: String
        /// The curves.
        public var series: [Series]
        /// Whether y is logarithmic.
        public var logarithmic: Bool
        /// Dashed horizontal reference lines with labels.
        public var references: [(value: Double, label: String)]
    }

    /// Discriminator colour (tableau blue).
    public static let discriminatorColor = Colormap.hex(0x1F77B4)
    /// Generator colour (tableau orange).
    public static let generatorColor = Colormap.hex(0xFF7F0E)
    /// Logit-gap colour (tableau green).
    public static let gapColor = Colormap.hex(0x2CA02C)
    /// The marked step's line.
    public static let markColor = RGBA(red: 0.75, green: 0.1, blue: 0.1)

    /// The three panels for a log; the loss panel gets the ln 2 line when the loss has one.
    public static func panels(for curves: TrainingCurves) -> [PanelSpec] {
        var references: [(value: Double, label: String)] = []
        if let loss = curves.equilibriumLoss { references.append((loss, String(format: "%.3f (D = ½)", loss))) }
        return [
            PanelSpec(title: "losses", axisTitle: "loss",
                      series: [Series(column: "d_loss", label: "D loss", color: discriminatorColor),
                               Series(column: "g_loss", label: "G loss", color: generatorColor)],
                      logarithmic: false, references: references),
            PanelSpec(title: "mean D logit on real minus on generated samples", axisTitle: "logit gap",
                      series: [Series(column: "d_real_minus_fake", label: "D(real) − D(G(z))", color: gapColor)],
                      logarithmic: false, references: [(0, "0")]),
            PanelSpec(title: "gradient norms (log scale)", axisTitle: "‖∇θ‖",
                      series: [Series(column: "grad_norm_d", label: "D: ‖∇θ‖", color: discriminatorColor),
                               Series(column: "grad_norm_g", label: "G: ‖∇θ‖", color: generatorColor)],
                      logarithmic: true, references: []),
        ]
    }

    /// Where everything goes, exposed so tests can find pixels.
    public struct Layout: Sendable {
        /// Canvas width in px.
        public var width: Int
        /// Canvas height in px.
        public var height: Int
        /// The plotting rectangle of each panel, top to bottom.
        public var plots: [PixelRect]
        /// Label size in px.
        public var fontSize: Double
        /// Outer margin in px.
        public var margin: Double
    }

    /// The layout for `panelCount` stacked panels at a `panelSize` px scale (plots 1.4 × that
    /// wide, each a third as tall).
    public static func layout(panelCount: Int, panelSize: Int = 800) -> Layout {
        let stack = PlotStack(size: panelSize), p = Double(max(panelSize, 100))
        let plots = stack.plots(count: panelCount, top: stack.margin + (p * 0.06).rounded(), plotHeight: p * 0.3,
                                between: 1.2, below: 3.6)
        return Layout(width: stack.width, height: plots.height, plots: plots.rects, fontSize: stack.fontSize,
                      margin: stack.margin)
    }

    /// Renders the curves.
    public static func render(_ curves: TrainingCurves, panelSize: Int = 800) throws -> Canvas {
        guard !curves.steps.isEmpty else {
            throw RenderError.invalidData("the training log has no rows yet")
        }
        let specs = panels(for: curves)
        let layout = layout(panelCount: specs.count, panelSize: panelSize)
        let canvas = try Canvas(width: layout.width, height: layout.height)
        canvas.fillBackground(.white)
        canvas.drawText(curves.title, x: layout.margin, y: layout.margin, size: (layout.fontSize * 1.5).rounded(),
                        color: .grey(0.05), vertical: .top, bold: true)
        let lastStep = max(curves.steps.last ?? 1, Double(curves.markedStep ?? 0), 1)
        let xTicks = AxisTicks.linear(from: 0, to: lastStep, count: 8)
        let xSpacing = AxisTicks.niceSpacing(from: 0, to: lastStep, count: 8)
        for (index, spec) in specs.enumerated() {
            let axes = CurveAxes(plot: layout.plots[index], xRange: 0...lastStep,
                                 yRange: yRange(spec, curves), logarithmic: spec.logarithmic, fontSize: layout.fontSize)
            axes.drawGrid(xTicks: xTicks, on: canvas)
            for reference in spec.references { axes.drawReference(reference.value, on: canvas) }
            for series in spec.series {
                guard let values = curves.values(series.column) else { continue }
                axes.drawSeries(steps: curves.steps, values: values, color: series.color, on: canvas)
            }
            if let marked = curves.markedStep {
                axes.drawMark(Double(marked), label: index == 0 ? "step \(AxisTicks.format(Double(marked), decimals: 0))" : nil,
                              color: markColor, on: canvas)
            }
            axes.drawFrame(xTicks: xTicks, xLabels: index == specs.count - 1 ? xTicks.map { AxisTicks.label($0, spacing: xSpacing) } : nil,
                           on: canvas)
            let legend = spec.series.map { ($0.label, $0.color, false) } + spec.references.map { ($0.label, RGBA.grey(0.45), true) }
            axes.drawTitles(spec.title, axisTitle: spec.axisTitle, legend: legend, on: canvas)
        }
        if let bottom = layout.plots.last {
            canvas.drawText("training step", x: bottom.center.x, y: bottom.maxY + layout.fontSize * 2.1,
                            size: layout.fontSize, color: .grey(0.3), align: .center, vertical: .top)
            if curves.steps.count > CurveAxes.smoothingThreshold {
                let window = CurveAxes.smoothingWindow(count: curves.steps.count)
                canvas.drawText("faint: every logged row · bold: centred mean of \(window) rows", x: bottom.x,
                                y: bottom.maxY + layout.fontSize * 2.2, size: layout.fontSize * 0.8, color: .grey(0.45),
                                vertical: .top)
            }
        }
        try canvas.checkStatus("rendering the training curves '\(curves.title)'")
        return canvas
    }

    /// The y range of a panel: all finite (positive, on a log axis) values and references, padded.
    static func yRange(_ spec: PanelSpec, _ curves: TrainingCurves) -> ClosedRange<Double> {
        var values = spec.references.map(\.value)
        for series in spec.series { values += curves.values(series.column) ?? [] }
        values = values.filter { $0.isFinite && (!spec.logarithmic || $0 > 0) }
        guard let lo = values.min(), let hi = values.max() else { return spec.logarithmic ? 0.1...10 : 0...1 }
        if spec.logarithmic {
            let (a, b) = (log10(lo), log10(max(hi, lo * 1.5)))
            let pad = (b - a) * 0.06
            return pow(10, a - pad)...pow(10, b + pad)
        }
        let pad = max((hi - lo) * 0.06, 1e-6)
        let nice = AxisTicks.niceRange(from: lo - pad, to: hi + pad, count: 4)
        return nice.lo...nice.hi
    }
}
