import CCairo

/// An axis-aligned rectangle in pixel coordinates (origin top-left, y down).
public struct PixelRect: Equatable, Sendable {
    /// Left edge in px.
    public var x: Double
    /// Top edge in px.
    public var y: Double
    /// Width in px.
    public var width: Double
    /// Height in px.
    public var height: Double

    /// Creates a rectangle from its top-left corner and size.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// Right edge in px.
    public var maxX: Double { x + width }
    /// Bottom edge in px.
    public var maxY: Double { y + height }
    /// Centre in px.
    public var center: (x: Double, y: Double) { (x + width / 2, y + height / 2) }

    /// The rectangle shrunk by `amount` px on every side.
    public func insetBy(_ amount: Double) -> PixelRect {
        PixelRect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }

    /// The overlap of two rectangles (zero-sized when they do not meet).
    public func intersection(_ other: PixelRect) -> PixelRect {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(maxX, other.maxX), bottom = min(maxY, other.maxY)
        return PixelRect(x: left, y: top, width: max(0, right - left), height: max(0, bottom - top))
    }
}

/// A drawing surface: a Cairo ARGB32 image surface and its context, owned privately.
///
/// Cairo errors are sticky: once the context fails every later call is a no-op, so drawing
/// calls do not throw; the status is checked on creation and again before any output
/// (`writePNG`, `pngData`), which throw `RenderError`.
/// The pixel buffer is premultiplied, native-endian 32-bit ARGB (BGRA bytes on little-endian).
public final class Canvas {
    /// The largest side Cairo's image surfaces accept.
    public static let maximumSide = 32_767

    /// Width in px.
    public let width: Int
    /// Height in px.
    public let height: Int

    let surface: OpaquePointer
    let context: OpaquePointer
    /// The rectangle the fast rasterizers honour, kept in step with Cairo's clip.
    var clipRect: PixelRect

    /// Creates a transparent canvas of the given size.
    public init(width: Int, height: Int) throws {
        guard (1...Self.maximumSide).contains(width), (1...Self.maximumSide).contains(height) else {
            throw RenderError.invalidSize(width: width, height: height)
        }
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)) else {
            throw RenderError.cairo(operation: "creating a \(width)×\(height) surface", status: "no surface")
        }
        let surfaceStatus = cairo_surface_status(surface)
        guard surfaceStatus == CAIRO_STATUS_SUCCESS, let context = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw RenderError.cairo(operation: "creating a \(width)×\(height) surface",
                                    status: Self.describe(surfaceStatus))
        }
        let contextStatus = cairo_status(context)
        guard contextStatus == CAIRO_STATUS_SUCCESS else {
            cairo_destroy(context)
            cairo_surface_destroy(surface)
            throw RenderError.cairo(operation: "creating a drawing context", status: Self.describe(contextStatus))
        }
        self.width = width
        self.height = height
        self.surface = surface
        self.context = context
        self.clipRect = PixelRect(x: 0, y: 0, width: Double(width), height: Double(height))
        cairo_select_font_face(context, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// The whole canvas as a rectangle.
    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: Double(width), height: Double(height)) }

    // MARK: - State

    /// Throws if Cairo has recorded an error on the context or surface.
    public func checkStatus(_ operation: String = "drawing") throws {
        let status = cairo_status(context)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderError.cairo(operation: operation, status: Self.describe(status))
        }
        let surfaceStatus = cairo_surface_status(surface)
        guard surfaceStatus == CAIRO_STATUS_SUCCESS else {
            throw RenderError.cairo(operation: operation, status: Self.describe(surfaceStatus))
        }
    }

    /// Sets the source colour for the next vector operation.
    public func setColor(_ color: RGBA) {
        cairo_set_source_rgba(context, color.red, color.green, color.blue, color.alpha)
    }

    /// Runs `body` with drawing (vector and fast dots) restricted to `rect`, then restores.
    public func withClip<T>(_ rect: PixelRect, _ body: () throws -> T) rethrows -> T {
        let saved = clipRect
        cairo_save(context)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(context)
        clipRect = saved.intersection(rect)
        defer {
            cairo_restore(context)
            clipRect = saved
        }
        return try body()
    }

    // MARK: - Shapes

    /// Paints the whole canvas (inside the clip) with one colour, replacing what was there.
    public func fillBackground(_ color: RGBA) {
        cairo_save(context)
        cairo_set_operator(context, CAIRO_OPERATOR_SOURCE)
        setColor(color)
        cairo_paint(context)
        cairo_restore(context)
    }

    /// Fills a rectangle.
    public func fillRect(_ rect: PixelRect, color: RGBA) {
        setColor(color)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_fill(context)
    }

    /// Strokes a rectangle outline; use half-pixel coordinates for crisp 1 px lines.
    public func strokeRect(_ rect: PixelRect, color: RGBA, lineWidth: Double = 1) {
        setColor(color)
        cairo_set_line_width(context, lineWidth)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_stroke(context)
    }

    /// Strokes a straight line segment.
    public func strokeLine(from start: (x: Double, y: Double), to end: (x: Double, y: Double),
                           color: RGBA, lineWidth: Double = 1) {
        setColor(color)
        cairo_set_line_width(context, lineWidth)
        cairo_move_to(context, start.x, start.y)
        cairo_line_to(context, end.x, end.y)
        cairo_stroke(context)
    }

    /// Strokes a polyline through flat pixel coordinates `[x0, y0, x1, y1, …]`.
    public func strokePolyline(_ xy: [Double], color: RGBA, lineWidth: Double = 1, closed: Bool = false) {
        precondition(xy.count % 2 == 0, "polyline needs an even number of coordinates")
        guard xy.count >= 4 else { return }
        setColor(color)
        cairo_set_line_width(context, lineWidth)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        cairo_move_to(context, xy[0], xy[1])
        for i in stride(from: 2, to: xy.count, by: 2) {
            cairo_line_to(context, xy[i], xy[i + 1])
        }
        if closed { cairo_close_path(context) }
        cairo_stroke(context)
    }

    /// Fills one antialiased circle with Cairo's path machinery (for a few large markers).
    public func fillCircle(center: (x: Double, y: Double), radius: Double, color: RGBA) {
        setColor(color)
        cairo_new_path(context)
        cairo_arc(context, center.x, center.y, radius, 0, 2 * Double.pi)
        cairo_fill(context)
    }

    // MARK: - Pixels

    /// The straight-alpha colour of pixel (x, y), origin top-left; for tests and probes.
    public func pixel(x: Int, y: Int) -> RGBA8 {
        precondition((0..<width).contains(x) && (0..<height).contains(y), "pixel (\(x), \(y)) outside canvas")
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { return RGBA8(red: 0, green: 0, blue: 0, alpha: 0) }
        let word = UnsafeRawPointer(data + y * stride + 4 * x).loadUnaligned(as: UInt32.self)
        return Self.unpremultiply(word)
    }

    /// Human-readable text of a Cairo status code.
    static func describe(_ status: cairo_status_t) -> String {
        guard let text = cairo_status_to_string(status) else { return "status \(status.rawValue)" }
        return String(cString: text)
    }

    /// Converts one premultiplied native-endian ARGB32 word to a straight-alpha pixel.
    static func unpremultiply(_ word: UInt32) -> RGBA8 {
        let a = UInt32((word >> 24) & 0xFF)
        guard a > 0 else { return RGBA8(red: 0, green: 0, blue: 0, alpha: 0) }
        func channel(_ shift: UInt32) -> UInt8 {
            let c = (word >> shift) & 0xFF
            return UInt8(min(255, (c * 255 + a / 2) / a))
        }
        return RGBA8(red: channel(16), green: channel(8), blue: channel(0), alpha: UInt8(a))
    }
}
