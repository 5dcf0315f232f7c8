import Foundation
import Testing
import GANLabEngine
import GANLabTestSupport

@testable import GANLabCore

@Suite("Remedies: PacGAN packing")
struct PackingTests {
    static func packed(_ m: Int, threads: Int = 2) -> ExperimentConfig {
        var c = tinyConfig(.ring8PacGAN)
        c.discriminator.packing = m
        c.train.threads = threads
        return c
    }

    @Test("D's input is 2m wide and its rows are packs of m consecutive samples, all real or all generated")
    func shapes() throws {
        let trainer = GANTrainer(config: Self.packed(2))
        #expect(trainer.discriminator.layerSizes.first == 4)
        #expect(trainer.snapshot().discriminator.layerSizes == [4, 16, 16, 1])
        // realBatch 32 and fakeBatch 32: rows 0..<16 hold real pairs, 16..<32 generated pairs.
        let stats = try trainer.trainStep()
        #expect(stats.discriminatorLoss.isFinite && stats.realMinusFakeLogit.isFinite)
    }

    @Test("packed D on the plane: each point judged as m copies of itself")
    func copies() {
        let rows = Snapshot.packedCopies([1, 2, 3, 4], count: 2, packing: 3)
        #expect(rows == [1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4])
        #expect(Snapshot.packedCopies([1, 2], count: 1, packing: 1) == [1, 2])
    }

    @Test("packing on 2 threads: the same seed gives the same bytes, and a resume continues exactly")
    func deterministicAndResumable() throws {
        let runs = try TrainerRuns.twiceAndResumed(Self.packed(4))
        #expect(runs.first == runs.second && runs.resumed == runs.first)
        // Splitting the packs over threads does not change them: 1 and 2 threads agree on the first step's loss.
        let one = GANTrainer(config: Self.packed(4, threads: 1)), two = GANTrainer(config: Self.packed(4, threads: 2))
        let s1 = try one.trainStep(), s2 = try two.trainStep()
        #expect(abs(s1.discriminatorLoss - s2.discriminatorLoss) < 1e-5 && abs(s1.generatorLoss - s2.generatorLoss) < 1e-5)
    }

    @Test("a packing that does not divide a batch is refused, naming the sizes")
    func refused() {
        #expect {
            _ = try ExperimentConfig.load(yaml: "problem: ring8\ndiscriminator:\n  packing: 3\n", file: "x.yaml")
        } throws: { error in
            let text = String(describing: error)
            return text.contains("discriminator.packing") && text.contains("train.realBatch = 256")
        }
        #expect(throws: ConfigError.self) {
            _ = try ExperimentConfig.load(yaml: "problem: ring8\ndiscriminator:\n  packing: 0\n", file: "x.yaml")
        }
    }

    @Test("snapshots written before packing existed load unpacked")
    func oldSnapshotsLoad() throws {
        let path = packageRoot.appendingPathComponent("Tests/FuzzCorpus/snapshot/spiral-adam.snap").path
        #expect(try Snapshot.read(from: path).config.discriminator.packing == 1)
    }
}
