/// A square plot of the data square [−extent, extent]² at a pixel rectangle (y up).
///
/// Draws a thin grey axis box with the extent written at the ends of each axis, optional axis
/// names and a title above, and maps data coordinates to pixels for point batches.
public struct PlotPanel: Sendable {
    /// The square's pixel rectangle (the plotting area, without labels).
    public var rect: PixelRect
    /// Half-width of the data square shown.
    public var extent: Double
    /// Text above the panel, if any.
    public var title: String?
    /// Names of the horizontal and vertical axes (e.g. "z₀", "z₁"), if any.
    public var axisNames: (horizontal: String, vertical: String)?
    /// Size of tick labels in px; the title is drawn 1.25× larger.
    public var fontSize: Double

    /// Creates a panel whose plotting square is `rect`.
    public init(rect: PixelRect, extent: Double, title: String? = nil,
                axisNames: (horizontal: String, vertical: String)? = nil, fontSize: Double = 13) {
        precondition(extent > 0, "panel extent must be positive")
        self.rect = rect
        self.extent = extent
        self.title = title
        self.axisNames = axisNames
        self.fontSize = fontSize
    }

    /// Room needed around the square for labels and title: (left, top, right, bottom) in px.
    public static func margins(fontSize: Double, hasTitle: Bool, hasAxisNames: Bool = false)
        -> (left: Double, top: Double, right: Double, bottom: Double) {
        let left = fontSize * 2.4 + (hasAxisNames ? fontSize * 0.4 : 0)
        let top = hasTitle ? fontSize * 2.4 : fontSize * 0.6
        return (left, top, fontSize * 0.6, fontSize * 1.9)
    }

    /// The largest panel whose square, labels and title fit inside `area`, centred horizontally;
    /// `verticalPosition` places it from the top (0) through centred (0.5) to the bottom (1).
    public static func fitting(in area: PixelRect, extent: Double, title: String? = nil,
                               axisNames: (horizontal: String, vertical: String)? = nil,
                               fontSize: Double, verticalPosition: Double = 0.5) -> PlotPanel {
        let m = margins(fontSize: fontSize, hasTitle: title != nil, hasAxisNames: axisNames != nil)
        let side = max(1, min(area.width - m.left - m.right, area.height - m.top - m.bottom)).rounded(.down)
        let x = (area.x + m.left + (area.width - m.left - m.right - side) / 2).rounded(.down)
        let y = (area.y + m.top + (area.height - m.top - m.bottom - side) * verticalPosition).rounded(.down)
        return PlotPanel(rect: PixelRect(x: x, y: y, width: side, height: side), extent: extent,
                         title: title, axisNames: axisNames, fontSize: fontSize)
    }

    // MARK: - Coordinates

    /// Data → pixel map: x from −extent (left edge) to extent (right), y up.
    public var transform: PointTransform {
        let sx = rect.width / (2 * extent), sy = rect.height / (2 * extent)
        return PointTransform(scaleX: sx, offsetX: rect.x + extent * sx,
                              scaleY: -sy, offsetY: rect.y + extent * sy)
    }

    /// The pixel position of data point (x, y).
    public func pixel(x: Double, y: Double) -> (x: Double, y: Double) {
        let t = transform
        return (t.scaleX * x + t.offsetX, t.scaleY * y + t.offsetY)
    }

    /// The data point at pixel position (x, y): the inverse of `pixel(x:y:)`.
    public func dataPoint(pixelX: Double, pixelY: Double) -> (x: Double, y: Double) {
        let t = transform
        return ((pixelX - t.offsetX) / t.scaleX, (pixelY - t.offsetY) / t.scaleY)
    }

    // MARK: - Drawing

    /// Fills the square white and draws faint zero lines; call before drawing points.
    public func drawBackground(on canvas: Canvas) {
        canvas.fillRect(rect, color: .white)
        let origin = pixel(x: 0, y: 0)
        let faint = RGBA.grey(0.92)
        let lineWidth = max(1, fontSize / 13)
        canvas.strokeLine(from: (origin.x, rect.y), to: (origin.x, rect.maxY), color: faint, lineWidth: lineWidth)
        canvas.strokeLine(from: (rect.x, origin.y), to: (rect.maxX, origin.y), color: faint, lineWidth: lineWidth)
    }

    /// Draws points given as flat data coordinates `[x0, y0, …]`, one colour each, clipped to the square.
    public func drawDots(_ xy: [Float], colors: [RGBA], radius: Double, opacity: Double, on canvas: Canvas) {
        canvas.withClip(rect) {
            canvas.fillDots(xy, transform: transform, colors: colors, radius: radius, opacity: opacity)
        }
    }

    /// Draws points given as flat data coordinates in a single colour, clipped to the square.
    public func drawDots(_ xy: [Float], color: RGBA, radius: Double, opacity: Double, on canvas: Canvas) {
        canvas.withClip(rect) {
            canvas.fillDots(xy, transform: transform, color: color, radius: radius, opacity: opacity)
        }
    }

    /// Draws the grey axis box, the extent labels, axis names and the title; call after points.
    public func drawFrame(on canvas: Canvas) {
        let grey = RGBA.grey(0.55)
        let text = RGBA.grey(0.3)
        let lineWidth = max(1, (fontSize / 13).rounded())
        let half = lineWidth.truncatingRemainder(dividingBy: 2) == 1 ? 0.5 : 0
        canvas.strokeRect(PixelRect(x: rect.x - half, y: rect.y - half, width: rect.width + 2 * half,
                                    height: rect.height + 2 * half), color: grey, lineWidth: lineWidth)
        let tick = fontSize * 0.3
        let low = Self.format(-extent), high = Self.format(extent)
        let below = rect.maxY + tick + fontSize * 0.25
        for (value, label) in [(-extent, low), (0, "0"), (extent, high)] {
            let p = pixel(x: value, y: value)
            canvas.strokeLine(from: (p.x, rect.maxY), to: (p.x, rect.maxY + tick), color: grey, lineWidth: lineWidth)
            canvas.strokeLine(from: (rect.x - tick, p.y), to: (rect.x, p.y), color: grey, lineWidth: lineWidth)
            guard value != 0 else { continue }
            canvas.drawText(label, x: p.x, y: below, size: fontSize, color: text, align: .center, vertical: .top)
            canvas.drawText(label, x: rect.x - tick - fontSize * 0.3, y: p.y, size: fontSize, color: text,
                            align: .right, vertical: .middle)
        }
        if let names = axisNames {
            canvas.drawText(names.horizontal, x: rect.center.x, y: below, size: fontSize, color: text,
                            align: .center, vertical: .top)
            canvas.drawText(names.vertical, x: rect.x - tick - fontSize * 0.3, y: rect.center.y, size: fontSize,
                            color: text, align: .right, vertical: .middle)
        }
        if let title {
            canvas.drawText(title, x: rect.x, y: rect.y - fontSize * 0.7, size: fontSize * 1.25,
                            color: .grey(0.1), align: .left, vertical: .baseline)
        }
    }

    /// Formats an axis value compactly with a true minus sign ("−1", "3", "0.5").
    static func format(_ value: Double) -> String {
        let magnitude = abs(value)
        let body = magnitude == magnitude.rounded() && magnitude < 1e6
            ? String(Int(magnitude)) : trimmedDecimal(magnitude)
        return value < 0 ? "−" + body : body
    }

    /// Up to three decimals without trailing zeros.
    private static func trimmedDecimal(_ value: Double) -> String {
        var text = String((value * 1000).rounded() / 1000)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
