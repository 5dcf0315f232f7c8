import Foundation

/// Line-chart panels stacked on one step axis: the chart of the curves and timeline views.
///
/// Each panel has its curves, a linear or logarithmic y axis, dashed reference lines, a title, a
/// vertical axis title and a legend (curves, then references as dashed entries); only the bottom
/// panel labels the step axis. Long logs are drawn faintly with a rolling mean on top
/// (`CurveAxes.drawSeries`).
public struct LineChart: Sendable {
    /// One curve: its points, legend label and colour.
    public struct Series: Sendable {
        /// Legend text.
        public var label: String
        /// Line colour.
        public var color: RGBA
        /// The x value (training step) of each point.
        public var steps: [Double]
        /// The y value of each point; empty when the data lacks the curve (legend entry only).
        public var values: [Double]
        /// Whether a soft band shows the curve where a later curve of the panel covers it.
        public var halo: Bool

        /// A curve through (steps[i], values[i]).
        public init(label: String, color: RGBA, steps: [Double], values: [Double], halo: Bool = false) {
            self.label = label
            self.color = color
            self.steps = steps
            self.values = values
            self.halo = halo
        }
    }

    /// How a panel's y range follows its data.
    public enum Range: Sendable {
        /// All finite values (positive, on a log axis) and references, padded by 6 % of their
        /// span and widened to nice numbers.
        case padded
        /// As `padded`, but a flat curve gets at least ±5 % of its size, and data that is never
        /// negative (or never above `ceiling`) keeps the axis within a small margin of 0 (or of
        /// `ceiling`): for shares, masses and distances.
        case bounded(ceiling: Double?)
        /// This range (`bounded(ceiling: nil)` when it is empty).
        case fixed(ClosedRange<Double>)
    }

    /// One panel.
    public struct Panel: Sendable {
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
        /// How the y range is chosen.
        public var range: Range

        /// A panel of `series` with optional reference lines.
        public init(title: String, axisTitle: String, series: [Series], logarithmic: Bool = false,
                    references: [(value: Double, label: String)] = [], range: Range = .padded) {
            self.title = title
            self.axisTitle = axisTitle
            self.series = series
            self.logarithmic = logarithmic
            self.references = references
            self.range = range
        }

        /// Whether any curve of the panel has points.
        public var hasData: Bool { series.contains { !$0.values.isEmpty } }

        /// The y range of the panel.
        public var yRange: ClosedRange<Double> {
            var ceiling: Double?
            switch range {
            case .fixed(let fixed) where fixed.upperBound > fixed.lowerBound: return fixed
            case .fixed: ceiling = nil
            case .bounded(let limit): ceiling = limit
            case .padded: break
            }
            var values = references.map(\.value)
            for curve in series { values += curve.values }
            values = values.filter { $0.isFinite && (!logarithmic || $0 > 0) }
            guard let lo = values.min(), let hi = values.max() else { return logarithmic ? 0.1...10 : 0...1 }
            if logarithmic {
                let (a, b) = (log10(lo), log10(max(hi, lo * 1.5)))
                let pad = (b - a) * 0.06
                return pow(10, a - pad)...pow(10, b + pad)
            }
            guard case .padded = range else {
                // A flat curve (a metric stuck at 1, or at log K) gets ±5 % of its size, not a 10⁻⁶ zoom.
                let pad = max((hi - lo) * 0.06, max(abs(lo), abs(hi)) * 0.05, 1e-6)
                let nice = AxisTicks.niceRange(from: lo - pad, to: hi + pad, count: 4)
                let margin = (nice.hi - nice.lo) * 0.03
                let upper = ceiling.map { hi <= $0 ? min(nice.hi, $0 + margin) : nice.hi } ?? nice.hi
                return (lo >= 0 ? max(nice.lo, -margin) : nice.lo)...upper
            }
            let pad = max((hi - lo) * 0.06, 1e-6)
            let nice = AxisTicks.niceRange(from: lo - pad, to: hi + pad, count: 4)
            return nice.lo...nice.hi
        }
    }

    /// The panels, top to bottom.
    public var panels: [Panel]
    /// The step at the right edge of every panel (the left edge is step 0).
    public var lastStep: Double

    /// A chart of `panels` from step 0 to `lastStep`.
    public init(panels: [Panel], lastStep: Double) {
        self.panels = panels
        self.lastStep = lastStep
    }

    /// Draws panel i into `plots[i]`: grid, references, `underlay(i, axes)`, halos, curves,
    /// `overlay(i, axes)`, frame with ticks, titles and legend.
    func draw(in plots: [PixelRect], fontSize: Double, on canvas: Canvas,
              underlay: (Int, CurveAxes) -> Void = { _, _ in }, overlay: (Int, CurveAxes) -> Void = { _, _ in }) {
        let xTicks = AxisTicks.linear(from: 0, to: lastStep, count: 8)
        let xSpacing = AxisTicks.niceSpacing(from: 0, to: lastStep, count: 8)
        for (index, panel) in panels.enumerated() {
            let axes = CurveAxes(plot: plots[index], xRange: 0...lastStep, yRange: panel.yRange,
                                 logarithmic: panel.logarithmic, fontSize: fontSize)
            axes.drawGrid(xTicks: xTicks, on: canvas)
            for reference in panel.references { axes.drawReference(reference.value, on: canvas) }
            underlay(index, axes)
            let drawn = panel.series.filter { !$0.values.isEmpty }
            if drawn.contains(where: \.halo) { Self.drawHalos(drawn.filter(\.halo), axes: axes, on: canvas) }
            for curve in drawn { axes.drawSeries(steps: curve.steps, values: curve.values, color: curve.color, on: canvas) }
            overlay(index, axes)
            let last = index == panels.count - 1
            axes.drawFrame(xTicks: xTicks, xLabels: last ? xTicks.map { AxisTicks.label($0, spacing: xSpacing) } : nil, on: canvas)
            let legend = panel.series.map { ($0.label, $0.color, false) } + panel.references.map { ($0.label, RGBA.grey(0.45), true) }
            axes.drawTitles(panel.title, axisTitle: panel.axisTitle, legend: legend, on: canvas)
        }
    }

    /// A soft wide band under a curve that a later curve covers somewhere (two mode counts, or
    /// three tail masses all at 0), wider the more curves lie on top of it, so coinciding curves
    /// stay visible. The curves share their steps, so their points pair up by index.
    static func drawHalos(_ series: [Series], axes: CurveAxes, on canvas: Canvas) {
        let polylines = series.map { s in zip(s.steps, s.values).flatMap { [axes.pixelX($0.0), axes.pixelY($0.1)] } }
        let close = 1.5 * axes.lineWidth
        func coincide(_ a: [Double], _ b: [Double]) -> Bool {
            stride(from: 1, to: min(a.count, b.count), by: 2).contains { abs(a[$0] - b[$0]) < close }
        }
        canvas.withClip(axes.plot) {
            for (i, line) in polylines.enumerated() {
                let covering = polylines[(i + 1)...].filter { coincide(line, $0) }.count
                guard covering > 0 else { continue }
                canvas.strokePolylines([line], color: series[i].color.withAlpha(0.45),
                                       lineWidth: axes.lineWidth * (1.5 + 3 * Double(covering)))
            }
        }
    }
}
