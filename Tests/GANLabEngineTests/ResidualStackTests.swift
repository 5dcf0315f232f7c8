import Foundation
import Testing
@testable import GANLabEngine

/// The residual stack x_{k+1} = x_k + B_k(x_k): finite-difference gradient checks (and that the
/// check catches a wrong derivative), a naive reference, and the identity at initialisation.
@Suite("Residual stack")
struct ResidualStackTests {
    /// A stack with large hidden weights, non-zero hidden biases and exits big enough that the
    /// tanh and every skip connection matter.
    static func makeStack(_ activation: ActivationKind, blocks: Int = 4, sizes: [Int] = [2, 5, 4, 2],
                          batch: Int = 5, exitScale: Double = 0.6, seed: UInt64 = 21) -> ResidualStack {
        var rng = RandomSource(seed: seed)
        let stack = ResidualStack(blocks: blocks, blockSizes: sizes, hidden: Activation(activation, slope: 0.1),
                                  maxBatch: batch)
        stack.initialize(hidden: Initializer(.normal, scale: 0.8), hiddenBiasScale: 0.5,
                         exit: Initializer(.normal, scale: exitScale), using: &rng)
        return stack
    }

    /// x_K of every row and the smallest |pre-activation| of any hidden unit (the distance to the
    /// nearest ReLU kink), evaluated naively in Double from the flat parameters.
    static func naiveForward(_ stack: ResidualStack, _ inputs: [Float]) -> (outputs: [Double], nearestKink: Double) {
        let sizes = stack.blockSizes, p = Array(stack.parameters), shape = stack.blocks[0], last = sizes.count - 2
        var outputs: [Double] = [], nearest = Double.infinity
        for r in 0..<(inputs.count / 2) {
            var x = [Double(inputs[2 * r]), Double(inputs[2 * r + 1])]
            for k in 0..<stack.blockCount {
                var a = x
                for l in 0...last {
                    let base = stack.blockOffset(k)
                    a = (0..<sizes[l + 1]).map { j in
                        var z = Double(p[base + shape.biasOffset(layer: l) + j])
                        for i in 0..<sizes[l] { z += a[i] * Double(p[base + shape.weightOffset(layer: l) + i * sizes[l + 1] + j]) }
                        if l == last { return tanh(z) }
                        nearest = min(nearest, abs(z))
                        return Double(stack.hidden.value(Float(z)))
                    }
                }
                x = [x[0] + a[0], x[1] + a[1]]
            }
            outputs += x
        }
        return (outputs, nearest)
    }

    /// The first stack (seeds 21, 22, …) whose hidden units all stay at least 0.02 from a kink on
    /// `inputs`: central differences with h = 2e-3 across a ReLU kink measure the kink, not a bug.
    static func kinkFreeStack(_ activation: ActivationKind, blocks: Int = 3, batch: Int, inputs: [Float]) -> ResidualStack? {
        for seed: UInt64 in 21..<121 {
            let stack = makeStack(activation, blocks: blocks, batch: batch, seed: seed)
            if activation == .tanh || naiveForward(stack, inputs).nearestKink > 0.02 { return stack }
        }
        return nil
    }

    static func randomRows(_ count: Int, seed: UInt64) -> [Float] {
        var rng = RandomSource(seed: seed)
        return (0..<count).map { _ in Float(rng.nextUniform(-1, 1)) }
    }

    /// L = Σ cᵢ·outᵢ for fixed c, so ∂L/∂out = c.
    static func loss(_ stack: ResidualStack, _ inputs: [Float], batch: Int, _ c: [Float]) -> Double {
        zip(stack.predict(inputs, count: batch), c).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// Worst |numeric − analytic| over parameters and inputs, each relative to its set's largest
    /// analytic entry (Float round-off puts a ~1e-4 floor under central differences).
    static func worstErrors(_ stack: ResidualStack, inputs: [Float], batch: Int, c: [Float],
                            parameterGradient: [Float], inputGradient: [Float]) -> (parameters: Double, inputs: Double) {
        let h: Float = 2e-3
        func scale(_ g: [Float]) -> Double { max(g.map { abs(Double($0)) }.max() ?? 0, 1e-3) }
        var worstParameter = 0.0
        for p in 0..<stack.parameterCount {
            let saved = stack.parameters[p]
            stack.parameters[p] = saved + h
            let up = loss(stack, inputs, batch: batch, c)
            stack.parameters[p] = saved - h
            let down = loss(stack, inputs, batch: batch, c)
            stack.parameters[p] = saved
            let numeric = (up - down) / (2 * Double(h))
            worstParameter = max(worstParameter, abs(numeric - Double(parameterGradient[p])) / scale(parameterGradient))
        }
        var worstInput = 0.0
        for i in inputs.indices {
            var plus = inputs, minus = inputs
            plus[i] += h
            minus[i] -= h
            let numeric = (loss(stack, plus, batch: batch, c) - loss(stack, minus, batch: batch, c)) / (2 * Double(h))
            worstInput = max(worstInput, abs(numeric - Double(inputGradient[i])) / scale(inputGradient))
        }
        return (worstParameter, worstInput)
    }

    /// The stack's own backward pass: (∂L/∂θ, ∂L/∂x₀).
    static func analytic(_ stack: ResidualStack, inputs: [Float], batch: Int, c: [Float]) -> ([Float], [Float]) {
        _ = stack.input.update(fromContentsOf: inputs)
        stack.forward(batch: batch)
        c.withUnsafeBufferPointer {
            stack.backward(outputGradient: $0.baseAddress!, batch: batch, weightGradients: true, inputGradient: true)
        }
        return (Array(stack.gradients), Array(stack.inputGradient.prefix(inputs.count)))
    }

    @Test("weight and input gradients match central differences",
          arguments: [ActivationKind.leakyReLU, .relu, .tanh])
    func gradients(activation: ActivationKind) throws {
        let batch = 4, inputs = Self.randomRows(batch * 2, seed: 3), c = Self.randomRows(batch * 2, seed: 4)
        let stack = try #require(Self.kinkFreeStack(activation, batch: batch, inputs: inputs))
        let (g, gx) = Self.analytic(stack, inputs: inputs, batch: batch, c: c)
        let worst = Self.worstErrors(stack, inputs: inputs, batch: batch, c: c, parameterGradient: g, inputGradient: gx)
        #expect(worst.parameters < 2e-3, "worst parameter gradient error \(worst.parameters)")
        #expect(worst.inputs < 2e-3, "worst input gradient error \(worst.inputs)")
    }

    @Test("the check catches a broken derivative: dropping the skip connection's identity term")
    func brokenDerivativeIsCaught() throws {
        let batch = 4, inputs = Self.randomRows(batch * 2, seed: 3), c = Self.randomRows(batch * 2, seed: 4)
        let stack = try #require(Self.kinkFreeStack(.leakyReLU, batch: batch, inputs: inputs))
        // A plausible bug: g_k = J_Bᵀ·g_{k+1} instead of g_{k+1} + J_Bᵀ·g_{k+1}, built from the
        // blocks' own (correct) backward passes.
        _ = stack.input.update(fromContentsOf: inputs)
        stack.forward(batch: batch)
        var upstream = c
        var broken = [Float](repeating: 0, count: stack.parameterCount)
        for k in stride(from: stack.blockCount - 1, through: 0, by: -1) {
            let block = stack.blocks[k]
            upstream.withUnsafeBufferPointer {
                block.backward(outputGradient: $0.baseAddress!, batch: batch, weightGradients: true, inputGradient: true)
            }
            for p in 0..<stack.blockParameterCount { broken[stack.blockOffset(k) + p] = block.gradients[p] }
            upstream = Array(block.inputGradient.prefix(batch * 2))
        }
        let worst = Self.worstErrors(stack, inputs: inputs, batch: batch, c: c,
                                     parameterGradient: broken, inputGradient: upstream)
        #expect(worst.parameters > 0.05, "a missing identity term must be flagged: \(worst.parameters)")
        #expect(worst.inputs > 0.05, "a missing identity term must be flagged: \(worst.inputs)")
    }

    @Test("forward equals a naive per-sample evaluation in Double")
    func forwardMatchesNaive() {
        let batch = 7, stack = Self.makeStack(.relu, blocks: 5, sizes: [2, 6, 6, 2], batch: batch)
        let inputs = Self.randomRows(batch * 2, seed: 8)
        let fast = stack.predict(inputs, count: batch)
        let naive = Self.naiveForward(stack, inputs).outputs
        for i in fast.indices { #expect(abs(Double(fast[i]) - naive[i]) < 1e-4, "entry \(i)") }
    }

    @Test("exit weights of zero make every block the identity; near zero, G(z) ≈ z")
    func identityAtInitialisation() {
        let count = 400, z = Self.randomRows(count * 2, seed: 12)
        for (exitScale, tolerance) in [(0.0, 0.0), (1e-3, 0.05)] {
            var rng = RandomSource(seed: 1)
            let stack = ResidualStack(blocks: 24, blockSizes: [2, 6, 6, 2], hidden: Activation(.relu), maxBatch: 128)
            stack.initialize(hidden: Initializer(.normal, scale: 1), hiddenBiasScale: 1,
                             exit: Initializer(.normal, scale: exitScale), using: &rng)
            let out = stack.predict(z, count: count)
            let worst = zip(out, z).map { abs(Double($0) - Double($1)) }.max() ?? .infinity
            #expect(worst <= tolerance, "exit σ \(exitScale): max |G(z) − z| = \(worst)")
            if exitScale > 0 { #expect(worst > 0, "a non-zero exit must move the points a little") }
        }
    }

    @Test("backward without weight gradients leaves them untouched and still gives input gradients")
    func frozenBackward() {
        let batch = 4, stack = Self.makeStack(.leakyReLU, batch: batch)
        let inputs = Self.randomRows(batch * 2, seed: 5), c = Self.randomRows(batch * 2, seed: 6)
        let (_, full) = Self.analytic(stack, inputs: inputs, batch: batch, c: c)
        for i in 0..<stack.parameterCount { stack.gradients[i] = 42 }
        stack.forward(batch: batch)
        c.withUnsafeBufferPointer {
            stack.backward(outputGradient: $0.baseAddress!, batch: batch, weightGradients: false, inputGradient: true)
        }
        #expect(stack.gradients.allSatisfy { $0 == 42 })
        #expect(Array(stack.inputGradient.prefix(batch * 2)) == full)
    }

    @Test("predict in chunks of maxBatch equals row-by-row evaluation; parameters round-trip")
    func chunkedPredict() {
        let stack = Self.makeStack(.tanh, batch: 3)
        let inputs = Self.randomRows(11 * 2, seed: 9)
        let all = stack.predict(inputs, count: 11)
        func close(_ a: [Float], _ b: [Float]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) < 1e-6 } }
        for r in 0..<11 {
            #expect(close(stack.predict(Array(inputs[(2 * r)..<(2 * r + 2)]), count: 1), Array(all[(2 * r)..<(2 * r + 2)])))
        }
        let other = ResidualStack(blocks: stack.blockCount, blockSizes: stack.blockSizes, hidden: stack.hidden, maxBatch: 16)
        other.loadParameters(stack.copyParameters())
        #expect(Array(other.parameters) == Array(stack.parameters))
        #expect(close(other.predict(inputs, count: 11), all))
    }
}
