import GANLabEngine

/// What one training step measured (docs/METRICS.md §4, "Training log").
public struct StepStatistics: Equatable, Sendable {
    /// Discriminator loss of the last D step.
    public var discriminatorLoss: Double
    /// Generator loss.
    public var generatorLoss: Double
    /// Mean D logit on real samples minus mean D logit on generated ones (last D step).
    public var realMinusFakeLogit: Double
    /// ‖∇θ_D‖ of the last D step (only when requested, else 0).
    public var discriminatorGradientNorm: Double
    /// ‖∇θ_G‖ (only when requested, else 0).
    public var generatorGradientNorm: Double
    /// The gradient penalty's value (weight included) at the last penalised D step of this
    /// step; nil when no D step of it was penalised.
    public var penalty: Double?
    /// Mean ‖∇ₓD‖ at the penalised points of that D step; nil when none was penalised.
    public var penaltyGradientNorm: Double?
}

/// A non-finite value stopped training.
public struct DivergenceError: Error, CustomStringConvertible, Sendable {
    /// The step that produced it (1-based: the step being trained).
    public var step: Int
    /// "generator" or "discriminator".
    public var network: String
    /// What was non-finite.
    public var what: String

    public var description: String {
        "training diverged at step \(step): the \(network)'s \(what) became non-finite (NaN or infinity); "
            + "lower the learning rates or change the loss, and resume from the last good snapshot or start again"
    }
}

/// One GAN: both networks, both optimizers, the random stream, and the training step of docs/METRICS.md §1.
///
/// The step reads top to bottom: sample real → sample noise → D step (k times) → G step → the
/// average of G's weights, when it is kept.
/// All buffers are allocated here; `trainStep` allocates nothing.
public final class GANTrainer {
    /// The resolved experiment.
    public let config: ExperimentConfig
    /// The toy problem being learned.
    public let problem: ToyProblem
    /// G: latent → sample plane (an `MLP` or a `ResidualStack`).
    public let generator: any TrainableNetwork
    /// D: sample plane → logit.
    public let discriminator: MLP
    /// G's optimizer.
    public let generatorOptimizer: Optimizer
    /// D's optimizer.
    public let discriminatorOptimizer: Optimizer
    /// Spectral normalisation of D (`discriminator.normalization: spectral`): it holds D's raw
    /// weights, which the optimizer trains, and writes W/σ into `discriminator` before each use.
    public private(set) var spectralNormalization: SpectralNormalization?
    /// The stream every training draw comes from (stored in snapshots).
    public private(set) var rng: RandomSource
    /// Generator steps completed.
    public private(set) var step: Int = 0

    private let loss: GANLoss
    /// PacGAN packing m: D's input row i holds samples m·i … m·i + m − 1 (the sample buffer, read
    /// m samples at a time).
    private let packing: Int
    private let logitGradient: UnsafeMutablePointer<Float>
    /// Per-row loss terms of the last loss evaluation (summed in row order for the log).
    private let lossTerms: UnsafeMutablePointer<Double>
    /// Whether each part's generated rows were finite in the last forward pass (all true before
    /// it: a pool that is busy elsewhere runs a single part).
    private let finiteParts: UnsafeMutablePointer<Bool>
    /// Instance noise for D's input rows, drawn before each pass that uses it (x, y per row).
    private let instanceNoise: UnsafeMutablePointer<Float>
    /// The gradient penalty's workspace (nil without a penalty).
    private let penalty: GradientPenalty?
    /// WGAN-GP's ε per real/generated pair, drawn before each penalised D step.
    private let mixing: UnsafeMutablePointer<Float>
    /// The real samples' latents (z₀, z₁, component per row), drawn on the calling thread and
    /// mapped through the oracle by every part (`ToyProblem.drawTargetLatents`).
    private let targetLatents: UnsafeMutablePointer<Double>
    /// θ_EMA, the moving average of G's parameters, when `train.generatorAverage` > 0
    /// (`GANTrainer+Averaging.swift`).
    let averageStorage: UnsafeMutableBufferPointer<Float>?

    /// A fresh GAN: weights drawn from `config.seed`, G first, then D. A file target's problem
    /// (`ToyProblem(file:)`) must be given; a built-in one is made from the config.
    public convenience init(config: ExperimentConfig, problem: ToyProblem? = nil) {
        var rng = RandomSource(seed: config.seed)
        self.init(config: config, problem: problem, rng: rng)
        Self.initializeGenerator(generator, config.generator, using: &rng)
        discriminator.initialize(Self.initializer(config.discriminator), using: &rng)
        if config.discriminator.normalization == .spectral {
            spectralNormalization = SpectralNormalization(network: discriminator, rng: &rng)
            spectralNormalization?.normalize()
        }
        self.rng = rng
        startAverage()
    }

    /// A GAN restored from a snapshot (the caller has checked the snapshot's shapes).
    public convenience init(snapshot: Snapshot, problem: ToyProblem? = nil) {
        self.init(config: snapshot.config, problem: problem, rng: RandomSource(state: (snapshot.rngState[0], snapshot.rngState[1],
                                                                      snapshot.rngState[2], snapshot.rngState[3])))
        step = snapshot.step
        generator.loadParameters(snapshot.generator.parameters)
        discriminator.loadParameters(snapshot.discriminator.parameters)
        if config.discriminator.normalization == .spectral {
            guard let vectors = snapshot.discriminatorSpectralVectors else {
                preconditionFailure("a spectral config without spectral vectors (Snapshot.configProblem refuses it)")
            }
            spectralNormalization = SpectralNormalization(network: discriminator, vectors: vectors)
            spectralNormalization?.normalize()
        }
        if generatorOptimizer.kind == .adam {
            generatorOptimizer.restore(step: snapshot.generator.optimizerStep, firstMoment: snapshot.generator.firstMoment,
                                       secondMoment: snapshot.generator.secondMoment)
        }
        if discriminatorOptimizer.kind == .adam {
            discriminatorOptimizer.restore(step: snapshot.discriminator.optimizerStep, firstMoment: snapshot.discriminator.firstMoment,
                                           secondMoment: snapshot.discriminator.secondMoment)
        }
        restoreAverage(snapshot.generatorAverage)
    }

    private init(config: ExperimentConfig, problem: ToyProblem?, rng: RandomSource) {
        precondition(problem.map { $0.kind == config.problem } ?? !config.problem.isFileTarget,
                     "a \(config.problem.rawValue) trainer needs the problem read from its target file")
        // `auto` kernels are planned here unless the caller (a training session) did it already.
        let config = config.resolvingKernels().config
        self.config = config
        self.problem = problem ?? ToyProblem(config.problem)
        self.rng = rng
        let t = config.train
        generator = Self.makeGenerator(layerSizes: Self.generatorSizes(config), residualBlocks: Self.generatorBlocks(config),
                                       config: config, maxBatch: max(t.fakeBatch, t.generatorBatch))
        let dBatch = max(t.realBatch + t.fakeBatch, t.generatorBatch)
        packing = config.discriminator.packing
        discriminator = MLP(layerSizes: Self.discriminatorSizes(config), hidden: Self.activation(config.discriminator),
                            output: Activation(.identity), maxBatch: dBatch / packing, kernels: config.kernelPlan)
        func optimizer(_ o: OptimizerConfig, _ count: Int) -> Optimizer {
            Optimizer(kind: o.kind, parameterCount: count, learningRate: o.learningRate,
                      beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon)
        }
        generatorOptimizer = optimizer(t.generatorOptimizer, generator.parameterCount)
        discriminatorOptimizer = optimizer(t.discriminatorOptimizer, discriminator.parameterCount)
        loss = GANLoss(t.loss)
        logitGradient = .allocate(capacity: dBatch)
        logitGradient.initialize(repeating: 0, count: dBatch)
        lossTerms = .allocate(capacity: dBatch)
        lossTerms.initialize(repeating: 0, count: dBatch)
        finiteParts = .allocate(capacity: WorkerPool.maximumParts)
        finiteParts.initialize(repeating: true, count: WorkerPool.maximumParts)
        instanceNoise = .allocate(capacity: 2 * dBatch)
        instanceNoise.initialize(repeating: 0, count: 2 * dBatch)
        let penaltyRows = max(t.realBatch, t.fakeBatch) / packing
        penalty = t.penalty == .none ? nil : GradientPenalty(network: discriminator, maxRows: penaltyRows)
        mixing = .allocate(capacity: penaltyRows)
        mixing.initialize(repeating: 0, count: penaltyRows)
        targetLatents = .allocate(capacity: 3 * max(1, t.realBatch))
        targetLatents.initialize(repeating: 0, count: 3 * max(1, t.realBatch))
        averageStorage = t.generatorAverage > 0 ? .allocate(capacity: generator.parameterCount) : nil
        averageStorage?.initialize(repeating: 0)
    }

    deinit {
        logitGradient.deallocate()
        lossTerms.deallocate()
        finiteParts.deallocate()
        instanceNoise.deallocate()
        mixing.deallocate()
        targetLatents.deallocate()
        averageStorage?.deallocate()
    }

    // MARK: - Architecture

    /// D's widths: 2 per packed sample, hidden widths, 1 (a logit).
    public static func discriminatorSizes(_ c: ExperimentConfig) -> [Int] {
        [2 * c.discriminator.packing] + c.discriminator.hidden + [1]
    }

    static func activation(_ n: NetworkConfig) -> Activation { Activation(n.activation, slope: Float(n.leakySlope)) }
    static func initializer(_ n: NetworkConfig) -> Initializer { Initializer(n.initialization, scale: n.initScale) }

    // MARK: - The training step

    /// One generator step preceded by `discriminatorSteps` discriminator steps.
    ///
    /// Throws `DivergenceError` on the first non-finite sample or loss, before any update with it.
    @discardableResult
    public func trainStep(measureGradients: Bool = false) throws(DivergenceError) -> StepStatistics {
        let t = config.train
        let next = step + 1
        var stats = StepStatistics(discriminatorLoss: 0, generatorLoss: 0, realMinusFakeLogit: 0,
                                   discriminatorGradientNorm: 0, generatorGradientNorm: 0)
        for i in 0..<t.discriminatorSteps {
            try discriminatorStep(stats: &stats, step: next, index: step * t.discriminatorSteps + i)
        }
        if measureGradients {
            stats.discriminatorGradientNorm = euclideanNorm(UnsafeBufferPointer(discriminator.gradients))
        }
        try generatorStep(stats: &stats, step: next)
        updateAverage()
        if measureGradients {
            stats.generatorGradientNorm = euclideanNorm(UnsafeBufferPointer(generator.gradients))
        }
        step = next
        return stats
    }

    /// One discriminator step alone, outside the training schedule, for timing the D step (with
    /// its gradient penalty, if any, taken): it draws from the stream and updates D, so a trainer
    /// used for it is no longer on the run's trajectory.
    public func timedDiscriminatorStep() throws(DivergenceError) -> StepStatistics {
        var stats = StepStatistics(discriminatorLoss: 0, generatorLoss: 0, realMinusFakeLogit: 0,
                                   discriminatorGradientNorm: 0, generatorGradientNorm: 0)
        try discriminatorStep(stats: &stats, step: step + 1, index: 0)
        return stats
    }

    /// D on `realBatch` real + `fakeBatch` generated samples (no gradient reaches G), plus the
    /// gradient penalty when D step `index` (0-based over the run) takes it.
    ///
    /// Two passes over the engine's threads: the real samples' oracle map and G's forward on the
    /// fakes, a meeting, D's forward on real + fake, the loss rows and the penalty's passes; then
    /// (after the checks) D's backward, the penalty's gradient and the update. Each thread takes
    /// the same rows through every part, so the threads meet only where a pass needs rows another
    /// thread wrote.
    private func discriminatorStep(stats: inout StepStatistics, step: Int, index: Int) throws(DivergenceError) {
        let t = config.train
        let real = t.realBatch, fake = t.fakeBatch, n = real + fake
        // D's rows: packs of m samples, real packs first.
        let m = packing, rowsD = n / m, realRows = real / m
        let d = discriminator, loss = loss, terms = lossTerms, gradient = logitGradient
        // The real samples' random draws here, in the stream's order; their oracle map (sines and
        // cosines for the spiral) by every part for its share of the rows, below.
        let problem = problem, split = problem.splitsTargetSampling, latents = targetLatents
        if split {
            problem.drawTargetLatents(count: real, into: latents, using: &rng)
        } else {
            problem.sampleTargets(count: real, into: d.input, using: &rng)
        }
        guard let targets = d.input.baseAddress else { return }
        problem.sampleLatents(count: fake, into: generator.input, using: &rng)
        let noisy = drawInstanceNoise(rows: n, step: step)
        let spectral = spectralNormalization
        if let spectral {
            spectral.powerIteration()
            spectral.normalize()
        }
        let penalized = penalty != nil && t.penalizes(discriminatorStep: index)
        let penaltyRows = t.penalty == .r2 ? rowsD - realRows : realRows
        if penalized && t.penalty == .wganGP {
            for i in 0..<penaltyRows { mixing[i] = Float(rng.nextUniform(0, 1)) }
        }
        prepareForwardPasses()
        let pool = WorkerPool.shared
        pool.run(parts: MLP.parts(rows: min(fake, n))) { team in
            if split { problem.mapTargetLatents(rows: team.share(real), from: latents, into: targets) }
            generatePart(team, batch: fake, discriminatorRow: real)
            d.prepareBackwardPart(team, inputGradient: false)
            team.barrier()  // every fake row is in D's input
            let mine = team.share(rowsD)
            if noisy { addInstanceNoise(rows: (m * mine.lowerBound)..<(m * mine.upperBound)) }
            d.forwardPart(team, batch: rowsD)
            if let logits = d.outputBuffer.baseAddress {
                loss.discriminatorTerms(logits: logits, count: rowsD, realCount: realRows, rows: mine,
                                        terms: terms, gradient: gradient)
            }
            if penalized, let penalty { penalizePart(team, penalty, rows: penaltyRows, realRows: realRows) }
        }
        try checkGeneratedSamples(step: step)
        let value = GANLoss.mean(of: terms, count: rowsD)
        guard value.isFinite else { throw DivergenceError(step: step, network: "discriminator", what: "loss") }
        if penalized, let penalty {
            let (meanTerm, meanNorm) = penalty.summary(rows: penaltyRows)
            let value = t.penaltyWeight * meanTerm
            stats.penalty = value
            stats.penaltyGradientNorm = meanNorm
            guard value.isFinite else {
                throw DivergenceError(step: step, network: "discriminator", what: "gradient penalty")
            }
        }
        let logits = UnsafeBufferPointer(rebasing: d.outputBuffer[0..<rowsD])
        var sumReal = 0.0, sumFake = 0.0
        for i in 0..<realRows { sumReal += Double(logits[i]) }
        for i in realRows..<rowsD { sumFake += Double(logits[i]) }
        stats.discriminatorLoss = value
        stats.realMinusFakeLogit = sumReal / Double(realRows) - sumFake / Double(rowsD - realRows)
        let optimizer = discriminatorOptimizer
        optimizer.prepareUpdate(count: d.parameterCount)
        let penaltyGradient = penalized ? penalty : nil
        let trained = spectral?.rawParameters ?? d.parameters
        // Without a penalty or spectral normalization the gradients go straight into Adam, range
        // by range inside D's backward pass.
        let direct = penaltyGradient == nil && spectral == nil
        pool.run(parts: MLP.parts(rows: rowsD)) { team in
            d.backwardPart(team, outputGradient: gradient, batch: rowsD, weightGradients: true, inputGradient: false,
                           prepared: true, optimizer: direct ? optimizer : nil)
            guard !direct else { return }
            team.barrier()  // every gradient is summed
            if let penaltyGradient {
                penaltyGradient.addGradientsPart(team, into: d.gradients)
                team.barrier()
            }
            if let spectral {
                // ∂L/∂W̃ → ∂L/∂W on one part (a few passes over the weights).
                if team.part == 0 { spectral.pullBack(d.gradients) }
                team.barrier()
            }
            optimizer.updatePart(team, parameters: trained, gradients: d.gradients)
        }
    }

    /// This part's share of the gradient penalty: R1 and R2 read D's real or generated rows and
    /// their activations straight from D's forward pass; WGAN-GP first writes this part's rows of
    /// x̂ = εx + (1 − ε)G(z) (as D sees them, instance noise included). Then its row groups of the
    /// penalty's passes.
    private func penalizePart(_ team: Team, _ penalty: GradientPenalty, rows count: Int, realRows: Int) {
        let t = config.train, width = discriminator.inputWidth
        team.barrier()  // every row of D's input and activations is final
        let source = discriminator.input, points = penalty.input
        var reusing: GradientPenalty.ForwardState?
        switch t.penalty {
        case .none:
            return
        case .r1, .r2:
            // The points are D's real (or generated) rows, whose forward pass D has just made.
            reusing = GradientPenalty.ForwardState(network: discriminator, firstRow: t.penalty == .r1 ? 0 : realRows)
        case .wganGP:
            for r in team.share(count) {
                let e = mixing[r]
                for c in 0..<width {
                    points[r * width + c] = e * source[r * width + c] + (1 - e) * source[(realRows + r) * width + c]
                }
            }
        }
        penalty.prepareTransposesPart(team)
        team.barrier()  // every point and transposed weight is ready
        guard let form = t.penalty.form else { return }
        penalty.evaluatePart(team, rows: count, form: form, coefficient: Float(t.penaltyWeight),
                             gradientScale: Float(t.penaltyInterval), reusing: reusing)
    }

    /// G through the frozen D on `generatorBatch` noise samples: D gives input gradients only.
    ///
    /// Two passes over the engine's threads, each thread on the same rows throughout: G's and
    /// D's forward and the loss rows; then (after the checks) D's backward to its inputs, G's
    /// backward from there, and the update.
    private func generatorStep(stats: inout StepStatistics, step: Int) throws(DivergenceError) {
        let n = config.train.generatorBatch
        let m = packing, rowsD = n / m
        let g = generator, d = discriminator, loss = loss, terms = lossTerms, gradient = logitGradient
        problem.sampleLatents(count: n, into: g.input, using: &rng)
        let noisy = drawInstanceNoise(rows: n, step: step)
        spectralNormalization?.normalize()  // W/σ of D's updated weights, with the last D step's u and v
        prepareForwardPasses()
        let pool = WorkerPool.shared, parts = MLP.parts(rows: n)
        pool.run(parts: parts) { team in
            generatePart(team, batch: n, discriminatorRow: 0)
            // Unpacked, D's rows are this thread's own samples; packed, a row may hold another's.
            if m > 1 { team.barrier() }
            let mine = team.share(rowsD)
            if noisy { addInstanceNoise(rows: (m * mine.lowerBound)..<(m * mine.upperBound)) }
            d.forwardPart(team, batch: rowsD)
            if let logits = d.outputBuffer.baseAddress {
                loss.generatorTerms(logits: logits, count: rowsD, rows: mine, terms: terms, gradient: gradient)
            }
            d.prepareBackwardPart(team, inputGradient: true)
            g.prepareBackwardPart(team, inputGradient: false)
        }
        try checkGeneratedSamples(step: step)
        let value = GANLoss.mean(of: terms, count: rowsD)
        guard value.isFinite else { throw DivergenceError(step: step, network: "generator", what: "loss") }
        stats.generatorLoss = value
        let optimizer = generatorOptimizer
        optimizer.prepareUpdate(count: g.parameterCount)
        pool.run(parts: parts) { team in
            d.backwardPart(team, outputGradient: gradient, batch: rowsD, weightGradients: false, inputGradient: true,
                           prepared: true, optimizer: nil)
            if m > 1 { team.barrier() }  // packed: G's rows take input gradients other threads wrote
            if let upstream = d.inputGradient.baseAddress {
                // Unpacked, D's input gradient rows are this thread's own: G's backward starts right
                // away, and applies Adam to each range of G's gradients as it finishes it.
                g.backwardPart(team, outputGradient: upstream, batch: n, weightGradients: true, inputGradient: false,
                               prepared: true, optimizer: optimizer)
            }
        }
    }

    /// Readies both networks' forward parts and marks every part's samples finite until a part
    /// says otherwise (a pool that is busy elsewhere runs a single part).
    private func prepareForwardPasses() {
        generator.prepareForward()
        discriminator.prepareForward()
        finiteParts.update(repeating: true, count: WorkerPool.maximumParts)
    }

    /// G's forward on this part's share of the first n rows of its input; the samples go on into
    /// D's input from row `firstRow` + the share's start, and whether they were all finite into the
    /// part's flag.
    private func generatePart(_ team: Team, batch n: Int, discriminatorRow firstRow: Int) {
        generator.forwardPart(team, batch: n)
        let rows = team.share(n)
        let mine = UnsafeBufferPointer(rebasing: generator.outputBuffer[(2 * rows.lowerBound)..<(2 * rows.upperBound)])
        finiteParts[team.part] = allFinite(mine)
        let first = firstRow + rows.lowerBound
        _ = UnsafeMutableBufferPointer(rebasing: discriminator.input[(2 * first)..<(2 * (first + rows.count))])
            .update(fromContentsOf: mine)
    }

    /// Draws σₜ·N(0, 1) for the x and y of D's first `rows` input rows, in row order from the
    /// training stream, when instance noise is on at `step`; returns whether it is. No draw is
    /// made when it is off, so a run without instance noise uses the stream as before.
    private func drawInstanceNoise(rows: Int, step: Int) -> Bool {
        let sigma = config.train.instanceNoise(atStep: step)
        guard sigma > 0 else { return false }
        for i in 0..<(2 * rows) { instanceNoise[i] = Float(sigma * rng.nextGaussian()) }
        return true
    }

    /// Adds the drawn instance noise to D's input rows `rows` (a part's own rows, after they are written).
    private func addInstanceNoise(rows: Range<Int>) {
        let input = discriminator.input
        for i in (2 * rows.lowerBound)..<(2 * rows.upperBound) { input[i] += instanceNoise[i] }
    }

    /// Throws if some part's generated samples were not finite.
    private func checkGeneratedSamples(step: Int) throws(DivergenceError) {
        guard (0..<WorkerPool.maximumParts).allSatisfy({ finiteParts[$0] }) else {
            throw DivergenceError(step: step, network: "generator", what: "output samples")
        }
    }

    // MARK: - State

    /// Whether every weight of both networks is finite (checked before a snapshot is written).
    public var parametersAreFinite: Bool {
        allFinite(UnsafeBufferPointer(generator.parameters)) && allFinite(UnsafeBufferPointer(discriminator.parameters))
            && spectralNormalization.map { allFinite(UnsafeBufferPointer($0.rawParameters)) } ?? true
    }

    /// The full state at the current step.
    public func snapshot() -> Snapshot {
        func state(_ net: any TrainableNetwork, _ opt: Optimizer, layerSizes: [Int], residualBlocks: Int) -> NetworkState {
            NetworkState(layerSizes: layerSizes, residualBlocks: residualBlocks, parameters: net.copyParameters(),
                         optimizerStep: opt.step, firstMoment: opt.firstMoment, secondMoment: opt.secondMoment)
        }
        let g = state(generator, generatorOptimizer, layerSizes: Self.generatorSizes(config),
                      residualBlocks: Self.generatorBlocks(config))
        var d = state(discriminator, discriminatorOptimizer, layerSizes: discriminator.layerSizes, residualBlocks: 0)
        if let spectral = spectralNormalization { d.parameters = spectral.copyRawParameters() }
        var snapshot = Snapshot(step: step, config: config, generator: g, discriminator: d, rngState: rng.stateWords,
                                generatorAverage: generatorAverage)
        snapshot.discriminatorSpectralVectors = spectralNormalization?.vectors
        return snapshot
    }

    /// G applied to `count` latent rows (e.g. the probe set).
    public func generate(latents: [Float], count: Int) -> [Float] { generator.predict(latents, count: count) }
}
