import Foundation
import Testing
@testable import GANLabEngine

/// The double-backprop gradient of `GradientPenalty` against central differences of the penalty
/// evaluated in Double: ∇ₓf by an exact Double backward pass, then h(‖∇ₓf‖), every parameter
/// perturbed in turn.
@Suite("Gradient penalties")
struct GradientPenaltyTests {
    /// The critic's input gradient at one row, in Double, from Double parameters laid out as `net`'s.
    static func inputGradient(_ net: MLP, _ p: [Double], _ x: [Double]) -> [Double] {
        var outputs: [[Double]] = []   // hidden activations h_j
        var a = x
        for l in 0..<(net.layerCount - 1) {
            let fanIn = net.layerSizes[l], fanOut = net.layerSizes[l + 1]
            a = (0..<fanOut).map { j in
                var z = p[net.biasOffset(layer: l) + j]
                for i in 0..<fanIn { z += a[i] * p[net.weightOffset(layer: l) + i * fanOut + j] }
                return TangentTests.activate(z, net.hidden)
            }
            outputs.append(a)
        }
        func derivative(_ h: Double) -> Double {
            switch net.hidden.kind {
            case .leakyReLU, .relu: return h > 0 ? 1 : Double(net.hidden.slope)
            case .tanh: return 1 - h * h
            case .sigmoid: return h * (1 - h)
            case .identity: return 1
            }
        }
        let last = net.layerCount - 1
        // δ at the last hidden layer's output: the output column.
        var delta = (0..<net.layerSizes[last]).map { p[net.weightOffset(layer: last) + $0] }
        for l in stride(from: last - 1, through: 0, by: -1) {
            let fanIn = net.layerSizes[l], fanOut = net.layerSizes[l + 1]
            let e = zip(delta, outputs[l]).map { $0 * derivative($1) }
            delta = (0..<fanIn).map { i in
                (0..<fanOut).reduce(0.0) { $0 + e[$1] * p[net.weightOffset(layer: l) + i * fanOut + $1] }
            }
        }
        return delta
    }

    /// c · mean over rows of h(‖∇ₓf‖).
    static func penalty(_ net: MLP, _ p: [Double], points: [Double], form: GradientPenalty.Form, coefficient: Double) -> Double {
        let w = net.inputWidth, rows = points.count / w
        var total = 0.0
        for r in 0..<rows {
            let g = inputGradient(net, p, Array(points[(r * w)..<((r + 1) * w)]))
            let norm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
            switch form {
            case .unitNorm: total += coefficient * (norm - 1) * (norm - 1)
            case .squaredNorm: total += coefficient / 2 * norm * norm
            }
        }
        return total / Double(rows)
    }

    /// A small critic with non-zero biases and `rows` random points.
    static func critic(_ sizes: [Int], _ activation: ActivationKind, rows: Int, seed: UInt64) -> (MLP, GradientPenalty, [Float]) {
        var rng = RandomSource(seed: seed)
        let net = MLP(layerSizes: sizes, hidden: Activation(activation, slope: 0.2), output: Activation(.identity), maxBatch: rows)
        net.initialize(Initializer(.glorotUniform, scale: 1.5), using: &rng)
        for l in 0..<net.layerCount {
            for j in 0..<sizes[l + 1] { net.parameters[net.biasOffset(layer: l) + j] = Float(rng.nextUniform(-0.3, 0.3)) }
        }
        let penalty = GradientPenalty(network: net, maxRows: rows)
        let points = (0..<(rows * sizes[0])).map { _ in Float(rng.nextUniform(-1.5, 1.5)) }
        for i in points.indices { penalty.input[i] = points[i] }
        return (net, penalty, points)
    }

    /// The engine's ∂P/∂θ (added to zeroed gradients) over `parts` parts.
    static func engineGradient(_ net: MLP, _ penalty: GradientPenalty, rows: Int, form: GradientPenalty.Form,
                               coefficient: Float, gradientScale: Float = 1, parts: Int = 1) -> [Float] {
        net.gradients.update(repeating: 0)
        WorkerPool.shared.run(parts: parts) { team in
            penalty.prepareTransposesPart(team)
            team.barrier()
            penalty.evaluatePart(team, rows: rows, form: form, coefficient: coefficient, gradientScale: gradientScale)
            team.barrier()
            penalty.addGradientsPart(team, into: net.gradients)
        }
        return Array(net.gradients)
    }

    static let shapes: [[Int]] = [[2, 5, 4, 1], [4, 6, 1], [6, 5, 7, 3, 1]]
    static let forms: [GradientPenalty.Form] = [.unitNorm, .squaredNorm]

    @Test("every parameter's penalty gradient matches central differences in Double, for every activation",
          arguments: ActivationKind.allCases, shapes)
    func parameterGradients(activation: ActivationKind, sizes: [Int]) {
        let rows = 9
        for form in Self.forms {
            let (net, penalty, points) = Self.critic(sizes, activation, rows: rows, seed: 5)
            let coefficient: Float = 3
            let analytic = Self.engineGradient(net, penalty, rows: rows, form: form, coefficient: coefficient)
            let p = net.parameters.map(Double.init), x = points.map(Double.init)
            let h = 1e-6
            let scale = max(analytic.map { abs(Double($0)) }.max() ?? 0, 1e-3)
            var worst = 0.0, worstIndex = 0
            for i in p.indices {
                var up = p, down = p
                up[i] += h
                down[i] -= h
                let numeric = (Self.penalty(net, up, points: x, form: form, coefficient: Double(coefficient))
                    - Self.penalty(net, down, points: x, form: form, coefficient: Double(coefficient))) / (2 * h)
                let error = abs(numeric - Double(analytic[i])) / scale
                if error > worst { worst = error; worstIndex = i }
            }
            #expect(worst < 1e-4, "\(activation) \(sizes) \(form): worst scaled error \(worst) at parameter \(worstIndex)")
            // The value and the input gradients it reports.
            let (meanTerm, _) = penalty.summary(rows: rows)
            let value = Double(coefficient) * meanTerm
            let direct = Self.penalty(net, p, points: x, form: form, coefficient: Double(coefficient))
            #expect(abs(value - direct) <= 1e-5 * max(1, abs(direct)), "\(activation) \(sizes) \(form): value \(value) vs \(direct)")
        }
    }

    @Test("piecewise-linear critics get no bias gradient; tanh and sigmoid critics do")
    func biasGradients() {
        for activation in ActivationKind.allCases {
            let (net, penalty, _) = Self.critic([2, 6, 5, 1], activation, rows: 8, seed: 9)
            let gradient = Self.engineGradient(net, penalty, rows: 8, form: .squaredNorm, coefficient: 1)
            let biases = (0..<net.layerCount).flatMap { l in (0..<net.layerSizes[l + 1]).map { gradient[net.biasOffset(layer: l) + $0] } }
            let curved = activation == .tanh || activation == .sigmoid
            #expect(biases.contains { $0 != 0 } == curved, "\(activation)")
        }
    }

    @Test("the gradient is the same bits on 1, 2, 3 and 4 parts, and the lazy scale multiplies it")
    func partsAndScale() {
        let (net, penalty, _) = Self.critic([2, 40, 33, 1], .tanh, rows: 37, seed: 2)
        let one = Self.engineGradient(net, penalty, rows: 37, form: .unitNorm, coefficient: 10)
        for parts in 2...4 {
            #expect(Self.engineGradient(net, penalty, rows: 37, form: .unitNorm, coefficient: 10, parts: parts) == one)
        }
        let lazy = Self.engineGradient(net, penalty, rows: 37, form: .unitNorm, coefficient: 10, gradientScale: 4)
        #expect(zip(lazy, one).allSatisfy { abs($0 - 4 * $1) <= 1e-5 * max(1, abs($0)) })
    }

    @Test("R1 of a linear critic f(x) = a·x + b is (γ/2)‖a‖², WGAN-GP is λ(‖a‖ − 1)²")
    func linearCritic() {
        // One identity hidden layer makes f linear: its input gradient is W_0·w_1 at every point.
        let (net, penalty, _) = Self.critic([2, 3, 1], .identity, rows: 5, seed: 4)
        let p = net.parameters.map(Double.init)
        let a = Self.inputGradient(net, p, [0, 0])
        let norm = a.reduce(0) { $0 + $1 * $1 }.squareRoot()
        _ = Self.engineGradient(net, penalty, rows: 5, form: .squaredNorm, coefficient: 2)
        #expect(abs(penalty.summary(rows: 5).meanTerm - norm * norm / 2) < 1e-6)
        #expect(abs(penalty.summary(rows: 5).meanNorm - norm) < 1e-6)
        _ = Self.engineGradient(net, penalty, rows: 5, form: .unitNorm, coefficient: 2)
        #expect(abs(penalty.summary(rows: 5).meanTerm - (norm - 1) * (norm - 1)) < 1e-6)
    }
}
