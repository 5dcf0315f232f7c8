import Foundation
import GANLabCore
import GANLabEngine

/// Times the training step of a configuration (no disk I/O: just `GANTrainer.trainStep`).
public enum TrainingBenchmark {
    /// Median speed over repeats.
    public struct Result: Sendable {
        /// Median steps per second.
        public var stepsPerSecond: Double
        /// Every repeat's steps per second.
        public var allStepsPerSecond: [Double]
        /// Matrix-product FLOPs of one step (2 per multiply-add).
        public var flopsPerStep: Double
        /// Achieved GFLOP/s at the median.
        public var gflops: Double { flopsPerStep * stepsPerSecond / 1e9 }
    }

    /// One configuration of the reference comparison, named as the reference scripts name it.
    public struct Case: Sendable {
        /// The reference script's name: spiral64, spiral128, spiral256, spiral512 or u2n.
        public var name: String
        /// The resolved experiment.
        public var config: ExperimentConfig
    }

    /// The names of the reference configurations, in the order `referenceCases` returns them.
    public static let referenceCaseNames = ["spiral64", "spiral128", "spiral256", "spiral512", "u2n"]

    /// The configurations of the reference scripts (`Benchmarks/torch_reference.py`,
    /// `Benchmarks/jax_reference.py`): the
    /// article's spiral with every hidden width 64, 128, 256 and 512, and the article's
    /// uniform-to-normal (G 4×16, D 3×512). Batches, optimizers and loss are the article's.
    public static func referenceCases(spiral: ExperimentConfig, uniformToNormal: ExperimentConfig,
                                      threads: Int) -> [Case] {
        var cases = [64, 128, 256, 512].map { width -> Case in
            var c = spiral
            c.generator.hidden = [width, width, width]
            c.discriminator.hidden = [width, width, width]
            c.train.threads = threads
            return Case(name: "spiral\(width)", config: c)
        }
        var u2n = uniformToNormal
        u2n.train.threads = threads
        cases.append(Case(name: "u2n", config: u2n))
        return cases
    }

    /// `base` with every hidden width of both networks set to `width` (keeping the depth) and a
    /// generator batch of `batch` (the discriminator sees batch/2 real + batch/2 generated).
    public static func scaled(_ base: ExperimentConfig, width: Int, batch: Int) -> ExperimentConfig {
        var c = base
        c.generator.hidden = c.generator.hidden.map { _ in width }
        c.discriminator.hidden = c.discriminator.hidden.map { _ in width }
        c.train.generatorBatch = batch
        c.train.realBatch = batch / 2
        c.train.fakeBatch = batch - batch / 2
        return c
    }

    /// Warms up, calibrates the steps per repeat to about `secondsPerRepeat`, then times `repeats` repeats.
    public static func measure(config: ExperimentConfig, secondsPerRepeat: Double, repeats: Int) -> Result {
        Engine.setWorkerThreads(config.train.threads)
        var c = config
        c.train.steps = Int.max / 2
        let trainer = GANTrainer(config: c)
        let speeds = stepsPerSecond(secondsPerRepeat: secondsPerRepeat, repeats: repeats) { _ = try? trainer.trainStep() }
        return Result(stepsPerSecond: speeds[speeds.count / 2], allStepsPerSecond: speeds,
                      flopsPerStep: flopsPerStep(config))
    }

    /// Steps per second of `step` in each of `repeats` timed repeats, ascending: 10 steps to warm
    /// up, 5 to calibrate a repeat to about `secondsPerRepeat` (at least 5 steps), then the repeats.
    static func stepsPerSecond(secondsPerRepeat: Double, repeats: Int, _ step: () -> Void) -> [Double] {
        func run(_ n: Int) -> Double {
            let t0 = Stopwatch.wallSeconds()
            for _ in 0..<n { step() }
            return Stopwatch.wallSeconds() - t0
        }
        _ = run(10)
        let per = run(5) / 5
        let steps = max(5, Int(secondsPerRepeat / max(per, 1e-6)))
        return (0..<repeats).map { _ in Double(steps) / run(steps) }.sorted()
    }

    /// The header of the speed table `tableLine` fills.
    public static let tableHeader =
        "configuration        G widths          D widths          batch  steps/s  ms/step  GFLOP/s"

    /// One row of the speed table: the configuration's name, widths and batch, and its speed.
    public static func tableLine(name: String, config: ExperimentConfig, result: Result) -> String {
        TableText.pad(name, 20) + " " + TableText.pad("\(config.generator.hidden)", 17) + " "
            + TableText.pad("\(config.discriminator.hidden)", 17)
            + String(format: " %5d  %7.1f  %7.3f  %7.1f", config.train.generatorBatch,
                     result.stepsPerSecond, 1000 / result.stepsPerSecond, result.gflops)
    }

    /// GEMM FLOPs of one step, counted as the reference benchmark does: D step forward and weight
    /// backward on real+fake, G forward for the fakes, G step forward+backward through D (input
    /// gradients only for the frozen D; no input gradient for G's first layer). A residual G
    /// counts each of its blocks as such a network.
    public static func flopsPerStep(_ c: ExperimentConfig) -> Double {
        let g = GANTrainer.generatorSizes(c), d = GANTrainer.discriminatorSizes(c)
        let gCopies = Double(max(1, GANTrainer.generatorBlocks(c)))
        func gemm(_ dims: [Int], _ batch: Int, inputGrad: Bool, weightGrad: Bool) -> (Double, Double) {
            var fwd = 0.0, bwd = 0.0
            for (i, (a, b)) in zip(dims, dims.dropFirst()).enumerated() {
                let f = 2.0 * Double(batch * a * b)
                fwd += f
                if weightGrad { bwd += f }
                if i > 0 || inputGrad { bwd += f }
            }
            return (fwd, bwd)
        }
        let t = c.train
        let gHalf = gCopies * gemm(g, t.fakeBatch, inputGrad: false, weightGrad: false).0
        let dStep = gemm(d, t.realBatch + t.fakeBatch, inputGrad: false, weightGrad: true)
        let gStep = gemm(g, t.generatorBatch, inputGrad: false, weightGrad: true)
        let dFrozen = gemm(d, t.generatorBatch, inputGrad: true, weightGrad: false)
        return Double(t.discriminatorSteps) * (gHalf + dStep.0 + dStep.1 + penaltyFlops(c))
            + gCopies * (gStep.0 + gStep.1) + dFrozen.0 + dFrozen.1
    }

    /// GEMM FLOPs of one D step's gradient penalty (0 without one), averaged over the lazy
    /// interval, in units of one forward pass over D's hidden layers: ∇ₓD (1) and the second
    /// backward's two products per layer (2), plus the forward itself for WGAN-GP's interpolates
    /// (R1 and R2 reuse the loss's forward pass over their rows); tanh and sigmoid add a down
    /// pass (2). The PyTorch reference, which repeats the forward for every penalty, counts 4.
    public static func penaltyFlops(_ c: ExperimentConfig) -> Double {
        let t = c.train
        guard t.penalty != .none else { return 0 }
        let d = GANTrainer.discriminatorSizes(c), m = c.discriminator.packing
        let rows = (t.penalty == .r2 ? t.fakeBatch : t.realBatch) / m
        let hidden = zip(d, d.dropFirst().dropLast()).reduce(0.0) { $0 + 2.0 * Double(rows * $1.0 * $1.1) }
        let curved = c.discriminator.activation == .tanh || c.discriminator.activation == .sigmoid
        let passes = (t.penalty == .wganGP ? 4.0 : 3.0) + (curved ? 2 : 0)
        return passes * hidden / Double(t.penaltyInterval)
    }
}
