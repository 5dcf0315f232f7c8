import Foundation
import Testing
@testable import GANLabRender

@Suite("PNG encoding")
struct PNGEncoderTests {
    @Test("fast encoder decodes (via Cairo/libpng) to exactly the pixels of Cairo's encoder")
    func fastMatchesCairo() throws {
        let dir = try Oracle.outputDirectory()
        let data = Oracle.spiralData(latents: Oracle.uniformLatents(800, seed: 5), targetCount: 400)
        let canvas = try MappingFigure.render(data, panelSize: 240)
        let fast = dir.appendingPathComponent("fast.png").path
        let small = dir.appendingPathComponent("small.png").path
        try canvas.writePNG(to: fast, compression: .fast)
        try canvas.writePNG(to: small, compression: .small)
        let a = try PNGImage(contentsOf: fast), b = try PNGImage(contentsOf: small)
        #expect(a.width == canvas.width && a.height == canvas.height)
        #expect(a.width == b.width && a.height == b.height)
        var mismatches = 0
        for y in 0..<a.height {
            for x in 0..<a.width where a.pixel(x: x, y: y) != b.pixel(x: x, y: y) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test("translucent canvases keep their alpha (RGBA path)")
    func translucent() throws {
        let canvas = try Canvas(width: 37, height: 5)
        canvas.fillRect(PixelRect(x: 0, y: 0, width: 10, height: 5), color: RGBA(red: 1, green: 0.5, blue: 0, alpha: 0.5))
        let path = try Oracle.outputDirectory().appendingPathComponent("translucent.png").path
        try canvas.writePNG(to: path)
        let image = try PNGImage(contentsOf: path)
        #expect(image.pixel(x: 2, y: 2).distance(to: RGBA(red: 1, green: 0.5, blue: 0, alpha: 0.5)) <= 2)
        #expect(image.pixel(x: 30, y: 2).alpha == 0)
    }

    @Test("in-memory PNG equals the written file")
    func inMemory() throws {
        let canvas = try Canvas(width: 300, height: 20)
        canvas.fillBackground(.white)
        canvas.drawText("ganlab", x: 4, y: 10, size: 12, vertical: .middle)
        let path = try Oracle.outputDirectory().appendingPathComponent("memory.png").path
        try canvas.writePNG(to: path)
        let bytes = try canvas.pngData()
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == bytes)
        #expect(try canvas.pngData(compression: .small).prefix(8) == bytes.prefix(8))
    }

    @Test("checksums match the reference values")
    func checksums() {
        let text = Array("123456789".utf8)
        #expect(PNGEncoder.crc32(text) ^ 0xFFFF_FFFF == 0xCBF4_3926)
        #expect(PNGEncoder.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(PNGEncoder.adler32([UInt8](repeating: 255, count: 100_000)) == {
            var a: UInt32 = 1, b: UInt32 = 0
            for _ in 0..<100_000 { a = (a + 255) % 65_521; b = (b + a) % 65_521 }
            return b << 16 | a
        }())
    }
}
