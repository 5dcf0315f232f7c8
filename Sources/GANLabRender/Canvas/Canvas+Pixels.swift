import CCairo

/// An affine map applied to point coordinates before rasterizing: pixel = scale · p + offset.
public struct PointTransform: Equatable, Sendable {
    /// Horizontal scale (px per unit).
    public var scaleX: Double
    /// Horizontal offset in px.
    public var offsetX: Double
    /// Vertical scale (negative for a y-up data plane).
    public var scaleY: Double
    /// Vertical offset in px.
    public var offsetY: Double

    /// Creates a transform pixel = (scaleX·x + offsetX, scaleY·y + offsetY).
    public init(scaleX: Double, offsetX: Double, scaleY: Double, offsetY: Double) {
        self.scaleX = scaleX
        self.offsetX = offsetX
        self.scaleY = scaleY
        self.offsetY = offsetY
    }

    /// Coordinates are already in pixels.
    public static let identity = PointTransform(scaleX: 1, offsetX: 0, scaleY: 1, offsetY: 0)
}

extension Canvas {
    // MARK: - Fast dots

    /// Draws many antialiased discs, one colour per point, straight into the pixel buffer.
    ///
    /// `xy` is flat `[x0, y0, x1, y1, …]`, mapped through `transform` to pixels; `colors` has one
    /// entry per point. Coverage is the analytic estimate clamp(r + ½ − d, 0, 1) at each pixel
    /// centre, blended "over" with `opacity` × colour alpha. Honours `withClip`; skips
    /// non-finite points. Far faster than a Cairo path per point (no per-point fill setup).
    public func fillDots(_ xy: [Float], transform: PointTransform = .identity, colors: [RGBA],
                         radius: Double, opacity: Double = 1) {
        precondition(xy.count == 2 * colors.count, "fillDots: \(xy.count / 2) points but \(colors.count) colours")
        let premultiplied = colors.map { Self.premultipliedChannels($0, opacity: opacity) }
        rasterizeDots(xy, transform: transform, radius: radius) { premultiplied[$0] }
    }

    /// Draws many antialiased discs in a single colour (e.g. grey target samples).
    public func fillDots(_ xy: [Float], transform: PointTransform = .identity, color: RGBA,
                         radius: Double, opacity: Double = 1) {
        precondition(xy.count % 2 == 0, "fillDots: odd number of coordinates")
        let channels = Self.premultipliedChannels(color, opacity: opacity)
        rasterizeDots(xy, transform: transform, radius: radius) { _ in channels }
    }

    /// Overwrites every pixel of `rect` (inside the clip) with `color(x, y)` of its pixel centre.
    public func paintPixels(in rect: PixelRect, color: (_ x: Double, _ y: Double) -> RGBA) {
        let area = rect.intersection(clipRect)
        let (x0, x1) = (Int(area.x.rounded()), Int(area.maxX.rounded()))
        let (y0, y1) = (Int(area.y.rounded()), Int(area.maxY.rounded()))
        guard x0 < x1, y0 < y1 else { return }
        withPixelBuffer { base, stride in
            for y in y0..<y1 {
                let row = (base + y * stride).assumingMemoryBound(to: UInt32.self)
                for x in x0..<x1 {
                    let c = Self.premultipliedChannels(color(Double(x) + 0.5, Double(y) + 0.5), opacity: 1)
                    row[x] = Self.pack(c)
                }
            }
        }
    }

    // MARK: - Internals

    /// Premultiplied (r, g, b, a) in 0...255 with the opacity folded in.
    static func premultipliedChannels(_ color: RGBA, opacity: Double) -> SIMD4<Float> {
        let a = Float(min(max(color.alpha * opacity, 0), 1))
        let clamp = { (c: Double) in Float(min(max(c, 0), 1)) }
        return SIMD4(clamp(color.red) * a, clamp(color.green) * a, clamp(color.blue) * a, a) * 255
    }

    /// Packs premultiplied 0...255 channels into a native-endian ARGB32 word.
    @inline(__always)
    static func pack(_ c: SIMD4<Float>) -> UInt32 {
        let r = UInt32(min(c.x + 0.5, 255)), g = UInt32(min(c.y + 0.5, 255))
        let b = UInt32(min(c.z + 0.5, 255)), a = UInt32(min(c.w + 0.5, 255))
        return a << 24 | r << 16 | g << 8 | b
    }

    /// Gives direct access to the pixel buffer (flushing before, marking dirty after).
    func withPixelBuffer(_ body: (_ base: UnsafeMutableRawPointer, _ stride: Int) -> Void) {
        cairo_surface_flush(surface)
        guard let data = cairo_image_surface_get_data(surface) else { return }
        body(UnsafeMutableRawPointer(data), Int(cairo_image_surface_get_stride(surface)))
        cairo_surface_mark_dirty(surface)
    }

    private func rasterizeDots(_ xy: [Float], transform t: PointTransform, radius: Double,
                               color: (Int) -> SIMD4<Float>) {
        let clip = clipRect
        let (clipX0, clipX1) = (Int(clip.x.rounded()), Int(clip.maxX.rounded()))
        let (clipY0, clipY1) = (Int(clip.y.rounded()), Int(clip.maxY.rounded()))
        guard clipX0 < clipX1, clipY0 < clipY1, radius > 0 else { return }
        let r = Float(radius)
        let reach = Double(radius) + 0.5
        withPixelBuffer { base, stride in
            xy.withUnsafeBufferPointer { points in
                for i in 0..<(points.count / 2) {
                    let cx = t.scaleX * Double(points[2 * i]) + t.offsetX
                    let cy = t.scaleY * Double(points[2 * i + 1]) + t.offsetY
                    guard cx.isFinite, cy.isFinite,
                          cx + reach > Double(clipX0), cx - reach < Double(clipX1),
                          cy + reach > Double(clipY0), cy - reach < Double(clipY1) else { continue }
                    let x0 = max(clipX0, Int((cx - reach).rounded(.down)))
                    let x1 = min(clipX1 - 1, Int((cx + reach).rounded(.down)))
                    let y0 = max(clipY0, Int((cy - reach).rounded(.down)))
                    let y1 = min(clipY1 - 1, Int((cy + reach).rounded(.down)))
                    guard x0 <= x1, y0 <= y1 else { continue }
                    let src = color(i)
                    let fx = Float(cx), fy = Float(cy)
                    for y in y0...y1 {
                        let row = (base + y * stride).assumingMemoryBound(to: UInt32.self)
                        let dy = Float(y) + 0.5 - fy
                        for x in x0...x1 {
                            let dx = Float(x) + 0.5 - fx
                            let coverage = min(max(r + 0.5 - (dx * dx + dy * dy).squareRoot(), 0), 1)
                            guard coverage > 0 else { continue }
                            row[x] = Self.blend(src * coverage, over: row[x])
                        }
                    }
                }
            }
        }
    }

    /// Porter–Duff "over" for premultiplied channels: out = src + dst·(1 − src.a).
    @inline(__always)
    private static func blend(_ src: SIMD4<Float>, over word: UInt32) -> UInt32 {
        let dst = SIMD4<Float>(Float((word >> 16) & 0xFF), Float((word >> 8) & 0xFF),
                               Float(word & 0xFF), Float(word >> 24))
        return pack(src + dst * (1 - src.w / 255))
    }
}
