import Foundation

/// A vertical colour bar: a caption, the colour map painted from low (bottom) to high (top),
/// tick marks and labels on its right, and optionally a swatch for "no data" below it.
public struct ColorBar: Sendable {
    /// How values map to positions along the bar.
    public enum Scale: Sendable, Equatable {
        /// t = (v − lo) / (hi − lo).
        case linear
        /// t = (log v − log lo) / (log hi − log lo); lo must be positive.
        case logarithmic
    }

    /// The colours.
    public var colormap: Colormap
    /// The values at the bottom and top ends.
    public var range: ClosedRange<Double>
    /// Linear or logarithmic.
    public var scale: Scale
    /// Caption lines above the bar.
    public var caption: [String]
    /// Where the caption, bar and labels go; the bar takes the full height below the caption.
    public var area: PixelRect
    /// Label size in px.
    public var fontSize: Double
    /// Tick values with their labels; `nil` picks nice ones.
    public var ticks: [(value: Double, label: String)]?
    /// A white swatch drawn under the bar with this label (e.g. "no samples"), if any.
    public var emptyLabel: String?

    /// A colour bar filling `area`.
    public init(colormap: Colormap, range: ClosedRange<Double>, scale: Scale = .linear, caption: [String],
                area: PixelRect, fontSize: Double, ticks: [(value: Double, label: String)]? = nil,
                emptyLabel: String? = nil) {
        self.colormap = colormap
        self.range = range
        self.scale = scale
        self.caption = caption
        self.area = area
        self.fontSize = fontSize
        self.ticks = ticks
        self.emptyLabel = emptyLabel
    }

    /// Position 0...1 along the bar of `value` (clamped; non-positive values sit at 0 on a log bar).
    public func position(of value: Double) -> Double {
        let lo = range.lowerBound, hi = range.upperBound
        let t: Double
        switch scale {
        case .linear:
            t = hi > lo ? (value - lo) / (hi - lo) : 0.5
        case .logarithmic:
            guard value > 0, lo > 0, hi > lo else { return 0 }
            t = (log(value) - log(lo)) / (log(hi) - log(lo))
        }
        return t.isNaN ? 0 : min(max(t, 0), 1)
    }

    /// The colour of `value`.
    public func color(of value: Double) -> RGBA { colormap.color(at: position(of: value)) }

    /// The painted bar's rectangle.
    public var barRect: PixelRect {
        let top = area.y + Double(caption.count) * fontSize * 1.35 + fontSize * 0.6
        let bottom = area.maxY - (emptyLabel == nil ? fontSize * 0.5 : fontSize * 2.6)
        return PixelRect(x: area.x, y: top.rounded(), width: (fontSize * 1.4).rounded(),
                         height: max(4, (bottom - top).rounded()))
    }

    /// The ticks drawn: the given ones, or nice values for the scale.
    public var resolvedTicks: [(value: Double, label: String)] {
        if let ticks { return ticks }
        let lo = range.lowerBound, hi = range.upperBound
        switch scale {
        case .linear:
            let spacing = AxisTicks.niceSpacing(from: lo, to: hi, count: 5)
            return AxisTicks.linear(from: lo, to: hi, count: 5).map { ($0, AxisTicks.label($0, spacing: spacing)) }
        case .logarithmic:
            return AxisTicks.logarithmic(from: lo, to: hi).map { ($0, AxisTicks.logLabel($0)) }
        }
    }

    /// Draws the caption, the painted bar with its outline, ticks and labels.
    public func draw(on canvas: Canvas) {
        for (i, line) in caption.enumerated() {
            canvas.drawText(line, x: area.x, y: area.y + Double(i) * fontSize * 1.35, size: fontSize,
                            color: i == 0 ? .grey(0.1) : .grey(0.35), vertical: .top)
        }
        let bar = barRect
        // Row centres run from t = 1 (top row) to t = 0 (bottom row), so both ends show exactly.
        canvas.paintPixels(in: bar) { _, y in
            colormap.color(at: 1 - (y - 0.5 - bar.y) / max(bar.height - 1, 1))
        }
        let grey = RGBA.grey(0.45), lineWidth = max(1, (fontSize / 13).rounded())
        let half = lineWidth.truncatingRemainder(dividingBy: 2) == 1 ? 0.5 : 0
        canvas.strokeRect(PixelRect(x: bar.x - half, y: bar.y - half, width: bar.width + 2 * half,
                                    height: bar.height + 2 * half), color: grey, lineWidth: lineWidth)
        let tick = fontSize * 0.35
        for (value, label) in resolvedTicks {
            let y = (bar.maxY - position(of: value) * bar.height).rounded() + half
            canvas.strokeLine(from: (bar.maxX, y), to: (bar.maxX + tick, y), color: grey, lineWidth: lineWidth)
            canvas.drawText(label, x: bar.maxX + tick + fontSize * 0.3, y: y, size: fontSize, color: .grey(0.3),
                            vertical: .middle)
        }
        if let emptyLabel {
            let swatch = PixelRect(x: bar.x, y: (bar.maxY + fontSize * 1.0).rounded(), width: bar.width,
                                   height: (fontSize * 1.1).rounded())
            canvas.fillRect(swatch, color: .white)
            canvas.strokeRect(PixelRect(x: swatch.x - half, y: swatch.y - half, width: swatch.width + 2 * half,
                                        height: swatch.height + 2 * half), color: grey, lineWidth: lineWidth)
            canvas.drawText(emptyLabel, x: bar.maxX + tick + fontSize * 0.3, y: swatch.center.y, size: fontSize,
                            color: .grey(0.3), vertical: .middle)
        }
    }
}
