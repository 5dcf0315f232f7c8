import Foundation
import Testing
@testable import GANLabEngine
import GANLabTestSupport

/// Spectral normalisation: σ against the largest singular value, and the backward pass through
/// W/σ(W) (u, v fixed) against central differences in Double.
@Suite("Spectral normalisation")
struct SpectralNormalizationTests {
    static func network(_ sizes: [Int], seed: UInt64) -> (MLP, SpectralNormalization) {
        var rng = RandomSource(seed: seed)
        let net = MLP(layerSizes: sizes, hidden: Activation(.tanh), output: Activation(.identity), maxBatch: 6)
        net.initialize(Initializer(.glorotUniform, scale: 1.3), using: &rng)
        for l in 0..<net.layerCount {
            for j in 0..<sizes[l + 1] { net.parameters[net.biasOffset(layer: l) + j] = Float(rng.nextUniform(-0.3, 0.3)) }
        }
        return (net, SpectralNormalization(network: net, rng: &rng))
    }

    @Test("repeated power iterations converge to each layer's largest singular value")
    func sigmaConverges() {
        let (net, sn) = Self.network([3, 7, 5, 1], seed: 4)
        for _ in 0..<200 { sn.powerIteration() }
        sn.normalize()
        for l in 0..<net.layerCount {
            let fanIn = net.layerSizes[l], fanOut = net.layerSizes[l + 1]
            let w = (0..<(fanIn * fanOut)).map { Double(sn.rawParameters[net.weightOffset(layer: l) + $0]) }
            let exact = largestSingularValue(w, rows: fanIn, cols: fanOut)
            #expect(abs(sn.sigmas[l] - exact) < 1e-4 * exact, "layer \(l): σ \(sn.sigmas[l]) vs \(exact)")
        }
        // W̃ then has spectral norm 1.
        for l in 0..<net.layerCount {
            let fanIn = net.layerSizes[l], fanOut = net.layerSizes[l + 1]
            let w = (0..<(fanIn * fanOut)).map { Double(net.parameters[net.weightOffset(layer: l) + $0]) }
            #expect(abs(largestSingularValue(w, rows: fanIn, cols: fanOut) - 1) < 1e-4)
        }
    }

    @Test("the gradient through W/σ(W) matches central differences in Double, with u and v fixed")
    func backwardMatchesFiniteDifferences() {
        let (net, sn) = Self.network([2, 6, 4, 1], seed: 8)
        sn.powerIteration()
        sn.normalize()
        var rng = RandomSource(seed: 3)
        let rows = 6
        let inputs = (0..<(rows * 2)).map { _ in Float(rng.nextUniform(-1, 1)) }
        let c = (0..<rows).map { _ in Float(rng.nextUniform(-1, 1)) }
        // Analytic: ∂(Σ c·f)/∂W̃ by the network's backward, pulled back to W.
        for i in inputs.indices { net.input[i] = inputs[i] }
        net.forward(batch: rows)
        c.withUnsafeBufferPointer { net.backward(outputGradient: $0.baseAddress!, batch: rows, weightGradients: true, inputGradient: false) }
        sn.pullBack(net.gradients)
        let analytic = Array(net.gradients)
        // Numeric: the same loss in Double from raw parameters, W̃ = W/(uᵀWv).
        let vectors = sn.vectors.map(Double.init)
        func loss(_ raw: [Double]) -> Double {
            var p = raw, o = 0
            for l in 0..<net.layerCount {
                let fanIn = net.layerSizes[l], fanOut = net.layerSizes[l + 1], w0 = net.weightOffset(layer: l)
                var sigma = 0.0
                for i in 0..<fanIn { for j in 0..<fanOut { sigma += vectors[o + i] * raw[w0 + i * fanOut + j] * vectors[o + fanIn + j] } }
                for k in 0..<(fanIn * fanOut) { p[w0 + k] = raw[w0 + k] / sigma }
                o += fanIn + fanOut
            }
            var total = 0.0
            for r in 0..<rows {
                let out = TangentTests.naive(net, p.map(Float.init), [Double(inputs[2 * r]), Double(inputs[2 * r + 1])])
                total += Double(c[r]) * out[0]
            }
            return total
        }
        // Float parameters carry ~1e-7 relative rounding into the Double evaluation, so h is 1e-3.
        let raw = sn.rawParameters.map(Double.init), h = 1e-3
        let scale = max(analytic.map { abs(Double($0)) }.max() ?? 0, 1e-3)
        var worst = 0.0
        for i in raw.indices {
            var up = raw, down = raw
            up[i] += h
            down[i] -= h
            worst = max(worst, abs((loss(up) - loss(down)) / (2 * h) - Double(analytic[i])) / scale)
        }
        #expect(worst < 1e-3, "worst scaled error \(worst)")
    }

    @Test("vectors given back reproduce the same normalised weights")
    func vectorsRoundTrip() {
        let (net, sn) = Self.network([2, 5, 1], seed: 1)
        sn.powerIteration()
        sn.normalize()
        let normalized = net.copyParameters()
        let other = MLP(layerSizes: [2, 5, 1], hidden: Activation(.tanh), output: Activation(.identity), maxBatch: 1)
        #expect(SpectralNormalization.normalizedParameters(raw: sn.copyRawParameters(), vectors: sn.vectors, network: other) == normalized)
    }
}
