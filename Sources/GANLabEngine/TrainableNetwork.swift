/// What the trainer, the snapshots and the renderer need of a network: rows in, rows out, one
/// flat parameter vector with its gradient, and hand-written forward and backward passes.
///
/// Two kinds conform: `MLP` (the article's generator and every discriminator) and
/// `ResidualStack` (deep, thin residual generators built from small MLPs). Callers hold an
/// `any TrainableNetwork` and make a handful of calls per training step; the hot loops stay inside
/// each type's own passes, so the MLP path runs the same code as before.
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

    /// Runs the first `batch` rows of `input` through the network into `outputBuffer`.
    func forward(batch n: Int)
    /// Back-propagates ∂L/∂output (n rows) through the state of the last `forward(batch: n)`.
    func backward(outputGradient: UnsafePointer<Float>, batch n: Int, weightGradients: Bool, inputGradient: Bool)
    /// A copy of the parameters.
    func copyParameters() -> [Float]
    /// Replaces the parameters; `values` must have `parameterCount` entries.
    func loadParameters(_ values: [Float])
    /// Applies the network to `count` rows (row-major), in chunks of `maxBatch`.
    func predict(_ inputValues: [Float], count: Int) -> [Float]
}

extension MLP: TrainableNetwork {}
