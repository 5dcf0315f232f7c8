import Foundation
import Testing
import GANLabEngine
import GANLabTestSupport

@testable import GANLabCore

@Suite("Precision, recall, density and coverage")
struct ManifoldMetricsTests {
    /// The four metrics from their definitions, with k-th neighbour distances found by sorting.
    static func direct(_ x: [SIMD2<Double>], _ y: [SIMD2<Double>]) -> (Double, Double, Double, Double) {
        func dist(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double { ((a - b) * (a - b)).sum().squareRoot() }
        func radius(_ s: [SIMD2<Double>], _ i: Int, _ k: Int) -> Double {
            s.indices.filter { $0 != i }.map { dist(s[$0], s[i]) }.sorted()[k - 1]
        }
        let rx3 = x.indices.map { radius(x, $0, 3) }, ry3 = y.indices.map { radius(y, $0, 3) }
        let rx5 = x.indices.map { radius(x, $0, 5) }
        let precision = Double(y.filter { q in x.indices.contains { dist(x[$0], q) <= rx3[$0] } }.count) / Double(y.count)
        let recall = Double(x.filter { p in y.indices.contains { dist(y[$0], p) <= ry3[$0] } }.count) / Double(x.count)
        let density = Double(y.map { q in x.indices.filter { dist(x[$0], q) <= rx5[$0] }.count }.reduce(0, +)) / Double(5 * y.count)
        let coverage = Double(x.indices.filter { i in y.contains { dist(x[i], $0) <= rx5[i] } }.count) / Double(x.count)
        return (precision, recall, density, coverage)
    }

    @Test("equal to a direct implementation of the definitions on small random sets")
    func matchesDefinitions() {
        var rng = RandomSource(seed: 12)
        for (n, m) in [(12, 9), (30, 40), (25, 25)] {
            let xf = (0..<(2 * n)).map { _ in Float(rng.nextGaussian()) }
            let yf = (0..<(2 * m)).map { _ in Float(rng.nextGaussian() * 1.4 + 0.3) }
            let metrics = ManifoldMetrics(reference: xf, generated: yf)
            let (p, r, d, c) = Self.direct(ManifoldMetrics.points(xf), ManifoldMetrics.points(yf))
            #expect(abs(metrics.precision - p) < 1e-12 && abs(metrics.recall - r) < 1e-12, "\(n)×\(m)")
            #expect(abs(metrics.density - d) < 1e-12 && abs(metrics.coverage - c) < 1e-12, "\(n)×\(m)")
        }
    }

    @Test("true samples against true samples: density about 1, coverage about 1 − 2⁻⁵, precision and recall high")
    func trueSamples() {
        let problem = ToyProblem(.ring8)
        var a = RandomSource(seed: 1), b = RandomSource(seed: 2)
        let x = problem.sampleTargets(count: 2_000, using: &a), y = problem.sampleTargets(count: 2_000, using: &b)
        let m = ManifoldMetrics(reference: x, generated: y)
        // With Y drawn like X, each x_i's 5-ball holds a point of Y unless its 5 neighbours all come
        // first among the N − 1 + M others: coverage ≈ 1 − 2⁻⁵ = 0.969; density's expectation is 1.
        #expect(abs(m.coverage - 0.969) < 0.02, "coverage \(m.coverage)")
        #expect(abs(m.density - 1) < 0.08, "density \(m.density)")
        #expect(m.precision > 0.9 && m.recall > 0.9, "precision \(m.precision), recall \(m.recall)")
    }

    @Test("a generator that covers half of the modes: coverage and recall about ½, precision about 1")
    func halfTheModes() {
        let problem = ToyProblem(.ring8)
        var a = RandomSource(seed: 3), b = RandomSource(seed: 4)
        let x = problem.sampleTargets(count: 2_000, using: &a)
        // Samples of the same mixture kept only on the upper half plane: modes 1, 2, 3 and half of 0 and 4.
        let all = problem.sampleTargets(count: 8_000, using: &b)
        var y: [Float] = []
        for i in stride(from: 0, to: all.count, by: 2) where all[i + 1] > 0.5 && y.count < 4_000 { y += [all[i], all[i + 1]] }
        let m = ManifoldMetrics(reference: x, generated: y)
        let share = Double(stride(from: 1, to: x.count, by: 2).filter { x[$0] > 0.5 }.count) / Double(x.count / 2)
        #expect(abs(m.coverage - share) < 0.05, "coverage \(m.coverage), share of X in Y's modes \(share)")
        #expect(abs(m.recall - share) < 0.05, "recall \(m.recall)")
        #expect(m.precision > 0.95, "precision \(m.precision)")
    }
}
