import Foundation
import GANLabCore
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Fixtures

/// Deterministic, non-trivial float values.
private func values(_ count: Int, seed: Float) -> [Float] {
    (0..<count).map { Float(sin(Double(seed) + 0.37 * Double($0))) }
}

/// A small snapshot: G 2→4→2 (22 parameters, Adam), D 2→3→1 (13 parameters, Adam or SGD).
private func sampleSnapshot(adamDiscriminator: Bool = true) -> Snapshot {
    var config = ExperimentConfig()
    config.seed = 42
    config.description = "storage test / ünïcode"
    config.generator.hidden = [4]
    config.discriminator.hidden = [3]
    if !adamDiscriminator { config.train.discriminatorOptimizer.kind = .sgd }
    let generator = NetworkState(layerSizes: [2, 4, 2], parameters: values(22, seed: 1),
                                 optimizerStep: 7, firstMoment: values(22, seed: 2), secondMoment: values(22, seed: 3))
    let discriminator = adamDiscriminator
        ? NetworkState(layerSizes: [2, 3, 1], parameters: values(13, seed: 4), optimizerStep: 7,
                       firstMoment: values(13, seed: 5), secondMoment: values(13, seed: 6))
        : NetworkState(layerSizes: [2, 3, 1], parameters: values(13, seed: 4))
    return Snapshot(step: 4000, config: config, generator: generator, discriminator: discriminator,
                    rngState: [1, 0xDEAD_BEEF, 3, UInt64.max])
}

/// Declared fields of one network in a hand-made snapshot header (the default is D: 2→3→1).
private struct CraftedNetwork {
    var layerSizes: [Int64] = [2, 3, 1]
    var counts: [Int64] = [13, 0, 0]
    /// Written only in version 2 headers.
    var residualBlocks: UInt32 = 0

    /// The generator of `craftedConfig`: 2→3→2, 17 parameters.
    static let generator = CraftedNetwork(layerSizes: [2, 3, 2], counts: [17, 0, 0])
}

/// A small residual snapshot: G = 3 blocks of widths 2→4→2 (22 parameters each, Adam), D 2→3→1.
private func residualSnapshot() -> Snapshot {
    var snapshot = sampleSnapshot()
    snapshot.config.generator.architecture = .residual
    snapshot.config.generator.blocks = 3
    snapshot.config.generator.blockWidth = 4
    snapshot.config.generator.blockDepth = 1
    snapshot.generator = NetworkState(layerSizes: [2, 4, 2], residualBlocks: 3, parameters: values(66, seed: 1),
                                      optimizerStep: 7, firstMoment: values(66, seed: 2), secondMoment: values(66, seed: 3))
    return snapshot
}

/// The config hand-made snapshots embed: G 2→3→2 and D 2→3→1, both trained with SGD.
private let craftedConfig: ExperimentConfig = {
    var config = ExperimentConfig()
    config.generator.hidden = [3]
    config.discriminator.hidden = [3]
    config.train.generatorOptimizer.kind = .sgd
    config.train.discriminatorOptimizer.kind = .sgd
    return config
}()

/// Builds snapshot bytes by hand, following the documented layout, with any declared sizes and
/// (version 3) named extra arrays; the payload holds `payloadFloats` zeros, the file length is
/// right unless `fileLength` is given, and the checksum is valid.
private func craftSnapshot(generator: CraftedNetwork = .generator,
                           discriminator: CraftedNetwork = CraftedNetwork(),
                           rngState: [UInt64] = [1, 2, 3, 4], payloadFloats: Int = 30,
                           fileLength: UInt64? = nil, config: ExperimentConfig = craftedConfig,
                           version: UInt32 = 1, extras: [(name: String, count: Int64)] = []) throws -> [UInt8] {
    var header = BinaryWriter()
    header.write(String(decoding: try JSONEncoder().encode(config), as: UTF8.self))
    header.write(Int64(10))
    for word in rngState { header.write(word) }
    for network in [generator, discriminator] {
        header.write(UInt32(network.layerSizes.count))
        for size in network.layerSizes { header.write(size) }
        if version >= 2 { header.write(network.residualBlocks) }
        header.write(Int64(0))
        for count in network.counts { header.write(count) }
    }
    if version >= 3 {
        header.write(UInt32(extras.count))
        for extra in extras {
            header.write(extra.name)
            header.write(extra.count)
        }
    }
    var out = BinaryWriter()
    out.write(bytes: Array("GANLSNAP".utf8))
    out.write(version)
    out.write(UInt32(header.count))
    out.write(fileLength ?? UInt64(24 + header.count + 4 * payloadFloats + 4))
    out.write(bytes: header.bytes)
    out.write([Float](repeating: 0, count: payloadFloats))
    out.write(CRC32C.checksum(out.bytes))
    return out.bytes
}

/// Bitwise CRC-32C, one bit at a time: the reference for the table-driven kernel.
private func naiveCRC32C(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    }
    return ~crc
}

/// Durable on-disk formats: checksum, binary coding, snapshots, atomic files (trace, run folder
/// and CSV tests are in StorageTests+Trace.swift).
@Suite struct StorageTests {
    // MARK: - Helpers (members, so other test files of the module cannot clash with them)

    /// Runs `body` with a fresh, empty folder that is removed afterwards.
    func withTemporaryDirectory(_ body: (String) throws -> Void) throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ganlab-storage-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        try body(url.path)
    }

    /// The `StorageError` thrown by `body`, or `nil` if it succeeded or threw something else.
    func storageError(_ body: () throws -> Void) -> StorageError? {
        do { try body() } catch let error as StorageError { return error } catch { return nil }
        return nil
    }

    /// The case name of an error, for readable expectations.
    func caseName(_ error: StorageError?) -> String {
        switch error {
        case .none: return "no error"
        case .truncated?: return "truncated"
        case .checksumMismatch?: return "checksumMismatch"
        case .badMagic?: return "badMagic"
        case .unsupportedVersion?: return "unsupportedVersion"
        case .implausibleSize?: return "implausibleSize"
        case .badShape?: return "badShape"
        case .badContent?: return "badContent"
        case .io?: return "io"
        }
    }

    // MARK: - Checksum and binary coding

    @Test func checksumMatchesStandardCheckValueAndNaiveReference() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        var rng = SystemRandomNumberGenerator()
        for length in [1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(CRC32C.checksum(bytes) == naiveCRC32C(bytes), "length \(length)")
            var incremental = CRC32C()
            incremental.update(Array(bytes.prefix(length / 3)))
            incremental.update(Array(bytes.dropFirst(length / 3)))
            #expect(incremental.value == naiveCRC32C(bytes), "incremental, length \(length)")
        }
    }

    @Test func binaryReaderReadsBackWhatTheWriterWrote() throws {
        var writer = BinaryWriter()
        writer.write(UInt8(7))
        writer.write(UInt32(0xA1B2_C3D4))
        writer.write(UInt64.max - 1)
        writer.write(Int64(-5))
        writer.write(Float(-1.5))
        writer.write(Double.pi)
        writer.write([Float(1), 2, .infinity, -0.0])
        writer.write("héllo")
        #expect(writer.bytes[1...4] == [0xD4, 0xC3, 0xB2, 0xA1])  // little-endian
        var reader = BinaryReader(writer.bytes, path: "mem")
        #expect(try reader.readUInt8() == 7)
        #expect(try reader.readUInt32() == 0xA1B2_C3D4)
        #expect(try reader.readUInt64() == UInt64.max - 1)
        #expect(try reader.readInt64() == -5)
        #expect(try reader.readFloat() == -1.5)
        #expect(try reader.readDouble() == Double.pi)
        #expect(try reader.readFloats(count: 4) == [1, 2, .infinity, -0.0])
        #expect(try reader.readString() == "héllo")
        #expect(reader.remaining == 0)
        #expect(caseName(storageError { _ = try reader.readUInt8() }) == "truncated")
    }

    @Test func binaryReaderRejectsHugeOrNegativeLengthsWithoutAllocating() {
        var reader = BinaryReader([UInt8](repeating: 0, count: 16), path: "mem")
        #expect(caseName(storageError { _ = try reader.readFloats(count: 1 << 40) }) == "truncated")
        #expect(caseName(storageError { _ = try reader.readFloats(count: Int.max) }) == "truncated")
        #expect(caseName(storageError { _ = try reader.readBytes(count: -1) }) == "badShape")
        #expect(reader.offset == 0)
        var lying = BinaryWriter()
        lying.write(UInt32.max)  // a string claiming 4 GiB
        var stringReader = BinaryReader(lying.bytes, path: "mem")
        #expect(caseName(storageError { _ = try stringReader.readString() }) == "truncated")
    }

    // MARK: - Snapshot

    @Test(arguments: [true, false])
    func snapshotRoundTripsToIdenticalBytes(adamDiscriminator: Bool) throws {
        let snapshot = sampleSnapshot(adamDiscriminator: adamDiscriminator)
        let bytes = snapshot.encoded()
        #expect(bytes.starts(with: Array("GANLSNAP".utf8)))
        #expect(snapshot.encoded() == bytes, "encoding is deterministic")
        let decoded = try Snapshot(decoding: bytes, path: "mem.snap")
        #expect(decoded == snapshot)
        #expect(decoded.encoded() == bytes)
    }

    @Test func snapshotFileRoundTrip() throws {
        try withTemporaryDirectory { dir in
            let run = try RunDirectory.create(at: dir + "/a/b/run1")
            let path = run.snapshotPath(step: 4000)
            try sampleSnapshot().write(to: path)
            #expect(try Snapshot.read(from: path) == sampleSnapshot())
            #expect(try run.listSnapshots() == [4000])
            let missing = storageError { _ = try Snapshot.read(from: run.snapshotPath(step: 1)) }
            #expect(missing == .io(path: run.snapshotPath(step: 1), operation: "open", code: ENOENT))
        }
    }

    @Test(arguments: [0.0, 0.001, 0.01, 0.05, 0.2, 0.5, 0.8, 0.99, 1.0])
    func snapshotChecksumDetectsAFlippedBit(at fraction: Double) {
        let bytes = sampleSnapshot().encoded()
        let index = min(bytes.count - 1, Int(fraction * Double(bytes.count)))
        for bit in [0, 3, 7] {
            var damaged = bytes
            damaged[index] ^= UInt8(1) << UInt8(bit)
            let error = storageError { _ = try Snapshot(decoding: damaged, path: "x.snap") }
            #expect(error != nil, "flip of bit \(bit) at byte \(index) of \(bytes.count) went unnoticed")
        }
    }

    @Test func snapshotPayloadDamageIsAChecksumMismatch() {
        var bytes = sampleSnapshot().encoded()
        bytes[bytes.count - 40] ^= 0x10
        #expect(caseName(storageError { _ = try Snapshot(decoding: bytes, path: "x.snap") }) == "checksumMismatch")
    }

    @Test func snapshotTruncatedAtAnyLengthIsReportedAsTruncated() {
        let bytes = sampleSnapshot().encoded()
        for length in Array(0..<40) + Array(stride(from: 40, to: bytes.count, by: 7)) + [bytes.count - 1] {
            let error = storageError { _ = try Snapshot(decoding: Array(bytes.prefix(length)), path: "s.snap") }
            #expect(caseName(error) == "truncated", "cut at \(length) of \(bytes.count)")
        }
        let error = storageError { _ = try Snapshot(decoding: Array(bytes.prefix(800)), path: "run/step-0004000.snap") }
        #expect(error?.description == "run/step-0004000.snap is truncated (expected \(bytes.count) bytes, "
                + "found 800): delete it and resume from an earlier snapshot")
    }

    @Test func snapshotWithWrongMagicOrVersionIsRejected() {
        var bytes = sampleSnapshot().encoded()
        bytes[0] = UInt8(ascii: "X")
        #expect(caseName(storageError { _ = try Snapshot(decoding: bytes, path: "x.snap") }) == "badMagic")
        #expect(caseName(storageError { _ = try Snapshot(decoding: Array("hello".utf8), path: "x.snap") }) == "badMagic")
        for version: UInt8 in [0, UInt8(Snapshot.formatVersion) + 1] {
            bytes = sampleSnapshot().encoded()
            bytes[8] = version
            let error = storageError { _ = try Snapshot(decoding: bytes, path: "x.snap") }
            #expect(error == .unsupportedVersion(path: "x.snap", found: UInt32(version), supported: Snapshot.formatVersion))
        }
    }

    @Test func craftedSnapshotMatchesTheDocumentedLayout() throws {
        let snapshot = try Snapshot(decoding: craftSnapshot(), path: "crafted.snap")
        #expect(snapshot.step == 10)
        #expect(snapshot.generator.parameters.count == 17)
        #expect(snapshot.rngState == [1, 2, 3, 4])
    }

    @Test func residualSnapshotRoundTripsAsVersion2AndMLPsStayVersion1() throws {
        let residual = residualSnapshot()
        let bytes = residual.encoded()
        #expect(bytes[8] == 2, "a residual generator needs format version 2")
        let decoded = try Snapshot(decoding: bytes, path: "mem.snap")
        #expect(decoded == residual)
        #expect(decoded.generator.residualBlocks == 3)
        #expect(decoded.encoded() == bytes)
        #expect(sampleSnapshot().encoded()[8] == 1, "MLP snapshots keep the version 1 layout")
    }

    @Test func craftedVersion2SnapshotMatchesTheDocumentedLayout() throws {
        // G: 2 blocks of 2→3→2 (17 parameters each); D: 2→3→1 (13).
        let generator = CraftedNetwork(layerSizes: [2, 3, 2], counts: [34, 0, 0], residualBlocks: 2)
        var config = craftedConfig
        config.generator.architecture = .residual
        config.generator.blocks = 2
        config.generator.blockWidth = 3
        config.generator.blockDepth = 1
        let snapshot = try Snapshot(decoding: craftSnapshot(generator: generator, payloadFloats: 47, config: config,
                                                            version: 2), path: "crafted2.snap")
        #expect(snapshot.generator.residualBlocks == 2 && snapshot.generator.layerSizes == [2, 3, 2])
        #expect(snapshot.discriminator.residualBlocks == 0)
        // A version 2 file of plain MLPs also reads (and would be written back as version 1).
        let plain = try Snapshot(decoding: craftSnapshot(version: 2), path: "crafted2.snap")
        #expect(plain.generator.residualBlocks == 0 && plain.encoded()[8] == 1)
    }

    @Test func craftedVersion3SnapshotMatchesTheDocumentedLayout() throws {
        // G 2→3→2 (17 parameters), D 2→3→1 (13), then the 17 floats of "generator.average".
        var config = craftedConfig
        config.train.generatorAverage = 0.5
        let average = [(name: "generator.average", count: Int64(17))]
        let snapshot = try Snapshot(decoding: craftSnapshot(payloadFloats: 47, config: config, version: 3, extras: average),
                                    path: "crafted3.snap")
        #expect(snapshot.generatorAverage == [Float](repeating: 0, count: 17))
        #expect(snapshot.encoded()[8] == 3)
        // A version 3 file without extras reads too (and is written back as version 1).
        let plain = try Snapshot(decoding: craftSnapshot(version: 3), path: "crafted3.snap")
        #expect(plain.generatorAverage == nil && plain.encoded()[8] == 1)
        // The average must have G's parameter count, and its config must keep one.
        let short = try craftSnapshot(payloadFloats: 46, config: config, version: 3, extras: [("generator.average", 16)])
        #expect(caseName(storageError { _ = try Snapshot(decoding: short, path: "x.snap") }) == "badShape")
        let unasked = try craftSnapshot(payloadFloats: 47, version: 3, extras: average)
        #expect(caseName(storageError { _ = try Snapshot(decoding: unasked, path: "x.snap") }) == "badContent")
    }

    @Test func badResidualShapesAreRejected() throws {
        let many = CraftedNetwork(layerSizes: [2, 3, 2], counts: [17, 0, 0], residualBlocks: 1 << 20)
        #expect(caseName(storageError { _ = try Snapshot(decoding: craftSnapshot(generator: many, payloadFloats: 30,
                                                                                    version: 2), path: "x.snap") })
                == "implausibleSize")
        let notPlanar = CraftedNetwork(layerSizes: [2, 3, 1], counts: [26, 0, 0], residualBlocks: 2)
        #expect(caseName(storageError { _ = try Snapshot(decoding: craftSnapshot(generator: notPlanar, payloadFloats: 39,
                                                                                    version: 2), path: "x.snap") })
                == "badShape")
        let wrongCount = CraftedNetwork(layerSizes: [2, 3, 2], counts: [17, 0, 0], residualBlocks: 2)
        #expect(caseName(storageError { _ = try Snapshot(decoding: craftSnapshot(generator: wrongCount, payloadFloats: 30,
                                                                                    version: 2), path: "x.snap") })
                == "badShape")
    }

    @Test func absurdDeclaredSizesAreRejectedBeforeAllocating() throws {
        let huge = try craftSnapshot(generator: CraftedNetwork(counts: [1 << 40, 0, 0]))
        #expect(caseName(storageError { _ = try Snapshot(decoding: huge, path: "x.snap") }) == "implausibleSize")
        let negative = try craftSnapshot(generator: CraftedNetwork(counts: [-13, 0, 0]))
        #expect(caseName(storageError { _ = try Snapshot(decoding: negative, path: "x.snap") }) == "implausibleSize")
        let wide = try craftSnapshot(generator: CraftedNetwork(layerSizes: [2, 1 << 40, 1]))
        #expect(caseName(storageError { _ = try Snapshot(decoding: wide, path: "x.snap") }) == "implausibleSize")
        var headerLength = try craftSnapshot()
        headerLength.replaceSubrange(12..<16, with: [0xFF, 0xFF, 0xFF, 0x7F])
        #expect(caseName(storageError { _ = try Snapshot(decoding: headerLength, path: "x.snap") }) == "implausibleSize")
        let longFile = try craftSnapshot(fileLength: 1 << 62)
        #expect(caseName(storageError { _ = try Snapshot(decoding: longFile, path: "x.snap") }) == "implausibleSize")
        // 512 MiB of floats is within the limit but far more than the file holds: no allocation.
        let big = try craftSnapshot(generator: CraftedNetwork(counts: [1 << 27, 0, 0]))
        #expect(caseName(storageError { _ = try Snapshot(decoding: big, path: "x.snap") }) == "badShape")
    }

    @Test func inconsistentShapesAreRejected() throws {
        let wrongCount = try craftSnapshot(generator: CraftedNetwork(layerSizes: [2, 5, 2], counts: [17, 0, 0]))
        #expect(caseName(storageError { _ = try Snapshot(decoding: wrongCount, path: "x.snap") }) == "badShape")
        let oneMoment = try craftSnapshot(generator: CraftedNetwork(layerSizes: [2, 3, 2], counts: [17, 17, 0]),
                                          payloadFloats: 47)
        #expect(caseName(storageError { _ = try Snapshot(decoding: oneMoment, path: "x.snap") }) == "badShape")
        let zeroRandom = try craftSnapshot(rngState: [0, 0, 0, 0])
        #expect(caseName(storageError { _ = try Snapshot(decoding: zeroRandom, path: "x.snap") }) == "badShape")
        let extra = try craftSnapshot() + [0]
        #expect(caseName(storageError { _ = try Snapshot(decoding: extra, path: "x.snap") }) == "badShape")
    }

    @Test func snapshotsThatDoNotFitTheirOwnConfigAreRejected() throws {
        // Before this check, resuming or rendering such a snapshot trapped in the engine
        // (MLP.loadParameters / Optimizer.restore preconditions) instead of naming the file.
        var wider = craftedConfig
        wider.generator.hidden = [4]
        var adam = craftedConfig
        adam.train.generatorOptimizer.kind = .adam
        var invalid = craftedConfig
        invalid.train.threads = 0
        var short = craftedConfig
        short.train.steps = 5
        for (config, phrase) in [(wider, "layer sizes"), (adam, "optimizer moments"),
                                 (invalid, "train.threads"), (short, "beyond the config's 5")] {
            let error = storageError { _ = try Snapshot(decoding: craftSnapshot(config: config), path: "fit.snap") }
            #expect(caseName(error) == "badContent")
            #expect(error?.description.hasPrefix("fit.snap has invalid content") == true)
            #expect(error?.description.contains(phrase) == true, "\(error?.description ?? "")")
        }
    }

    // MARK: - Atomic writes

    @Test func atomicWriteReplacesTheFileAndLeavesNoTemporary() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/config.yaml"
            try writeAtomically("old\n", to: path)
            try writeAtomically("new\n", to: path)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["config.yaml"])
        }
    }

    @Test func atomicWriteIntoAMissingFolderFailsWithANamedError() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/missing/config.yaml"
            let error = storageError { try writeAtomically("x", to: path) }
            #expect(caseName(error) == "io")
            #expect(error?.path == path)
            #expect(error?.description.contains("No such file or directory") == true)
        }
    }

    @Test func failedAtomicWriteLeavesTheTargetAndNoTemporary() throws {
        // Renaming a file over a folder fails (EISDIR) even for root: the folder and its content stay.
        try withTemporaryDirectory { dir in
            let target = dir + "/target"
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
            try writeAtomically("keep", to: target + "/inner")
            let error = storageError { try writeAtomically("new", to: target) }
            #expect(caseName(error) == "io")
            #expect(try String(contentsOfFile: target + "/inner", encoding: .utf8) == "keep")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["target"])
        }
    }

    @Test(.enabled(if: geteuid() != 0, "root ignores folder permissions, so the write would succeed"))
    func atomicWriteIntoAReadOnlyFolderKeepsTheOldFile() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/metrics.csv"
            try writeAtomically("old", to: path)
            chmod(dir, 0o555)
            defer { chmod(dir, 0o755) }
            let error = storageError { try writeAtomically("new", to: path) }
            #expect(error == .io(path: path, operation: "open a temporary file for", code: EACCES))
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        }
    }
}
