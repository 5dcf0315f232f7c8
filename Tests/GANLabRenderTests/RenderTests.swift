import Foundation
import GANLabCore
import Testing
@testable import GANLabRender

@Suite("Colour (docs/METRICS.md §2)")
struct ColorTests {
    @Test("HSV → RGB known values", arguments: [
        (0.0, 1.0, 1.0, RGBA(red: 1, green: 0, blue: 0)),
        (1.0 / 3, 1.0, 1.0, RGBA(red: 0, green: 1, blue: 0)),
        (2.0 / 3, 1.0, 1.0, RGBA(red: 0, green: 0, blue: 1)),
        (0.5, 1.0, 1.0, RGBA(red: 0, green: 1, blue: 1)),
        (1.0 / 6, 1.0, 0.5, RGBA(red: 0.5, green: 0.5, blue: 0)),
        (0.9, 1.0, 1.0, RGBA(red: 1, green: 0, blue: 0.6)),
        (0.25, 0.0, 0.4, RGBA(red: 0.4, green: 0.4, blue: 0.4)),
        (1.0, 1.0, 1.0, RGBA(red: 1, green: 0, blue: 0)),
    ])
    func hsv(hue: Double, saturation: Double, value: Double, expected: RGBA) {
        #expect(close(.hsv(hue: hue, saturation: saturation, value: value), expected))
    }

    /// Colours equal up to floating-point rounding.
    func close(_ a: RGBA, _ b: RGBA) -> Bool {
        max(abs(a.red - b.red), abs(a.green - b.green), abs(a.blue - b.blue), abs(a.alpha - b.alpha)) < 1e-12
    }

    @Test("uniform latent corners: hue 0.9·u, value 0.2 + 0.8·v")
    func uniformCorners() {
        let coloring = LatentColoring(prior: .uniformBox)
        #expect(close(coloring.continuousColor(-1, -1), RGBA(red: 0.2, green: 0, blue: 0)))
        #expect(close(coloring.continuousColor(1, 1), RGBA(red: 1, green: 0, blue: 0.6)))
        #expect(close(coloring.continuousColor(-1, 1), RGBA(red: 1, green: 0, blue: 0)))
        #expect(close(coloring.continuousColor(1, -1), RGBA(red: 0.2, green: 0, blue: 0.12)))
        #expect(close(coloring.continuousColor(0, 0), .hsv(hue: 0.45, saturation: 1, value: 0.6)))
    }

    @Test("Gaussian latents go through Φ first")
    func gaussianUsesPhi() {
        #expect(abs(LatentColoring.standardNormalCDF(0) - 0.5) < 1e-15)
        #expect(abs(LatentColoring.standardNormalCDF(1.959963984540054) - 0.975) < 1e-12)
        #expect(abs(LatentColoring.standardNormalCDF(-8) - 6.22096057427178e-16) < 1e-25)
        let coloring = LatentColoring(prior: .gaussian)
        #expect(close(coloring.continuousColor(0, 0), .hsv(hue: 0.45, saturation: 1, value: 0.6)))
        let u = LatentColoring.standardNormalCDF(1)
        #expect(close(coloring.color(of: [1, -1][...]), .hsv(hue: 0.9 * u, saturation: 1, value: 0.2 + 0.8 * (1 - u))))
    }

    @Test("component prior: hue k/K from the one-hot argmax, full value")
    func componentHue() {
        let coloring = LatentColoring(prior: .gaussianWithComponent(components: 8))
        for k in 0..<8 {
            let row: [Float] = [0.3, -2] + (0..<8).map { $0 == k ? 1 : 0 }
            #expect(coloring.component(of: row[...]) == k)
            #expect(coloring.color(of: row[...]) == RGBA.hsv(hue: Double(k) / 8, saturation: 1, value: 1))
        }
    }

    @Test("non-finite inputs give a valid colour (every channel finite, in 0…1), not a trap")
    func nonFinite() {
        let colors = [
            RGBA.hsv(hue: .nan, saturation: .nan, value: .infinity),
            LatentColoring(prior: .uniformBox).continuousColor(.nan, -.infinity),
            LatentColoring(prior: .gaussian).continuousColor(.nan, .infinity),
        ]
        for color in colors {
            for channel in [color.red, color.green, color.blue, color.alpha] {
                #expect(channel.isFinite && (0...1).contains(channel), "\(color)")
            }
        }
    }

    @Test("the same latent always gets the same colour")
    func deterministic() {
        let latents = Oracle.uniformLatents(500, seed: 3)
        let coloring = LatentColoring(prior: .uniformBox)
        let first = coloring.colors(latents: latents)
        #expect(first == coloring.colors(latents: latents))
        #expect(first[17] == coloring.color(of: latents[34..<36]))
    }
}

@Suite("Canvas")
struct CanvasTests {
    @Test("dots land at their pixel, in their colour; clip is honoured")
    func dots() throws {
        let canvas = try Canvas(width: 40, height: 30)
        canvas.fillBackground(.white)
        #expect(canvas.pixel(x: 0, y: 0) == RGBA8(red: 255, green: 255, blue: 255))
        canvas.withClip(PixelRect(x: 0, y: 0, width: 20, height: 30)) {
            canvas.fillDots([10.5, 10.5, 30.5, 10.5], colors: [RGBA(red: 1, green: 0, blue: 0), .black],
                            radius: 3)
        }
        #expect(canvas.pixel(x: 10, y: 10) == RGBA8(red: 255, green: 0, blue: 0))
        #expect(canvas.pixel(x: 30, y: 10) == RGBA8(red: 255, green: 255, blue: 255))
        canvas.fillDots([5, 5], transform: PointTransform(scaleX: 2, offsetX: 0.5, scaleY: 4, offsetY: 0.5),
                        color: .grey(0.5), radius: 2, opacity: 0.5)
        #expect(canvas.pixel(x: 10, y: 20).distance(to: .grey(0.75)) <= 1)
        canvas.fillDots([.nan, 3, .infinity, 4], color: .black, radius: 2)
    }

    @Test("PNG round trip keeps size and pixels")
    func pngRoundTrip() throws {
        let dir = try Oracle.outputDirectory()
        let canvas = try Canvas(width: 64, height: 48)
        canvas.fillBackground(.white)
        canvas.fillRect(PixelRect(x: 0, y: 0, width: 8, height: 8), color: RGBA(red: 0, green: 0.5, blue: 1))
        canvas.drawText("hello", x: 10, y: 20, size: 14, vertical: .middle)
        let path = dir.appendingPathComponent("roundtrip.png").path
        try canvas.writePNG(to: path)
        let image = try PNGImage(contentsOf: path)
        #expect(image.width == 64 && image.height == 48)
        #expect(image.pixel(x: 3, y: 3).distance(to: RGBA(red: 0, green: 0.5, blue: 1)) <= 1)
        #expect(image.pixel(x: 63, y: 47) == RGBA8(red: 255, green: 255, blue: 255))
        let inked = (10..<60).contains { x in (10..<30).contains { y in image.pixel(x: x, y: y).red < 100 } }
        #expect(inked, "text should leave dark pixels")
        #expect(try canvas.pngData().prefix(4) == [0x89, 0x50, 0x4E, 0x47])
    }

    @Test("failures are RenderErrors, not crashes")
    func errors() throws {
        #expect(throws: RenderError.invalidSize(width: 0, height: 10)) { try Canvas(width: 0, height: 10) }
        let canvas = try Canvas(width: 4, height: 4)
        let bad = "/nonexistent-dir-ganlab/sub/out.png"
        #expect {
            try canvas.writePNG(to: bad)
        } throws: { error in
            guard case .writeFailed(let path, _) = error as? RenderError else { return false }
            return path == bad && "\(error)".contains(bad)
        }
        #expect(throws: RenderError.self) { try PNGImage(contentsOf: "/nonexistent-dir-ganlab/in.png") }
        var data = Oracle.spiralData(latents: [0, 0], targetCount: 1)
        data.latents = [0, 0, 0]
        #expect(throws: RenderError.self) { try MappingFigure.render(data, panelSize: 200) }
    }
}

@Suite("Mapping figure")
struct MappingFigureTests {
    /// Five well-separated spiral probes, drawn big and opaque so their pixels are exact.
    static let probes: [Float] = [-0.9, -0.9, -0.5, 0.8, 0.0, 0.0, 0.5, -0.6, 0.95, 0.95]

    @Test("probes at G(z) and at z carry their latent's colour; grey target behind")
    func spiralPixels() throws {
        let data = Oracle.spiralData(latents: Self.probes, targetCount: 3)
        let path = try Oracle.outputDirectory().appendingPathComponent("spiral-probes.png").path
        try MappingFigure.render(data, panelSize: 300, pointRadius: 4, alpha: 1).writePNG(to: path)
        let image = try PNGImage(contentsOf: path)
        let layout = MappingFigure.layout(for: data, panelSize: 300)
        #expect(image.width == layout.width && image.height == layout.height)
        let coloring = LatentColoring(prior: .uniformBox)
        for i in 0..<(Self.probes.count / 2) {
            let expected = coloring.color(of: Self.probes[(2 * i)..<(2 * i + 2)])
            let s = layout.samplePanel.pixel(x: Double(data.points[2 * i]), y: Double(data.points[2 * i + 1]))
            #expect(image.pixel(x: Int(s.x), y: Int(s.y)).distance(to: expected) <= 3, "sample of probe \(i)")
            let z = layout.latentPanels[0].pixel(x: Double(Self.probes[2 * i]), y: Double(Self.probes[2 * i + 1]))
            #expect(image.pixel(x: Int(z.x), y: Int(z.y)).distance(to: expected) <= 3, "latent of probe \(i)")
        }
        for j in 0..<data.targetCount {
            let t = layout.samplePanel.pixel(x: Double(data.target[2 * j]), y: Double(data.target[2 * j + 1]))
            let p = image.pixel(x: Int(t.x), y: Int(t.y))
            #expect(p.red == p.green && p.green == p.blue && (180...240).contains(p.red), "target \(j): \(p)")
        }
    }

    @Test("colour key corners have the hues of docs/METRICS.md §2")
    func keyCorners() throws {
        let data = Oracle.spiralData(latents: Self.probes, targetCount: 3)
        let canvas = try MappingFigure.render(data, panelSize: 300)
        let square = MappingFigure.layout(for: data, panelSize: 300).key.layout().square.rect
        let (left, right) = (Int(square.x), Int(square.maxX) - 1)
        let (top, bottom) = (Int(square.y), Int(square.maxY) - 1)
        // The hue moves 0.9 over the square's side: allow one pixel's worth of change (in 0...255).
        let tolerance = 255 * 6 * 0.9 / square.width + 2
        #expect(canvas.pixel(x: left, y: bottom).distance(to: .hsv(hue: 0, saturation: 1, value: 0.2)) <= tolerance)
        #expect(canvas.pixel(x: right, y: top).distance(to: .hsv(hue: 0.9, saturation: 1, value: 1)) <= tolerance)
        #expect(canvas.pixel(x: left, y: top).distance(to: .hsv(hue: 0, saturation: 1, value: 1)) <= tolerance)
        #expect(canvas.pixel(x: right, y: bottom).distance(to: .hsv(hue: 0.9, saturation: 1, value: 0.2)) <= tolerance)
    }

    @Test("eight-gaussians: hue k/8 in the sample panel, continuous colour in panel k")
    func eightGaussians() throws {
        let data = Oracle.eightGaussiansData(count: 8, seed: 11)
        let canvas = try MappingFigure.render(data, panelSize: 400, pointRadius: 4, alpha: 1)
        let layout = MappingFigure.layout(for: data, panelSize: 400)
        #expect(layout.latentPanels.count == 8)
        let coloring = LatentColoring(prior: data.prior)
        for i in 0..<data.probeCount {
            let row = data.latents[(10 * i)..<(10 * i + 10)]
            let k = coloring.component(of: row)
            let s = layout.samplePanel.pixel(x: Double(data.points[2 * i]), y: Double(data.points[2 * i + 1]))
            #expect(canvas.pixel(x: Int(s.x), y: Int(s.y)).distance(to: .hsv(hue: Double(k) / 8, saturation: 1, value: 1)) <= 3)
            let (n0, n1) = (Double(row[10 * i]), Double(row[10 * i + 1]))
            guard abs(n0) < 2.8, abs(n1) < 2.8 else { continue }
            let z = layout.latentPanels[k].pixel(x: n0, y: n1)
            #expect(canvas.pixel(x: Int(z.x), y: Int(z.y)).distance(to: coloring.continuousColor(n0, n1)) <= 3)
        }
        let swatches = layout.key.layout().swatches
        #expect(swatches.count == 8)
        let c = swatches[3].center
        #expect(canvas.pixel(x: Int(c.x), y: Int(c.y)).distance(to: .hsv(hue: 3.0 / 8, saturation: 1, value: 1)) <= 1)
    }

    @Test("timelapse frame: square, probes coloured, key inset, title inked")
    func frame() throws {
        let data = Oracle.spiralData(latents: Self.probes, targetCount: 0)
        let canvas = try MappingFigure.samplePanelOnly(data, frameSize: 320, pointRadius: 4, alpha: 1,
                                                       overlay: ["step 4000", "D loss 0.69"])
        #expect(canvas.width == 320 && canvas.height == 320)
        let layout = MappingFigure.frameLayout(for: data, frameSize: 320, overlayLines: 2)
        let s = layout.samplePanel.pixel(x: Double(data.points[4]), y: Double(data.points[5]))
        #expect(canvas.pixel(x: Int(s.x), y: Int(s.y)).distance(to: .hsv(hue: 0.45, saturation: 1, value: 0.6)) <= 3)
        let key = layout.key.layout().square.rect
        #expect(canvas.pixel(x: Int(key.maxX) - 1, y: Int(key.y)).distance(to: .hsv(hue: 0.9, saturation: 1, value: 1))
                <= 255 * 6 * 0.9 / key.width + 2)
        #expect(key.maxY < layout.samplePanel.rect.y, "the key must not cover samples")
        let inked = (0..<160).contains { x in (0..<Int(layout.samplePanel.rect.y)).contains { canvas.pixel(x: x, y: $0).red < 80 } }
        #expect(inked)
    }

    @Test("full-size previews render (5,000 probes)")
    func previews() throws {
        let dir = try Oracle.outputDirectory()
        let spiral = Oracle.spiralData(latents: Oracle.uniformLatents(5000, seed: 1), targetCount: 5000)
        let eight = Oracle.eightGaussiansData(count: 5000, seed: 2)
        try MappingFigure.render(spiral).writePNG(to: dir.appendingPathComponent("spiral.png").path)
        try MappingFigure.render(eight).writePNG(to: dir.appendingPathComponent("eight-gaussians.png").path)
        try MappingFigure.samplePanelOnly(spiral, overlay: ["step 4000 of 60000", "D loss 0.693 · G loss 0.693"])
            .writePNG(to: dir.appendingPathComponent("spiral-frame.png").path)
        try MappingFigure.samplePanelOnly(eight, overlay: ["step 4000 of 60000"])
            .writePNG(to: dir.appendingPathComponent("eight-gaussians-frame.png").path)
        #expect(try PNGImage(contentsOf: dir.appendingPathComponent("spiral.png").path).width
                == MappingFigure.layout(for: spiral).width)
    }
}

