/// What the trainer, the snapshots and the renderer need of a network: rows in, rows out, one
/// flat parameter vector with its gradient, and hand-written forward and backward passes.
///
/// Two kinds conform: `MLP` (the article's generator and every discriminator) and
/// `ResidualStack` (deep, thin residual generators built from small MLPs). Callers hold an
/// `any TrainableNetwork` and make a handful of calls per training step; the hot loops stay inside
/// each type's own passes, so the protocol's dynamic dispatch costs nothing inside them.
public protocol TrainableNetwork: AnyObject {
    /// Width of one input row.
    var inputWidth: Int { get }
    /// Width of one output row.
    var outputWidth: Int { get }
    /// Most rows one forward pass may take.
    var maxBatch: Int { get }
    /// Number of trainable numbers.
    var parameterCount: Int { get }
    /// All parameters, flat; an optimizer updates them in place.
    var parameters: UnsafeMutableBufferPointer<Float> { get }
    /// ∂L/∂parameters from the last `backward` with weight gradients, same layout.
    var gradients: UnsafeMutableBufferPointer<Float> { get }
    /// The input rows of the next `forward`, (maxBatch, inputWidth); write the first rows.
    var input: UnsafeMutableBufferPointer<Float> { get }
    /// Outputs of the last `forward`, (maxBatch, outputWidth).
    var outputBuffer: UnsafeMutableBufferPointer<Float> { get }
    /// ∂L/∂input from the last `backward` with `inputGradient: true`, (maxBatch, inputWidth).
    var inputGradient: UnsafeBufferPointer<Float> { get }

    /// Readies what every forward part reads (call it once before `forwardPart`s; `forward`
    /// does).
    func prepareForward()
    /// Runs this part's share (`team.share(n)`) of the first n rows of `input` through the
    /// network into `outputBuffer`. Parts never wait for each other, so a caller can feed the
    /// rows straight on into another network inside the same `WorkerPool.run`.
    func forwardPart(_ team: Team, batch n: Int)
    /// This part's share of back-propagating ∂L/∂output (n rows) through the state of the last
    /// forward pass over n rows. Every part of the team must call it. This part reads its own
    /// rows (`team.share(n)`) of `outputGradient` and writes its own rows of `inputGradient`,
    /// so the parts can chain networks row by row; the gradients are complete when every part
    /// has returned.
    ///
    /// - prepared: this part's `prepareBackwardPart` ran since the weights last changed, in a
    ///   pool run that has ended, so the pass may skip that work and the meeting after it.
    /// - optimizer: apply it (its `prepareUpdate` already called) to the parameters as their
    ///   gradients are finished; the parameters are updated when every part has returned. Only
    ///   when nothing else is added to the gradients before the update.
    func backwardPart(_ team: Team, outputGradient: UnsafePointer<Float>, batch n: Int,
                      weightGradients: Bool, inputGradient: Bool, prepared: Bool, optimizer: Optimizer?)
    /// This part's share of the work a backward pass can do ahead, once the forward pass's
    /// weights are fixed (transposed weights); see `backwardPart`'s `prepared`.
    func prepareBackwardPart(_ team: Team, inputGradient: Bool)
    /// Pushes tangent rows (rows.count, inputWidth) through the state of the last forward pass
    /// over those rows, writing the Jacobian–vector products (rows.count, outputWidth) into
    /// `result` (forward mode; see `jacobianColumns`). Rows are independent, so parts may call
    /// it on their own rows at once.
    func pushTangent(_ tangent: UnsafePointer<Float>, rows: Range<Int>, into result: UnsafeMutablePointer<Float>)
    /// A copy of the parameters.
    func copyParameters() -> [Float]
    /// Replaces the parameters; `values` must have `parameterCount` entries.
    func loadParameters(_ values: [Float])
    /// Applies the network to `count` rows (row-major), in chunks of `maxBatch`.
    func predict(_ inputValues: [Float], count: Int) -> [Float]
}

extension TrainableNetwork {
    /// Parts worth splitting n rows over: every engine thread, or just the caller below 32 rows.
    public static func parts(rows n: Int) -> Int { n >= 32 ? WorkerPool.shared.parts : 1 }

    /// Runs the first `batch` rows of `input` through the network into `outputBuffer`, split
    /// across the engine's threads.
    public func forward(batch n: Int) {
        prepareForward()
        WorkerPool.shared.run(parts: Self.parts(rows: n)) { team in forwardPart(team, batch: n) }
    }

    /// `backwardPart` with nothing prepared ahead and no optimizer.
    public func backwardPart(_ team: Team, outputGradient: UnsafePointer<Float>, batch n: Int,
                             weightGradients: Bool, inputGradient: Bool) {
        backwardPart(team, outputGradient: outputGradient, batch: n, weightGradients: weightGradients,
                     inputGradient: inputGradient, prepared: false, optimizer: nil)
    }

    /// Back-propagates ∂L/∂output (n rows) through the state of the last `forward(batch: n)`,
    /// split across the engine's threads.
    /// - weightGradients: fill `gradients` (skip it for a frozen network, e.g. D in the G step).
    /// - inputGradient: fill `inputGradient` (needed when another network feeds this one).
    public func backward(outputGradient: UnsafePointer<Float>, batch n: Int, weightGradients: Bool, inputGradient: Bool) {
        WorkerPool.shared.run(parts: Self.parts(rows: n)) { team in
            backwardPart(team, outputGradient: outputGradient, batch: n,
                         weightGradients: weightGradients, inputGradient: inputGradient)
        }
    }
}

extension MLP: TrainableNetwork {}
