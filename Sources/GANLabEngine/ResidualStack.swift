/// A deep, thin residual network on a plane: x_{k+1} = x_k + B_k(x_k) for k = 0…K−1, output x_K.
///
/// Each block B_k is an ordinary `MLP` of widths [d, h…, d]: hidden layers with `hidden`, then a
/// tanh exit layer, so a block moves a point by less than 1 per coordinate. With the exit weights
/// near zero every block starts as (nearly) the identity and the stack as a whole is G(z) ≈ z;
/// training opens the blocks gradually (He et al. 2016, "Deep residual learning", with the
/// zero-initialised last layer of Goyal et al. 2017). Large hidden weights (σ ≈ 1) give each block
/// the intricate, CPPN-like random structure that the exits let in as they grow.
///
/// The stack owns one flat parameter vector, block after block in each block's own layout, and its
/// gradient, so an optimizer step and a snapshot are one pass over one array, as for an MLP. The
/// blocks are work areas: their parameters are copied from `parameters` at the start of every
/// forward pass (a few dozen numbers per block), and their gradients are gathered into
/// `gradients` by every backward pass with weight gradients.
public final class ResidualStack {
    /// Widths of every block, [d, hidden…, d].
    public let blockSizes: [Int]
    /// Number of blocks K.
    public let blockCount: Int
    /// Activation after every hidden layer of every block.
    public let hidden: Activation
    /// Most rows one forward pass may take.
    public let maxBatch: Int
    /// Parameters of one block.
    public let blockParameterCount: Int
    /// Parameters of the whole stack: K × `blockParameterCount`.
    public let parameterCount: Int
    /// The blocks, in order (work areas; see the type's documentation).
    public let blocks: [MLP]

    /// Dimension d of the plane the blocks act on (input and output width).
    public var width: Int { blockSizes[0] }
    /// Width of the input: d.
    public var inputWidth: Int { width }
    /// Width of the output: d.
    public var outputWidth: Int { width }

    let params: UnsafeMutablePointer<Float>
    let grads: UnsafeMutablePointer<Float>
    let outputs: UnsafeMutablePointer<Float>     // x_K, (maxBatch, d)
    let upstream: UnsafeMutablePointer<Float>    // ∂L/∂x_k while walking back, (maxBatch, d)
    let inputGrads: UnsafeMutablePointer<Float>  // ∂L/∂x_0, (maxBatch, d)

    /// A stack of `blocks` blocks of widths `blockSizes` (first = last = the plane's dimension),
    /// with zero parameters; call `initialize` or `loadParameters` next.
    public init(blocks: Int, blockSizes: [Int], hidden: Activation, maxBatch: Int, kernels: KernelPlan = .fixed) {
        precondition(blocks > 0, "a residual stack needs at least one block")
        precondition(blockSizes.count >= 2 && blockSizes.first == blockSizes.last,
                     "a residual block maps the plane to itself; got widths \(blockSizes)")
        self.blockSizes = blockSizes
        self.blockCount = blocks
        self.hidden = hidden
        self.maxBatch = maxBatch
        self.blocks = (0..<blocks).map { _ in
            MLP(layerSizes: blockSizes, hidden: hidden, output: Activation(.tanh), maxBatch: maxBatch, kernels: kernels)
        }
        blockParameterCount = MLP.parameterCount(layerSizes: blockSizes)
        parameterCount = blocks * blockParameterCount
        func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
            p.initialize(repeating: 0, count: n)
            return p
        }
        params = buffer(parameterCount)
        grads = buffer(parameterCount)
        outputs = buffer(maxBatch * blockSizes[0])
        upstream = buffer(maxBatch * blockSizes[0])
        inputGrads = buffer(maxBatch * blockSizes[0])
    }

    deinit {
        params.deallocate()
        grads.deallocate()
        outputs.deallocate()
        upstream.deallocate()
        inputGrads.deallocate()
    }

    // MARK: - Parameters

    /// All weights and biases, flat: block 0's (in `MLP` layout), then block 1's, and so on.
    public var parameters: UnsafeMutableBufferPointer<Float> { .init(start: params, count: parameterCount) }
    /// ∂L/∂parameters from the last `backward` with weight gradients, same layout.
    public var gradients: UnsafeMutableBufferPointer<Float> { .init(start: grads, count: parameterCount) }

    /// Offset of block k's parameters inside `parameters`.
    public func blockOffset(_ k: Int) -> Int { k * blockParameterCount }

    /// Draws every block in storage order: hidden weights from `hidden`, hidden biases from
    /// N(0, hiddenBiasScale²) (zero when the scale is 0), exit weights from `exit`, exit biases 0.
    ///
    /// A zero-scale `exit` makes every block exactly the identity.
    public func initialize(hidden hiddenInit: Initializer, hiddenBiasScale: Double = 0, exit: Initializer,
                           using rng: inout RandomSource) {
        let shape = blocks[0], last = shape.layerCount - 1
        for k in 0..<blockCount {
            let base = params + blockOffset(k)
            for l in 0...last {
                let fanIn = blockSizes[l], fanOut = blockSizes[l + 1]
                let weights = UnsafeMutableBufferPointer(start: base + shape.weightOffset(layer: l), count: fanIn * fanOut)
                (l == last ? exit : hiddenInit).fill(weights, fanIn: fanIn, fanOut: fanOut, using: &rng)
                let bias = base + shape.biasOffset(layer: l)
                for j in 0..<fanOut {
                    bias[j] = l < last && hiddenBiasScale > 0 ? Float(hiddenBiasScale * rng.nextGaussian()) : 0
                }
            }
        }
    }

    /// A copy of the parameters.
    public func copyParameters() -> [Float] { Array(parameters) }

    /// Replaces the parameters; `values` must have `parameterCount` entries.
    public func loadParameters(_ values: [Float]) {
        precondition(values.count == parameterCount, "expected \(parameterCount) parameters, got \(values.count)")
        _ = parameters.update(fromContentsOf: values)
    }

    // MARK: - Buffers

    /// The input rows x_0 of the next `forward`, (maxBatch, d): block 0's own input buffer.
    public var input: UnsafeMutableBufferPointer<Float> { blocks[0].input }
    /// x_K after the last `forward`, (maxBatch, d).
    public var outputBuffer: UnsafeMutableBufferPointer<Float> { .init(start: outputs, count: maxBatch * width) }
    /// ∂L/∂x_0 from the last `backward` with `inputGradient: true`, (maxBatch, d).
    public var inputGradient: UnsafeBufferPointer<Float> { .init(start: inputGrads, count: maxBatch * width) }

    // MARK: - Passes

    /// Copies every block's parameters from `parameters` into the block (a few dozen numbers
    /// each) and readies the blocks' forward parts; call before `forwardPart` (`forward` does).
    public func prepareForward() {
        for k in 0..<blockCount {
            let block = blocks[k]
            if let dst = block.parameters.baseAddress { dst.update(from: params + blockOffset(k), count: blockParameterCount) }
            block.prepareForward()
        }
    }

    /// This part's share of the first n rows through the stack; x_K is in `outputBuffer`.
    ///
    /// Block k reads x_k from its own input buffer and the sum x_k + B_k(x_k) is written straight
    /// into the next block's input, so every x_k stays where the backward pass needs it. Each
    /// part only touches its own rows, so the parts never meet.
    public func forwardPart(_ team: Team, batch n: Int) {
        precondition(n > 0 && n <= maxBatch, "batch \(n) outside 1...\(maxBatch)")
        let rows = team.share(n), d = width
        for k in 0..<blockCount {
            let block = blocks[k]
            block.forwardPart(team, batch: n)
            guard let x = block.input.baseAddress, let b = block.outputBuffer.baseAddress,
                  let next = k + 1 < blockCount ? blocks[k + 1].input.baseAddress : outputs
            else { continue }
            for i in (rows.lowerBound * d)..<(rows.upperBound * d) { next[i] = x[i] + b[i] }  // x_{k+1} = x_k + B_k(x_k)
        }
    }

    /// This part's share of back-propagating ∂L/∂x_K (n rows of `outputGradient`, (n, d))
    /// through the state of the last forward pass over n rows; every part must call it.
    ///
    /// With g_k = ∂L/∂x_k, the skip connection gives g_k = g_{k+1} + J_{B_k}(x_k)ᵀ·g_{k+1}: each
    /// block's own backward computes the second term (and its weight gradients from g_{k+1}), the
    /// identity path adds g_{k+1} itself. A part walks its own rows of g back through the
    /// blocks; the parts meet inside each block's pass and before its gradients are gathered.
    ///
    /// Nothing is prepared ahead (`prepared` is ignored); an optimizer is applied after a
    /// meeting, each part to its share of the whole parameter vector.
    public func backwardPart(_ team: Team, outputGradient: UnsafePointer<Float>, batch n: Int,
                             weightGradients: Bool, inputGradient wantInput: Bool,
                             prepared: Bool, optimizer: Optimizer?) {
        precondition(n > 0 && n <= maxBatch, "batch \(n) outside 1...\(maxBatch)")
        let rows = team.share(n), d = width
        let own = (rows.lowerBound * d)..<(rows.upperBound * d)
        (upstream + own.lowerBound).update(from: outputGradient + own.lowerBound, count: own.count)
        for k in stride(from: blockCount - 1, through: 0, by: -1) {
            let block = blocks[k]
            let needInput = k > 0 || wantInput
            guard weightGradients || needInput else { break }
            block.backwardPart(team, outputGradient: upstream, batch: n, weightGradients: weightGradients,
                               inputGradient: needInput)
            if weightGradients, let src = block.gradients.baseAddress {
                team.barrier()  // every part's share of the block's gradients is summed
                let share = team.share(blockParameterCount, align: 16)
                (grads + blockOffset(k) + share.lowerBound).update(from: src + share.lowerBound, count: share.count)
            }
            if needInput, let through = block.inputGradient.baseAddress {
                for i in own { upstream[i] += through[i] }  // g_k = g_{k+1} + J_Bᵀ·g_{k+1}
            }
        }
        if wantInput { (inputGrads + own.lowerBound).update(from: upstream + own.lowerBound, count: own.count) }
        if weightGradients, let optimizer {
            team.barrier()  // every block's gradients are gathered
            optimizer.updatePart(team, parameters: parameters, gradients: gradients)
        }
    }

    /// Nothing: the blocks' passes transpose what they need themselves.
    public func prepareBackwardPart(_ team: Team, inputGradient: Bool) {}

    // MARK: - Inference

    /// Applies the stack to `count` rows of `inputValues` (row-major), in chunks of `maxBatch`.
    public func predict(_ inputValues: [Float], count: Int) -> [Float] {
        precondition(inputValues.count == count * width, "predict: expected \(count)×\(width) inputs")
        var result = [Float](repeating: 0, count: count * width)
        var start = 0
        while start < count {
            let n = min(maxBatch, count - start)
            _ = UnsafeMutableBufferPointer(rebasing: input[0..<(n * width)])
                .update(fromContentsOf: inputValues[(start * width)..<((start + n) * width)])
            forward(batch: n)
            result.withUnsafeMutableBufferPointer { dst in
                _ = UnsafeMutableBufferPointer(rebasing: dst[(start * width)..<((start + n) * width)])
                    .update(fromContentsOf: outputBuffer[0..<(n * width)])
            }
            start += n
        }
        return result
    }
}

extension ResidualStack: TrainableNetwork {}
