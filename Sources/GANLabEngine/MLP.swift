/// A multilayer perceptron of dense layers with hand-written forward and backward passes.
///
/// All weights and biases live in one flat buffer (`parameters`), layer by layer, each layer's
/// weight block W (fan_in × fan_out, row-major) followed by its bias b (fan_out), and the
/// gradients mirror it (`gradients`). So an optimizer step, a gradient norm, a finiteness check
/// and a snapshot are each one pass over one array. Every buffer a training step touches is
/// allocated once here, sized for `maxBatch` rows: a step allocates nothing.
///
/// Layer l computes a_l = φ_l(a_{l−1}·W_l + b_l); hidden layers use `hidden`, the last `output`.
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

    private let weightOffsets: [Int]
    private let biasOffsets: [Int]
    private let params: UnsafeMutablePointer<Float>
    private let grads: UnsafeMutablePointer<Float>
    private let inputs: UnsafeMutablePointer<Float>          // (maxBatch, in)
    private let activations: [UnsafeMutablePointer<Float>]  // layer l: (maxBatch, out_l)
    private let deltaA: UnsafeMutablePointer<Float>          // (maxBatch, maxWidth)
    private let deltaB: UnsafeMutablePointer<Float>          // (maxBatch, maxWidth)
    private let inputGrads: UnsafeMutablePointer<Float>      // (maxBatch, in)

    /// A network with zero parameters; call `initialize` or `load` next.
    public init(layerSizes: [Int], hidden: Activation, output: Activation, maxBatch: Int) {
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
        func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
            p.initialize(repeating: 0, count: n)  // first touch now, not inside a timed step
            return p
        }
        let maxWidth = layerSizes.max() ?? 1
        inputs = buffer(maxBatch * layerSizes[0])
        activations = layerSizes.dropFirst().map { buffer(maxBatch * $0) }
        deltaA = buffer(maxBatch * maxWidth)
        deltaB = buffer(maxBatch * maxWidth)
        inputGrads = buffer(maxBatch * layerSizes[0])
    }

    deinit {
        params.deallocate()
        grads.deallocate()
        inputs.deallocate()
        activations.forEach { $0.deallocate() }
        deltaA.deallocate()
        deltaB.deallocate()
        inputGrads.deallocate()
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

    // MARK: - Forward

    /// Runs the first `batch` rows of `input` through the network; the result is in `outputBuffer`.
    public func forward(batch n: Int) {
        precondition(n > 0 && n <= maxBatch, "batch \(n) outside 1...\(maxBatch)")
        var x = UnsafePointer(inputs)
        for l in 0..<layerCount {
            let fanIn = layerSizes[l], fanOut = layerSizes[l + 1]
            let w = UnsafePointer(params + weightOffsets[l]), b = UnsafePointer(params + biasOffsets[l])
            let a = activations[l]
            if fanIn <= 4 {
                Self.thinInputProduct(x, w, into: a, rows: n, fanIn: fanIn, fanOut: fanOut)
            } else {
                // (n, in) · (in, out) → (n, out)
                GEMM.multiply(x, transposeA: false, w, transposeB: false, into: a, m: n, n: fanOut, k: fanIn)
            }
            (l == layerCount - 1 ? output : hidden).addBiasAndApply(a, rows: n, cols: fanOut, bias: b)
            x = UnsafePointer(a)
        }
    }

    /// (n, k≤4) · (k, out) → (n, out) as k fused multiply-adds per output, vectorised over out.
    @inline(__always)
    private static func thinInputProduct(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
                                         into a: UnsafeMutablePointer<Float>,
                                         rows: Int, fanIn: Int, fanOut: Int) {
        for r in 0..<rows {
            let row = a + r * fanOut, xr = x + r * fanIn
            let x0 = xr[0]
            for c in 0..<fanOut { row[c] = x0 * w[c] }
            for k in 1..<max(fanIn, 1) {
                let xk = xr[k], wk = w + k * fanOut
                for c in 0..<fanOut { row[c] += xk * wk[c] }
            }
        }
    }

    // MARK: - Backward

    /// Back-propagates ∂L/∂output (batch rows of `outputGradient`, (n, outputWidth)) through the
    /// activations stored by the last `forward(batch: n)`.
    ///
    /// - weightGradients: fill `gradients` (skip it for a frozen network, e.g. D in the G step).
    /// - inputGradient: fill `inputGradient` (needed when another network feeds this one).
    public func backward(outputGradient: UnsafePointer<Float>, batch n: Int,
                         weightGradients: Bool, inputGradient wantInput: Bool) {
        precondition(n > 0 && n <= maxBatch, "batch \(n) outside 1...\(maxBatch)")
        var delta = deltaA, spare = deltaB
        delta.update(from: outputGradient, count: n * outputWidth)
        for l in stride(from: layerCount - 1, through: 0, by: -1) {
            let fanIn = layerSizes[l], fanOut = layerSizes[l + 1]
            let act = l == layerCount - 1 ? output : hidden
            // ∂L/∂a_l → ∂L/∂z_l, in place.
            act.multiplyByDerivative(delta, output: activations[l], count: n * fanOut)
            let x = UnsafePointer(l == 0 ? inputs : activations[l - 1])
            if weightGradients {
                let dW = grads + weightOffsets[l], db = grads + biasOffsets[l]
                if fanIn <= 4 {
                    Self.thinWeightGradient(x, UnsafePointer(delta), into: dW, rows: n, fanIn: fanIn, fanOut: fanOut)
                } else {
                    // (in, n) · (n, out) → (in, out): Xᵀ·δ with the transpose folded into sgemm.
                    GEMM.multiply(x, transposeA: true, delta, transposeB: false, into: dW, m: fanIn, n: fanOut, k: n)
                }
                Self.columnSums(UnsafePointer(delta), rows: n, cols: fanOut, into: db)
            }
            guard l > 0 || wantInput else { break }
            let target = l == 0 ? inputGrads : spare
            // (n, out) · (out, in) → (n, in): δ·Wᵀ.
            GEMM.multiply(delta, transposeA: false, params + weightOffsets[l], transposeB: true,
                          into: target, m: n, n: fanIn, k: fanOut)
            swap(&delta, &spare)
        }
    }

    /// dW = Xᵀ·δ for a thin input (k ≤ 4 rows of dW), vectorised over the outputs.
    @inline(__always)
    private static func thinWeightGradient(_ x: UnsafePointer<Float>, _ delta: UnsafePointer<Float>,
                                           into dW: UnsafeMutablePointer<Float>,
                                           rows: Int, fanIn: Int, fanOut: Int) {
        dW.update(repeating: 0, count: fanIn * fanOut)
        for r in 0..<rows {
            let d = delta + r * fanOut, xr = x + r * fanIn
            for k in 0..<fanIn {
                let xk = xr[k], row = dW + k * fanOut
                for c in 0..<fanOut { row[c] += xk * d[c] }
            }
        }
    }

    /// db = Σ_rows δ.
    @inline(__always)
    private static func columnSums(_ delta: UnsafePointer<Float>, rows: Int, cols: Int,
                                   into db: UnsafeMutablePointer<Float>) {
        db.update(from: delta, count: cols)
        for r in 1..<max(rows, 1) {
            let d = delta + r * cols
            for c in 0..<cols { db[c] += d[c] }
        }
    }

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
