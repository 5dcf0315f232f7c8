import Foundation
import Testing
import GANLabEngine
import GANLabTestSupport

@testable import GANLabCore

@Suite("Remedies: spectral normalisation of D")
struct SpectralTests {
    static func spectral(_ loss: GANLossKind = .nonSaturating, penalty: GradientPenaltyKind = .none) -> ExperimentConfig {
        var c = tinyConfig(.ring8)
        c.discriminator.normalization = .spectral
        c.train.loss = loss
        c.train.penalty = penalty
        return c
    }

    @Test("the same seed gives the same snapshot bytes, and a resume continues exactly",
          arguments: [spectral(), spectral(.wasserstein), spectral(penalty: .r1)])
    func deterministicAndResumable(config: ExperimentConfig) throws {
        let runs = try TrainerRuns.twiceAndResumed(config, steps: 8)
        #expect(runs.first == runs.second && runs.resumed == runs.first)
        let snapshot = try Snapshot(decoding: runs.first, path: "memory")
        #expect(snapshot.discriminatorSpectralVectors?.count
                == SpectralNormalization.vectorCount(layerSizes: snapshot.discriminator.layerSizes))
        #expect(runs.first[8] == 3, "spectral vectors need snapshot format 3")
    }

    @Test("every weight matrix D computes with has spectral norm about 1, and a snapshot's D is the trainer's")
    func normalizedWeights() throws {
        let trainer = GANTrainer(config: Self.spectral())
        for _ in 0..<30 { try trainer.trainStep() }
        let d = trainer.discriminator
        for l in 0..<d.layerCount {
            let fanIn = d.layerSizes[l], fanOut = d.layerSizes[l + 1]
            let w = (0..<(fanIn * fanOut)).map { Double(d.parameters[d.weightOffset(layer: l) + $0]) }
            let sigma = largestSingularValue(w, rows: fanIn, cols: fanOut)
            // One power iteration per step from a random start: within a few % after 30 steps.
            #expect(abs(sigma - 1) < 0.05, "layer \(l): σ(W̃) = \(sigma)")
        }
        let snapshot = try Snapshot(decoding: trainer.snapshot().encoded(), path: "memory")
        let points: [Float] = [0.1, -0.3, 1.5, 0.2, -2, 1]
        #expect(snapshot.makeDiscriminator().predict(points, count: 3) == d.predict(points, count: 3))
        #expect(snapshot.discriminator.parameters != d.copyParameters(), "the snapshot stores the raw weights")
    }

    @Test("a snapshot whose config and spectral vectors disagree is refused naming the file")
    func mismatchRefused() throws {
        let trainer = GANTrainer(config: Self.spectral())
        try trainer.trainStep()
        var snapshot = trainer.snapshot()
        snapshot.discriminatorSpectralVectors = nil
        #expect(snapshot.configProblem?.contains("spectral") == true)
        var plain = GANTrainer(config: tinyConfig(.ring8)).snapshot()
        plain.discriminatorSpectralVectors = [Float](repeating: 0.1, count: SpectralNormalization.vectorCount(
            layerSizes: plain.discriminator.layerSizes))
        let bytes = plain.encoded()
        #expect { _ = try Snapshot(decoding: bytes, path: "bad.snap") } throws: { "\($0)".contains("bad.snap") }
    }

    @Test("the Wasserstein loss is allowed with spectral normalisation; unknown names are refused")
    func configuration() throws {
        _ = try ExperimentConfig.load(yaml: "problem: ring8\ndiscriminator:\n  normalization: spectral\ntrain:\n  loss: wasserstein\n",
                                      file: "x.yaml")
        #expect {
            _ = try ExperimentConfig.load(yaml: "problem: ring8\ndiscriminator:\n  normalization: batch\n", file: "x.yaml")
        } throws: { "\($0)".contains("discriminator.normalization") }
        #expect(!Snapshot.configJSON(tinyConfig(.ring8)).contains("normalization"))
    }
}
