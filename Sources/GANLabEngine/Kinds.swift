/// Element-wise activation functions the engine implements (forward and backward).
public enum ActivationKind: String, Codable, CaseIterable, Sendable {
    case leakyReLU = "leaky-relu"
    case relu
    case tanh
    case sigmoid
    case identity
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

/// Optimizers.
public enum OptimizerKind: String, Codable, CaseIterable, Sendable {
    case adam
    case sgd
}

/// Pairs of discriminator / generator objectives.
public enum GANLossKind: String, Codable, CaseIterable, Sendable {
    /// D: binary cross-entropy; G: −log D(G(z)) (Goodfellow et al. 2014, the practical variant).
    case nonSaturating = "non-saturating"
    /// D: binary cross-entropy; G: log(1 − D(G(z))) (the original minimax objective).
    case minimax
    /// Least squares (Mao et al. 2017): D: ½(D(x)−1)² + ½D(G(z))²; G: ½(D(G(z))−1)².
    case leastSquares = "least-squares"
    /// Hinge (Lim & Ye 2017): D: max(0, 1−D(x)) + max(0, 1+D(G(z))); G: −D(G(z)).
    case hinge
}
