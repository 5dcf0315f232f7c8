import GANLabCore

/// A coordinate network's image on a canvas: exactly size × size pixels, each the network's
/// RGB output at that pixel's coordinates (no axes or labels: the picture is the function).
public enum CPPNPicture {
    /// Renders `cppn` at `size` px with latent `latent` (default z(0)).
    public static func render(_ cppn: CPPN, size: Int, latent: [Float]? = nil) throws -> Canvas {
        let canvas = try Canvas(width: size, height: size)
        canvas.withPixelBuffer { base, stride in
            cppn.evaluate(size: size, latent: latent) { first, rgb in
                for p in 0..<(rgb.count / 3) {
                    let pixel = first + p
                    let row = (base + (pixel / size) * stride).assumingMemoryBound(to: UInt32.self)
                    row[pixel % size] = pack(rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2])
                }
            }
        }
        try canvas.checkStatus("rendering a CPPN image")
        return canvas
    }

    /// An opaque ARGB32 word from channels in [0, 1] (rounded to the nearest of 256 levels; a
    /// NaN from an overflowing network shows as mid-grey).
    @inline(__always)
    static func pack(_ r: Float, _ g: Float, _ b: Float) -> UInt32 {
        func level(_ v: Float) -> UInt32 { v.isNaN ? 128 : UInt32(min(max(v, 0), 1) * 255 + 0.5) }
        return 0xFF00_0000 | level(r) << 16 | level(g) << 8 | level(b)
    }
}
