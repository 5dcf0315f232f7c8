import Testing
@testable import GANLabEngine

/// Finite-difference checks of every hand-written backward pass.
@Suite("Gradient checks")
struct GradientCheckTests {
    /// L(θ, x) = Σ cᵢ·outᵢ for fixed random c, so ∂L/∂out = c.
    private func loss(_ net: MLP, inputs: [Float], batch: Int, weights c: [Float]) -> Double {
        let out = net.predict(inputs, count: batch)
        return zip(out, c).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// |numeric − analytic| relative to the largest gradient of the set: Float round-off in the
    /// forward pass puts a floor of ~1e-4 under central differences, so tiny entries are judged
    /// against the set's scale, not their own.
    private func scaledError(_ numeric: Double, _ analytic: Double, scale: Double) -> Double {
        abs(numeric - analytic) / max(scale, 1e-3)
    }

    static let shapes: [[Int]] = [[2, 6, 7, 1], [5, 6, 3], [10, 8, 2], [3, 4], [6, 9, 5]]

    @Test("MLP weight and input gradients match central differences",
          arguments: ActivationKind.allCases, shapes)
    func mlpGradients(activation: ActivationKind, sizes: [Int]) throws {
        try checkGradients(activation: activation, sizes: sizes, kernels: .fixed)
    }

    /// The kernel planner can give any product of any shape to OpenBLAS instead of the tiles.
    @Test("MLP gradients match central differences with every product on OpenBLAS", arguments: shapes)
    func mlpGradientsOpenBLAS(sizes: [Int]) throws {
        let shapes = zip(sizes, sizes.dropFirst()).map { KernelPlan.Shape($0, $1) }
        for activation in [ActivationKind.leakyReLU, .tanh] {
            try checkGradients(activation: activation, sizes: sizes, kernels: .rule(blasFrom: 1, shapes: shapes))
        }
    }

    private func checkGradients(activation: ActivationKind, sizes: [Int], kernels: KernelPlan) throws {
        var rng = RandomSource(seed: 7)
        let batch = 5
        let net = MLP(layerSizes: sizes, hidden: Activation(activation, slope: 0.1),
                      output: Activation(activation == .identity ? .tanh : activation, slope: 0.2), maxBatch: batch,
                      kernels: kernels)
        net.initialize(Initializer(.glorotUniform, scale: 1.5), using: &rng)
        // Non-zero biases so every bias gradient is exercised.
        for l in 0..<net.layerCount {
            for j in 0..<sizes[l + 1] { net.parameters[net.biasOffset(layer: l) + j] = Float(rng.nextUniform(-0.3, 0.3)) }
        }
        let inputs = (0..<(batch * sizes[0])).map { _ in Float(rng.nextUniform(-1, 1)) }
        let c = (0..<(batch * sizes.last!)).map { _ in Float(rng.nextUniform(-1, 1)) }

        // Analytic.
        for i in inputs.indices { net.input[i] = inputs[i] }
        net.forward(batch: batch)
        c.withUnsafeBufferPointer { net.backward(outputGradient: $0.baseAddress!, batch: batch, weightGradients: true, inputGradient: true) }
        let analytic = Array(net.gradients)
        let analyticInput = Array(net.inputGradient.prefix(batch * sizes[0]))

        // Numeric, central differences.
        let h: Float = 2e-3
        let scale = analytic.map { abs(Double($0)) }.max() ?? 0
        let inputScale = analyticInput.map { abs(Double($0)) }.max() ?? 0
        var worst = 0.0
        for p in 0..<net.parameterCount {
            let saved = net.parameters[p]
            net.parameters[p] = saved + h
            let up = loss(net, inputs: inputs, batch: batch, weights: c)
            net.parameters[p] = saved - h
            let down = loss(net, inputs: inputs, batch: batch, weights: c)
            net.parameters[p] = saved
            let numeric = (up - down) / (2 * Double(h))
            worst = max(worst, scaledError(numeric, Double(analytic[p]), scale: scale))
        }
        #expect(worst < 2e-3, "worst parameter gradient error \(worst)")

        var worstInput = 0.0
        for i in inputs.indices {
            var plus = inputs, minus = inputs
            plus[i] += h; minus[i] -= h
            let numeric = (loss(net, inputs: plus, batch: batch, weights: c) - loss(net, inputs: minus, batch: batch, weights: c)) / (2 * Double(h))
            worstInput = max(worstInput, scaledError(numeric, Double(analyticInput[i]), scale: inputScale))
        }
        #expect(worstInput < 2e-3, "worst input gradient error \(worstInput)")
    }

    @Test("Backward without weight gradients leaves them untouched and still gives input gradients")
    func frozenBackward() {
        var rng = RandomSource(seed: 3)
        let net = MLP(layerSizes: [2, 8, 8, 1], hidden: Activation(.leakyReLU), output: Activation(.identity), maxBatch: 4)
        net.initialize(Initializer(.glorotUniform), using: &rng)
        for i in 0..<8 { net.input[i] = Float(rng.nextUniform(-1, 1)) }
        net.forward(batch: 4)
        let ones = [Float](repeating: 1, count: 4)
        ones.withUnsafeBufferPointer { net.backward(outputGradient: $0.baseAddress!, batch: 4, weightGradients: true, inputGradient: true) }
        let full = Array(net.inputGradient.prefix(8))
        for i in 0..<net.parameterCount { net.gradients[i] = 42 }
        net.forward(batch: 4)
        ones.withUnsafeBufferPointer { net.backward(outputGradient: $0.baseAddress!, batch: 4, weightGradients: false, inputGradient: true) }
        #expect(net.gradients.allSatisfy { $0 == 42 })
        #expect(Array(net.inputGradient.prefix(8)) == full)
    }

    @Test("GAN losses: value and gradient match central differences", arguments: GANLossKind.allCases)
    func lossGradients(kind: GANLossKind) {
        var rng = RandomSource(seed: 11)
        let n = 9, realCount = 4
        // Keep hinge logits away from its kinks at ±1.
        var logits = (0..<n).map { _ in Float(rng.nextUniform(-3, 3)) }
        for i in logits.indices where abs(abs(logits[i]) - 1) < 0.05 { logits[i] += 0.2 }
        let loss = GANLoss(kind)
        var grad = [Float](repeating: 0, count: n)
        func dLoss(_ l: [Float]) -> Double {
            var g = [Float](repeating: 0, count: n)
            return l.withUnsafeBufferPointer { lp in g.withUnsafeMutableBufferPointer { loss.discriminator(logits: lp, realCount: realCount, gradient: $0) } }
        }
        func gLoss(_ l: [Float]) -> Double {
            var g = [Float](repeating: 0, count: n)
            return l.withUnsafeBufferPointer { lp in g.withUnsafeMutableBufferPointer { loss.generator(logits: lp, gradient: $0) } }
        }
        for (f, isD) in [(dLoss, true), (gLoss, false)] {
            _ = logits.withUnsafeBufferPointer { lp in
                grad.withUnsafeMutableBufferPointer { isD ? loss.discriminator(logits: lp, realCount: realCount, gradient: $0) : loss.generator(logits: lp, gradient: $0) }
            }
            for i in 0..<n {
                var up = logits, down = logits
                up[i] += 1e-3; down[i] -= 1e-3
                let numeric = (f(up) - f(down)) / 2e-3
                #expect(abs(numeric - Double(grad[i])) < 2e-4, "\(kind) \(isD ? "D" : "G") logit \(i): numeric \(numeric) analytic \(grad[i])")
            }
        }
    }

    @Test("Binary cross-entropy values match the textbook formula")
    func bceValues() {
        let logits: [Float] = [2, -1, 0.5, -3]
        var g = [Float](repeating: 0, count: 4)
        let value = logits.withUnsafeBufferPointer { lp in g.withUnsafeMutableBufferPointer { GANLoss(.nonSaturating).discriminator(logits: lp, realCount: 2, gradient: $0) } }
        func s(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        let expected = -(log(s(2)) + log(s(-1)) + log(1 - s(0.5)) + log(1 - s(-3))) / 4
        #expect(abs(value - expected) < 1e-9)
    }
}

#if canImport(Glibc)
import Glibc
#endif
