import Foundation

/// One panel of a line chart: maps (step, value) to pixels, with a linear x axis and a linear
/// or logarithmic y axis, and draws grid, curves, reference lines, ticks and titles.
struct CurveAxes {
    /// The plotting rectangle.
    var plot: PixelRect
    /// Steps at the left and right edges.
    var xRange: ClosedRange<Double>
    /// Values at the bottom and top edges.
    var yRange: ClosedRange<Double>
    /// Whether y is logarithmic (then `yRange` is positive).
    var logarithmic: Bool
    /// Label size in px.
    var fontSize: Double

    /// Logs longer than this are drawn faintly with a rolling mean on top.
    static let smoothingThreshold = 150

    /// The (odd) rolling-mean window for a log of `count` rows: about 2 % of the run.
    static func smoothingWindow(count: Int) -> Int { max(3, count / 50) | 1 }

    // MARK: - Coordinates

    func pixelX(_ x: Double) -> Double {
        plot.x + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * plot.width
    }

    /// Pixel y of a value; NaN for values a log axis cannot show.
    func pixelY(_ y: Double) -> Double {
        let lo = yRange.lowerBound, hi = yRange.upperBound
        let t = logarithmic ? (y > 0 ? (log10(y) - log10(lo)) / (log10(hi) - log10(lo)) : .nan) : (y - lo) / (hi - lo)
        return plot.maxY - t * plot.height
    }

    var lineWidth: Double { max(1, (fontSize / 16).rounded()) }

    /// Tick values and labels on the y axis.
    var yTicks: [(value: Double, label: String)] {
        let lo = yRange.lowerBound, hi = yRange.upperBound
        if logarithmic {
            return AxisTicks.logarithmic(from: lo, to: hi, maxCount: 5).map { ($0, AxisTicks.logLabel($0)) }
        }
        let spacing = AxisTicks.niceSpacing(from: lo, to: hi, count: 4)
        return AxisTicks.linear(from: lo, to: hi, count: 4).map { ($0, AxisTicks.label($0, spacing: spacing)) }
    }

    // MARK: - Drawing

    /// The light grid at the ticks.
    func drawGrid(xTicks: [Double], on canvas: Canvas) {
        canvas.fillRect(plot, color: .white)
        let light = RGBA.grey(0.92)
        var segments: [Double] = []
        for x in xTicks { segments += [pixelX(x).rounded() + 0.5, plot.y, pixelX(x).rounded() + 0.5, plot.maxY] }
        for (y, _) in yTicks { segments += [plot.x, pixelY(y).rounded() + 0.5, plot.maxX, pixelY(y).rounded() + 0.5] }
        canvas.withClip(plot) { canvas.strokeSegments(segments, color: light, lineWidth: 1) }
    }

    /// A dashed horizontal reference line (draw before the curves).
    func drawReference(_ value: Double, on canvas: Canvas) {
        let y = pixelY(value)
        guard y.isFinite, y >= plot.y, y <= plot.maxY else { return }
        canvas.strokeDashedLine(from: (plot.x, y), to: (plot.maxX, y), color: .grey(0.45), lineWidth: lineWidth,
                                dash: fontSize * 0.35)
    }

    /// One curve; long logs faint with a centred rolling mean on top, short ones with dots.
    func drawSeries(steps: [Double], values: [Double], color: RGBA, on canvas: Canvas) {
        let count = min(steps.count, values.count)
        func polyline(_ ys: [Double]) -> [Double] {
            (0..<count).flatMap { [pixelX(steps[$0]), pixelY(ys[$0])] }
        }
        canvas.withClip(plot) {
            if count > Self.smoothingThreshold {
                canvas.strokePolylines([polyline(values)], color: color.withAlpha(0.3), lineWidth: lineWidth)
                let window = Self.smoothingWindow(count: count)
                canvas.strokePolylines([polyline(rollingMean(values, window: window))], color: color,
                                       lineWidth: lineWidth * 2)
            } else {
                let points = polyline(values)
                canvas.strokePolylines([points], color: color, lineWidth: lineWidth * 1.5)
                if count <= 60 {
                    let dots = points.map(Float.init)
                    canvas.fillDots(dots, color: color, radius: lineWidth * 2)
                }
            }
        }
    }

    /// Centred rolling mean over `window` values, of log₁₀ values on a log axis; NaNs are skipped.
    func rollingMean(_ values: [Double], window: Int) -> [Double] {
        let transformed = values.map { v -> Double in logarithmic ? (v > 0 ? log10(v) : .nan) : v }
        let half = window / 2
        return transformed.indices.map { i in
            let slice = transformed[max(0, i - half)...min(transformed.count - 1, i + half)].filter(\.isFinite)
            guard !slice.isEmpty else { return .nan }
            let mean = slice.reduce(0, +) / Double(slice.count)
            return logarithmic ? pow(10, mean) : mean
        }
    }

    /// A dashed vertical line at `step`, with an optional label beside its top.
    func drawMark(_ step: Double, label: String?, color: RGBA, on canvas: Canvas) {
        let x = pixelX(step).rounded() + 0.5
        canvas.strokeDashedLine(from: (x, plot.y), to: (x, plot.maxY), color: color, lineWidth: lineWidth * 1.5,
                                dash: fontSize * 0.4)
        guard let label else { return }
        let width = canvas.measureText(label, size: fontSize * 0.9).advance
        let left = x + width + fontSize * 0.5 < plot.maxX
        canvas.drawText(label, x: left ? x + fontSize * 0.35 : x - fontSize * 0.35, y: plot.y + fontSize * 0.3,
                        size: fontSize * 0.9, color: color, align: left ? .left : .right, vertical: .top)
    }

    /// The axis box, ticks and tick labels (x labels only when given).
    func drawFrame(xTicks: [Double], xLabels: [String]?, on canvas: Canvas) {
        let grey = RGBA.grey(0.55), text = RGBA.grey(0.3), w = lineWidth
        let half = w.truncatingRemainder(dividingBy: 2) == 1 ? 0.5 : 0
        canvas.strokeRect(PixelRect(x: plot.x - half, y: plot.y - half, width: plot.width + 2 * half,
                                    height: plot.height + 2 * half), color: grey, lineWidth: w)
        let tick = fontSize * 0.3
        for (i, x) in xTicks.enumerated() {
            let px = pixelX(x).rounded() + half
            canvas.strokeLine(from: (px, plot.maxY), to: (px, plot.maxY + tick), color: grey, lineWidth: w)
            if let xLabels, i < xLabels.count {
                canvas.drawText(xLabels[i], x: px, y: plot.maxY + tick + fontSize * 0.25, size: fontSize, color: text,
                                align: .center, vertical: .top)
            }
        }
        for (value, label) in yTicks {
            let py = pixelY(value).rounded() + half
            canvas.strokeLine(from: (plot.x - tick, py), to: (plot.x, py), color: grey, lineWidth: w)
            canvas.drawText(label, x: plot.x - tick - fontSize * 0.3, y: py, size: fontSize, color: text,
                            align: .right, vertical: .middle)
        }
    }

    /// The panel title (left), the legend (right) above the plot, and the vertical axis title.
    /// Dashed legend entries stand for reference lines.
    func drawTitles(_ title: String, axisTitle: String, legend: [(label: String, color: RGBA, dashed: Bool)],
                    on canvas: Canvas) {
        let baseline = plot.y - fontSize * 0.6
        canvas.drawText(title, x: plot.x, y: baseline, size: fontSize * 1.15, color: .grey(0.1))
        var right = plot.maxX
        for (label, color, dashed) in legend.reversed() {
            let width = canvas.measureText(label, size: fontSize).advance
            canvas.drawText(label, x: right, y: baseline, size: fontSize, color: .grey(0.25), align: .right)
            let lineRight = right - width - fontSize * 0.4, middle = baseline - fontSize * 0.35
            if dashed {
                canvas.strokeDashedLine(from: (lineRight - fontSize * 1.6, middle), to: (lineRight, middle), color: color,
                                        lineWidth: lineWidth, dash: fontSize * 0.35)
            } else {
                canvas.strokeLine(from: (lineRight - fontSize * 1.6, middle), to: (lineRight, middle), color: color,
                                  lineWidth: lineWidth * 2)
            }
            right = lineRight - fontSize * 1.6 - fontSize * 1.2
        }
        canvas.drawVerticalText(axisTitle, x: plot.x - fontSize * 4.4, y: plot.center.y, size: fontSize, color: .grey(0.3))
    }
}
