import Foundation
import Testing
import GANLabTestSupport
@testable import GANLabCore
import GANLabEngine


/// `tinyConfig` with a residual generator: `blocks` blocks of 2 → 6 → 6 → 2.
private func tinyResidualConfig(_ problem: ProblemKind = .spiral, steps: Int = 60, blocks: Int = 6,
                                exitInitScale: Double = 0.01) -> ExperimentConfig {
    var c = tinyConfig(problem, steps: steps)
    c.generator.architecture = .residual
    c.generator.blocks = blocks
    c.generator.blockWidth = 6
    c.generator.blockDepth = 2
    c.generator.activation = .relu
    c.generator.initialization = .normal
    c.generator.initScale = 1
    c.generator.blockBiasScale = 1
    c.generator.exitInitScale = exitInitScale
    return c
}

private func fileBytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

/// Residual generators through config, trainer, snapshots and resumed runs.
@Suite("Residual generator")
struct ResidualGeneratorTests {
    // MARK: - Config

    @Test("spiral-residual loads as a residual G and round-trips through YAML and snapshot JSON")
    func configRoundTrips() throws {
        let config = try ExperimentLibrary(projectRoot: packageRoot).load("spiral-residual")
        let g = config.generator
        #expect(g.architecture == .residual && g.blocks == 24 && g.blockWidth == 6 && g.blockDepth == 2)
        #expect(g.initialization == .normal && g.initScale == 1 && g.exitInitScale == 0.01)
        #expect(try ExperimentConfig.load(yaml: config.yamlText, file: "resolved.yaml") == config)
        let json = Snapshot.configJSON(config)
        #expect(json.contains("\"architecture\":\"residual\"") && json.contains("\"exitInitScale\":0.01"))
        #expect(try Snapshot.makeDecoder().decode(ExperimentConfig.self, from: Data(json.utf8)) == config)
    }

    @Test("an MLP's config JSON is unchanged (no residual keys), and JSON without them reads as an MLP")
    func mlpJSONUnchanged() throws {
        let plain = Snapshot.configJSON(ExperimentConfig())
        for key in ["architecture", "blocks", "blockWidth", "blockDepth", "blockBiasScale", "exitInitScale"] {
            #expect(!plain.contains("\"\(key)\""), "\(key) in \(plain)")
        }
        let decoded = try Snapshot.makeDecoder().decode(ExperimentConfig.self, from: Data(plain.utf8))
        #expect(decoded == ExperimentConfig() && decoded.generator.architecture == .mlp)
        // A changed residual key on an MLP is still written, so nothing is lost.
        var changed = ExperimentConfig()
        changed.generator.blocks = 30
        let json = Snapshot.configJSON(changed)
        #expect(try Snapshot.makeDecoder().decode(ExperimentConfig.self, from: Data(json.utf8)) == changed)
    }

    @Test("the weight counts of spiral-residual and spiral-shallow-wide match to within one")
    func experimentsHaveSimilarWeightCounts() throws {
        let library = ExperimentLibrary(projectRoot: packageRoot)
        let residual = GANTrainer(config: try library.load("spiral-residual"))
        let shallow = GANTrainer(config: try library.load("spiral-shallow-wide"))
        #expect(residual.generator.parameterCount == 1_776)
        #expect(shallow.generator.parameterCount == 1_777)
        #expect(residual.discriminator.layerSizes == shallow.discriminator.layerSizes)
    }

    // MARK: - Trainer

    @Test("a residual G starts as the identity: exactly with zero exits, nearly with small ones")
    func identityAtStart() throws {
        var rng = RandomSource(seed: 3)
        let latents = ToyProblem(.spiral).sampleLatents(count: 500, using: &rng)
        let exact = GANTrainer(config: tinyResidualConfig(blocks: 24, exitInitScale: 0))
        #expect(exact.generate(latents: latents, count: 500) == latents)
        let near = GANTrainer(config: tinyResidualConfig(blocks: 24, exitInitScale: 0.001))
        let moved = zip(near.generate(latents: latents, count: 500), latents).map { abs($0 - $1) }.max() ?? 1
        #expect(moved > 0 && moved < 0.05, "max |G(z) − z| = \(moved)")
    }

    @Test("a residual snapshot restores a generator and a trainer that continue exactly")
    func snapshotRestores() throws {
        let config = tinyResidualConfig()
        let trainer = GANTrainer(config: config)
        for _ in 0..<7 { try trainer.trainStep() }
        let snapshot = try Snapshot(decoding: trainer.snapshot().encoded(), path: "mem.snap")
        #expect(snapshot.generator.residualBlocks == 6 && snapshot.generator.layerSizes == [2, 6, 6, 2])
        #expect(snapshot.generator.parameters.count == 6 * 74)
        var rng = RandomSource(seed: 4)
        let latents = ToyProblem(.spiral).sampleLatents(count: 300, using: &rng)
        let restored = snapshot.makeGenerator(maxBatch: 64)
        #expect(restored is ResidualStack)
        #expect(restored.predict(latents, count: 300) == trainer.generate(latents: latents, count: 300))
        let resumed = GANTrainer(snapshot: snapshot)
        for _ in 0..<5 {
            #expect(try resumed.trainStep() == (try trainer.trainStep()))
        }
        #expect(resumed.snapshot() == trainer.snapshot())
    }

    @Test("residual runs are byte-identical when repeated and when stopped and resumed; diagnostics are written")
    func runDeterminismAndResume() throws {
        let a = temporaryFolder("resid-a"), b = temporaryFolder("resid-b"), c = temporaryFolder("resid-c")
        defer { for p in [a, b, c] { try? FileManager.default.removeItem(atPath: p) } }
        let config = tinyResidualConfig()
        for path in [a, b] {
            _ = try TrainingSession.create(config: config, configYAML: config.yamlText, at: path + "/run").train()
        }
        _ = try TrainingSession.create(config: config, configYAML: config.yamlText, at: c + "/run").train(stopAt: 33)
        let resumed = try TrainingSession.resume(at: c + "/run") { _ in config }
        #expect(resumed.trainer.step == 20)
        _ = try resumed.train()
        let runA = RunDirectory(path: a + "/run")
        #expect(try runA.listSnapshots() == [20, 40, 60])
        for other in [b, c] {
            let run = RunDirectory(path: other + "/run")
            for step in try runA.listSnapshots() {
                #expect(fileBytes(runA.snapshotPath(step: step)) == fileBytes(run.snapshotPath(step: step)), "\(other) step \(step)")
            }
            #expect(fileBytes(runA.tracePath) == fileBytes(run.tracePath))
        }
        let diagnostics = SnapshotDiagnostics.read(from: runA)
        #expect(diagnostics.map(\.step) == [20, 40, 60])
        #expect(diagnostics.allSatisfy { $0.values["tear_mass"] != nil && $0.values["folded_fraction"] != nil })
        let snapshot = try runA.loadSnapshot()
        #expect(snapshot.generator.residualBlocks == 6)
        let report = Diagnostics.evaluate(problem: ToyProblem(.spiral), generator: snapshot.makeGenerator().latentMap,
                                          sampleCount: 500, gridSize: 16, seed: 1)
        #expect(report.geometry != nil)
    }

    @Test("training a residual G on uniform-to-normal moves its marginals towards N(0,1)")
    func residualLearns() throws {
        // The article's G learning rate (2e-4): 1e-3 makes this small residual G oscillate.
        var c = tinyResidualConfig(.uniformToNormal, steps: 1000, blocks: 8)
        c.discriminator.hidden = [64, 64]
        c.train.realBatch = 128
        c.train.fakeBatch = 128
        c.train.generatorBatch = 256
        let (before, after) = try marginalKSBeforeAndAfterTraining(c)
        #expect(after < before * 0.5, "KS before \(before), after \(after)")
        #expect(after < 0.1, "KS after training \(after)")
    }
}
