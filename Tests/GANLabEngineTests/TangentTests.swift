import Foundation
import Testing
@testable import GANLabEngine

/// The forward-mode Jacobian (`jacobianColumns`) against central differences of a naive Double
/// evaluation of the same network.
@Suite("Forward-mode Jacobian")
struct TangentTests {
    /// φ in Double.
    static func activate(_ z: Double, _ act: Activation) -> Double {
        switch act.kind {
        case .leakyReLU, .relu: return z > 0 ? z : Double(act.slope) * z
        case .tanh: return tanh(z)
        case .sigmoid: return 1 / (1 + exp(-z))
        case .identity: return z
        }
    }

    /// An MLP's output at one input row, in Double, from its flat parameters `p` (starting at `base`).
    static func naive(_ net: MLP, _ p: [Float], base: Int = 0, _ x: [Double]) -> [Double] {
        var a = x
        for l in 0..<net.layerCount {
            let fanIn = net.layerSizes[l], fanOut = net.layerSizes[l + 1]
            let act = l == net.layerCount - 1 ? net.output : net.hidden
            a = (0..<fanOut).map { j in
                var z = Double(p[base + net.biasOffset(layer: l) + j])
                for i in 0..<fanIn { z += a[i] * Double(p[base + net.weightOffset(layer: l) + i * fanOut + j]) }
                return activate(z, act)
            }
        }
        return a
    }

    /// A residual stack's output at one row, in Double.
    static func naive(_ stack: ResidualStack, _ x: [Double]) -> [Double] {
        let p = Array(stack.parameters)
        var state = x
        for k in 0..<stack.blockCount {
            let moved = naive(stack.blocks[0], p, base: stack.blockOffset(k), state)
            state = zip(state, moved).map { $0 + $1 }
        }
        return state
    }

    /// Largest |exact − central difference| over every row and both columns, relative to the
    /// largest entry of the columns; h = 1e-6 in Double.
    static func worstError(rows: [Float], width: Int, exact: (dx0: [Float], dx1: [Float]), outputWidth: Int,
                           evaluate: ([Double]) -> [Double]) -> Double {
        let h = 1e-6
        var worst = 0.0
        let scale = max((exact.dx0 + exact.dx1).map { abs(Double($0)) }.max() ?? 0, 1e-3)
        for r in 0..<(rows.count / width) {
            let x = rows[(r * width)..<((r + 1) * width)].map(Double.init)
            for (direction, column) in [exact.dx0, exact.dx1].enumerated() {
                var up = x, down = x
                up[direction] += h
                down[direction] -= h
                let numeric = zip(evaluate(up), evaluate(down)).map { ($0 - $1) / (2 * h) }
                for c in 0..<outputWidth {
                    worst = max(worst, abs(numeric[c] - Double(column[r * outputWidth + c])) / scale)
                }
            }
        }
        return worst
    }

    @Test("MLP: exact Jacobian columns match central differences, for every activation and a 10-wide input",
          arguments: ActivationKind.allCases, [[2, 16, 16, 2], [10, 12, 2], [2, 7, 3]])
    func mlp(activation: ActivationKind, sizes: [Int]) {
        var rng = RandomSource(seed: 11)
        let batch = 37
        let net = MLP(layerSizes: sizes, hidden: Activation(activation, slope: 0.1),
                      output: Activation(activation == .identity ? .tanh : activation, slope: 0.2), maxBatch: 16)
        net.initialize(Initializer(.glorotUniform, scale: 1.5), using: &rng)
        for l in 0..<net.layerCount {
            for j in 0..<sizes[l + 1] { net.parameters[net.biasOffset(layer: l) + j] = Float(rng.nextUniform(-0.3, 0.3)) }
        }
        let rows = (0..<(batch * sizes[0])).map { _ in Float(rng.nextUniform(-1, 1)) }
        let result = net.jacobianColumns(rows, count: batch)
        #expect(result.outputs == net.predict(rows, count: batch), "the outputs are the network's own")
        let p = Array(net.parameters)
        let worst = Self.worstError(rows: rows, width: sizes[0], exact: (result.dx0, result.dx1),
                                    outputWidth: sizes.last ?? 1) { Self.naive(net, p, $0) }
        #expect(worst < 1e-4, "worst error \(worst)")
    }

    @Test("residual stack: exact Jacobian columns match central differences", arguments: ActivationKind.allCases)
    func residual(activation: ActivationKind) {
        let stack = ResidualStackTests.makeStack(activation, blocks: 5, batch: 8)
        let rows = ResidualStackTests.randomRows(2 * 21, seed: 3)
        let result = stack.jacobianColumns(rows, count: 21)
        #expect(result.outputs == stack.predict(rows, count: 21))
        let worst = Self.worstError(rows: rows, width: 2, exact: (result.dx0, result.dx1), outputWidth: 2) {
            Self.naive(stack, $0)
        }
        #expect(worst < 1e-4, "worst error \(worst)")
    }

    @Test("the columns have the same bits however the rows are cut into batches (a run's diagnostics and a later diagnose agree)")
    func batchIndependent() {
        var rng = RandomSource(seed: 9)
        let sizes = [2, 64, 64, 2]
        let small = MLP(layerSizes: sizes, hidden: Activation(.leakyReLU, slope: 0.1), output: Activation(.tanh), maxBatch: 7)
        small.initialize(Initializer(.glorotUniform, scale: 1), using: &rng)
        let large = MLP(layerSizes: sizes, hidden: Activation(.leakyReLU, slope: 0.1), output: Activation(.tanh), maxBatch: 256)
        large.loadParameters(small.copyParameters())
        let rows = (0..<(2 * 200)).map { _ in Float(rng.nextUniform(-1, 1)) }
        let a = small.jacobianColumns(rows, count: 200), b = large.jacobianColumns(rows, count: 200)
        #expect(a.outputs == b.outputs && a.dx0 == b.dx0 && a.dx1 == b.dx1)
    }

    @Test("a wrong derivative is caught: scaling one weight after the pass changes the columns")
    func sensitivity() {
        var rng = RandomSource(seed: 5)
        let net = MLP(layerSizes: [2, 8, 2], hidden: Activation(.tanh), output: Activation(.identity), maxBatch: 8)
        net.initialize(Initializer(.glorotUniform, scale: 1), using: &rng)
        let rows = (0..<16).map { _ in Float(rng.nextUniform(-1, 1)) }
        let before = net.jacobianColumns(rows, count: 8)
        let p = Array(net.parameters)
        net.parameters[0] *= 1.5
        let after = net.jacobianColumns(rows, count: 8)
        #expect(after.dx0 != before.dx0)
        let worst = Self.worstError(rows: rows, width: 2, exact: (after.dx0, after.dx1), outputWidth: 2) {
            Self.naive(net, p, $0)
        }
        #expect(worst > 1e-3, "the check sees a Jacobian of other weights (worst \(worst))")
    }
}
