import Foundation

/// Spectral normalisation of every dense layer of an MLP (Miyato, Kataoka, Koyama, Yoshida,
/// "Spectral Normalization for Generative Adversarial Networks", ICLR 2018).
///
/// The trainable weights W_l stay in `rawParameters`; the network computes with W̃_l = W_l/σ_l,
/// σ_l = u_lᵀ·W_l·v_l, where u_l (fan_in) and v_l (fan_out) are the singular-vector estimates
/// of one power iteration per discriminator step:
///
///     v_l ← W_lᵀu_l / ‖W_lᵀu_l‖,   u_l ← W_l v_l / ‖W_l v_l‖.
///
/// (W_l is stored fan_in × fan_out, so u_l lives on the input side.) The gradient is taken with
/// u_l and v_l held fixed, as in the paper's implementation: with G = ∂L/∂W̃_l,
///
///     ∂L/∂W_l = (G − ⟨G, W̃_l⟩·u_l v_lᵀ) / σ_l.
///
/// Biases are not normalised. The vectors are stored in snapshots (`vectors`), so a resumed run
/// and a rendered snapshot compute the same W̃.
public final class SpectralNormalization {
    /// The network whose `parameters` receive W̃ (and the raw biases).
    public let network: MLP
    /// The trainable parameters: raw weights W and biases, in the network's layout.
    public let rawParameters: UnsafeMutableBufferPointer<Float>
    /// u_l then v_l for every layer in order (Σ fan_in + fan_out numbers).
    public private(set) var vectors: [Float]
    /// σ_l of the last `normalize`.
    public private(set) var sigmas: [Double]

    /// Numbers in `vectors` for a network with these widths.
    public static func vectorCount(layerSizes: [Int]) -> Int {
        zip(layerSizes, layerSizes.dropFirst()).reduce(0) { $0 + $1.0 + $1.1 }
    }

    /// Spectral normalisation of `network`, whose current parameters become the raw ones, with
    /// stored vectors (a snapshot's). Call `normalize` before the network's next pass.
    public init(network: MLP, vectors: [Float]) {
        precondition(vectors.count == Self.vectorCount(layerSizes: network.layerSizes), "spectral vector count mismatch")
        self.network = network
        let count = network.parameterCount
        let raw = UnsafeMutablePointer<Float>.allocate(capacity: count)
        raw.update(from: network.parameters.baseAddress!, count: count)
        rawParameters = .init(start: raw, count: count)
        sigmas = Array(repeating: 1, count: network.layerCount)
        self.vectors = vectors
    }

    /// Spectral normalisation of `network` with fresh vectors: u_l ~ N(0, I) normalised, drawn
    /// from `rng` layer by layer, and v_l = W_lᵀu_l/‖·‖. Call `normalize` before the next pass.
    public convenience init(network: MLP, rng: inout RandomSource) {
        let params = network.parameters.baseAddress!
        var fresh: [Float] = []
        for l in 0..<network.layerCount {
            let fanIn = network.layerSizes[l], fanOut = network.layerSizes[l + 1]
            var u = (0..<fanIn).map { _ in rng.nextGaussian() }
            Self.normalizeInPlace(&u)
            var v = Self.transposedProduct(params + network.weightOffset(layer: l), fanIn: fanIn, fanOut: fanOut, u)
            Self.normalizeInPlace(&v)
            fresh += u.map(Float.init) + v.map(Float.init)
        }
        self.init(network: network, vectors: fresh)
    }

    deinit { rawParameters.baseAddress?.deallocate() }

    /// Replaces the raw parameters (a snapshot's); call `normalize` next.
    public func loadRawParameters(_ values: [Float]) {
        precondition(values.count == rawParameters.count, "expected \(rawParameters.count) parameters")
        _ = rawParameters.update(fromContentsOf: values)
    }

    /// A copy of the raw parameters.
    public func copyRawParameters() -> [Float] { Array(rawParameters) }

    /// Offset of layer l's u inside `vectors` (v follows it).
    private func vectorOffset(layer l: Int) -> Int {
        (0..<l).reduce(0) { $0 + network.layerSizes[$1] + network.layerSizes[$1 + 1] }
    }

    /// One power iteration per layer on the raw weights, updating u and v.
    public func powerIteration() {
        let raw = rawParameters.baseAddress!
        for l in 0..<network.layerCount {
            let fanIn = network.layerSizes[l], fanOut = network.layerSizes[l + 1], o = vectorOffset(layer: l)
            let w = raw + network.weightOffset(layer: l)
            let u = vectors[o..<(o + fanIn)].map(Double.init)
            var v = Self.transposedProduct(w, fanIn: fanIn, fanOut: fanOut, u)
            Self.normalizeInPlace(&v)
            var next = Self.product(w, fanIn: fanIn, fanOut: fanOut, v)
            Self.normalizeInPlace(&next)
            for i in 0..<fanIn { vectors[o + i] = Float(next[i]) }
            for j in 0..<fanOut { vectors[o + fanIn + j] = Float(v[j]) }
        }
    }

    /// Writes W̃_l = W_l/σ_l (σ_l = u_lᵀW_l v_l with the current vectors) and the raw biases into
    /// the network's parameters.
    public func normalize() {
        let raw = rawParameters.baseAddress!, params = network.parameters.baseAddress!
        params.update(from: raw, count: rawParameters.count)
        for l in 0..<network.layerCount {
            let fanIn = network.layerSizes[l], fanOut = network.layerSizes[l + 1], o = vectorOffset(layer: l)
            let w = raw + network.weightOffset(layer: l)
            var sigma = 0.0
            for i in 0..<fanIn {
                var row = 0.0
                for j in 0..<fanOut { row += Double(w[i * fanOut + j]) * Double(vectors[o + fanIn + j]) }
                sigma += Double(vectors[o + i]) * row
            }
            sigmas[l] = sigma
            let scale = Float(1 / sigma), target = params + network.weightOffset(layer: l)
            for k in 0..<(fanIn * fanOut) { target[k] = w[k] * scale }
        }
    }

    /// Turns ∂L/∂W̃ in `gradients` (the network's layout) into ∂L/∂W in place, with the vectors
    /// and σ of the last `normalize`; bias gradients are unchanged.
    public func pullBack(_ gradients: UnsafeMutableBufferPointer<Float>) {
        let g = gradients.baseAddress!, params = network.parameters.baseAddress!
        for l in 0..<network.layerCount {
            let fanIn = network.layerSizes[l], fanOut = network.layerSizes[l + 1], o = vectorOffset(layer: l)
            let offset = network.weightOffset(layer: l)
            var inner = 0.0
            for k in 0..<(fanIn * fanOut) { inner += Double(g[offset + k]) * Double(params[offset + k]) }
            let invSigma = 1 / sigmas[l]
            for i in 0..<fanIn {
                let ui = inner * Double(vectors[o + i])
                for j in 0..<fanOut {
                    let k = offset + i * fanOut + j
                    g[k] = Float((Double(g[k]) - ui * Double(vectors[o + fanIn + j])) * invSigma)
                }
            }
        }
    }

    /// The parameters a network with widths `layerSizes` computes with, from raw parameters and
    /// stored vectors (for views of a snapshot): W_l/σ_l and the raw biases.
    public static func normalizedParameters(raw: [Float], vectors: [Float], network: MLP) -> [Float] {
        network.loadParameters(raw)
        let normalization = SpectralNormalization(network: network, vectors: vectors)
        normalization.normalize()
        return network.copyParameters()
    }

    // MARK: - Small products in Double

    private static func transposedProduct(_ w: UnsafePointer<Float>, fanIn: Int, fanOut: Int, _ u: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: fanOut)
        for i in 0..<fanIn {
            let ui = u[i]
            for j in 0..<fanOut { out[j] += ui * Double(w[i * fanOut + j]) }
        }
        return out
    }

    private static func product(_ w: UnsafeMutablePointer<Float>, fanIn: Int, fanOut: Int, _ v: [Double]) -> [Double] {
        (0..<fanIn).map { i in
            var s = 0.0
            for j in 0..<fanOut { s += Double(w[i * fanOut + j]) * v[j] }
            return s
        }
    }

    private static func normalizeInPlace(_ x: inout [Double]) {
        let norm = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return }
        for i in x.indices { x[i] /= norm }
    }
}
