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
        for (name, network, outputs) in [("generator", generator, 2), ("discriminator", discriminator, 1)] {
            let inputs = name == "generator" ? ToyProblem(problem).latentDimension : 2
            let bytes = trainingBytes(of: network, inputs: inputs, outputs: outputs)
            guard bytes <= ExperimentConfig.networkMemoryLimit else {
                let gb = (bytes / 1_073_741_824 * 10).rounded() / 10
                throw ConfigError(.outOfRange, location: "", keyPath: "\(name).hidden",
                                  problem: "this \(name) (\(network.hidden.count) layers up to width "
                                    + "\(network.hidden.max() ?? 0)) with batches of \(largestBatch) needs about "
                                    + "\(gb) GB for weights and activations, more than the 2 GB limit; use fewer "
                                    + "or narrower layers or smaller batches.")
            }
        }
        guard discriminator.output == .auto || discriminator.output == .identity else {
            throw ConfigError(.outOfRange, location: "", keyPath: "discriminator.output",
                              problem: "the discriminator must output a logit (every loss applies its own "
                                + "sigmoid), so use 'auto' or 'identity', not '\(discriminator.output.rawValue)'.")
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
}
