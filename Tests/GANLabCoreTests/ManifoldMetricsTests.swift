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
        let density = Double(y.map { q in x.indices.filter { dist(x[$0], q) < rx5[$0] }.count }.reduce(0, +)) / Double(5 * y.count)
        let coverage = Double(x.indices.filter { i in y.contains { dist(x[i], $0) < rx5[i] } }.count) / Double(x.count)
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

    /// 2,500 true samples of `problem`.
    static func truth(_ problem: ToyProblem) -> (inout RandomSource) -> [SIMD2<Double>] {
        { rng in ManifoldMetrics.points(problem.sampleTargets(count: 2_500, using: &rng)) }
    }

    @Test("noise floors agree with the published reference values (docs/METRICS.md §4.6) within sampling error", arguments: [
        (ProblemKind.ring8PacGAN, [0.975, 0.994, 0.974, 0.995, 0.874, 0.969]),
        (.grid25, [0.965, 0.987, 0.966, 0.985, -1, -1]),
        (.uniformToNormal, [0.980, 0.997, 0.980, 0.998, -1, -1]),
    ])
    func noiseFloors(_ kind: ProblemKind, _ expected: [Double]) {
        let problem = ToyProblem(kind)
        var measured: [Double] = []
        for k in [3, 5] {
            var p = 0.0, r = 0.0, c = 0.0
            for pair in 0..<3 {
                var a = RandomSource(seed: 100 + UInt64(pair)), b = RandomSource(seed: 200 + UInt64(pair))
                let m = ManifoldMetrics(reference: Self.truth(problem)(&a), generated: Self.truth(problem)(&b),
                                        precisionRecallK: k, densityCoverageK: k)
                p += m.precision / 3
                r += m.recall / 3
                c += m.coverage / 3
            }
            measured += [p, r, c]
        }
        // measured: P3 R3 C3 P5 R5 C5; expected: P3 P5 R3 R5 C3 C5.
        let pairs = [(measured[0], expected[0], "P3"), (measured[3], expected[1], "P5"), (measured[1], expected[2], "R3"),
                     (measured[4], expected[3], "R5"), (measured[2], expected[4], "C3"), (measured[5], expected[5], "C5")]
        for (value, reference, name) in pairs where reference >= 0 {
            // A mean over 3 pairs of 2,500-point sets has a standard error of about 0.002 (P, R at k = 5)
            // to 0.004 (C at k = 3); 0.008 is two of the largest.
            #expect(abs(value - reference) < 0.008, "\(kind.rawValue) \(name): \(value), published \(reference)")
        }
    }

    @Test("what moves: 10 % of the mass on the ring lowers precision and density to about .90; 4 of 8 modes halves recall and coverage")
    func whatMoves() {
        let ring = ToyProblem(.ring8PacGAN)
        var p5 = 0.0, d5 = 0.0, r5 = 0.0, c5 = 0.0
        for pair in 0..<3 {
            var a = RandomSource(seed: 300 + UInt64(pair)), b = RandomSource(seed: 400 + UInt64(pair))
            let x = Self.truth(ring)(&a)
            // Tearing: 2,250 true samples and 250 spread uniformly over the unit circle.
            var torn = Array(Self.truth(ring)(&b).prefix(2_250))
            torn += (0..<250).map { _ in
                let angle = 2 * Double.pi * b.nextUnitDouble()
                return SIMD2(cos(angle), sin(angle))
            }
            let t = ManifoldMetrics(reference: x, generated: torn, precisionRecallK: 5, densityCoverageK: 5)
            p5 += t.precision / 3
            d5 += t.density / 3
            // Collapse: 2,500 true samples of modes 0–3 only.
            var collapsed: [SIMD2<Double>] = []
            while collapsed.count < 2_500 {
                for point in Self.truth(ring)(&b) where collapsed.count < 2_500 {
                    let mode = ((atan2(point.y, point.x) / (2 * Double.pi) * 8).rounded() + 8).truncatingRemainder(dividingBy: 8)
                    if mode < 4 { collapsed.append(point) }
                }
            }
            let c = ManifoldMetrics(reference: x, generated: collapsed, precisionRecallK: 5, densityCoverageK: 5)
            r5 += c.recall / 3
            c5 += c.coverage / 3
        }
        #expect(abs(p5 - 0.904) < 0.008 && abs(d5 - 0.906) < 0.012, "P5 \(p5) (published .904), D5 \(d5) (.906)")
        #expect(abs(r5 - 0.499) < 0.012 && abs(c5 - 0.500) < 0.012, "R5 \(r5) (published .499), C5 \(c5) (.500)")
    }
}
