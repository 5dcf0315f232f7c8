/// A multilayer perceptron of dense layers with hand-written forward and backward passes.
///
/// All weights and biases live in one flat buffer (`parameters`), layer by layer, each layer's
/// weight block W (fan_in × fan_out, row-major) followed by its bias b (fan_out), and the
/// gradients mirror it (`gradients`). So an optimizer step, a gradient norm, a finiteness check
/// and a snapshot are each one pass over one array. Every buffer a training step touches is
/// allocated once here, sized for `maxBatch` rows: a step allocates nothing.
///
/// Layer l computes a_l = φ_l(a_{l−1}·W_l + b_l); hidden layers use `hidden`, the last `output`.
/// The passes themselves (split across the engine's threads) are in `MLP+Passes.swift`.
public final class MLP {
    /// [input, hidden…, output] widths.
    public let layerSizes: [Int]
    /// Activation after every hidden layer.
    public let hidden: Activation
    /// Activation after the last layer.
    public let output: Activation
    /// Most rows one forward pass may take.
    public let maxBatch: Int
    /// Number of weights and biases.
    public let parameterCount: Int

    /// Width of the input.
    public var inputWidth: Int { layerSizes[0] }
    /// Width of the output.
    public var outputWidth: Int { layerSizes[layerSizes.count - 1] }
    /// Number of dense layers.
    public var layerCount: Int { layerSizes.count - 1 }

    let weightOffsets: [Int]
    let biasOffsets: [Int]
    let params: UnsafeMutablePointer<Float>
    let grads: UnsafeMutablePointer<Float>
    let partialGrads: [UnsafeMutablePointer<Float>]  // row groups 1…: partial dW, db (same layout as grads)
    let inputs: UnsafeMutablePointer<Float>          // (maxBatch, in)
    let activations: [UnsafeMutablePointer<Float>]  // layer l: (maxBatch, out_l)
    let deltaA: UnsafeMutablePointer<Float>          // (maxBatch, maxWidth)
    let deltaB: UnsafeMutablePointer<Float>          // (maxBatch, maxWidth)
    let inputGrads: UnsafeMutablePointer<Float>      // (maxBatch, in)
    let transposed: [UnsafeMutablePointer<Float>]   // layer l: W_lᵀ (out_l, in_l) where a kernel needs it
    let plans: [LayerPlan]

    /// As the public initialiser, choosing the width from which layers use OpenBLAS (tests).
    convenience init(layerSizes: [Int], hidden: Activation, output: Activation, maxBatch: Int, blasWidth: Int) {
        let shapes = zip(layerSizes, layerSizes.dropFirst()).map { KernelPlan.Shape($0, $1) }
        self.init(layerSizes: layerSizes, hidden: hidden, output: output, maxBatch: maxBatch,
                  kernels: .rule(blasFrom: blasWidth, shapes: shapes))
    }

    /// A network with zero parameters, its products multiplied as `kernels` says; call
    /// `initialize` or `load` next.
    public init(layerSizes: [Int], hidden: Activation, output: Activation, maxBatch: Int,
                kernels: KernelPlan = .fixed) {
        precondition(layerSizes.count >= 2 && layerSizes.allSatisfy { $0 > 0 }, "bad layer sizes \(layerSizes)")
        precondition(maxBatch > 0, "maxBatch must be positive")
        self.layerSizes = layerSizes
        self.hidden = hidden
        self.output = output
        self.maxBatch = maxBatch
        var w: [Int] = [], b: [Int] = [], offset = 0
        for l in 0..<(layerSizes.count - 1) {
            w.append(offset); offset += layerSizes[l] * layerSizes[l + 1]
            b.append(offset); offset += layerSizes[l + 1]
        }
        weightOffsets = w
        biasOffsets = b
        parameterCount = offset
        params = .allocate(capacity: offset)
        params.initialize(repeating: 0, count: offset)
        grads = .allocate(capacity: offset)
        grads.initialize(repeating: 0, count: offset)
        partialGrads = (1..<MLP.gradientGroups).map { _ in
            let p = UnsafeMutablePointer<Float>.allocate(capacity: offset)
            p.initialize(repeating: 0, count: offset)
            return p
        }
        func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
            p.initialize(repeating: 0, count: n)  // first touch here, not inside a timed step
            return p
        }
        let maxWidth = layerSizes.max() ?? 1
        inputs = buffer(maxBatch * layerSizes[0])
        activations = layerSizes.dropFirst().map { buffer(maxBatch * $0) }
        deltaA = buffer(maxBatch * maxWidth)
        deltaB = buffer(maxBatch * maxWidth)
        inputGrads = buffer(maxBatch * layerSizes[0])
        let layerPlans = (0..<(layerSizes.count - 1)).map { LayerPlan(fanIn: layerSizes[$0], fanOut: layerSizes[$0 + 1], kernels: kernels) }
        plans = layerPlans
        transposed = layerPlans.map { buffer($0.needsTranspose ? $0.fanIn * $0.fanOut : 1) }
    }

    deinit {
        params.deallocate()
        grads.deallocate()
        partialGrads.forEach { $0.deallocate() }
        inputs.deallocate()
        activations.forEach { $0.deallocate() }
        deltaA.deallocate()
        deltaB.deallocate()
        inputGrads.deallocate()
        transposed.forEach { $0.deallocate() }
    }

    /// Parameter count of an MLP with these widths: Σ (in·out + out).
    public static func parameterCount(layerSizes: [Int]) -> Int {
        zip(layerSizes, layerSizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
    }

    // MARK: - Parameters

    /// All weights and biases, flat (see the type's documentation for the layout).
    public var parameters: UnsafeMutableBufferPointer<Float> { .init(start: params, count: parameterCount) }
    /// ∂L/∂parameters from the last `backward` with weight gradients, same layout.
    public var gradients: UnsafeMutableBufferPointer<Float> { .init(start: grads, count: parameterCount) }

    /// Glorot/He/normal weights, zero biases, drawn layer by layer in storage order.
    public func initialize(_ initializer: Initializer, using rng: inout RandomSource) {
        for l in 0..<layerCount {
            let fanIn = layerSizes[l], fanOut = layerSizes[l + 1]
            initializer.fill(.init(start: params + weightOffsets[l], count: fanIn * fanOut),
                             fanIn: fanIn, fanOut: fanOut, using: &rng)
            (params + biasOffsets[l]).update(repeating: 0, count: fanOut)
        }
    }

    /// A copy of the parameters.
    public func copyParameters() -> [Float] { Array(parameters) }

    /// Replaces the parameters; `values` must have `parameterCount` entries.
    public func loadParameters(_ values: [Float]) {
        precondition(values.count == parameterCount, "expected \(parameterCount) parameters, got \(values.count)")
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { params.update(from: base, count: parameterCount) }
        }
    }

    /// Offset of layer l's weight block inside `parameters`.
    public func weightOffset(layer l: Int) -> Int { weightOffsets[l] }
    /// Offset of layer l's bias inside `parameters`.
    public func biasOffset(layer l: Int) -> Int { biasOffsets[l] }

    // MARK: - Buffers

    /// The input rows of the next `forward`, (maxBatch, inputWidth); write the first rows.
    public var input: UnsafeMutableBufferPointer<Float> { .init(start: inputs, count: maxBatch * inputWidth) }
    /// Outputs of the last `forward`, (maxBatch, outputWidth).
    public var outputBuffer: UnsafeMutableBufferPointer<Float> {
        .init(start: activations[layerCount - 1], count: maxBatch * outputWidth)
    }
    /// Activations of layer l after the last `forward`, (maxBatch, layerSizes[l+1]).
    public func activationBuffer(layer l: Int) -> UnsafeBufferPointer<Float> {
        .init(start: activations[l], count: maxBatch * layerSizes[l + 1])
    }
    /// ∂L/∂input from the last `backward` with `inputGradient: true`, (maxBatch, inputWidth).
    public var inputGradient: UnsafeBufferPointer<Float> { .init(start: inputGrads, count: maxBatch * inputWidth) }

    // MARK: - Inference

    /// Applies the network to `count` rows of `inputs` (row-major), in chunks of `maxBatch`.
    public func predict(_ inputValues: [Float], count: Int) -> [Float] {
        precondition(inputValues.count == count * inputWidth, "predict: expected \(count)×\(inputWidth) inputs")
        var result = [Float](repeating: 0, count: count * outputWidth)
        var start = 0
        inputValues.withUnsafeBufferPointer { src in
            result.withUnsafeMutableBufferPointer { dst in
                while start < count {
                    let n = min(maxBatch, count - start)
                    guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                    inputs.update(from: s + start * inputWidth, count: n * inputWidth)
                    forward(batch: n)
                    (d + start * outputWidth).update(from: activations[layerCount - 1], count: n * outputWidth)
                    start += n
                }
            }
        }
        return result
    }
}
