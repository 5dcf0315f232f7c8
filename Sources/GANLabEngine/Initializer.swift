/// Weight initialisation (biases always start at zero).
public struct Initializer: Equatable, Sendable {
    /// The scheme.
    public var kind: InitKind
    /// Multiplier on the scheme's scale (σ itself for `normal`).
    public var scale: Double

    /// A scheme with its scale (1 = as published).
    public init(_ kind: InitKind, scale: Double = 1) {
        self.kind = kind
        self.scale = scale
    }

    /// Fills a (fanIn, fanOut) weight block, row-major, drawing in storage order.
    public func fill(_ w: UnsafeMutableBufferPointer<Float>, fanIn: Int, fanOut: Int,
                     using rng: inout RandomSource) {
        precondition(w.count == fanIn * fanOut, "weight block size mismatch")
        switch kind {
        case .glorotUniform:
            // Glorot & Bengio (2010): U(−a, a), a = √(6 / (fan_in + fan_out)).
            let a = scale * (6.0 / Double(fanIn + fanOut)).squareRoot()
            for i in w.indices { w[i] = Float(rng.nextUniform(-a, a)) }
        case .he:
            // He et al. (2015): N(0, 2 / fan_in).
            let s = scale * (2.0 / Double(fanIn)).squareRoot()
            for i in w.indices { w[i] = Float(s * rng.nextGaussian()) }
        case .normal:
            for i in w.indices { w[i] = Float(scale * rng.nextGaussian()) }
        case .uniform:
            let a = scale / Double(fanIn).squareRoot()
            for i in w.indices { w[i] = Float(rng.nextUniform(-a, a)) }
        }
    }
}

/// Weight initialisation schemes. Biases always start at zero.
public enum InitKind: String, Codable, CaseIterable, Sendable {
    /// U(−a, a), a = √(6 / (fan_in + fan_out)) (Glorot & Bengio 2010; the Keras default).
    case glorotUniform = "glorot-uniform"
    /// N(0, 2 / fan_in) (He et al. 2015).
    case he
    /// N(0, σ²) with σ = the configured scale (CPPN-style large weights).
    case normal
    /// U(−s/√fan_in, s/√fan_in) with s = the configured scale.
    case uniform
}
