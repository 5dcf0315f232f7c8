import Foundation
import GANLabEngine
import Testing

@testable import GANLabCore

// MARK: - Φ and Φ⁻¹

@Suite("Normal distribution")
struct NormalDistributionTests {
    @Test("Φ⁻¹ matches reference values to ~1e-15 relative")
    func quantileReferenceValues() {
        let cases: [(p: Double, x: Double)] = [
            (0.975, 1.959963984540054),
            (1e-10, -6.361340902404056),
            (0.5, 0),
            (0.025, -1.959963984540054),
            (0.8, 0.8416212335729142),
            (1e-300, -37.0470962993612),
        ]
        for (p, x) in cases {
            let q = normalQuantile(p)
            #expect(abs(q - x) <= 2e-15 * max(1, abs(x)), "Φ⁻¹(\(p)) = \(q), expected \(x)")
        }
    }

    @Test("Φ matches reference values, including far tails")
    func cdfReferenceValues() {
        #expect(abs(normalCDF(1.96) - 0.9750021048517795) < 1e-15)
        #expect(normalCDF(0) == 0.5)
        let tail = normalCDF(-10)
        #expect(abs(tail - 7.619853024160526e-24) < 1e-14 * 7.62e-24)
        #expect(normalCDF(-37) > 0 && normalCDF(-37) < 1e-298)
    }

    @Test("Φ(Φ⁻¹(p)) = p across the range, and Φ⁻¹ is odd about ½")
    func roundTrip() {
        for exponent in stride(from: -300.0, through: -1, by: 7) {
            let p = pow(10, exponent)
            #expect(abs(normalCDF(normalQuantile(p)) - p) <= 1e-11 * p, "p = \(p)")
        }
        for k in 1...52 {
            let p = Double.ulpOfOne * pow(2, Double(52 - k))  // 2⁻ᵏ, so 1 − p is exact
            #expect(normalQuantile(p) == -normalQuantile(1 - p), "k = \(k)")
        }
        for p in stride(from: 0.01, to: 1, by: 0.01) {
            #expect(abs(normalCDF(normalQuantile(p)) - p) <= 1e-15)
        }
    }

    @Test("edge cases: 0, 1, outside [0, 1]")
    func edges() {
        #expect(normalQuantile(0) == -.infinity)
        #expect(normalQuantile(1) == .infinity)
        #expect(normalQuantile(-0.1).isNaN)
        #expect(normalQuantile(1.5).isNaN)
        #expect(normalQuantile(.nan).isNaN)
    }
}

// MARK: - Problem definitions

@Suite("ToyProblem definitions")
struct ToyProblemDefinitionTests {
    @Test("priors, latent sizes and extents follow docs/METRICS.md §1 and §3")
    func priorsAndExtents() {
        #expect(ToyProblem(.spiral).prior == .uniformBox)
        #expect(ToyProblem(.uniformToNormal).prior == .uniformBox)
        #expect(ToyProblem(.eightGaussians).latentDimension == 10)
        for kind in [ProblemKind.ring8, .ring8PacGAN, .grid25] {
            #expect(ToyProblem(kind).prior == .gaussian)
            #expect(ToyProblem(kind).latentDimension == 2)
        }
        #expect(ToyProblem(.spiral).extent == 1)
        #expect(ToyProblem(.eightGaussians).extent == 3)
        #expect(ToyProblem(.uniformToNormal).extent == 3)
        for kind in ProblemKind.builtIn {
            #expect(!ToyProblem(kind).description.isEmpty)
            #expect(!ToyProblem(kind).description.contains("\n"))
        }
    }

    @Test("Target sampling split into the serial draw and the per-row map gives sampleTargets' values and leaves the stream where it does")
    func splitTargetSampling() {
        for kind in ProblemKind.builtIn {
            let problem = ToyProblem(kind)
            #expect(problem.splitsTargetSampling)
            let count = 37
            var whole = RandomSource(seed: 11), split = RandomSource(seed: 11)
            let expected = problem.sampleTargets(count: count, using: &whole)
            var latents = [Double](repeating: .nan, count: 3 * count)
            var samples = [Float](repeating: .nan, count: 2 * count)
            latents.withUnsafeMutableBufferPointer { l in
                problem.drawTargetLatents(count: count, into: l.baseAddress!, using: &split)
                samples.withUnsafeMutableBufferPointer { out in
                    // In three uneven parts, as a team's shares would take them.
                    for rows in [0..<5, 5..<20, 20..<count] {
                        problem.mapTargetLatents(rows: rows, from: l.baseAddress!, into: out.baseAddress!)
                    }
                }
            }
            #expect(samples == expected, "\(kind)")
            #expect(whole.nextUnitDouble() == split.nextUnitDouble(), "\(kind): the stream moved on alike")
        }
    }

    @Test("mixtures: centres at angles 2πk/8 (8 distinct), σ, grid {−4,…,4}²")
    func mixtures() throws {
        let ring = try #require(ToyProblem(.ring8).mixture)
        #expect(ring.sigma == 0.02)
        #expect(ring.centres.count == 8)
        for (k, c) in ring.centres.enumerated() {
            let angle = 2 * Double.pi * Double(k) / 8
            #expect(abs(c.x - 2 * cos(angle)) < 1e-15 && abs(c.y - 2 * sin(angle)) < 1e-15)
        }
        let minimumGap = ring.centres.indices.flatMap { i in
            ring.centres.indices.filter { $0 > i }.map { j in length(ring.centres[i] - ring.centres[j]) }
        }.min() ?? 0
        #expect(minimumGap > 1.5, "all 8 ring modes distinct (the linspace mistake gives 7)")
        let pacgan = try #require(ToyProblem(.ring8PacGAN).mixture)
        #expect(pacgan.sigma == 0.01 && abs(length(pacgan.centres[3]) - 1) < 1e-15)
        let eight = try #require(ToyProblem(.eightGaussians).mixture)
        #expect(eight.sigma == 0.2 && eight.centres == ring.centres)
        let grid = try #require(ToyProblem(.grid25).mixture)
        #expect(grid.sigma == 0.05)
        let coordinates: [Double] = [-4, -2, 0, 2, 4]
        var expected = Set<String>()
        for x in coordinates { for y in coordinates { expected.insert("\(x),\(y)") } }
        #expect(Set(grid.centres.map { "\($0.x),\($0.y)" }) == expected)
        #expect(ToyProblem(.spiral).mixture == nil && ToyProblem(.uniformToNormal).mixture == nil)
    }
}

// MARK: - Oracles against their formulas (docs/METRICS.md §1, §3)

@Suite("ToyProblem oracles")
struct ToyProblemOracleTests {
    @Test("spiral: radius and angle of f(z)", arguments: [(0.5, -0.2), (-0.9, 0.7), (0.0, 0.0), (0.99, -0.99)])
    func spiral(z0: Double, z1: Double) {
        let x = ToyProblem(.spiral).oracle([z0, z1])
        let r = 0.05 + 0.90 * (z0 + 1) / 2 + 0.05 * z1
        let theta = 3 * Double.pi * z0
        #expect(abs(length(x) - r) < 1e-14)
        #expect(abs(x.x - r * cos(theta)) < 1e-14 && abs(x.y - r * sin(theta)) < 1e-14)
    }

    @Test("eight-gaussians: x = 0.2·n + 2·(cos 2πk/8, sin 2πk/8)", arguments: 0..<8)
    func eightGaussians(k: Int) {
        var z = [0.5, -1.25] + [Double](repeating: 0, count: 8)
        z[2 + k] = 1
        let x = ToyProblem(.eightGaussians).oracle(z)
        let angle = 2 * Double.pi * Double(k) / 8
        #expect(abs(x.x - (0.2 * 0.5 + 2 * cos(angle))) < 1e-14)
        #expect(abs(x.y - (0.2 * -1.25 + 2 * sin(angle))) < 1e-14)
        let floats = z.map(Float.init)
        let fromFloats = floats.withUnsafeBufferPointer { ToyProblem(.eightGaussians).oracle($0) }
        #expect(length(fromFloats - x) < 1e-6)
    }

    @Test("uniform-to-normal: x_i = Φ⁻¹((z_i + 1)/2), finite at the box edges")
    func uniformToNormal() {
        let problem = ToyProblem(.uniformToNormal)
        let x = problem.oracle([0.95, -0.5])
        #expect(abs(x.x - 1.959963984540054) < 1e-12)
        #expect(abs(x.y - normalQuantile(0.25)) < 1e-15)
        let edge = problem.oracle([-1, 1])
        #expect(edge.x.isFinite && edge.y.isFinite && edge.x < -8 && edge.y > 8)
    }

    @Test("preset oracles stay finite at the origin and on sector boundaries")
    func presetsFinite() {
        for kind in [ProblemKind.ring8, .ring8PacGAN, .grid25] {
            for z in [[0.0, 0.0], [1.0, 0.0], [0.0, -1.0], [1.0, 1.0], [-40.0, 40.0], [0.0, 1e-300]] {
                let x = ToyProblem(kind).oracle(z)
                #expect(x.x.isFinite && x.y.isFinite, "\(kind) at \(z)")
            }
        }
    }
}

// MARK: - Helpers shared by the sampling tests

private func length(_ v: SIMD2<Double>) -> Double { (v * v).sum().squareRoot() }

/// Samples as SIMD2<Double> rows.
private func targetPoints(_ kind: ProblemKind, count: Int, seed: UInt64) -> [SIMD2<Double>] {
    var rng = RandomSource(seed: seed)
    let flat = ToyProblem(kind).sampleTargets(count: count, using: &rng)
    return (0..<count).map { SIMD2(Double(flat[2 * $0]), Double(flat[2 * $0 + 1])) }
}

// MARK: - Samplers

@Suite("ToyProblem samplers")
struct ToyProblemSamplingTests {
    @Test("latent rows: uniform box in [−1, 1), eight-gaussians one-hot after (n₀, n₁)")
    func latentLayout() {
        var rng = RandomSource(seed: 7)
        let box = ToyProblem(.spiral).sampleLatents(count: 1_000, using: &rng)
        #expect(box.count == 2_000 && box.allSatisfy { $0 >= -1 && $0 <= 1 })
        let eight = ToyProblem(.eightGaussians).sampleLatents(count: 800, using: &rng)
        var used = Set<Int>()
        for row in 0..<800 {
            let oneHot = eight[(10 * row + 2)..<(10 * row + 10)]
            #expect(oneHot.filter { $0 == 1 }.count == 1 && oneHot.filter { $0 == 0 }.count == 7)
            used.insert(oneHot.firstIndex(of: 1).map { $0 - 10 * row - 2 } ?? -1)
        }
        #expect(used == Set(0..<8))
    }

    @Test("targets are the oracle of the latents drawn from the same stream")
    func targetsAreOracleOfLatents() {
        for kind in [ProblemKind.spiral, .eightGaussians, .uniformToNormal] {
            let problem = ToyProblem(kind)
            var a = RandomSource(seed: 11)
            var b = RandomSource(seed: 11)
            let latents = problem.sampleLatents(count: 200, using: &a)
            let targets = problem.sampleTargets(count: 200, using: &b)
            #expect(a == b, "both consume the generator identically")
            var mapped = [Float](repeating: 0, count: 400)
            latents.withUnsafeBufferPointer { z in
                mapped.withUnsafeMutableBufferPointer { problem.applyOracle(latents: z, count: 200, into: $0) }
            }
            let worst = zip(mapped, targets).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-4, "\(kind): latent rounding to Float only")
        }
    }

    @Test("uniform-to-normal: both marginals of 5,000 samples pass KS against Φ")
    func uniformToNormalKS() {
        let n = 5_000
        let points = targetPoints(.uniformToNormal, count: n, seed: 3)
        for coordinate in 0..<2 {
            let sorted = points.map { $0[coordinate] }.sorted()
            var d = 0.0
            for (i, x) in sorted.enumerated() {
                let f = normalCDF(x)
                d = max(d, abs(Double(i + 1) / Double(n) - f), abs(f - Double(i) / Double(n)))
            }
            #expect(d < 1.358 / Double(n).squareRoot(), "coordinate \(coordinate): D = \(d)")
        }
    }

    @Test("ring8: 8 modes, each ≈ 1/8 of 8,000 samples, HQ ≈ 98.9 %")
    func ring8Modes() throws {
        let mixture = try #require(ToyProblem(.ring8).mixture)
        let n = 8_000
        var counts = [Int](repeating: 0, count: 8)
        var highQuality = 0
        for x in targetPoints(.ring8, count: n, seed: 5) {
            let j = mixture.nearestCentre(to: x)
            counts[j] += 1
            if length(x - mixture.centres[j]) <= 3 * mixture.sigma { highQuality += 1 }
        }
        #expect(counts.allSatisfy { $0 > 0 })
        #expect(counts.allSatisfy { abs($0 - n / 8) < 150 }, "\(counts)")  // ≈ 5 binomial s.d.
        let hq = Double(highQuality) / Double(n)
        #expect(abs(hq - (1 - exp(-4.5))) < 0.006, "HQ = \(hq)")
    }

    @Test("grid25: all 25 cells used")
    func grid25Cells() throws {
        let mixture = try #require(ToyProblem(.grid25).mixture)
        let used = Set(targetPoints(.grid25, count: 5_000, seed: 9).map { mixture.nearestCentre(to: $0) })
        #expect(used.count == 25)
    }

    @Test("preset oracles are measure-preserving: per-mode mean μ_k and covariance σ²I",
          arguments: [ProblemKind.ring8, .ring8PacGAN, .grid25])
    func measurePreserving(kind: ProblemKind) throws {
        let mixture = try #require(ToyProblem(kind).mixture)
        let modes = mixture.centres.count
        var sum = [SIMD2<Double>](repeating: .zero, count: modes)
        var squares = [SIMD2<Double>](repeating: .zero, count: modes)
        var cross = [Double](repeating: 0, count: modes)
        var counts = [Int](repeating: 0, count: modes)
        for x in targetPoints(kind, count: 40_000, seed: 13) {
            let j = mixture.nearestCentre(to: x)
            let d = (x - mixture.centres[j]) / mixture.sigma
            sum[j] += d; squares[j] += d * d; cross[j] += d.x * d.y; counts[j] += 1
        }
        for j in 0..<modes {
            let m = Double(counts[j])
            let mean = sum[j] / m
            let variance = squares[j] / m - mean * mean
            let covariance = cross[j] / m - mean.x * mean.y
            let tolerance = 5 / m.squareRoot()  // ≈ 5 standard errors in units of σ
            #expect(abs(mean.x) < tolerance && abs(mean.y) < tolerance, "mode \(j) mean \(mean)")
            #expect(abs(variance.x - 1) < 2 * tolerance && abs(variance.y - 1) < 2 * tolerance,
                    "mode \(j) variance \(variance)")
            #expect(abs(covariance) < tolerance, "mode \(j) covariance \(covariance)")
        }
    }

    @Test("determinism: same seed, same samples; another seed, other samples")
    func determinism() {
        for kind in ProblemKind.builtIn {
            var a = RandomSource(seed: 42), b = RandomSource(seed: 42), c = RandomSource(seed: 43)
            let problem = ToyProblem(kind)
            #expect(problem.sampleTargets(count: 100, using: &a) == problem.sampleTargets(count: 100, using: &b))
            #expect(problem.sampleLatents(count: 100, using: &a) == problem.sampleLatents(count: 100, using: &b))
            #expect(problem.sampleTargets(count: 100, using: &c) != problem.sampleTargets(count: 100, using: &b))
        }
    }
}
