import Foundation
import GANLabEngine
import Testing
import GANLabTestSupport

@testable import GANLabCore

/// The package root, found from this file's path (Tests/GANLabCoreTests/CPPNTests.swift).

@Suite("CPPN presets and measures")
struct CPPNTests {
    let presets = CPPNLibrary(experiments: packageRoot.appendingPathComponent("experiments"))

    @Test("every preset in experiments/cppn loads, has a description and round-trips; GAN experiments never see them")
    func presetsLoad() throws {
        let names = presets.names()
        #expect(Set(["cppn-tanh-8x16", "cppn-halving", "cppn-deep-thin", "cppn-small-weights"]).isSubset(of: Set(names)))
        for entry in presets.entries() {
            #expect(entry.error == nil, "\(entry.name): \(entry.description)")
            #expect(!entry.description.isEmpty)
            let settings = try presets.load(entry.name)
            #expect(try CPPNSettings.load(yaml: settings.yamlText, file: "again.yaml") == settings, "\(entry.name) round trip")
        }
        let tanh = try presets.load("cppn-tanh-8x16")
        #expect(tanh.hidden == [Int](repeating: 16, count: 8) && tanh.activation == .tanh && tanh.initializer == .normal)
        #expect(try presets.load("cppn-halving").hidden == [128, 64, 32, 16, 8, 4])
        let experiments = try ExperimentLibrary(projectRoot: packageRoot).names()
        #expect(!experiments.contains { $0.hasPrefix("cppn") }, "experiments/*.yaml must stay GAN experiments: \(experiments)")
    }

    @Test("preset errors name the file, line and key, and say what to do")
    func presetErrors() {
        func error(_ yaml: String) -> ConfigError? {
            do { _ = try CPPNSettings.load(yaml: yaml, file: "bad.yaml"); return nil } catch { return error }
        }
        let unknown = error("width: 16\nactivaton: tanh\n")
        #expect(unknown?.kind == .unknownKey && unknown?.location == "bad.yaml:2")
        #expect(unknown?.description.contains("did you mean 'activation'") == true)
        #expect(error("activation: sine\n")?.kind == .unknownName)
        #expect(error("width: many\n")?.location == "bad.yaml:1")
        let both = error("width: 16\nhidden: [8, 8]\n")
        #expect(both?.kind == .outOfRange && both?.description.contains("not both") == true)
        let zoom = error("zoom: 0\n")
        #expect(zoom?.keyPath == "zoom" && zoom?.location == "bad.yaml:1")
        #expect(error("width: 0\n")?.location == "bad.yaml:1")
        #expect((try? presets.load("cppn-tanh-8x61")) == nil)
    }

    @Test("the network is the engine MLP: layer sizes, parameter count and a sigmoid RGB output in [0, 1]")
    func network() {
        var s = CPPNSettings()
        s.hidden = [5, 6]
        s.inputs = .xyrz
        s.latentSize = 3
        let cppn = CPPN(settings: s)
        #expect(cppn.network.layerSizes == [6, 5, 6, 3] && s.parameterCount == cppn.network.parameterCount)
        #expect(cppn.network.output == Activation(.sigmoid))
        let rgb = cppn.image(size: 9)
        #expect(rgb.count == 243 && rgb.allSatisfy { $0 >= 0 && $0 <= 1 })
        // Biases start at zero and x, y (and r) are symmetric: with z = 0 and xy inputs the
        // centre pixel of an odd-sized image is sigmoid(0) = ½ in every channel.
        s.inputs = .xy
        let centre = CPPN(settings: s).image(size: 9)[3 * 40..<(3 * 41)]
        #expect(centre.allSatisfy { abs($0 - 0.5) < 1e-6 })
        #expect(s.summary == "2 → 5 → 6 → 3, tanh, N(0, 1²) weights")
    }

    @Test("the latent loop is closed and passes through the still image's latent")
    func latentLoop() {
        let cppn = CPPN(settings: CPPNSettings())
        let a = cppn.latent(at: 0), b = cppn.latent(at: 1), quarter = cppn.latent(at: 0.25)
        #expect(a == cppn.latentLoop.a && zip(a, b).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(zip(quarter, cppn.latentLoop.b).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test("intricacy: flat image 0, a ramp has |∇| 1 and no crossings beyond one, stripes cross n times")
    func intricacy() {
        let n = 64
        let flat = ImageIntricacy(rgb: [Float](repeating: 0.5, count: 3 * n * n), size: n)
        #expect(flat.standardDeviation == 0 && flat.meanGradient == 0 && flat.crossings == 0)
        var ramp = [Float](repeating: 0, count: 3 * n * n)
        for j in 0..<n { for i in 0..<n { for c in 0..<3 { ramp[3 * (j * n + i) + c] = Float(i) / Float(n - 1) } } }
        let r = ImageIntricacy(rgb: ramp, size: n)
        #expect(abs(r.meanGradient - Double(n) / Double(n - 1)) < 1e-6)
        #expect(abs(r.crossings - 0.5) < 1e-9)  // each row crosses the mean once, columns never
        var stripes = [Float](repeating: 0, count: 3 * n * n)
        for j in 0..<n { for i in 0..<n { for c in 0..<3 { stripes[3 * (j * n + i) + c] = (i / 8) % 2 == 0 ? 0 : 1 } } }
        #expect(abs(ImageIntricacy(rgb: stripes, size: n).crossings - 3.5) < 1e-9)  // 7 crossings per row, 0 per column
    }
}
