import GANLabEngine

// MARK: - Validation

extension ExperimentConfig {
    /// Bytes one network may need for weights, gradients, Adam moments and activations: 2 GiB.
    public static let networkMemoryLimit: Double = 2 * 1_073_741_824

    /// Checks every range and the constraints between fields; usable after overrides or on a
    /// config built in code.
    ///
    /// Errors carry the key path but no location (the loader fills in the file and line, or the
    /// `--set` argument, that set the key).
    public func validate() throws(ConfigError) {
        try checkRanges(ExperimentConfig.schema, path: [])
        try validateTarget()
        if generator.architecture == .residual { try validateResidualGenerator() }
        for (name, network, outputs) in [("generator", generator, 2), ("discriminator", discriminator, 1)] {
            let inputs = name == "generator" ? latentDimension : 2 * discriminator.packing
            let residual = name == "generator" && network.architecture == .residual
            let bytes = residual ? residualTrainingBytes(of: network)
                : trainingBytes(of: network, inputs: inputs, outputs: outputs)
            guard bytes <= ExperimentConfig.networkMemoryLimit else {
                let gb = (bytes / 1_073_741_824 * 10).rounded() / 10
                let shape = residual
                    ? "\(network.blocks) blocks of \(network.blockDepth) layers of width \(network.blockWidth)"
                    : "\(network.hidden.count) layers up to width \(network.hidden.max() ?? 0)"
                throw ConfigError(.outOfRange, location: "", keyPath: "\(name).\(residual ? "blocks" : "hidden")",
                                  problem: "this \(name) (\(shape)) with batches of \(largestBatch) needs about "
                                    + "\(gb) GB for weights and activations, more than the 2 GB limit; use fewer "
                                    + "or narrower layers or smaller batches.")
            }
        }
        let m = discriminator.packing
        for (key, size) in [("realBatch", train.realBatch), ("fakeBatch", train.fakeBatch),
                            ("generatorBatch", train.generatorBatch)] where size % m != 0 {
            throw ConfigError(.outOfRange, location: "", keyPath: "discriminator.packing",
                              problem: "packing \(m) does not divide train.\(key) = \(size): D packs \(m) samples "
                                + "of one kind into each input, so every batch must be a multiple of \(m) "
                                + "(train.realBatch \(train.realBatch), train.fakeBatch \(train.fakeBatch), "
                                + "train.generatorBatch \(train.generatorBatch)).")
        }
        guard train.instanceNoise == 0 || train.instanceNoiseSteps > 0 else {
            throw ConfigError(.outOfRange, location: "", keyPath: "train.instanceNoiseSteps",
                              problem: "instance noise of σ₀ = \(train.instanceNoise) needs the number of steps over "
                                + "which it falls to 0; set train.instanceNoiseSteps to a whole number ≥ 1.")
        }
        try validateRemedyCombinations()
        if train.kernels != "auto" {
            do {
                _ = try KernelPlan(parsing: train.kernels)
            } catch {
                throw ConfigError(.outOfRange, location: "", keyPath: "train.kernels",
                                  problem: "\(error.description); use auto, fixed or a plan like \"2x512:t,t,t 512x512:b,b,t\".")
            }
        }
        guard discriminator.output == .auto || discriminator.output == .identity else {
            throw ConfigError(.outOfRange, location: "", keyPath: "discriminator.output",
                              problem: "the discriminator must output a logit (every loss applies its own "
                                + "sigmoid), so use 'auto' or 'identity', not '\(discriminator.output.rawValue)'.")
        }
    }

    /// A file target names its file; a built-in problem has no `target` section.
    private func validateTarget() throws(ConfigError) {
        guard problem.isFileTarget else {
            guard target == TargetConfig() else {
                throw ConfigError(.outOfRange, location: "", keyPath: "target",
                                  problem: "the target section applies only to problem: points or problem: picture, "
                                    + "not to the built-in problem '\(problem.rawValue)'; remove it or change the problem.")
            }
            return
        }
        guard !target.file.allSatisfy(\.isWhitespace) else {
            throw ConfigError(.outOfRange, location: "", keyPath: "target.file",
                              problem: "problem '\(problem.rawValue)' reads its target from a file; set target.file to "
                                + (problem == .points ? "a CSV with columns x, y (and optionally weight)" : "a PNG picture")
                                + ", e.g. target.file: data/two-moons.csv.")
        }
        if problem == .picture && target.jitter != 0 {
            throw ConfigError(.outOfRange, location: "", keyPath: "target.jitter",
                              problem: "jitter applies to points only; a picture target already spreads each sample "
                                + "uniformly over its pixel. Remove target.jitter.")
        }
        let hex = target.checksum
        guard hex.isEmpty || (hex.count == 8 && hex.allSatisfy(\.isHexDigit)) else {
            throw ConfigError(.outOfRange, location: "", keyPath: "target.checksum",
                              problem: "'\(hex)' is not a checksum the lab wrote (8 hex digits); remove the key, the lab "
                                + "records it when a run starts.")
        }
    }

    /// Which losses, penalties and batch shapes go together (docs/REMEDIES.md, "Allowed
    /// combinations").
    private func validateRemedyCombinations() throws(ConfigError) {
        if train.loss == .wasserstein && train.penalty != .wganGP && discriminator.normalization != .spectral {
            throw ConfigError(.outOfRange, location: "", keyPath: "train.loss",
                              problem: "the Wasserstein loss needs a Lipschitz constraint on the critic, or its "
                                + "values grow without bound; set train.penalty: wgan-gp (Gulrajani et al. 2017) "
                                + "or discriminator.normalization: spectral (Miyato et al. 2018).")
        }
        guard train.penalty != .none else { return }
        if train.penalty == .wganGP && train.realBatch != train.fakeBatch {
            throw ConfigError(.outOfRange, location: "", keyPath: "train.penalty",
                              problem: "wgan-gp interpolates real and generated samples in pairs, so "
                                + "train.realBatch (\(train.realBatch)) must equal train.fakeBatch (\(train.fakeBatch)).")
        }
    }

    /// The residual generator acts on the latent plane itself and outputs the last point x_K.
    private func validateResidualGenerator() throws(ConfigError) {
        let latent = latentDimension
        guard latent == 2 else {
            let planar = ProblemKind.allCases.filter { $0.isFileTarget || ToyProblem($0).latentDimension == 2 }
                .map(\.rawValue)
            throw ConfigError(.outOfRange, location: "", keyPath: "generator.architecture",
                              problem: "the residual generator moves points of the 2-D latent plane, but problem "
                                + "'\(problem.rawValue)' has a \(latent)-D latent; use architecture 'mlp' for it, "
                                + "or a problem with a 2-D latent (\(planar.joined(separator: ", "))).")
        }
        guard generator.output == .auto || generator.output == .identity else {
            throw ConfigError(.outOfRange, location: "", keyPath: "generator.output",
                              problem: "the residual generator outputs its last point x_K unchanged (each block "
                                + "already ends in tanh), so use 'auto' or 'identity', not "
                                + "'\(generator.output.rawValue)'.")
        }
    }

    /// Runs each value's own check, depth first in declaration order.
    private func checkRanges(_ fields: [ConfigField], path: [String]) throws(ConfigError) {
        for field in fields {
            switch field.content {
            case .section(let children):
                try checkRanges(children, path: path + [field.name])
            case .value(_, let check, _, _):
                if let problem = check(self) {
                    throw ConfigError(.outOfRange, location: "", keyPath: (path + [field.name]).joined(separator: "."),
                                      problem: problem)
                }
            }
        }
    }

    /// Numbers fed to G per latent: 2 for a file target, the built-in problem's otherwise.
    public var latentDimension: Int { prior.dimension }

    /// The distribution G's inputs come from: `target.latent` for a file target, the built-in
    /// problem's otherwise.
    public var prior: LatentPrior {
        guard problem.isFileTarget else { return ToyProblem(problem).prior }
        return target.latent == .gaussian ? .gaussian : .uniformBox
    }

    /// The most rows a network processes at once: D sees real + fake, G's step uses `generatorBatch`.
    var largestBatch: Int {
        max(train.realBatch + train.fakeBatch, train.generatorBatch)
    }

    /// Rough bytes to train `network`: 4 Float copies of every parameter (value, gradient, two
    /// Adam moments) and 4 of every hidden activation (pre-activation, output and both gradients)
    /// at `largestBatch` rows.
    func trainingBytes(of network: NetworkConfig, inputs: Int, outputs: Int) -> Double {
        let widths = [inputs] + network.hidden + [outputs]
        var parameters = 0.0
        for layer in 1..<widths.count {
            parameters += Double(widths[layer - 1] + 1) * Double(widths[layer])
        }
        let activations = Double(largestBatch) * Double(network.hidden.reduce(0, +) + outputs)
        return 4 * 4 * (parameters + activations)
    }

    /// As `trainingBytes`, for a residual generator: its blocks are [2, width…, 2] networks, each
    /// also keeping its input point x_k.
    func residualTrainingBytes(of network: NetworkConfig) -> Double {
        let block = NetworkConfig(hidden: Array(repeating: network.blockWidth, count: network.blockDepth))
        let points = 4 * 4 * Double(largestBatch) * 2
        return Double(network.blocks) * (trainingBytes(of: block, inputs: 2, outputs: 2) + points)
    }
}
