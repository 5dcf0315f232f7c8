// MARK: - The YAML schema of an experiment

/// One key of an experiment file: a value (read, range check, YAML rendering) or a section.
///
/// The table in `ExperimentConfig.schema` is the single source of truth for the file format:
/// loading walks it, `validate()` runs its range checks, `yamlText` renders it in its order
/// (the order the fields are declared in `ExperimentConfig.swift`).
struct ConfigField {
    /// Reads a YAML value into the config (type errors only; ranges are `check`'s job).
    typealias Read = (inout ExperimentConfig, ValueReader) throws(ConfigError) -> Void

    /// A leaf value or a nested section.
    enum Content {
        /// A value: how to read it, check it (nil = fine, else the problem sentence), render it.
        case value(read: Read, check: (ExperimentConfig) -> String?, render: (ExperimentConfig) -> String,
                   isText: Bool)
        /// A section holding more keys.
        case section([ConfigField])
    }

    /// The YAML key (the Swift field name).
    let name: String
    /// What the key holds.
    let content: Content
    /// What the key means, in one line (for `ganlab config`).
    var help = ""
    /// The allowed names, for a key holding one of an enumeration's values.
    var choices: [String] = []

    /// The same field with its one-line meaning.
    func described(_ help: String) -> ConfigField {
        var field = self
        field.help = help
        return field
    }

    /// The keys allowed inside a section, in declaration order.
    static func names(_ fields: [ConfigField]) -> String {
        fields.map(\.name).joined(separator: ", ")
    }
}

// MARK: - Field builders

extension ConfigField {
    /// A nested section.
    static func section(_ name: String, _ fields: [ConfigField]) -> ConfigField {
        ConfigField(name: name, content: .section(fields))
    }

    /// A whole number in `range`; `meaning` says what it counts, for the out-of-range message.
    static func integer(
        _ name: String, _ path: WritableKeyPath<ExperimentConfig, Int>, _ range: ClosedRange<Int>,
        example: String, meaning: String
    ) -> ConfigField {
        ConfigField(name: name, content: .value(
            read: { config, reader throws(ConfigError) in
                config[keyPath: path] = try reader.integer(example: example)
            },
            check: { config in
                let value = config[keyPath: path]
                guard !range.contains(value) else { return nil }
                return "\(value) is out of range; use a whole number \(ConfigFormat.range(range)) (\(meaning))."
            },
            render: { "\($0[keyPath: path])" }, isText: false), help: "\(meaning), \(ConfigFormat.range(range))")
    }

    /// A 64-bit unsigned whole number (any value is allowed).
    static func unsigned(_ name: String, _ path: WritableKeyPath<ExperimentConfig, UInt64>) -> ConfigField {
        ConfigField(name: name, content: .value(
            read: { config, reader throws(ConfigError) in
                config[keyPath: path] = try reader.unsigned(example: "1")
            },
            check: { _ in nil }, render: { "\($0[keyPath: path])" }, isText: false))
    }

    /// A finite number obeying `rule`.
    static func real(
        _ name: String, _ path: WritableKeyPath<ExperimentConfig, Double>, _ rule: RealRule,
        example: String, meaning: String
    ) -> ConfigField {
        ConfigField(name: name, content: .value(
            read: { config, reader throws(ConfigError) in
                config[keyPath: path] = try reader.real(example: example)
            },
            check: { config in
                let value = config[keyPath: path]
                let fix = "use \(rule.text), e.g. \(example) (\(meaning))."
                if value.isNaN { return ".nan is not a number; \(fix)" }
                if value.isInfinite { return "\(ConfigFormat.number(value)) is infinite; \(fix)" }
                return rule.allows(value) ? nil : "\(ConfigFormat.number(value)) is out of range; \(fix)"
            },
            render: { ConfigFormat.number($0[keyPath: path]) }, isText: false), help: "\(meaning), \(rule.text)")
    }

    /// One line of free text.
    static func text(_ name: String, _ path: WritableKeyPath<ExperimentConfig, String>) -> ConfigField {
        ConfigField(name: name, content: .value(
            read: { config, reader throws(ConfigError) in config[keyPath: path] = try reader.text() },
            check: { config in
                config[keyPath: path].contains(where: \.isNewline)
                    ? "the text spans several lines; keep it to one line." : nil
            },
            render: { ConfigFormat.quoted($0[keyPath: path]) }, isText: true))
    }

    /// One of the raw values of an enumeration; `what` names it in messages ("activation").
    static func name<T: RawRepresentable & CaseIterable>(
        _ name: String, _ path: WritableKeyPath<ExperimentConfig, T>, what: String
    ) -> ConfigField where T.RawValue == String {
        ConfigField(name: name, content: .value(
            read: { config, reader throws(ConfigError) in
                config[keyPath: path] = try reader.name(T.self, what: what)
            },
            check: { _ in nil }, render: { $0[keyPath: path].rawValue }, isText: false),
            choices: T.allCases.map(\.rawValue))
    }

    /// Hidden-layer widths: 1…64 layers of 1…4,096 units each.
    static func widths(_ name: String, _ path: WritableKeyPath<ExperimentConfig, [Int]>) -> ConfigField {
        ConfigField(name: name, content: .value(
            read: { config, reader throws(ConfigError) in
                config[keyPath: path] = try reader.integers(example: "[512, 512, 512]")
            },
            check: { config in
                let widths = config[keyPath: path]
                guard (1...ExperimentConfig.maxLayers).contains(widths.count) else {
                    return "\(widths.count) hidden layers is out of range; give 1 to "
                        + "\(ExperimentConfig.maxLayers) widths, e.g. [512, 512, 512]."
                }
                for (index, width) in widths.enumerated() where !(1...ExperimentConfig.maxWidth).contains(width) {
                    return "hidden layer \(index + 1) has width \(width), out of range; use widths from 1 to "
                        + "\(ConfigFormat.grouped(ExperimentConfig.maxWidth)) units."
                }
                return nil
            },
            render: { "[" + $0[keyPath: path].map(String.init).joined(separator: ", ") + "]" },
            isText: false))
    }
}

/// An allowed set of real numbers and how to say it.
struct RealRule: Sendable {
    /// Whether a finite value is allowed.
    let allows: @Sendable (Double) -> Bool
    /// The set in words, e.g. "a finite number in (0, 100]".
    let text: String

    /// Learning rates: up to 100 so that divergence can be demonstrated.
    static let learningRate = RealRule(allows: { $0 > 0 && $0 <= 100 }, text: "a finite number in (0, 100]")
    /// Adam's decay rates.
    static let decay = RealRule(allows: { $0 >= 0 && $0 < 1 }, text: "a number in [0, 1)")
    /// Strictly positive scales.
    static let positive = RealRule(allows: { $0 > 0 }, text: "a finite number > 0")
    /// Scales that may be zero.
    static let nonNegative = RealRule(allows: { $0 >= 0 }, text: "a finite number ≥ 0")
    /// Instance noise σ₀: none, or up to 100 (the plot squares are a few units wide).
    static let instanceNoise = RealRule(allows: { $0 >= 0 && $0 <= 100 }, text: "a number in [0, 100]")
    /// Gradient penalty weights λ, γ.
    static let penaltyWeight = RealRule(allows: { $0 >= 0 && $0 <= 1e6 }, text: "a number in [0, 1000000]")
    /// The decay β of the generator's weight average: off (0), or up to but not including 1,
    /// which would keep the initial weights forever.
    static let averageDecay = RealRule(allows: { $0 >= 0 && $0 < 1 }, text: "a number in [0, 1), 0 = off")
    /// Slopes between 0 and 1.
    static let unitInterval = RealRule(allows: { $0 >= 0 && $0 <= 1 }, text: "a number in [0, 1]")
}

extension ConfigFormat {
    /// "from 1 to 10,000,000", or "≥ 0" for ranges without a real upper bound.
    static func range(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int.max
            ? "≥ \(grouped(range.lowerBound))"
            : "from \(grouped(range.lowerBound)) to \(grouped(range.upperBound))"
    }
}

// MARK: - The table

extension ExperimentConfig {
    /// Most hidden layers a network may have.
    static let maxLayers = 64
    /// Widest hidden layer.
    static let maxWidth = 4_096

    /// Every key of an experiment file, in declaration order.
    static var schema: [ConfigField] {
        [
            .text("description", \.description).described("one line shown by `ganlab list`"),
            .name("problem", \.problem, what: "problem").described("the target distribution the GAN learns"),
            .section("target", targetFields).described("points and picture only: the target's file and how it is sampled"),
            .unsigned("seed", \.seed).described("master seed: weights, target samples, noise and probe latents derive from it"),
            .section("generator", generatorFields).described("the generator G: latent plane → sample plane"),
            .section("discriminator", networkFields(\.discriminator) + [
                .integer("packing", \.discriminator.packing, 1...64, example: "2",
                         meaning: "PacGAN packing: D judges this many samples at once, concatenated (Lin et al. 2018); 1 = none"),
                .name("normalization", \.discriminator.normalization, what: "weight normalization")
                    .described("spectral: every weight matrix divided by its largest singular value (Miyato et al. 2018); none"),
            ]).described("the discriminator D: sample plane → logit"),
            .section("train", trainFields).described("losses, optimisers, batch sizes and step count"),
            .section("output", outputFields).described("what the run writes and how often"),
        ]
    }

    /// Most residual blocks a generator may stack.
    static let maxBlocks = 256
    /// Most hidden layers in one residual block.
    static let maxBlockDepth = 16

    /// The generator's keys: the architecture, the MLP keys, then the residual-only keys.
    private static var generatorFields: [ConfigField] {
        let base: WritableKeyPath<ExperimentConfig, NetworkConfig> = \.generator
        let architecture: ConfigField = .name("architecture", base.appending(path: \.architecture), what: "architecture")
            .described("mlp (the article) or residual: x ↦ x + B_k(x) blocks on the latent plane")
        let residual: [ConfigField] = [
            .integer("blocks", base.appending(path: \.blocks), 1...maxBlocks, example: "24",
                     meaning: "residual blocks"),
            .integer("blockWidth", base.appending(path: \.blockWidth), 1...maxWidth, example: "6",
                     meaning: "units per hidden layer of a residual block"),
            .integer("blockDepth", base.appending(path: \.blockDepth), 1...maxBlockDepth, example: "2",
                     meaning: "hidden layers per residual block"),
            .real("blockBiasScale", base.appending(path: \.blockBiasScale), .nonNegative, example: "1.0",
                  meaning: "σ of the residual blocks' initial hidden biases, 0 = zero biases"),
            .real("exitInitScale", base.appending(path: \.exitInitScale), .nonNegative, example: "0.01",
                  meaning: "σ of the residual blocks' initial exit weights, 0 = exact identity"),
        ]
        return [architecture] + networkFields(base) + residual
    }

    private static func networkFields(_ base: WritableKeyPath<ExperimentConfig, NetworkConfig>) -> [ConfigField] {
        [
            .widths("hidden", base.appending(path: \.hidden)).described("hidden-layer widths, input side first (mlp)"),
            .name("activation", base.appending(path: \.activation), what: "activation").described("activation after every hidden layer"),
            .real("leakySlope", base.appending(path: \.leakySlope), .unitInterval,
                  example: "0.1", meaning: "the LeakyReLU negative slope"),
            .name("output", base.appending(path: \.output), what: "output activation")
                .described("output activation; auto: tanh for G on spiral, identity otherwise (D outputs a logit)"),
            .name("initialization", base.appending(path: \.initialization), what: "initialization")
                .described("weight initialisation (biases start at zero)"),
            .real("initScale", base.appending(path: \.initScale), .positive,
                  example: "1.0", meaning: "the multiplier on the initial weights"),
        ]
    }

    private static var trainFields: [ConfigField] {
        let batch = 1...65_536
        return [
            .integer("steps", \.train.steps, 1...10_000_000, example: "60000", meaning: "generator steps"),
            .name("loss", \.train.loss, what: "loss").described("the GAN loss pair for D and G"),
            .integer("realBatch", \.train.realBatch, batch, example: "256", meaning: "real samples per D step"),
            .integer("fakeBatch", \.train.fakeBatch, batch, example: "256", meaning: "generated samples per D step"),
            .integer("generatorBatch", \.train.generatorBatch, batch, example: "512",
                     meaning: "noise samples per G step"),
            .integer("discriminatorSteps", \.train.discriminatorSteps, 1...1_000, example: "1",
                     meaning: "D steps per G step"),
            .section("discriminatorOptimizer", optimizerFields(\.train.discriminatorOptimizer, lr: "1e-3"))
                .described("D's optimiser"),
            .section("generatorOptimizer", optimizerFields(\.train.generatorOptimizer, lr: "2e-4"))
                .described("G's optimiser"),
            .integer("threads", \.train.threads, 1...64, example: "2", meaning: "engine threads (capped at the core count)"),
            .real("instanceNoise", \.train.instanceNoise, .instanceNoise, example: "0.1",
                  meaning: "instance noise: σ₀ of the Gaussian noise added to every input of D (Sønderby et al. 2017); 0 = none"),
            .integer("instanceNoiseSteps", \.train.instanceNoiseSteps, 0...10_000_000, example: "5000",
                     meaning: "steps over which the instance noise falls linearly from σ₀ to 0"),
            .name("penalty", \.train.penalty, what: "gradient penalty")
                .described("gradient penalty on D: wgan-gp (interpolates), r1 (real), r2 (generated), none"),
            .real("penaltyWeight", \.train.penaltyWeight, .penaltyWeight, example: "10",
                  meaning: "the gradient penalty's weight (λ of WGAN-GP, γ of R1/R2)"),
            .integer("penaltyInterval", \.train.penaltyInterval, 1...1_000_000, example: "16",
                     meaning: "lazy regularisation: take the penalty every k-th D step, scaled by k"),
            .real("generatorAverage", \.train.generatorAverage, .averageDecay, example: "0.999",
                  meaning: "generator weight averaging: β of the moving average θ_EMA ← β·θ_EMA + (1 − β)·θ of G's "
                    + "weights (Yazıcı et al. 2019), shown with --ema"),
            .text("kernels", \.train.kernels)
                .described("which kernel multiplies each layer: auto (measured on this machine when the run starts; "
                           + "the run records the plan), fixed (the build's rule), or a plan such as \"512x512:b,b,t\" "
                           + "(docs/PERFORMANCE.md)"),
        ]
    }

    private static func optimizerFields(
        _ base: WritableKeyPath<ExperimentConfig, OptimizerConfig>, lr: String
    ) -> [ConfigField] {
        [
            .name("kind", base.appending(path: \.kind), what: "optimizer").described("Adam (Keras ε̂ form) or plain SGD"),
            .real("learningRate", base.appending(path: \.learningRate), .learningRate,
                  example: lr, meaning: "the step size; large values let you watch training diverge"),
            .real("beta1", base.appending(path: \.beta1), .decay, example: "0.5", meaning: "Adam's β₁"),
            .real("beta2", base.appending(path: \.beta2), .decay, example: "0.999", meaning: "Adam's β₂"),
            .real("epsilon", base.appending(path: \.epsilon), .positive, example: "1e-7", meaning: "Adam's ε"),
        ]
    }

    private static var targetFields: [ConfigField] {
        [
            .text("file", \.target.file).described("the CSV of points (x, y, optional weight) or the PNG; relative to the experiment file"),
            .name("latent", \.target.latent, what: "latent").described("G's input: gaussian N(0, I₂) or uniform (−1, 1)²"),
            .real("jitter", \.target.jitter, .nonNegative, example: "0.02",
                  meaning: "points only: σ of the Gaussian jitter added to every drawn point, 0 = none"),
            .real("extent", \.target.extent, .nonNegative, example: "1.5",
                  meaning: "half-width of the plot square (a picture's longer side spans it), 0 = from the data"),
            .text("checksum", \.target.checksum).described("CRC-32C of the file, recorded by the lab when a run starts"),
        ]
    }

    private static var outputFields: [ConfigField] {
        [
            .integer("probeCount", \.output.probeCount, 1...1_000_000, example: "5000",
                     meaning: "fixed latents traced in every frame"),
            .integer("frameEvery", \.output.frameEvery, 0...Int.max, example: "100",
                     meaning: "steps between frames, 0 = none"),
            .integer("logEvery", \.output.logEvery, 1...Int.max, example: "100",
                     meaning: "steps between metrics rows"),
            .integer("snapshotEvery", \.output.snapshotEvery, 0...Int.max, example: "10000",
                     meaning: "steps between snapshots, 0 = only the last"),
            .integer("diagnosticsGrid", \.output.diagnosticsGrid, 0...1024, example: "256",
                     meaning: "latent grid side for map diagnostics at each snapshot, 0 = none"),
        ]
    }
}
