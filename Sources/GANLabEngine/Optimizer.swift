import Foundation

/// A first-order optimizer over one network's flat parameter vector.
///
/// Adam follows Kingma & Ba (2015) in the form Keras uses (the article's framework): with
/// α_t = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ), m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
/// θ ← θ − α_t·m/(√v + ε) — ε is added to √v, not to the bias-corrected √v̂ as in PyTorch.
/// SGD is θ ← θ − lr·g. One fused pass over the vector, no allocation.
public final class Optimizer {
    /// Which rule.
    public let kind: OptimizerKind
    /// Step size.
    public let learningRate: Float
    /// Adam's β₁.
    public let beta1: Float
    /// Adam's β₂.
    public let beta2: Float
    /// Adam's ε.
    public let epsilon: Float
    /// Adam's step counter t (number of updates so far).
    public private(set) var step: Int = 0
    /// Adam's first moments m (empty for SGD).
    public private(set) var firstMoment: [Float]
    /// Adam's second moments v (empty for SGD).
    public private(set) var secondMoment: [Float]

    /// An optimizer for `parameterCount` parameters, moments at zero.
    public init(kind: OptimizerKind, parameterCount: Int, learningRate: Double,
                beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7) {
        self.kind = kind
        self.learningRate = Float(learningRate)
        self.beta1 = Float(beta1)
        self.beta2 = Float(beta2)
        self.epsilon = Float(epsilon)
        let n = kind == .adam ? parameterCount : 0
        firstMoment = [Float](repeating: 0, count: n)
        secondMoment = [Float](repeating: 0, count: n)
    }

    /// Restores a stored state (from a snapshot).
    public func restore(step: Int, firstMoment m: [Float], secondMoment v: [Float]) {
        precondition(m.count == firstMoment.count && v.count == secondMoment.count, "optimizer state size mismatch")
        self.step = step
        firstMoment = m
        secondMoment = v
    }

    /// θ ← update(θ, g).
    public func update(parameters θ: UnsafeMutableBufferPointer<Float>, gradients g: UnsafeMutableBufferPointer<Float>) {
        precondition(θ.count == g.count, "parameter and gradient counts differ")
        switch kind {
        case .sgd:
            let lr = learningRate
            for i in 0..<θ.count { θ[i] -= lr * g[i] }
        case .adam:
            precondition(firstMoment.count == θ.count, "optimizer built for \(firstMoment.count) parameters, got \(θ.count)")
            step += 1
            let t = Double(step)
            let b1 = beta1, b2 = beta2, eps = epsilon
            let alpha = Float(Double(learningRate) * (1 - pow(Double(b2), t)).squareRoot() / (1 - pow(Double(b1), t)))
            let c1 = 1 - b1, c2 = 1 - b2
            firstMoment.withUnsafeMutableBufferPointer { m in
                secondMoment.withUnsafeMutableBufferPointer { v in
                    for i in 0..<θ.count {
                        let gi = g[i]
                        let mi = b1 * m[i] + c1 * gi
                        let vi = b2 * v[i] + c2 * gi * gi
                        m[i] = mi
                        v[i] = vi
                        θ[i] -= alpha * mi / (vi.squareRoot() + eps)
                    }
                }
            }
        }
    }
}

/// √(Σ xᵢ²) of a buffer, accumulated in Double.
public func euclideanNorm(_ x: UnsafeBufferPointer<Float>) -> Double {
    var s = 0.0
    for v in x { s += Double(v) * Double(v) }
    return s.squareRoot()
}

/// Whether every value of a buffer is finite.
public func allFinite(_ x: UnsafeBufferPointer<Float>) -> Bool {
    for v in x where !v.isFinite { return false }
    return true
}
