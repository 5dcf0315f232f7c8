import Foundation

/// An element-wise activation with its parameter, forward and backward side by side.
///
/// Every derivative here is written in terms of the activation's *output* a = φ(z), so a layer
/// only keeps its outputs for the backward pass: LeakyReLU φ' = 1 if a > 0 else α (for α ≥ 0 the
/// sign of a is the sign of z), ReLU the same with α = 0, tanh φ' = 1 − a², sigmoid φ' = a(1 − a).
public struct Activation: Equatable, Sendable {
    /// Which function.
    public var kind: ActivationKind
    /// LeakyReLU's negative slope α (ignored by the others).
    public var slope: Float

    /// An activation; `slope` only matters for LeakyReLU.
    public init(_ kind: ActivationKind, slope: Float = 0.1) {
        self.kind = kind
        self.slope = kind == .relu ? 0 : slope
    }

    /// φ(z) for one value.
    @inline(__always)
    public func value(_ z: Float) -> Float {
        switch kind {
        case .leakyReLU, .relu: return z > 0 ? z : slope * z
        case .tanh: return Foundation.tanh(z)
        case .sigmoid: return 1 / (1 + Foundation.exp(-z))
        case .identity: return z
        }
    }

    /// φ'(z) expressed through a = φ(z).
    @inline(__always)
    public func derivative(output a: Float) -> Float {
        switch kind {
        case .leakyReLU, .relu: return a > 0 ? 1 : slope
        case .tanh: return 1 - a * a
        case .sigmoid: return a * (1 - a)
        case .identity: return 1
        }
    }

    /// φ''(z) expressed through a = φ(z): 0 for the piecewise-linear kinds (almost everywhere),
    /// −2a(1 − a²) for tanh, a(1 − a)(1 − 2a) for sigmoid. Gradient penalties need it.
    @inline(__always)
    public func secondDerivative(output a: Float) -> Float {
        switch kind {
        case .leakyReLU, .relu, .identity: return 0
        case .tanh: return -2 * a * (1 - a * a)
        case .sigmoid: return a * (1 - a) * (1 - 2 * a)
        }
    }

    /// For the piecewise-linear kinds, the slope below zero (LeakyReLU α, ReLU 0, identity 1):
    /// φ(z) = z > 0 ? z : slope·z and φ'(a) = a > 0 ? 1 : slope, so kernels can apply them as they
    /// store a tile. Nil for tanh and sigmoid.
    var piecewiseLinearSlope: Float? {
        switch kind {
        case .leakyReLU, .relu: return slope
        case .identity: return 1
        case .tanh, .sigmoid: return nil
        }
    }

    // MARK: - Fused kernels

    /// z ← φ(z + b) for a (rows, cols) block, b broadcast over rows. One pass over memory.
    @inline(__always)
    func addBiasAndApply(_ z: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                         bias b: UnsafePointer<Float>) {
        switch kind {
        case .leakyReLU, .relu:
            let s = slope
            for r in 0..<rows {
                let row = z + r * cols
                for c in 0..<cols {
                    let v = row[c] + b[c]
                    row[c] = v > 0 ? v : s * v
                }
            }
        case .identity:
            for r in 0..<rows {
                let row = z + r * cols
                for c in 0..<cols { row[c] += b[c] }
            }
        case .tanh, .sigmoid:
            for r in 0..<rows {
                let row = z + r * cols
                for c in 0..<cols { row[c] = value(row[c] + b[c]) }
            }
        }
    }

    /// δ ← δ ⊙ φ'(a) for `count` values: turns ∂L/∂a into ∂L/∂z in place.
    @inline(__always)
    func multiplyByDerivative(_ delta: UnsafeMutablePointer<Float>,
                              output a: UnsafePointer<Float>, count: Int) {
        switch kind {
        case .leakyReLU, .relu:
            let s = slope
            for i in 0..<count { delta[i] = a[i] > 0 ? delta[i] : s * delta[i] }
        case .tanh:
            for i in 0..<count { delta[i] *= 1 - a[i] * a[i] }
        case .sigmoid:
            for i in 0..<count { delta[i] *= a[i] * (1 - a[i]) }
        case .identity:
            break
        }
    }
}

/// Element-wise activation functions the engine implements (forward and backward).
public enum ActivationKind: String, Codable, CaseIterable, Sendable {
    case leakyReLU = "leaky-relu"
    case relu
    case tanh
    case sigmoid
    case identity
}
