import Foundation
import Testing
import GANLabEngine
import GANLabTestSupport

@testable import GANLabCore

@Suite("Remedies: gradient penalties and the Wasserstein critic")
struct PenaltyTests {
    static func penalized(_ kind: GradientPenaltyKind, weight: Double = 10, interval: Int = 1,
                          loss: GANLossKind = .nonSaturating, activation: ActivationKind = .leakyReLU) -> ExperimentConfig {
        var c = tinyConfig(.ring8)
        c.train.penalty = kind
        c.train.penaltyWeight = weight
        c.train.penaltyInterval = interval
        c.train.loss = loss
        c.discriminator.activation = activation
        return c
    }

    static let cases: [ExperimentConfig] = [
        penalized(.r1), penalized(.r2, weight: 0.5), penalized(.wganGP, loss: .wasserstein),
        penalized(.wganGP, interval: 4), penalized(.r1, activation: .tanh),
    ]

    @Test("with a penalty on: the same seed gives the same snapshot bytes, and a resume continues exactly",
          arguments: cases)
    func deterministicAndResumable(config: ExperimentConfig) throws {
        let runs = try TrainerRuns.twiceAndResumed(config, steps: 8)
        #expect(runs.first == runs.second && runs.resumed == runs.first)
        var plain = config
        plain.train.penalty = .none
        if plain.train.loss == .wasserstein { plain.train.loss = .hinge }
        let reference = GANTrainer(config: plain)
        for _ in 0..<8 { try reference.trainStep() }
        let penalizedState = try Snapshot(decoding: runs.first, path: "memory")
        #expect(reference.snapshot().discriminator.parameters != penalizedState.discriminator.parameters)
    }

    @Test("a penalised D step moves D by the loss gradient plus the penalty's, taken at the right rows",
          arguments: [GradientPenaltyKind.r1, .r2], [1, 2])
    func stepUsesPenaltyGradient(kind: GradientPenaltyKind, packing: Int) throws {
        var c = Self.penalized(kind, weight: 3)
        c.discriminator.packing = packing
        c.train.discriminatorOptimizer.kind = .sgd
        c.train.discriminatorOptimizer.learningRate = 0.5
        let trainer = GANTrainer(config: c)
        try trainer.trainStep()
        let before = trainer.discriminator.copyParameters()
        try trainer.timedDiscriminatorStep()
        let after = trainer.discriminator.copyParameters()
        // Recompute both gradients from the rows D saw (its input still holds them).
        let d = trainer.discriminator, rows = (c.train.realBatch + c.train.fakeBatch) / packing
        let realRows = c.train.realBatch / packing, width = d.inputWidth
        let inputs = Array(d.input[0..<(rows * width)])
        let reference = MLP(layerSizes: d.layerSizes, hidden: d.hidden, output: d.output, maxBatch: rows)
        reference.loadParameters(before)
        let logits = reference.predict(inputs, count: rows)
        var lossGradient = [Float](repeating: 0, count: rows)
        _ = logits.withUnsafeBufferPointer { l in
            lossGradient.withUnsafeMutableBufferPointer { GANLoss(c.train.loss).discriminator(logits: l, realCount: realRows, gradient: $0) }
        }
        for i in inputs.indices { reference.input[i] = inputs[i] }
        reference.forward(batch: rows)
        lossGradient.withUnsafeBufferPointer {
            reference.backward(outputGradient: $0.baseAddress!, batch: rows, weightGradients: true, inputGradient: false)
        }
        let penalty = GradientPenalty(network: reference, maxRows: rows - realRows)
        let first = kind == .r1 ? 0 : realRows, count = kind == .r1 ? realRows : rows - realRows
        for i in 0..<(count * width) { penalty.input[i] = inputs[first * width + i] }
        WorkerPool.shared.run(parts: 1) { team in
            penalty.prepareTransposesPart(team)
            penalty.evaluatePart(team, rows: count, form: .squaredNorm, coefficient: 3)
            penalty.addGradientsPart(team, into: reference.gradients)
        }
        let expected = zip(before, reference.gradients).map { $0 - 0.5 * $1 }
        let scale = max(zip(before, expected).map { abs($0 - $1) }.max() ?? 0, 1e-6)
        let worst = zip(after, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-3 * scale, "worst deviation \(worst) against an update of size \(scale)")
    }

    @Test("a strong R1 penalty keeps ‖∇ₓD‖ on real samples far below a weak one's")
    func r1FlattensD() throws {
        func meanNorm(_ gamma: Double) throws -> Double {
            var c = Self.penalized(.r1, weight: gamma)
            c.train.discriminatorOptimizer.learningRate = 1e-2
            let trainer = GANTrainer(config: c)
            var last = StepStatistics(discriminatorLoss: 0, generatorLoss: 0, realMinusFakeLogit: 0,
                                      discriminatorGradientNorm: 0, generatorGradientNorm: 0)
            for _ in 0..<60 { last = try trainer.trainStep() }
            return try #require(last.penaltyGradientNorm)
        }
        let strong = try meanNorm(100), weak = try meanNorm(1e-4)
        #expect(strong < 0.3 * weak, "‖∇ₓD‖: γ = 100 → \(strong), γ = 1e-4 → \(weak)")
    }

    @Test("WGAN-GP pulls ‖∇ₓD‖ at the interpolates towards 1")
    func wganGPNearOne() throws {
        var c = Self.penalized(.wganGP, weight: 10, loss: .wasserstein)
        c.train.discriminatorSteps = 5
        c.train.discriminatorOptimizer.learningRate = 1e-2
        let trainer = GANTrainer(config: c)
        var norms: [Double] = []
        for _ in 0..<80 { norms.append(try #require(try trainer.trainStep().penaltyGradientNorm)) }
        let late = norms.suffix(20).reduce(0, +) / 20
        #expect(abs(late - 1) < 0.35, "mean ‖∇ₓD‖ over the last 20 steps: \(late)")
    }

    @Test("lazy regularisation takes the penalty on every k-th D step only")
    func lazySteps() throws {
        let trainer = GANTrainer(config: Self.penalized(.r1, interval: 3))
        let taken = try (0..<9).map { _ in try trainer.trainStep().penalty != nil }
        #expect(taken == [true, false, false, true, false, false, true, false, false])
    }

    @Test("the Wasserstein losses are the differences of means")
    func wassersteinValues() {
        let logits: [Float] = [2, 4, -1, 0, 3]  // 2 real, 3 fake
        var g = [Float](repeating: 0, count: 5)
        let loss = GANLoss(.wasserstein)
        let d = logits.withUnsafeBufferPointer { l in g.withUnsafeMutableBufferPointer { loss.discriminator(logits: l, realCount: 2, gradient: $0) } }
        #expect(abs(d - ((-1 + 0 + 3) / 3.0 - 3)) < 1e-6)
        #expect(g == [-0.5, -0.5, 1 / Float(3), 1 / Float(3), 1 / Float(3)])
        let gen = logits.withUnsafeBufferPointer { l in g.withUnsafeMutableBufferPointer { loss.generator(logits: l, gradient: $0) } }
        #expect(abs(gen + 8 / 5.0) < 1e-9)
    }

    @Test("a run without a penalty has the config JSON it had before penalties existed")
    func plainConfigUnchanged() {
        let json = Snapshot.configJSON(tinyConfig(.ring8))
        #expect(!json.contains("penalty"))
        #expect(Snapshot.configJSON(Self.penalized(.r1)).contains("\"penalty\":\"r1\""))
    }

    @Test("metrics.csv gains the penalty columns, empty on steps without a penalty")
    func metricsColumns() {
        #expect(MetricsLog.header(penalty: false) == "step,d_loss,g_loss,d_real_minus_fake,grad_norm_d,grad_norm_g,wall_seconds\n")
        #expect(MetricsLog.header(penalty: true).contains("penalty,penalty_grad_norm,wall_seconds"))
    }

    @Test("bad values and combinations are refused naming the key", arguments: [
        ("train:\n  penaltyWeight: -1\n  penalty: r1\n", "train.penaltyWeight"),
        ("train:\n  penaltyWeight: .nan\n  penalty: r1\n", "train.penaltyWeight"),
        ("train:\n  penalty: r3\n", "train.penalty"),
        ("train:\n  penaltyInterval: 0\n  penalty: r1\n", "train.penaltyInterval"),
        ("train:\n  loss: wasserstein\n", "train.loss"),
        ("train:\n  loss: wasserstein\n  penalty: r1\n", "train.loss"),
        ("train:\n  penalty: wgan-gp\n  realBatch: 128\n", "train.penalty"),
    ])
    func refused(text: String, key: String) {
        #expect {
            _ = try ExperimentConfig.load(yaml: "problem: ring8\n" + text, file: "x.yaml")
        } throws: { error in
            String(describing: error).contains(key) && String(describing: error).contains("x.yaml")
        }
    }
}
