import CCairo

/// A decoded PNG file: size and straight-alpha pixels. Used by tests to check rendered output.
public struct PNGImage: Sendable {
    /// Width in px.
    public let width: Int
    /// Height in px.
    public let height: Int
    /// Row-major native-endian premultiplied ARGB32 words, as Cairo decodes them.
    private let words: [UInt32]
    /// Whether the decoded image carries alpha (RGB24 images do not).
    private let hasAlpha: Bool

    /// Loads and decodes the PNG at `path` with Cairo.
    public init(contentsOf path: String) throws {
        guard let surface = cairo_image_surface_create_from_png(path) else {
            throw RenderError.readFailed(path: path, status: "no surface")
        }
        defer { cairo_surface_destroy(surface) }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderError.readFailed(path: path, status: Canvas.describe(status))
        }
        let format = cairo_image_surface_get_format(surface)
        guard format == CAIRO_FORMAT_ARGB32 || format == CAIRO_FORMAT_RGB24 else {
            throw RenderError.readFailed(path: path, status: "unsupported pixel format \(format.rawValue)")
        }
        let width = Int(cairo_image_surface_get_width(surface))
        let height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else {
            throw RenderError.readFailed(path: path, status: "no pixel data")
        }
        var words = [UInt32](repeating: 0, count: width * height)
        for y in 0..<height {
            let row = UnsafeRawPointer(data + y * stride)
            for x in 0..<width {
                words[y * width + x] = row.loadUnaligned(fromByteOffset: 4 * x, as: UInt32.self)
            }
        }
        self.width = width
        self.height = height
        self.words = words
        self.hasAlpha = format == CAIRO_FORMAT_ARGB32
    }

    /// The straight-alpha colour of pixel (x, y), origin top-left.
    public func pixel(x: Int, y: Int) -> RGBA8 {
        precondition((0..<width).contains(x) && (0..<height).contains(y), "pixel (\(x), \(y)) outside \(width)×\(height) image")
        let word = words[y * width + x]
        return Canvas.unpremultiply(hasAlpha ? word : word | 0xFF00_0000)
    }
}
