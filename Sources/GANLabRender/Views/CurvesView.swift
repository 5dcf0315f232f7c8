import Foundation

/// The training log as stacked panels sharing the step axis: losses (with the D = ½
/// equilibrium), D's mean logit gap between real and generated samples, both gradient norms
/// on a log scale, and with a gradient penalty its value and ‖∇ₓD‖ at the penalised points. Long logs are drawn faintly with a rolling mean on top.
public enum CurvesView {
    /// Discriminator colour (tableau blue).
    public static let discriminatorColor = Colormap.hex(0x1F77B4)
    /// Generator colour (tableau orange).
    public static let generatorColor = Colormap.hex(0xFF7F0E)
    /// Logit-gap colour (tableau green).
    public static let gapColor = Colormap.hex(0x2CA02C)
    /// The marked step's line.
    public static let markColor = RGBA(red: 0.75, green: 0.1, blue: 0.1)

    /// The three panels for a log; the loss panel gets the ln 2 line when the loss has one.
    public static func panels(for curves: TrainingCurves) -> [LineChart.Panel] {
        func series(_ column: String, _ label: String, _ color: RGBA) -> LineChart.Series {
            let values = curves.values(column)
            return LineChart.Series(label: label, color: color, steps: values == nil ? [] : curves.steps, values: values ?? [])
        }
        var references: [(value: Double, label: String)] = []
        if let loss = curves.equilibriumLoss { references.append((loss, String(format: "%.3f (D = ½)", loss))) }
        var panels = [
            LineChart.Panel(title: "losses", axisTitle: "loss",
                            series: [series("d_loss", "D loss", discriminatorColor), series("g_loss", "G loss", generatorColor)],
                            references: references),
            LineChart.Panel(title: "mean D logit on real minus on generated samples", axisTitle: "logit gap",
                            series: [series("d_real_minus_fake", "D(real) − D(G(z))", gapColor)], references: [(0, "0")]),
            LineChart.Panel(title: "gradient norms (log scale)", axisTitle: "‖∇θ‖",
                            series: [series("grad_norm_d", "D: ‖∇θ‖", discriminatorColor),
                                     series("grad_norm_g", "G: ‖∇θ‖", generatorColor)],
                            logarithmic: true),
        ]
        if curves.values("penalty") != nil {
            panels.append(LineChart.Panel(
                title: "gradient penalty and ‖∇ₓD‖ at the penalised points (log scale)", axisTitle: "value",
                series: [series("penalty", "penalty (weight included)", penaltyColor),
                         series("penalty_grad_norm", "mean ‖∇ₓD‖", discriminatorColor)],
                logarithmic: true, references: [(1, "‖∇ₓD‖ = 1")]))
        }
        return panels
    }

    /// Gradient-penalty colour (tableau purple).
    public static let penaltyColor = Colormap.hex(0x9467BD)

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
        let panels = panels(for: curves)
        let layout = layout(panelCount: panels.count, panelSize: panelSize)
        let canvas = try Canvas(width: layout.width, height: layout.height)
        canvas.fillBackground(.white)
        canvas.drawText(curves.title, x: layout.margin, y: layout.margin, size: (layout.fontSize * 1.5).rounded(),
                        color: .grey(0.05), vertical: .top, bold: true)
        let lastStep = max(curves.steps.last ?? 1, Double(curves.markedStep ?? 0), 1)
        let chart = LineChart(panels: panels, lastStep: lastStep)
        chart.draw(in: layout.plots, fontSize: layout.fontSize, on: canvas, overlay: { index, axes in
            guard let marked = curves.markedStep else { return }
            axes.drawMark(Double(marked), label: index == 0 ? "step \(AxisTicks.format(Double(marked), decimals: 0))" : nil,
                          color: markColor, on: canvas)
        })
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
}
