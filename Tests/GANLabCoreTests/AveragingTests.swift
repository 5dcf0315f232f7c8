import Foundation
import Testing
import GANLabEngine
import GANLabTestSupport

@testable import GANLabCore

@Suite("Remedies: generator weight averaging")
struct AveragingTests {
    static func averaged(_ beta: Double, problem: ProblemKind = .ring8, threads: Int = 1) -> ExperimentConfig {
        var c = tinyConfig(problem)
        c.train.generatorAverage = beta
        c.train.threads = threads
        return c
    }

    /// The format version of snapshot bytes.
    static func version(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) }
    }

    // MARK: - Training

    @Test("θ_EMA after each step is β·θ_EMA + (1 − β)·θ over the per-step parameters, from G's initial weights",
          arguments: [1, 2])
    func matchesRecomputation(threads: Int) throws {
        let beta = 0.9
        let trainer = GANTrainer(config: Self.averaged(beta, threads: threads))
        var expected = trainer.generator.copyParameters()
        #expect(trainer.generatorAverage == expected)
        let b = Float(beta), c = Float(1 - beta)
        for _ in 0..<5 {
            try trainer.trainStep()
            let theta = trainer.generator.copyParameters()
            for i in expected.indices { expected[i] = b * expected[i] + c * theta[i] }
            #expect(trainer.generatorAverage == expected)
        }
        #expect(trainer.generatorAverage != trainer.generator.copyParameters(), "the average lags θ")
    }

    @Test("averaging leaves training alone: θ, D and the random stream are those of the plain run")
    func trainingUnchanged() throws {
        let plain = GANTrainer(config: tinyConfig(.ring8)), averaged = GANTrainer(config: Self.averaged(0.99))
        for _ in 0..<4 {
            try plain.trainStep()
            try averaged.trainStep()
        }
        let a = plain.snapshot(), b = averaged.snapshot()
        #expect(a.generator == b.generator && a.discriminator == b.discriminator && a.rngState == b.rngState)
        #expect(a.generatorAverage == nil && b.generatorAverage != nil)
    }

    @Test("with averaging on: the same seed gives the same snapshot bytes, and a resume continues exactly")
    func deterministicAndResumable() throws {
        let runs = try TrainerRuns.twiceAndResumed(Self.averaged(0.95))
        #expect(runs.first == runs.second && runs.resumed == runs.first)
        #expect(Self.version(runs.first) == 3)
        let snapshot = try Snapshot(decoding: runs.first, path: "memory")
        #expect(snapshot.generatorAverage?.count == snapshot.generator.parameters.count)
    }

    // MARK: - Snapshot format

    @Test("a run without averaging writes format version 1 (2 for a residual G) and no generatorAverage key")
    func plainRunsKeepTheirBytes() throws {
        let plain = GANTrainer(config: tinyConfig(.ring8)).snapshot()
        let bytes = plain.encoded()
        #expect(Self.version(bytes) == 1)
        #expect(!Snapshot.configJSON(plain.config).contains("generatorAverage"))
        var residual = tinyConfig(.spiral)
        residual.generator.architecture = .residual
        residual.generator.blocks = 2
        #expect(Self.version(GANTrainer(config: residual).snapshot().encoded()) == 2)
        residual.train.generatorAverage = 0.5
        let both = GANTrainer(config: residual).snapshot()
        let decoded = try Snapshot(decoding: both.encoded(), path: "memory")
        #expect(Self.version(both.encoded()) == 3 && decoded == both && decoded.generator.residualBlocks == 2)
    }

    @Test("a version 3 snapshot round-trips: the same average, the same bytes")
    func roundTrip() throws {
        let trainer = GANTrainer(config: Self.averaged(0.9, problem: .eightGaussians))
        for _ in 0..<3 { try trainer.trainStep() }
        let snapshot = trainer.snapshot()
        let bytes = snapshot.encoded()
        let path = temporaryFolder("ema") + "/step-3.snap"
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        try snapshot.write(to: path)
        let read = try Snapshot.read(from: path)
        #expect(read == snapshot && read.encoded() == bytes)
        #expect(read.generatorAverage == trainer.generatorAverage)
    }

    @Test("committed version 1 and 2 snapshots load with no average", arguments: [
        "Tests/Fixtures/tears/spiral.snap", "Tests/Fixtures/tears/eight-gaussians.snap",
        "Tests/Fixtures/tears/ring8.snap", "Tests/Fixtures/tears/grid25.snap",
        "Tests/FuzzCorpus/snapshot/spiral-adam.snap", "Tests/FuzzCorpus/snapshot/spiral-residual-adam.snap",
    ])
    func oldSnapshotsLoad(file: String) throws {
        let path = packageRoot.appendingPathComponent(file).path
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Self.version(bytes) <= 2)
        let snapshot = try Snapshot.read(from: path)
        #expect(snapshot.generatorAverage == nil && snapshot.config.train.generatorAverage == 0)
        #expect(snapshot.usingAveragedGenerator() == nil)
        #expect(snapshot.encoded() == bytes, "re-encoding keeps the old version's bytes")
    }

    @Test("usingAveragedGenerator puts θ_EMA in G's place and marks it; the trained snapshot is unchanged")
    func averagedView() throws {
        let trainer = GANTrainer(config: Self.averaged(0.5))
        for _ in 0..<3 { try trainer.trainStep() }
        let snapshot = trainer.snapshot()
        let averaged = try #require(snapshot.usingAveragedGenerator())
        #expect(averaged.generatorWeights == .averaged && snapshot.generatorWeights == .trained)
        #expect(averaged.generator.parameters == trainer.generatorAverage)
        #expect(averaged.discriminator == snapshot.discriminator)
        let latents: [Float] = [0.3, -0.2, 0.9, 0.1]
        #expect(averaged.makeGenerator().predict(latents, count: 2) != snapshot.makeGenerator().predict(latents, count: 2))
        #expect(averaged.usingAveragedGenerator() == averaged, "applying it twice changes nothing")
        #expect(GeneratorWeights.averaged.caption(config: snapshot.config) == "G: EMA β = 0.5")
        #expect(GeneratorWeights.trained.caption(config: snapshot.config) == "G: trained weights")
        #expect(GeneratorWeights.trained.caption(config: tinyConfig()) == nil)
    }

    // MARK: - Damaged extras

    /// A valid version 3 file of a tiny averaged run, and its G's parameter count.
    static func averagedFile() throws -> (bytes: [UInt8], parameters: Int) {
        let trainer = GANTrainer(config: averaged(0.9))
        try trainer.trainStep()
        let snapshot = trainer.snapshot()
        return (snapshot.encoded(), snapshot.generator.parameters.count)
    }

    /// `bytes` (a version 3 file with one extra array of `n` floats) with its extras section and
    /// payload replaced by `extras` (name, declared count, floats written), length and CRC fixed.
    static func replacingExtras(of bytes: [UInt8], n: Int, with extras: [(name: [UInt8], count: Int64, floats: Int)]) -> [UInt8] {
        let headerLength = Int(bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 12, as: UInt32.self)) })
        let oldSection = 4 + 4 + SnapshotExtra.generatorAverage.rawValue.utf8.count + 8
        let headerEnd = 24 + headerLength
        var section = BinaryWriter()
        section.write(UInt32(extras.count))
        for extra in extras {
            section.write(UInt32(extra.name.count))
            section.write(bytes: extra.name)
            section.write(extra.count)
        }
        let payloadEnd = bytes.count - 4
        var out = Array(bytes[0..<(headerEnd - oldSection)]) + section.bytes
            + Array(bytes[headerEnd..<(payloadEnd - 4 * n)])
        for extra in extras { out += [UInt8](repeating: 0, count: 4 * extra.floats) }
        let newHeader = headerLength - oldSection + section.count
        withUnsafeBytes(of: UInt32(newHeader).littleEndian) { out.replaceSubrange(12..<16, with: $0) }
        withUnsafeBytes(of: UInt64(out.count + 4).littleEndian) { out.replaceSubrange(16..<24, with: $0) }
        let crc = CRC32C.checksum(out)
        withUnsafeBytes(of: crc.littleEndian) { out.append(contentsOf: $0) }
        return out
    }

    @Test("the extras rewriter reproduces a valid file (so the refusals below are the extras' own)")
    func rewriterIsFaithful() throws {
        let (bytes, n) = try Self.averagedFile()
        let name = Array(SnapshotExtra.generatorAverage.rawValue.utf8)
        let same = Self.replacingExtras(of: bytes, n: n, with: [(name, Int64(n), n)])
        let decoded = try Snapshot(decoding: same, path: "same.snap")
        #expect(decoded.generatorAverage == [Float](repeating: 0, count: n))
    }

    @Test("damaged extras are refused with one line naming the file", arguments: [
        "unknown name", "name with a line break", "duplicate", "short average", "huge count", "too many extras",
        "long name", "no average for β > 0",
    ])
    func damagedExtras(_ damage: String) throws {
        let (bytes, n) = try Self.averagedFile()
        let name = Array(SnapshotExtra.generatorAverage.rawValue.utf8)
        let extras: [(name: [UInt8], count: Int64, floats: Int)]
        let words: [String]
        switch damage {
        case "unknown name": (extras, words) = ([(Array("generator.averagx".utf8), Int64(n), n)], ["generator.averagx", "does not know"])
        case "name with a line break": (extras, words) = ([(Array("gen\r\nx".utf8), Int64(n), n)], ["gen\\x0D\\x0Ax", "does not know"])
        case "duplicate": (extras, words) = ([(name, Int64(n), n), (name, Int64(n), n)], ["generator.average", "twice"])
        case "short average": (extras, words) = ([(name, Int64(n - 1), n - 1)], ["\(n - 1) entries", "\(n) parameters"])
        case "huge count": (extras, words) = ([(name, 1 << 40, 0)], ["implausible float array length"])
        case "too many extras": (extras, words) = (Array(repeating: (name, 0, 0), count: 65), ["implausible extra array count"])
        case "long name": (extras, words) = ([(Array(repeating: 0x61, count: 65), 0, 0)], ["implausible extra array name length"])
        default: (extras, words) = ([], ["train.generatorAverage", "no average"])
        }
        let damaged = Self.replacingExtras(of: bytes, n: n, with: extras)
        do {
            _ = try Snapshot(decoding: damaged, path: "bad/step-1.snap")
            Issue.record("\(damage) was accepted")
        } catch let error as StorageError {
            let text = error.description
            #expect(text.hasPrefix("bad/step-1.snap") && !text.contains { $0.isNewline }, "\(text)")
            for word in words { #expect(text.contains(word), "\(damage): \(text)") }
        }
    }

    @Test("an average stored for a config without averaging is refused")
    func averageWithoutConfig() throws {
        let trainer = GANTrainer(config: Self.averaged(0.9))
        var snapshot = trainer.snapshot()
        snapshot.config.train.generatorAverage = 0
        #expect(snapshot.configProblem?.contains("train.generatorAverage 0") == true)
        #expect {
            _ = try Snapshot(decoding: snapshot.encoded(), path: "x.snap")
        } throws: { error in
            String(describing: error).hasPrefix("x.snap") && String(describing: error).contains("stores an average")
        }
    }

    // MARK: - Config

    @Test("bad values are refused naming the key", arguments: ["1", "1.5", "-0.1", ".nan", ".inf"])
    func refused(value: String) {
        #expect {
            _ = try ExperimentConfig.load(yaml: "problem: ring8\ntrain:\n  generatorAverage: \(value)\n", file: "x.yaml")
        } throws: { error in
            let text = String(describing: error)
            return text.contains("train.generatorAverage") && text.contains("x.yaml:3") && !text.contains("\n")
        }
    }

    @Test("the key reads, writes back as YAML and JSON, and is described")
    func configKey() throws {
        let config = try ExperimentConfig.load(yaml: "problem: ring8\ntrain:\n  generatorAverage: 0.999\n", file: "x.yaml")
        #expect(config.train.generatorAverage == 0.999)
        #expect(try ExperimentConfig.load(yaml: config.yamlText, file: "y.yaml") == config)
        let json = Snapshot.configJSON(config)
        #expect(json.contains("\"generatorAverage\":0.999"))
        #expect(try Snapshot.makeDecoder().decode(ExperimentConfig.self, from: Data(json.utf8)) == config)
        #expect(config.describedYAMLText.contains("generatorAverage: 0.999"))
        #expect(config.describedYAMLText.contains("Yazıcı et al. 2019"))
    }
}
