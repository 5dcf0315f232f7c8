import GANLabEngine

/// Flat parameters and optimizer state of one network.
///
/// A network is either one multilayer perceptron (`residualBlocks == 0`) or a stack of
/// `residualBlocks` residual blocks x ↦ x + B_k(x), each an MLP of widths `layerSizes` (first =
/// last), whose parameters are stored block after block.
public struct NetworkState: Equatable, Sendable {
    /// Widths of every layer of the multilayer perceptron: `[input, hidden..., output]` (for a
    /// residual stack: of one block).
    public var layerSizes: [Int]
    /// Residual blocks (0 = a plain MLP). Needs snapshot format version 2 when non-zero.
    public var residualBlocks: Int
    /// All weights and biases, flat, in the engine's order.
    public var parameters: [Float]
    /// Adam's step counter t (0 for SGD).
    public var optimizerStep: Int
    /// Adam's first moment m (empty for SGD), one per parameter.
    public var firstMoment: [Float]
    /// Adam's second moment v (empty for SGD), one per parameter.
    public var secondMoment: [Float]

    /// A network state; the moments default to empty (SGD), the network to a plain MLP.
    public init(layerSizes: [Int], residualBlocks: Int = 0, parameters: [Float], optimizerStep: Int = 0,
                firstMoment: [Float] = [], secondMoment: [Float] = []) {
        self.layerSizes = layerSizes
        self.residualBlocks = residualBlocks
        self.parameters = parameters
        self.optimizerStep = optimizerStep
        self.firstMoment = firstMoment
        self.secondMoment = secondMoment
    }

    /// Parameters of a dense network with these widths: Σ over layers of (in·out + out), the
    /// weight matrix and the bias of each layer. `nil` if fewer than two widths, a width is not
    /// positive, or the count overflows.
    public static func parameterCount(layerSizes: [Int]) -> Int? {
        guard layerSizes.count >= 2, layerSizes.allSatisfy({ $0 > 0 }) else { return nil }
        var total = 0
        for (fanIn, fanOut) in zip(layerSizes, layerSizes.dropFirst()) {
            let (weights, o1) = fanIn.multipliedReportingOverflow(by: fanOut)
            let (layer, o2) = weights.addingReportingOverflow(fanOut)
            let (sum, o3) = total.addingReportingOverflow(layer)
            if o1 || o2 || o3 { return nil }
            total = sum
        }
        return total
    }

    /// Why this state is inconsistent (a phrase naming the network `name`), or `nil` if it is fine.
    public func shapeProblem(name: String) -> String? {
        guard let perBlock = NetworkState.parameterCount(layerSizes: layerSizes) else {
            return "\(name) layer sizes \(layerSizes) are not a valid network"
        }
        if residualBlocks < 0 || residualBlocks > Snapshot.maximumResidualBlocks {
            return "\(name) declares \(residualBlocks) residual blocks (0 to \(Snapshot.maximumResidualBlocks) allowed)"
        }
        if residualBlocks > 0 && layerSizes.first != layerSizes.last {
            return "\(name) residual blocks of widths \(layerSizes) do not map the plane to itself"
        }
        let (expected, overflow) = perBlock.multipliedReportingOverflow(by: max(1, residualBlocks))
        if overflow || parameters.count != expected {
            let shape = residualBlocks > 0 ? "\(residualBlocks) blocks of layer sizes \(layerSizes)"
                : "layer sizes \(layerSizes)"
            return "\(name) has \(parameters.count) parameters but \(shape) imply \(overflow ? "too many" : "\(expected)")"
        }
        if firstMoment.count != secondMoment.count
            || !(firstMoment.isEmpty || firstMoment.count == parameters.count) {
            return "\(name) moments have \(firstMoment.count) and \(secondMoment.count) entries; "
                + "expected 0 or \(parameters.count) each"
        }
        if optimizerStep < 0 {
            return "\(name) optimizer step is negative (\(optimizerStep))"
        }
        return nil
    }
}

/// Everything needed to continue or render a run at one step.
///
/// Stored as one `.snap` file (layout in `Snapshot+Coding.swift`); the resolved config is
/// embedded, so a snapshot alone describes its run. Encoding is deterministic: the same snapshot
/// always gives the same bytes, so an interrupted-and-resumed run can be compared byte for byte
/// with an uninterrupted one.
public struct Snapshot: Equatable, Sendable {
    /// Newest file format version: written when the snapshot has named extra arrays (a remedy's
    /// state, e.g. the generator's weight average), read with all older ones. Without extras the
    /// writer uses version 2 when a network is a residual stack and version 1 (plain MLPs only)
    /// otherwise, so those files keep the bytes, and the readers, that versions 1 and 2 have.
    public static let formatVersion: UInt32 = 3
    /// Oldest file format version this build reads.
    public static let oldestFormatVersion: UInt32 = 1
    /// Most residual blocks a stored network may declare.
    public static let maximumResidualBlocks = 4096
    /// The 8 bytes every snapshot file starts with.
    public static let magic = "GANLSNAP"
    /// Largest payload (all float arrays together) a snapshot may declare: 1 GiB.
    public static let maximumPayloadBytes = 1 << 30

    /// Generator steps completed when the snapshot was taken.
    public var step: Int
    /// The resolved experiment config (embedded as JSON with sorted keys).
    public var config: ExperimentConfig
    /// The generator's parameters and optimizer state.
    public var generator: NetworkState
    /// The discriminator's parameters and optimizer state.
    public var discriminator: NetworkState
    /// The xoshiro256** state of the run's random source: exactly 4 words, not all zero.
    public var rngState: [UInt64]
    /// u_l, v_l of every layer of D (`discriminator.normalization: spectral`), nil without
    /// spectral normalisation.
    public var discriminatorSpectralVectors: [Float]?
    /// θ_EMA, the moving average of G's parameters (`train.generatorAverage` > 0), one per
    /// parameter; nil when the run keeps none. Stored as the extra array "generator.average".
    public var generatorAverage: [Float]?
    /// Which of G's weights `generator.parameters` holds: the trained ones, or θ_EMA put there by
    /// `usingAveragedGenerator()` for pictures and measurements (such a snapshot is never stored).
    public private(set) var generatorWeights: GeneratorWeights = .trained

    /// A snapshot of a run at `step`.
    public init(step: Int, config: ExperimentConfig, generator: NetworkState,
                discriminator: NetworkState, rngState: [UInt64], generatorAverage: [Float]? = nil) {
        self.step = step
        self.config = config
        self.generator = generator
        self.discriminator = discriminator
        self.rngState = rngState
        self.generatorAverage = generatorAverage
    }

    /// The same snapshot with θ_EMA in place of G's trained parameters, so that everything built
    /// from it (`makeGenerator`, the views, the diagnostics) uses the averaged generator, marked
    /// by `generatorWeights`. Nil when the snapshot stores no average.
    public func usingAveragedGenerator() -> Snapshot? {
        guard let average = generatorAverage else { return nil }
        var averaged = self
        if generatorWeights == .trained { averaged.generator.parameters = average }
        averaged.generatorWeights = .averaged
        return averaged
    }

    /// Why this snapshot cannot be stored or continued, or `nil` if it is consistent.
    public var shapeProblem: String? {
        if step < 0 { return "step is negative (\(step))" }
        if rngState.count != 4 { return "the random state has \(rngState.count) words, not 4" }
        if rngState.allSatisfy({ $0 == 0 }) { return "the random state is all zero" }
        if let vectors = discriminatorSpectralVectors,
           vectors.count != SpectralNormalization.vectorCount(layerSizes: discriminator.layerSizes) {
            return "the discriminator's spectral vectors have \(vectors.count) entries but its layer sizes "
                + "\(discriminator.layerSizes) need \(SpectralNormalization.vectorCount(layerSizes: discriminator.layerSizes))"
        }
        if let average = generatorAverage, average.count != generator.parameters.count {
            return "the generator's weight average has \(average.count) entries but the generator has "
                + "\(generator.parameters.count) parameters"
        }
        return generator.shapeProblem(name: "the generator")
            ?? discriminator.shapeProblem(name: "the discriminator")
    }

    /// Why the networks and optimizer state do not fit the embedded config, or `nil` if they do.
    ///
    /// Training, `sample` and `render` build G and D from the config and load these arrays into
    /// them, so a snapshot that passes its checksum but disagrees with its own config (hand-made,
    /// or from another ganlab) must be refused here rather than trap in the engine.
    public var configProblem: String? {
        do {
            try config.validate()
        } catch {
            return "the embedded config is invalid (\(error.keyPath ?? "config"): \(error.problem))"
        }
        if step > config.train.steps {
            return "step \(step) is beyond the config's \(config.train.steps) training steps"
        }
        let beta = config.train.generatorAverage
        if beta > 0 && generatorAverage == nil {
            return "the config averages the generator's weights (train.generatorAverage \(beta)) "
                + "but the snapshot stores no average"
        }
        let spectral = config.discriminator.normalization == .spectral
        if spectral != (discriminatorSpectralVectors != nil) {
            return spectral ? "the config normalises D spectrally but the snapshot stores no spectral vectors"
                : "the snapshot stores spectral vectors but its config has discriminator.normalization none"
        }
        if let vectors = discriminatorSpectralVectors, !vectors.allSatisfy(\.isFinite) {
            return "the discriminator's spectral vectors are not all finite"
        }
        if beta == 0 && generatorAverage != nil {
            return "the snapshot stores an average of the generator's weights but its config has "
                + "train.generatorAverage 0"
        }
        let networks = [
            ("generator", generator, GANTrainer.generatorSizes(config), config.train.generatorOptimizer, 1),
            ("discriminator", discriminator, GANTrainer.discriminatorSizes(config), config.train.discriminatorOptimizer,
             config.train.discriminatorSteps),
        ]
        for (name, state, sizes, optimizer, updatesPerStep) in networks {
            let blocks = name == "generator" ? GANTrainer.generatorBlocks(config) : 0
            if state.residualBlocks != blocks {
                return "the \(name) stores \(state.residualBlocks) residual blocks but its config describes \(blocks)"
            }
            if state.layerSizes != sizes {
                return "the \(name)'s layer sizes \(state.layerSizes) are not the \(sizes) its config describes"
            }
            let moments = optimizer.kind == .adam ? state.parameters.count : 0
            if state.firstMoment.count != moments {
                return "the \(name) stores \(state.firstMoment.count) optimizer moments but its "
                    + "\(optimizer.kind.rawValue) optimizer keeps \(moments)"
            }
            if state.optimizerStep > step * updatesPerStep {
                return "the \(name)'s optimizer step \(state.optimizerStep) exceeds the \(step * updatesPerStep) "
                    + "updates of \(step) training steps"
            }
        }
        return nil
    }

    // MARK: - Files

    /// Writes the snapshot to `path` atomically: readers see the old file or the new one.
    public func write(to path: String) throws {
        try writeAtomically(encoded(), to: path)
    }

    /// Reads and fully verifies the snapshot at `path` (magic, version, sizes, checksum, shapes,
    /// fit with the embedded config).
    public static func read(from path: String) throws -> Snapshot {
        let limit = maximumPayloadBytes + maximumHeaderBytes + fixedBytes
        return try Snapshot(decoding: readWholeFile(at: path, limit: limit), path: path)
    }
}
