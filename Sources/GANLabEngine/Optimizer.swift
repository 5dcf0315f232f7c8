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
    public var firstMoment: [Float] { Array(UnsafeBufferPointer(start: m, count: momentCount)) }
    /// Adam's second moments v (empty for SGD).
    public var secondMoment: [Float] { Array(UnsafeBufferPointer(start: v, count: momentCount)) }

    // The moments live in buffers of their own so that the parts of a team can update their
    // ranges at the same time.
    private let momentCount: Int
    fileprivate let m: UnsafeMutablePointer<Float>
    fileprivate let v: UnsafeMutablePointer<Float>
    /// Adam's rule for the update in progress (set by `prepareUpdate`).
    fileprivate var rule = AdamRule(alpha: 0, b1: 0, b2: 0, eps: 0)

    /// An optimizer for `parameterCount` parameters, moments at zero.
    public init(kind: OptimizerKind, parameterCount: Int, learningRate: Double,
                beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7) {
        self.kind = kind
        self.learningRate = Float(learningRate)
        self.beta1 = Float(beta1)
        self.beta2 = Float(beta2)
        self.epsilon = Float(epsilon)
        let n = kind == .adam ? parameterCount : 0
        momentCount = n
        m = .allocate(capacity: max(n, 1))
        m.initialize(repeating: 0, count: max(n, 1))
        v = .allocate(capacity: max(n, 1))
        v.initialize(repeating: 0, count: max(n, 1))
    }

    deinit {
        m.deallocate()
        v.deallocate()
    }

    /// Restores a stored state (from a snapshot).
    public func restore(step: Int, firstMoment m: [Float], secondMoment v: [Float]) {
        precondition(m.count == momentCount && v.count == momentCount, "optimizer state size mismatch")
        self.step = step
        self.m.update(from: m, count: momentCount)
        self.v.update(from: v, count: momentCount)
    }

    /// θ ← update(θ, g), split across the engine's threads by ranges of the vector.
    public func update(parameters θ: UnsafeMutableBufferPointer<Float>, gradients g: UnsafeMutableBufferPointer<Float>) {
        prepareUpdate(count: θ.count)
        WorkerPool.shared.run(parts: θ.count >= 8192 ? WorkerPool.shared.parts : 1) { team in
            updatePart(team, parameters: θ, gradients: g)
        }
    }

    /// Starts an update of `count` parameters: advances Adam's step counter and fixes its step
    /// size. Call once, then `updatePart` on every part of a team.
    public func prepareUpdate(count: Int) {
        guard kind == .adam else { return }
        precondition(momentCount == count, "optimizer built for \(momentCount) parameters, got \(count)")
        step += 1
        let t = Double(step)
        let alpha = Float(Double(learningRate) * (1 - pow(Double(beta2), t)).squareRoot() / (1 - pow(Double(beta1), t)))
        rule = AdamRule(alpha: alpha, b1: beta1, b2: beta2, eps: epsilon)
    }

    /// This part's range of the update started by `prepareUpdate` (every element gets the same
    /// bits whatever the split).
    public func updatePart(_ team: Team, parameters θ: UnsafeMutableBufferPointer<Float>,
                           gradients g: UnsafeMutableBufferPointer<Float>) {
        precondition(θ.count == g.count, "parameter and gradient counts differ")
        guard let tp = θ.baseAddress, let gp = g.baseAddress else { return }
        updateRange(team.share(θ.count, align: 16), parameters: tp, gradients: gp)
    }
}

extension Optimizer {
    /// The update started by `prepareUpdate`, on the parameters in `range` only (an MLP's
    /// backward pass calls it on each range whose gradients it has just finished).
    @inline(__always)
    func updateRange(_ range: Range<Int>, parameters θ: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>) {
        switch kind {
        case .sgd:
            let lr = learningRate
            for i in range { θ[i] -= lr * g[i] }
        case .adam:
            rule.apply(range, θ: θ, g: g, m: m, v: v)
        }
    }
}

/// One Adam update over a range, a `Kernels.Wide` vector (16 or 8 lanes) at a time; the tail
/// uses the same operations in the same order, so every element gets the same bits however the
/// range is split and whatever the vector width.
private struct AdamRule {
    let alpha: Float, b1: Float, b2: Float, eps: Float

    @inline(__always)
    func apply(_ range: Range<Int>, θ: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
               m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>) {
        typealias V = Kernels.Wide
        let w = V.scalarCount
        let c1 = 1 - b1, c2 = 1 - b2
        let vb1 = V(repeating: b1), vb2 = V(repeating: b2), vc1 = V(repeating: c1), vc2 = V(repeating: c2)
        let va = V(repeating: alpha), ve = V(repeating: eps)
        var i = range.lowerBound
        while i + w <= range.upperBound {
            let gi = V.load(g + i)
            let mi = vb1 * V.load(m + i) + vc1 * gi
            let vi = vb2 * V.load(v + i) + vc2 * gi * gi
            mi.store(m + i)
            vi.store(v + i)
            (V.load(θ + i) - va * mi / (vi.laneSquareRoot() + ve)).store(θ + i)
            i += w
        }
        while i < range.upperBound {
            let gi = g[i]
            let mi = b1 * m[i] + c1 * gi
            let vi = b2 * v[i] + c2 * gi * gi
            m[i] = mi
            v[i] = vi
            θ[i] -= alpha * mi / (vi.squareRoot() + eps)
            i += 1
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

/// Optimizers.
public enum OptimizerKind: String, Codable, CaseIterable, Sendable {
    case adam
    case sgd
}
