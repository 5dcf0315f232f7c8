/// Read-only inspection of a network's hidden units, for pictures of what each unit computes.
///
/// Nothing here changes a pass: `activations` runs the ordinary `forward` on chunks of the rows
/// and copies out the activations that pass stores for the backward pass anyway.
extension MLP {
    /// Width of dense layer `l` (0-based; the last layer is the output).
    public func width(layer l: Int) -> Int {
        precondition((0..<layerCount).contains(l), "layer \(l) outside 0..<\(layerCount)")
        return layerSizes[l + 1]
    }

    /// The activation function applied after dense layer `l` (`hidden`, or `output` for the last).
    public func activation(layer l: Int) -> Activation {
        precondition((0..<layerCount).contains(l), "layer \(l) outside 0..<\(layerCount)")
        return l == layerCount - 1 ? output : hidden
    }

    /// The activations a_l = φ_l(a_{l−1}·W_l + b_l) of dense layer `l` (0-based) for `count` rows
    /// of `inputValues` (row-major, `inputWidth` each): (count, width(layer: l)) row-major.
    /// Evaluated in chunks of `maxBatch` rows.
    public func activations(_ inputValues: [Float], count: Int, layer l: Int) -> [Float] {
        precondition(inputValues.count == count * inputWidth, "activations: expected \(count)×\(inputWidth) inputs")
        let width = width(layer: l)
        var result = [Float](repeating: 0, count: count * width)
        var start = 0
        inputValues.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                guard let s = source.baseAddress, let t = target.baseAddress else { return }
                while start < count {
                    let n = min(maxBatch, count - start)
                    input.baseAddress?.update(from: s + start * inputWidth, count: n * inputWidth)
                    forward(batch: n)
                    if let a = activationBuffer(layer: l).baseAddress {
                        (t + start * width).update(from: a, count: n * width)
                    }
                    start += n
                }
            }
        }
        return result
    }
}
