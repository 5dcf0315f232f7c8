import GANLabEngine

/// Every setting of an experiment, with its default.
///
/// Precedence: these defaults < `experiments/NAME.yaml` < `--set section.key=value` overrides.
/// The YAML spelling of each field is its Swift name (camelCase) inside its section; reading,
/// overriding and validation live in `ExperimentConfig+YAML.swift`. The resolved config is written
/// into every run folder and embedded in every snapshot, so `render` and `compare` need only a run.
public struct ExperimentConfig: Codable, Equatable, Sendable {
    /// One line shown by `ganlab list`.
    public var description: String = ""
    /// Which toy problem (docs/METRICS.md §1, §3) the GAN learns.
    public var problem: ProblemKind = .spiral
    /// The file a `points` or `picture` problem reads its target from, and how it is sampled
    /// (ignored, and not written, for the built-in problems).
    public var target = TargetConfig()
    /// Master seed: weight init, target samples, noise and probe latents all derive from it.
    public var seed: UInt64 = 1
    /// The generator network.
    public var generator = NetworkConfig.defaultGenerator
    /// The discriminator network.
    public var discriminator = NetworkConfig.defaultDiscriminator
    /// Losses, optimizers, batch sizes and step count.
    public var train = TrainConfig()
    /// What the run writes to disk and how often.
    public var output = OutputConfig()

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case description, problem, target, seed, generator, discriminator, train, output
    }

    /// Decodes a config; `target` is present only for file targets.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        description = try c.decode(String.self, forKey: .description)
        problem = try c.decode(ProblemKind.self, forKey: .problem)
        target = try c.decodeIfPresent(TargetConfig.self, forKey: .target) ?? TargetConfig()
        seed = try c.decode(UInt64.self, forKey: .seed)
        generator = try c.decode(NetworkConfig.self, forKey: .generator)
        discriminator = try c.decode(NetworkConfig.self, forKey: .discriminator)
        train = try c.decode(TrainConfig.self, forKey: .train)
        output = try c.decode(OutputConfig.self, forKey: .output)
    }

    /// Encodes `target` only for a file target, so a built-in problem's config JSON (and the
    /// snapshots embedding it) has no `target` key.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(description, forKey: .description)
        try c.encode(problem, forKey: .problem)
        if problem.isFileTarget { try c.encode(target, forKey: .target) }
        try c.encode(seed, forKey: .seed)
        try c.encode(generator, forKey: .generator)
        try c.encode(discriminator, forKey: .discriminator)
        try c.encode(train, forKey: .train)
        try c.encode(output, forKey: .output)
    }
}

/// The target of a `points` or `picture` problem (docs/TARGETS.md).
public struct TargetConfig: Codable, Equatable, Sendable {
    /// The CSV or PNG file. A relative path is taken relative to the experiment file's folder; a
    /// run keeps its own copy (`RUN/target.csv` or `RUN/target.png`) and reads only that.
    public var file: String = ""
    /// The distribution G's inputs come from: a 2-D standard normal or the uniform square (−1, 1)².
    public var latent: TargetLatent = .gaussian
    /// `points` only: σ of the Gaussian jitter added to every drawn point (0 = the points exactly).
    public var jitter: Double = 0
    /// Half-width of the plot square [−extent, extent]². For `picture` the picture's longer side
    /// spans it; 0 = from the data (`points`: 1.1 × the largest |coordinate| + 3σ of jitter;
    /// `picture`: 1).
    public var extent: Double = 0
    /// CRC-32C of the file's bytes as 8 hex digits, recorded when a run starts; a run's copy must
    /// match it. Empty in experiment files.
    public var checksum: String = ""

    public init() {}
}

/// The latent prior of a file target.
public enum TargetLatent: String, Codable, CaseIterable, Sendable {
    /// z ~ N(0, I₂).
    case gaussian
    /// z ~ U(−1, 1)².
    case uniform
}

/// A network: a multilayer perceptron (hidden widths, activation, output activation,
/// initialisation) or, for the generator only, a stack of residual blocks.
public struct NetworkConfig: Codable, Equatable, Sendable {
    /// `mlp` (the article) or `residual`: x_{k+1} = x_k + B_k(x_k) on the latent plane (generator only).
    public var architecture: NetworkArchitecture = .mlp
    /// Widths of the hidden layers, input side first (the article: [512, 512, 512]). Not used by
    /// `residual`, whose blocks have `blockDepth` layers of `blockWidth` units.
    public var hidden: [Int]
    /// Activation after every hidden layer.
    public var activation: ActivationKind = .leakyReLU
    /// Negative slope α of LeakyReLU (the article: 0.1).
    public var leakySlope: Double = 0.1
    /// Activation of the output layer. `auto`: tanh for G on `spiral` (the article), identity
    /// otherwise (D always outputs a logit; the sigmoid lives in the loss).
    public var output: OutputActivation = .auto
    /// Weight initialisation; biases start at zero.
    public var initialization: InitKind = .glorotUniform
    /// Multiplier on the initial weights (1 = the scheme as published). For `normal` it is σ.
    /// For `residual` it applies to the blocks' hidden layers (σ ≈ 1 with `normal`: large weights).
    public var initScale: Double = 1.0
    /// `residual`: number of blocks K (each a few thin layers; 24 blocks of depth 2 = 72 layers).
    public var blocks: Int = 24
    /// `residual`: units in each hidden layer of a block.
    public var blockWidth: Int = 6
    /// `residual`: hidden layers per block, before the tanh exit layer back to the plane.
    public var blockDepth: Int = 2
    /// `residual`: σ of the Normal the hidden biases start from (0 = zero biases, the engine's
    /// default; with zero biases every block, and so the initial map, is positively homogeneous).
    public var blockBiasScale: Double = 0
    /// `residual`: σ of the Normal the tanh exit weights start from (exit biases start at 0).
    /// Near zero, every block starts as nearly the identity (0 = exactly), so G(z) ≈ z at step 0.
    public var exitInitScale: Double = 0.01
    /// PacGAN packing m (Lin et al. 2018), discriminator only: D judges m samples at once, their
    /// coordinates concatenated into one input of width 2m. 1 = no packing.
    public var packing: Int = 1
    /// Weight normalisation, discriminator only: `spectral` divides every weight matrix by its
    /// largest singular value, estimated by one power iteration per D step (Miyato et al. 2018).
    public var normalization: WeightNormalization = .none

    public init(hidden: [Int], activation: ActivationKind = .leakyReLU, leakySlope: Double = 0.1,
                output: OutputActivation = .auto, initialization: InitKind = .glorotUniform,
                initScale: Double = 1.0) {
        self.hidden = hidden
        self.activation = activation
        self.leakySlope = leakySlope
        self.output = output
        self.initialization = initialization
        self.initScale = initScale
    }

    /// The article's generator: 3 × Dense(512) + LeakyReLU(0.1).
    public static let defaultGenerator = NetworkConfig(hidden: [512, 512, 512])
    /// The article's discriminator: 3 × Dense(512) + LeakyReLU(0.1), then a logit.
    public static let defaultDiscriminator = NetworkConfig(hidden: [512, 512, 512])
}

extension NetworkConfig {
    private enum CodingKeys: String, CodingKey {
        case architecture, hidden, activation, leakySlope, output, initialization, initScale
        case blocks, blockWidth, blockDepth, blockBiasScale, exitInitScale, packing, normalization
    }

    /// Decodes with defaults for the residual keys, which configs embedded in format 1 snapshots (and
    /// every MLP) do not have.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(hidden: try c.decode([Int].self, forKey: .hidden),
                  activation: try c.decode(ActivationKind.self, forKey: .activation),
                  leakySlope: try c.decode(Double.self, forKey: .leakySlope),
                  output: try c.decode(OutputActivation.self, forKey: .output),
                  initialization: try c.decode(InitKind.self, forKey: .initialization),
                  initScale: try c.decode(Double.self, forKey: .initScale))
        architecture = try c.decodeIfPresent(NetworkArchitecture.self, forKey: .architecture) ?? architecture
        blocks = try c.decodeIfPresent(Int.self, forKey: .blocks) ?? blocks
        blockWidth = try c.decodeIfPresent(Int.self, forKey: .blockWidth) ?? blockWidth
        blockDepth = try c.decodeIfPresent(Int.self, forKey: .blockDepth) ?? blockDepth
        blockBiasScale = try c.decodeIfPresent(Double.self, forKey: .blockBiasScale) ?? blockBiasScale
        exitInitScale = try c.decodeIfPresent(Double.self, forKey: .exitInitScale) ?? exitInitScale
        packing = try c.decodeIfPresent(Int.self, forKey: .packing) ?? packing
        normalization = try c.decodeIfPresent(WeightNormalization.self, forKey: .normalization) ?? normalization
    }

    /// Encodes the residual keys only when they say something (a residual network, or a value
    /// changed from its default), so an ordinary MLP's config, and the JSON embedded in its
    /// snapshots, holds only the MLP keys (and snapshot format 1 files stay byte-comparable).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(hidden, forKey: .hidden)
        try c.encode(activation, forKey: .activation)
        try c.encode(leakySlope, forKey: .leakySlope)
        try c.encode(output, forKey: .output)
        try c.encode(initialization, forKey: .initialization)
        try c.encode(initScale, forKey: .initScale)
        if packing != 1 { try c.encode(packing, forKey: .packing) }
        if normalization != .none { try c.encode(normalization, forKey: .normalization) }
        let plain = NetworkConfig(hidden: hidden)
        let residualKeysAreDefaults = architecture == .mlp && blocks == plain.blocks && blockWidth == plain.blockWidth
            && blockDepth == plain.blockDepth && blockBiasScale == plain.blockBiasScale
            && exitInitScale == plain.exitInitScale
        guard !residualKeysAreDefaults else { return }
        try c.encode(architecture, forKey: .architecture)
        try c.encode(blocks, forKey: .blocks)
        try c.encode(blockWidth, forKey: .blockWidth)
        try c.encode(blockDepth, forKey: .blockDepth)
        try c.encode(blockBiasScale, forKey: .blockBiasScale)
        try c.encode(exitInitScale, forKey: .exitInitScale)
    }
}

/// How a network's weight matrices are normalised before use.
public enum WeightNormalization: String, Codable, CaseIterable, Sendable {
    /// The weights as trained.
    case none
    /// W/σ(W), σ the largest singular value by power iteration (Miyato et al. 2018).
    case spectral
}

/// How a network is built from dense layers.
public enum NetworkArchitecture: String, Codable, CaseIterable, Sendable {
    /// One multilayer perceptron (`hidden`, `activation`, `output`).
    case mlp
    /// A stack of residual blocks on the 2-D latent plane (`blocks`, `blockWidth`, `blockDepth`).
    case residual
}

/// Output activation choice; `auto` follows the article (tanh for the spiral's G).
public enum OutputActivation: String, Codable, CaseIterable, Sendable {
    case auto, identity, tanh, sigmoid
}

/// Training hyper-parameters (docs/METRICS.md §1, "Article training setup").
public struct TrainConfig: Codable, Equatable, Sendable {
    /// Generator steps to train for (the article: 60,000).
    public var steps: Int = 60_000
    /// GAN loss pair for D and G.
    public var loss: GANLossKind = .nonSaturating
    /// Real samples in each discriminator batch.
    public var realBatch: Int = 256
    /// Generated samples in each discriminator batch (no gradient flows to G).
    public var fakeBatch: Int = 256
    /// Noise samples in each generator batch (through the frozen D).
    public var generatorBatch: Int = 512
    /// Discriminator steps per generator step (k in Goodfellow et al. 2014, Algorithm 1).
    public var discriminatorSteps: Int = 1
    /// Optimizer of the discriminator (the article: Adam lr 1e-3, β₁ 0.5).
    public var discriminatorOptimizer = OptimizerConfig(learningRate: 1e-3)
    /// Optimizer of the generator (the article: Adam lr 2e-4, β₁ 0.5).
    public var generatorOptimizer = OptimizerConfig(learningRate: 2e-4)
    /// Engine threads: each pass is split across them, OpenBLAS stays single-threaded inside each part
    /// (results are bit-identical run to run at a fixed thread count).
    public var threads: Int = 2
    /// Instance noise (Sønderby et al. 2017): the standard deviation σ₀ of the Gaussian noise added
    /// to every input of D, real and generated, at the first step; 0 = none.
    public var instanceNoise: Double = 0
    /// Generator steps over which the instance noise falls linearly from σ₀ to 0
    /// (σₜ = σ₀·max(0, 1 − (t − 1)/T) at step t).
    public var instanceNoiseSteps: Int = 0
    /// Gradient penalty on D (docs/REMEDIES.md): `wgan-gp` on interpolates of real and generated
    /// samples (Gulrajani et al. 2017), `r1` on real or `r2` on generated samples (Mescheder et
    /// al. 2018); `none` = no penalty.
    public var penalty: GradientPenaltyKind = .none
    /// The penalty's weight: λ of WGAN-GP (the paper: 10) or γ of R1/R2.
    public var penaltyWeight: Double = 10
    /// Lazy regularisation (Karras et al. 2020, StyleGAN2): the penalty is taken on every k-th D
    /// step only, its gradient scaled by k. 1 = every step.
    public var penaltyInterval: Int = 1
    /// Generator weight averaging (Yazıcı et al. 2019): the decay β of the exponential moving
    /// average θ_EMA ← β·θ_EMA + (1 − β)·θ of G's parameters, taken after every generator step and
    /// stored in snapshots (`ganlab render --ema` shows it); 0 = off. Training itself is unchanged.
    public var generatorAverage: Double = 0
    /// Which kernel multiplies each layer's products (`KernelPlan`): `auto` measures them on this
    /// machine when a run starts (`KernelPlanner`, cached) and the run records the plan it got,
    /// so a resume multiplies as the run did; `fixed` is the build's width rule; or a plan's text.
    public var kernels: String = "auto"

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case steps, loss, realBatch, fakeBatch, generatorBatch, discriminatorSteps, discriminatorOptimizer,
             generatorOptimizer, threads, instanceNoise, instanceNoiseSteps, penalty, penaltyWeight, penaltyInterval,
             generatorAverage, kernels
    }

    /// Decodes with defaults for the remedies, which snapshots written before them lack.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        steps = try c.decode(Int.self, forKey: .steps)
        loss = try c.decode(GANLossKind.self, forKey: .loss)
        realBatch = try c.decode(Int.self, forKey: .realBatch)
        fakeBatch = try c.decode(Int.self, forKey: .fakeBatch)
        generatorBatch = try c.decode(Int.self, forKey: .generatorBatch)
        discriminatorSteps = try c.decode(Int.self, forKey: .discriminatorSteps)
        discriminatorOptimizer = try c.decode(OptimizerConfig.self, forKey: .discriminatorOptimizer)
        generatorOptimizer = try c.decode(OptimizerConfig.self, forKey: .generatorOptimizer)
        threads = try c.decode(Int.self, forKey: .threads)
        instanceNoise = try c.decodeIfPresent(Double.self, forKey: .instanceNoise) ?? 0
        instanceNoiseSteps = try c.decodeIfPresent(Int.self, forKey: .instanceNoiseSteps) ?? 0
        penalty = try c.decodeIfPresent(GradientPenaltyKind.self, forKey: .penalty) ?? .none
        penaltyWeight = try c.decodeIfPresent(Double.self, forKey: .penaltyWeight) ?? 10
        penaltyInterval = try c.decodeIfPresent(Int.self, forKey: .penaltyInterval) ?? 1
        generatorAverage = try c.decodeIfPresent(Double.self, forKey: .generatorAverage) ?? 0
        // Snapshots written before the planner multiplied by the fixed rule.
        kernels = try c.decodeIfPresent(String.self, forKey: .kernels) ?? "fixed"
    }

    /// Encodes the remedy keys only when they are on, so a run without remedies has the same
    /// config JSON, and snapshot bytes, as before they existed.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(steps, forKey: .steps)
        try c.encode(loss, forKey: .loss)
        try c.encode(realBatch, forKey: .realBatch)
        try c.encode(fakeBatch, forKey: .fakeBatch)
        try c.encode(generatorBatch, forKey: .generatorBatch)
        try c.encode(discriminatorSteps, forKey: .discriminatorSteps)
        try c.encode(discriminatorOptimizer, forKey: .discriminatorOptimizer)
        try c.encode(generatorOptimizer, forKey: .generatorOptimizer)
        try c.encode(threads, forKey: .threads)
        if instanceNoise != 0 || instanceNoiseSteps != 0 {
            try c.encode(instanceNoise, forKey: .instanceNoise)
            try c.encode(instanceNoiseSteps, forKey: .instanceNoiseSteps)
        }
        if penalty != .none {
            try c.encode(penalty, forKey: .penalty)
            try c.encode(penaltyWeight, forKey: .penaltyWeight)
            try c.encode(penaltyInterval, forKey: .penaltyInterval)
        }
        if generatorAverage != 0 { try c.encode(generatorAverage, forKey: .generatorAverage) }
        if kernels != "fixed" { try c.encode(kernels, forKey: .kernels) }
    }

    /// Whether the gradient penalty is taken at discriminator step `index` (0-based over the
    /// whole run: (t − 1)·discriminatorSteps + i for the i-th D step of generator step t).
    public func penalizes(discriminatorStep index: Int) -> Bool {
        penalty != .none && index % penaltyInterval == 0
    }

    /// σₜ of the instance noise at generator step `step` (1-based).
    public func instanceNoise(atStep step: Int) -> Double {
        guard instanceNoise > 0, instanceNoiseSteps > 0 else { return 0 }
        return instanceNoise * max(0, 1 - Double(step - 1) / Double(instanceNoiseSteps))
    }
}

/// An optimizer and its hyper-parameters.
public struct OptimizerConfig: Codable, Equatable, Sendable {
    /// Adam (Kingma & Ba 2015, Keras ε̂ form) or plain SGD.
    public var kind: OptimizerKind = .adam
    /// Step size.
    public var learningRate: Double
    /// Adam's first-moment decay (the article: 0.5).
    public var beta1: Double = 0.5
    /// Adam's second-moment decay (Keras default 0.999).
    public var beta2: Double = 0.999
    /// Adam's ε, added to √v (Keras default 1e-7).
    public var epsilon: Double = 1e-7

    public init(kind: OptimizerKind = .adam, learningRate: Double, beta1: Double = 0.5,
                beta2: Double = 0.999, epsilon: Double = 1e-7) {
        self.kind = kind
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }
}

/// What a run writes and when.
public struct OutputConfig: Codable, Equatable, Sendable {
    /// Fixed probe latents whose images G(z) are traced (the article: 5,000).
    public var probeCount: Int = 5_000
    /// Trace a frame every this many steps (the article: 100 → 600 frames). 0 = no trace.
    public var frameEvery: Int = 100
    /// Append a row to metrics.csv every this many steps.
    public var logEvery: Int = 100
    /// Write a full snapshot every this many steps (the last step is always written).
    public var snapshotEvery: Int = 10_000
    /// Latent grid side for the map diagnostics (tears, folds, Jacobian) computed at every
    /// snapshot into diagnostics.csv (docs/METRICS.md §4: 256²). `eight-gaussians` measures one plane per
    /// component, each at 3/8 of this side (≈ the same work). 0 = sample metrics only.
    public var diagnosticsGrid: Int = 256

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case probeCount, frameEvery, logEvery, snapshotEvery, diagnosticsGrid
    }

    /// Decodes with defaults for keys that format 1 snapshots may lack (diagnosticsGrid).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = OutputConfig()
        probeCount = try c.decodeIfPresent(Int.self, forKey: .probeCount) ?? d.probeCount
        frameEvery = try c.decodeIfPresent(Int.self, forKey: .frameEvery) ?? d.frameEvery
        logEvery = try c.decodeIfPresent(Int.self, forKey: .logEvery) ?? d.logEvery
        snapshotEvery = try c.decodeIfPresent(Int.self, forKey: .snapshotEvery) ?? d.snapshotEvery
        diagnosticsGrid = try c.decodeIfPresent(Int.self, forKey: .diagnosticsGrid) ?? d.diagnosticsGrid
    }
}
