import Testing
@testable import GANLabEngine

/// Fast kernels against naive references, and the optimizer and initialiser formulas.
@Suite("Kernels")
struct KernelTests {
    @Test("sgemm matches the naive product for every transpose combination",
          arguments: [(false, false), (true, false), (false, true), (true, true)])
    func gemm(transposes: (Bool, Bool)) {
        var rng = RandomSource(seed: 5)
        let (m, n, k) = (37, 23, 61)
        let a = (0..<(m * k)).map { _ in Float(rng.nextUniform(-1, 1)) }
        let b = (0..<(k * n)).map { _ in Float(rng.nextUniform(-1, 1)) }
        var c = [Float](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
            GEMM.multiply(ap.baseAddress!, transposeA: transposes.0, bp.baseAddress!, transposeB: transposes.1,
                          into: cp.baseAddress!, m: m, n: n, k: k)
        } } }
        let reference = GEMM.naiveMultiply(a, transposeA: transposes.0, b, transposeB: transposes.1, m: m, n: n, k: k)
        let worst = zip(c, reference).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-4)
    }

    @Test("MLP forward equals a naive per-sample evaluation (thin and wide layers)")
    func forwardMatchesNaive() {
        var rng = RandomSource(seed: 9)
        let sizes = [2, 16, 16, 2]
        let net = MLP(layerSizes: sizes, hidden: Activation(.leakyReLU, slope: 0.1), output: Activation(.tanh), maxBatch: 8)
        net.initialize(Initializer(.glorotUniform), using: &rng)
        for l in 0..<net.layerCount { for j in 0..<sizes[l + 1] { net.parameters[net.biasOffset(layer: l) + j] = Float(rng.nextUniform(-0.5, 0.5)) } }
        let x = (0..<16).map { _ in Float(rng.nextUniform(-1, 1)) }
        let fast = net.predict(x, count: 8)
        let p = Array(net.parameters)
        for r in 0..<8 {
            var a = [Double](x[(r * 2)..<(r * 2 + 2)].map(Double.init))
            for l in 0..<net.layerCount {
                let (fi, fo) = (sizes[l], sizes[l + 1])
                var z = [Double](repeating: 0, count: fo)
                for j in 0..<fo {
                    var s = Double(p[net.biasOffset(layer: l) + j])
                    for i in 0..<fi { s += a[i] * Double(p[net.weightOffset(layer: l) + i * fo + j]) }
                    z[j] = l == net.layerCount - 1 ? tanh(s) : (s > 0 ? s : 0.1 * s)
                }
                a = z
            }
            for j in 0..<2 { #expect(abs(Double(fast[r * 2 + j]) - a[j]) < 1e-5) }
        }
    }

    @Test("Adam follows the Keras formula step by step")
    func adamMatchesFormula() {
        let opt = Optimizer(kind: .adam, parameterCount: 3, learningRate: 1e-3, beta1: 0.5, beta2: 0.999, epsilon: 1e-7)
        var theta: [Float] = [0.5, -0.25, 1.0]
        var ref = theta.map(Double.init)
        var m = [Double](repeating: 0, count: 3), v = m
        let grads: [[Float]] = [[0.1, -0.2, 0.3], [0.05, 0.4, -0.1], [-0.3, 0.0, 0.2]]
        for (t, g) in grads.enumerated() {
            var gc = g
            theta.withUnsafeMutableBufferPointer { tp in gc.withUnsafeMutableBufferPointer { opt.update(parameters: tp, gradients: $0) } }
            let step = Double(t + 1)
            let alpha = 1e-3 * (1 - pow(0.999, step)).squareRoot() / (1 - pow(0.5, step))
            for i in 0..<3 {
                m[i] = 0.5 * m[i] + 0.5 * Double(g[i])
                v[i] = 0.999 * v[i] + 0.001 * Double(g[i]) * Double(g[i])
                ref[i] -= alpha * m[i] / (v[i].squareRoot() + 1e-7)
            }
        }
        for i in 0..<3 { #expect(abs(Double(theta[i]) - ref[i]) < 1e-6) }
        #expect(opt.step == 3)
    }

    @Test("SGD is θ − lr·g")
    func sgd() {
        let opt = Optimizer(kind: .sgd, parameterCount: 2, learningRate: 0.5)
        var theta: [Float] = [1, 2], g: [Float] = [0.5, -1]
        theta.withUnsafeMutableBufferPointer { tp in g.withUnsafeMutableBufferPointer { opt.update(parameters: tp, gradients: $0) } }
        #expect(theta == [0.75, 2.5])
    }

    @Test("Initialisers have the published scales", arguments: InitKind.allCases)
    func initScales(kind: InitKind) {
        var rng = RandomSource(seed: 1)
        let (fanIn, fanOut) = (200, 300)
        var w = [Float](repeating: 0, count: fanIn * fanOut)
        w.withUnsafeMutableBufferPointer { Initializer(kind, scale: 2).fill($0, fanIn: fanIn, fanOut: fanOut, using: &rng) }
        let variance = w.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(w.count)
        let expected: Double
        switch kind {
        case .glorotUniform: expected = 4 * (6.0 / 500) / 3      // (scale·a)²/3
        case .he: expected = 4 * 2.0 / 200
        case .normal: expected = 4
        case .uniform: expected = 4 / 200.0 / 3
        }
        #expect(abs(variance / expected - 1) < 0.03, "\(kind): variance \(variance), expected \(expected)")
    }

    @Test("RandomSource is deterministic and its uniforms and normals have the right moments")
    func randomSource() {
        var a = RandomSource(seed: 42), b = RandomSource(seed: 42)
        #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
        var r = RandomSource(seed: 1)
        let n = 100_000
        let u = (0..<n).map { _ in r.nextUnitDouble() }
        let g = (0..<n).map { _ in r.nextGaussian() }
        #expect(abs(u.reduce(0, +) / Double(n) - 0.5) < 0.005)
        let mean = g.reduce(0, +) / Double(n)
        let variance = g.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        #expect(abs(mean) < 0.01 && abs(variance - 1) < 0.02)
        let restored = RandomSource(state: r.state)
        #expect(restored == r)
    }
}

#if canImport(Glibc)
import Glibc
#endif
