import Testing
@testable import GANLabEngine

/// The read-only inspection accessor against a naive layer-by-layer evaluation.
@Suite("MLP inspection")
struct InspectionTests {
    /// a_l for one input row, layer by layer in Double, from the flat parameters.
    static func naiveActivations(_ net: MLP, row: [Float]) -> [[Double]] {
        let p = Array(net.parameters), sizes = net.layerSizes
        var a = row.map(Double.init), out: [[Double]] = []
        for l in 0..<net.layerCount {
            let act = net.activation(layer: l)
            a = (0..<sizes[l + 1]).map { j in
                var z = Double(p[net.biasOffset(layer: l) + j])
                for i in 0..<sizes[l] { z += a[i] * Double(p[net.weightOffset(layer: l) + i * sizes[l + 1] + j]) }
                return Double(act.value(Float(z)))
            }
            out.append(a)
        }
        return out
    }

    @Test("activations(layer:) equals the naive evaluation of every layer, across several batches")
    func matchesNaive() {
        var rng = RandomSource(seed: 21)
        let net = MLP(layerSizes: [3, 20, 7, 2], hidden: Activation(.leakyReLU, slope: 0.1), output: Activation(.tanh), maxBatch: 4)
        net.initialize(Initializer(.normal, scale: 0.8), using: &rng)
        for l in 0..<net.layerCount {
            for j in 0..<net.width(layer: l) { net.parameters[net.biasOffset(layer: l) + j] = Float(rng.nextUniform(-0.3, 0.3)) }
        }
        let count = 11  // three chunks of maxBatch 4
        let x = (0..<(3 * count)).map { _ in Float(rng.nextUniform(-1, 1)) }
        for l in 0..<net.layerCount {
            let fast = net.activations(x, count: count, layer: l)
            #expect(fast.count == count * net.width(layer: l))
            for r in 0..<count {
                let naive = Self.naiveActivations(net, row: Array(x[(3 * r)..<(3 * r + 3)]))[l]
                for (j, v) in naive.enumerated() {
                    #expect(abs(Double(fast[r * net.width(layer: l) + j]) - v) < 1e-4, "layer \(l) row \(r) unit \(j)")
                }
            }
        }
        #expect(net.activations(x, count: count, layer: net.layerCount - 1) == net.predict(x, count: count))
        #expect(net.activation(layer: 0) == Activation(.leakyReLU, slope: 0.1) && net.activation(layer: 2) == Activation(.tanh))
    }
}
