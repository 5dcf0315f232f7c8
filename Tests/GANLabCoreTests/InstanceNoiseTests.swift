import Foundation
import Testing
import GANLabEngine
import GANLabTestSupport

@testable import GANLabCore

@Suite("Remedies: instance noise")
struct InstanceNoiseTests {
    static func noisy(_ sigma: Double, over steps: Int, problem: ProblemKind = .ring8) -> ExperimentConfig {
        var c = tinyConfig(problem)
        c.train.instanceNoise = sigma
        c.train.instanceNoiseSteps = steps
        return c
    }

    @Test("σₜ falls linearly from σ₀ at step 1 to 0 after T steps, and is 0 when off")
    func schedule() {
        let t = Self.noisy(0.5, over: 4).train
        #expect([1, 2, 3, 4, 5, 6].map { t.instanceNoise(atStep: $0) } == [0.5, 0.375, 0.25, 0.125, 0, 0])
        #expect(tinyConfig().train.instanceNoise(atStep: 1) == 0)
    }

    @Test("the noise reaches D's inputs at σₜ: the generated rows D sees spread by σ₀")
    func reachesDiscriminator() throws {
        // G starts near a point, so the spread of D's input rows after the G step is the noise's.
        let sigma = 10.0
        let trainer = GANTrainer(config: Self.noisy(sigma, over: 1_000_000))
        try trainer.trainStep()
        let n = trainer.config.train.generatorBatch
        let rows = Array(trainer.discriminator.input[0..<(2 * n)]).map(Double.init)
        let mean = rows.reduce(0, +) / Double(rows.count)
        let spread = (rows.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(rows.count - 1)).squareRoot()
        #expect(abs(spread - sigma) < 0.15 * sigma, "spread \(spread)")
        let plain = GANTrainer(config: tinyConfig(.ring8))
        try plain.trainStep()
        let clean = Array(plain.discriminator.input[0..<(2 * n)]).map(Double.init)
        #expect(clean.allSatisfy { abs($0) < 5 }, "without noise D sees G's samples")
    }

    @Test("with the noise on: the same seed gives the same snapshot bytes, and a resume continues exactly")
    func deterministicAndResumable() throws {
        let runs = try TrainerRuns.twiceAndResumed(Self.noisy(0.3, over: 4))
        #expect(runs.first == runs.second && runs.resumed == runs.first)
        // The noise changes training while it lasts.
        let plain = GANTrainer(config: tinyConfig(.ring8))
        for _ in 0..<6 { try plain.trainStep() }
        let noisy = try Snapshot(decoding: runs.first, path: "memory")
        #expect(plain.snapshot().generator.parameters != noisy.generator.parameters)
    }

    @Test("snapshots written before instance noise existed load with it off")
    func oldSnapshotsLoad() throws {
        let path = packageRoot.appendingPathComponent("Tests/FuzzCorpus/snapshot/spiral-adam.snap").path
        let snapshot = try Snapshot.read(from: path)
        #expect(snapshot.config.train.instanceNoise == 0 && snapshot.config.train.instanceNoiseSteps == 0)
    }

    @Test("bad values are refused naming the key", arguments: [
        ("instanceNoise: -0.5", "train.instanceNoise"), ("instanceNoise: .nan", "train.instanceNoise"),
        ("instanceNoise: 0.2", "train.instanceNoiseSteps"), ("instanceNoiseSteps: -3", "train.instanceNoiseSteps"),
    ])
    func refused(line: String, key: String) {
        #expect {
            _ = try ExperimentConfig.load(yaml: "problem: ring8\ntrain:\n  \(line)\n", file: "x.yaml")
        } throws: { error in
            String(describing: error).contains(key)
        }
    }
}
