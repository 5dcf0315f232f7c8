import GANLabEngine

// MARK: - Building the generator

extension GANTrainer {
    /// G's widths: latent dimension, hidden widths, 2. For a residual G, the widths of one block:
    /// 2, `blockDepth` × `blockWidth`, 2.
    public static func generatorSizes(_ c: ExperimentConfig) -> [Int] {
        switch c.generator.architecture {
        case .mlp:
            return [c.latentDimension] + c.generator.hidden + [2]
        case .residual:
            return [2] + Array(repeating: c.generator.blockWidth, count: c.generator.blockDepth) + [2]
        }
    }

    /// Residual blocks in G: 0 for an MLP (`generatorSizes` is then the whole network).
    public static func generatorBlocks(_ c: ExperimentConfig) -> Int {
        c.generator.architecture == .residual ? c.generator.blocks : 0
    }

    /// G's output activation: `auto` is tanh on the spiral (the article), identity elsewhere. A
    /// residual G outputs x_K as it is (validation allows only `auto` or `identity` there).
    public static func generatorOutput(_ c: ExperimentConfig) -> Activation {
        if c.generator.architecture == .residual { return Activation(.identity) }
        switch c.generator.output {
        case .auto: return Activation(c.problem == .spiral ? .tanh : .identity)
        case .identity: return Activation(.identity)
        case .tanh: return Activation(.tanh)
        case .sigmoid: return Activation(.sigmoid)
        }
    }

    /// A generator with zero parameters: an MLP of widths `layerSizes` when `residualBlocks` is 0,
    /// else a stack of that many residual blocks of widths `layerSizes` (see `NetworkState`).
    public static func makeGenerator(layerSizes: [Int], residualBlocks: Int, config: ExperimentConfig,
                                     maxBatch: Int) -> any TrainableNetwork {
        if residualBlocks > 0 {
            return ResidualStack(blocks: residualBlocks, blockSizes: layerSizes, hidden: activation(config.generator),
                                 maxBatch: maxBatch, kernels: config.kernelPlan)
        }
        return MLP(layerSizes: layerSizes, hidden: activation(config.generator), output: generatorOutput(config),
                   maxBatch: maxBatch, kernels: config.kernelPlan)
    }

    /// Draws G's initial parameters from `rng`: the configured scheme for an MLP; for a residual
    /// G, the scheme on the blocks' hidden layers, N(0, blockBiasScale²) hidden biases and
    /// N(0, exitInitScale²) exit weights.
    static func initializeGenerator(_ generator: any TrainableNetwork, _ n: NetworkConfig,
                                    using rng: inout RandomSource) {
        if let stack = generator as? ResidualStack {
            stack.initialize(hidden: initializer(n), hiddenBiasScale: n.blockBiasScale,
                             exit: Initializer(.normal, scale: n.exitInitScale), using: &rng)
        } else if let mlp = generator as? MLP {
            mlp.initialize(initializer(n), using: &rng)
        }
    }
}
