extension Canvas {
    /// Packs colours into the canvas's pixel words (premultiplied ARGB32), for `blit`.
    static func packedPixels(_ colors: [RGBA]) -> [UInt32] {
        colors.map { pack(premultipliedChannels($0, opacity: 1)) }
    }

    /// Copies a `width` × `height` block of packed pixels (row-major, from `packedPixels`) to
    /// (x, y), clipped to the canvas: a precomputed image costs a memory copy per frame.
    func blit(_ pixels: [UInt32], width: Int, height: Int, x: Int, y: Int) {
        precondition(pixels.count == width * height, "blit: \(pixels.count) pixels for \(width)×\(height)")
        let x0 = max(x, 0), x1 = min(x + width, self.width)
        let y0 = max(y, 0), y1 = min(y + height, self.height)
        guard x0 < x1, y0 < y1 else { return }
        withPixelBuffer { base, stride in
            pixels.withUnsafeBufferPointer { source in
                guard let start = source.baseAddress else { return }
                for row in y0..<y1 {
                    let target = (base + row * stride).assumingMemoryBound(to: UInt32.self) + x0
                    target.update(from: start + (row - y) * width + (x0 - x), count: x1 - x0)
                }
            }
        }
    }
}
