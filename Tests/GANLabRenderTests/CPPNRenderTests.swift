import Foundation
import GANLabCore
import GANLabEngine
import Testing
@testable import GANLabRender

/// RGB values in [0, 1] of a decoded PNG, row-major (for `ImageIntricacy`).
private func rgb(_ image: PNGImage) -> [Float] {
    var values: [Float] = []
    values.reserveCapacity(3 * image.width * image.height)
    for y in 0..<image.height {
        for x in 0..<image.width {
            let p = image.pixel(x: x, y: y)
            values += [Float(p.red) / 255, Float(p.green) / 255, Float(p.blue) / 255]
        }
    }
    return values
}

/// Settings from a few fields.
private func settings(width: Int = 16, depth: Int = 8, initializer: InitKind = .normal, scale: Double = 1,
                      zoom: Double = 1, seed: UInt64 = 1) -> CPPNSettings {
    var s = CPPNSettings()
    s.hidden = [Int](repeating: width, count: depth)
    s.initializer = initializer
    s.scale = scale
    s.zoom = zoom
    s.seed = seed
    return s
}

/// Renders, writes and decodes a CPPN image.
private func picture(_ s: CPPNSettings, size: Int, name: String) throws -> PNGImage {
    try ViewsTests.roundTrip(CPPNPicture.render(CPPN(settings: s), size: size), name: name)
}

@Suite("CPPN images")
struct CPPNRenderTests {
    @Test("small weights (±1/√fan-in) give a nearly uniform grey; σ = 1 or ±3/√fan-in give structure")
    func greyVersusStructured() throws {
        let small = ImageIntricacy(rgb: rgb(try picture(settings(initializer: .uniform, scale: 1), size: 64, name: "cppn-small.png")), size: 64)
        let normal = ImageIntricacy(rgb: rgb(try picture(settings(), size: 64, name: "cppn-normal.png")), size: 64)
        let uniform3 = ImageIntricacy(rgb: rgb(try picture(settings(initializer: .uniform, scale: 3), size: 64, name: "cppn-u3.png")), size: 64)
        #expect(small.standardDeviation < 1.5 / 255, "small weights: \(small)")
        let grey = try picture(settings(initializer: .uniform, scale: 1), size: 64, name: "cppn-small.png").pixel(x: 10, y: 50)
        #expect(abs(Int(grey.red) - 128) <= 3 && abs(Int(grey.green) - 128) <= 3 && abs(Int(grey.blue) - 128) <= 3)
        #expect(normal.standardDeviation > 0.15, "σ = 1: \(normal)")
        #expect(uniform3.standardDeviation > 20 * max(small.standardDeviation, 0.5 / 255), "±3/√fan-in: \(uniform3)")
    }

    @Test("depth beats width at a similar weight count: 8 × 16 is more intricate than 2 × 40 for every seed")
    func depthBeatsWidth() throws {
        let deep = settings(width: 16, depth: 8), wide = settings(width: 40, depth: 2)
        #expect(abs(Double(deep.parameterCount) / Double(wide.parameterCount) - 1) < 0.05)
        var ratios: [Double] = []
        for seed: UInt64 in 1...5 {
            var d = deep, w = wide
            d.seed = seed
            w.seed = seed
            let a = ImageIntricacy(rgb: rgb(try picture(d, size: 96, name: "cppn-deep-\(seed).png")), size: 96)
            let b = ImageIntricacy(rgb: rgb(try picture(w, size: 96, name: "cppn-wide-\(seed).png")), size: 96)
            #expect(a.meanGradient > b.meanGradient && a.crossings > b.crossings, "seed \(seed): deep \(a), wide \(b)")
            ratios.append(a.meanGradient / b.meanGradient)
        }
        #expect(ratios.reduce(0, +) / Double(ratios.count) > 2, "mean |∇| ratio deep/wide: \(ratios)")
    }

    @Test("zoom scales the coordinates: zoom 1 at N px is the centre N × N of zoom 2 at 2N px")
    func zoom() throws {
        let n = 48
        let one = try picture(settings(zoom: 1), size: n, name: "cppn-zoom1.png")
        let two = try picture(settings(zoom: 2), size: 2 * n, name: "cppn-zoom2.png")
        var worst = 0
        for y in 0..<n {
            for x in 0..<n {
                let a = one.pixel(x: x, y: y), b = two.pixel(x: x + n / 2, y: y + n / 2)
                worst = max(worst, abs(Int(a.red) - Int(b.red)), abs(Int(a.green) - Int(b.green)), abs(Int(a.blue) - Int(b.blue)))
            }
        }
        #expect(worst <= 1, "largest channel difference \(worst)")
        // And the zoom-2 image is not just the zoom-1 image: its border shows more of the plane.
        let corner = two.pixel(x: 0, y: 0), plain = one.pixel(x: 0, y: 0)
        #expect(corner != plain)
    }

    @Test("the same seed gives the same bytes; another seed another image")
    func determinism() throws {
        let a = try CPPNPicture.render(CPPN(settings: settings(seed: 4)), size: 40).pngData()
        let b = try CPPNPicture.render(CPPN(settings: settings(seed: 4)), size: 40).pngData()
        let c = try CPPNPicture.render(CPPN(settings: settings(seed: 5)), size: 40).pngData()
        #expect(a == b && a != c)
    }

    @Test("frames: a z loop and a scale sweep write numbered PNGs and a manifest ganlab video can read")
    func frames() throws {
        let folder = try Oracle.outputDirectory().appendingPathComponent("cppn-frames-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let s = settings(width: 8, depth: 4)
        let loop = try FrameSequences.renderCPPN(s, name: "test", sweep: .z, frames: 6, size: 32, into: folder + "/z")
        let manifest = try FrameManifest.read(from: loop.manifestPath)
        #expect(manifest == loop.manifest && manifest.count == 6 && manifest.filePattern == "%05d.png")
        #expect(manifest.parameters["sequence"] == "cppn" && manifest.parameters["sweep"] == "z")
        #expect(manifest.frames.map(\.time) == (0..<6).map { Double($0) / 6 })
        #expect(manifest.frames[0].latent == CPPN(settings: s).latentLoop.a.map(Double.init))
        // Frame 0 is the still image.
        let still = try ViewsTests.roundTrip(CPPNPicture.render(CPPN(settings: s), size: 32), name: "cppn-still.png")
        let first = try PNGImage(contentsOf: folder + "/z/00000.png"), later = try PNGImage(contentsOf: folder + "/z/00003.png")
        #expect((0..<32).allSatisfy { still.pixel(x: $0, y: 7) == first.pixel(x: $0, y: 7) })
        #expect((0..<32).contains { first.pixel(x: $0, y: 7) != later.pixel(x: $0, y: 7) })

        let sweep = try FrameSequences.renderCPPN(s, name: "test", sweep: .scale, frames: 4, size: 32, into: folder + "/scale")
        let scales: [Double?] = [0, 1.0 / 3, 2.0 / 3, 1]
        #expect(sweep.manifest.frames.map(\.scale) == scales)
        let grey = try PNGImage(contentsOf: folder + "/scale/00000.png")
        #expect(grey.pixel(x: 5, y: 20) == RGBA8(red: 128, green: 128, blue: 128) && grey.pixel(x: 30, y: 2) == grey.pixel(x: 5, y: 20))
        let last = try PNGImage(contentsOf: folder + "/scale/00003.png")
        #expect((0..<32).allSatisfy { still.pixel(x: $0, y: 20) == last.pixel(x: $0, y: 20) })

        var xy = s
        xy.inputs = .xy
        #expect(throws: (any Error).self) { try FrameSequences.renderCPPN(xy, name: "t", sweep: .z, frames: 3, size: 32, into: folder + "/bad") }
    }
}
