import Foundation
import GANLabCore
@_exported import GANLabTestSupport
@testable import GANLabRender

/// A tiny seeded generator (SplitMix64) so test data never touches the system RNG.
struct TestRNG {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Uniform in [−1, 1).
    mutating func symmetric() -> Double { 2 * unit() - 1 }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Double {
        let u = max(unit(), 1e-300), v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}

/// Test data built from the docs/METRICS.md §1 formulas (the oracle generator), independent of Core code.
enum Oracle {
    /// The spiral (docs/METRICS.md §1): r = 0.05 + 0.90·(z₀+1)/2 + 0.05·z₁, θ = 3π·z₀.
    static func spiral(_ z0: Double, _ z1: Double) -> (Double, Double) {
        let r = 0.05 + 0.90 * (z0 + 1) / 2 + 0.05 * z1
        let theta = 3 * Double.pi * z0
        return (r * cos(theta), r * sin(theta))
    }

    /// Eight Gaussians (docs/METRICS.md §1): x = 0.2·n + 2·(cos 2πk/8, sin 2πk/8).
    static func eightGaussians(_ n0: Double, _ n1: Double, _ k: Int) -> (Double, Double) {
        let angle = 2 * Double.pi * Double(k) / 8
        return (0.2 * n0 + 2 * cos(angle), 0.2 * n1 + 2 * sin(angle))
    }

    /// Spiral mapping data from given latents, with `targetCount` true samples from other latents.
    static func spiralData(latents: [Float], targetCount: Int, seed: UInt64 = 7) -> MappingData {
        var points: [Float] = []
        for i in 0..<(latents.count / 2) {
            let x = spiral(Double(latents[2 * i]), Double(latents[2 * i + 1]))
            points += [Float(x.0), Float(x.1)]
        }
        var rng = TestRNG(state: seed)
        var target: [Float] = []
        for _ in 0..<targetCount {
            let x = spiral(rng.symmetric(), rng.symmetric())
            target += [Float(x.0), Float(x.1)]
        }
        return MappingData(prior: .uniformBox, latentExtent: 1, sampleExtent: 1, latents: latents,
                           points: points, target: target, title: "spiral · oracle · test")
    }

    /// Random uniform latents.
    static func uniformLatents(_ count: Int, seed: UInt64) -> [Float] {
        var rng = TestRNG(state: seed)
        return (0..<(2 * count)).map { _ in Float(rng.symmetric()) }
    }

    /// Eight-gaussians mapping data with `count` probes and targets.
    static func eightGaussiansData(count: Int, seed: UInt64) -> MappingData {
        var rng = TestRNG(state: seed)
        var latents: [Float] = [], points: [Float] = [], target: [Float] = []
        for _ in 0..<count {
            let n0 = rng.normal(), n1 = rng.normal(), k = Int(rng.next() % 8)
            latents += [Float(n0), Float(n1)] + (0..<8).map { $0 == k ? 1 : 0 }
            let x = eightGaussians(n0, n1, k)
            points += [Float(x.0), Float(x.1)]
            let t = eightGaussians(rng.normal(), rng.normal(), Int(rng.next() % 8))
            target += [Float(t.0), Float(t.1)]
        }
        return MappingData(prior: .gaussianWithComponent(components: 8), latentExtent: 3, sampleExtent: 3,
                           latents: latents, points: points, target: target,
                           title: "eight-gaussians · oracle · test")
    }

    /// A fresh temporary directory, or `$GANLAB_PREVIEW_DIR` when set (to look at previews).
    static func outputDirectory() throws -> URL {
        if let preview = ProcessInfo.processInfo.environment["GANLAB_PREVIEW_DIR"] {
            let url = URL(fileURLWithPath: preview, isDirectory: true)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return url
        }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ganlab-render-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The shared tiny experiment (`GANLabTestSupport.tinyConfig`) with a trace frame every 10 steps.
func tinyRunConfig(_ problem: ProblemKind = .spiral, seed: UInt64, steps: Int, probes: Int,
                   logEvery: Int, snapshotEvery: Int) -> ExperimentConfig {
    tinyConfig(problem, seed: seed, steps: steps, probes: probes, frameEvery: 10, logEvery: logEvery,
               snapshotEvery: snapshotEvery)
}

/// Trains `config` into the run folder `path` (created) and returns the path.
@discardableResult
func trainTinyRun(_ config: ExperimentConfig, at path: String) throws -> String {
    _ = try TrainingSession.create(config: config, configYAML: config.yamlText, at: path).train()
    return path
}
