import Foundation

// Snapshot file layout, versions 1 to 3 (all integers and floats little-endian):
//
//   offset      size  field
//   0           8     magic "GANLSNAP"
//   8           4     format version (UInt32): 1; 2 when a network is a residual stack; 3 when
//                     there are named extra arrays
//   12          4     header length H (UInt32)
//   16          8     file length in bytes, checksum included (UInt64): a cut file is
//                     reported with its full expected size
//   24          H     header:
//                       config JSON: UInt32 byte count + UTF-8 (sorted keys)
//                       step (Int64)
//                       random state: 4 × UInt64
//                       generator, then discriminator, each:
//                         layer count L (UInt32), L × Int64 layer sizes
//                         versions 2 and 3: residual blocks B (UInt32; 0 = plain MLP, else B
//                           blocks of those layer sizes, parameters block after block)
//                         optimizer step (Int64)
//                         parameter count, first-moment count, second-moment count (3 × Int64)
//                       version 3 only: named extra float arrays, the state of remedies:
//                         count E (UInt32, at most 64), then E times:
//                           name (UInt32 byte count, at most 64, + UTF-8), float count (Int64)
//   24+H        4·N   payload, Float32: G parameters, G m, G v, D parameters, D m, D v, then the
//                     extra arrays in header order
//   24+H+4·N    4     CRC-32C of every byte before it
//
// Extra arrays (`SnapshotExtra`): "generator.average", θ_EMA of `train.generatorAverage`, one
// float per generator parameter; "discriminator.spectral", the power-iteration vectors u_l
// (fan-in) then v_l (fan-out) of every layer of D under `discriminator.normalization: spectral`
// (D's parameters are then its raw weights, which the views divide by σ_l = u_lᵀW_l v_l). A name this build does not know, or one given twice, makes
// the file unreadable rather than silently dropped.
//
// Decoding checks, in order: magic, version, header length, file length (truncated / trailing
// bytes), declared sizes (before allocating), extra names, checksum, shapes, config, random state,
// and whether the networks and extras fit the embedded config. A version 1 file reads as plain
// MLPs, versions 1 and 2 without extras; the writer uses the lowest version that holds the
// snapshot, so runs without residual networks or extras still write version 1.

extension Snapshot {
    /// Bytes before the header.
    static let prefixBytes = 24
    /// Bytes before the header plus the trailing checksum.
    static let fixedBytes = prefixBytes + 4
    /// Largest header accepted (the config JSON dominates it): 16 MiB.
    static let maximumHeaderBytes = 1 << 24
    /// Most layers a stored network may declare.
    static let maximumLayerCount = 1024
    /// Widest layer a stored network may declare.
    static let maximumLayerWidth = 1 << 24
    /// Most extra arrays a version 3 snapshot may declare.
    static let maximumExtraCount = 64
    /// Longest extra-array name, in UTF-8 bytes.
    static let maximumExtraNameBytes = 64

    /// The snapshot's bytes (deterministic: same snapshot, same bytes): format version 3 when it
    /// has extra arrays, else 2 when a network is a residual stack, else 1.
    ///
    /// The snapshot must be consistent (`shapeProblem == nil`) and hold G's trained weights (not
    /// `usingAveragedGenerator()`); storing anything else is a programmer error and stops the program.
    public func encoded() -> [UInt8] {
        if let problem = shapeProblem { preconditionFailure("cannot encode snapshot: \(problem)") }
        precondition(generatorWeights == .trained, "cannot encode a snapshot whose generator holds the average")
        let extras = extraArrays
        let version: UInt32 = !extras.isEmpty ? 3
            : generator.residualBlocks > 0 || discriminator.residualBlocks > 0 ? 2 : 1
        var header = BinaryWriter()
        header.write(Snapshot.configJSON(config))
        header.write(Int64(step))
        for word in rngState { header.write(word) }
        for network in [generator, discriminator] {
            header.write(UInt32(network.layerSizes.count))
            for size in network.layerSizes { header.write(Int64(size)) }
            if version >= 2 { header.write(UInt32(network.residualBlocks)) }
            header.write(Int64(network.optimizerStep))
            for array in [network.parameters, network.firstMoment, network.secondMoment] {
                header.write(Int64(array.count))
            }
        }
        if version >= 3 {
            header.write(UInt32(extras.count))
            for (extra, values) in extras {
                header.write(extra.rawValue)
                header.write(Int64(values.count))
            }
        }
        var floatCount = 0
        for network in [generator, discriminator] {
            floatCount += network.parameters.count + network.firstMoment.count + network.secondMoment.count
        }
        for (_, values) in extras { floatCount += values.count }
        var out = BinaryWriter(reservingCapacity: Snapshot.fixedBytes + header.count + 4 * floatCount)
        out.write(bytes: Array(Snapshot.magic.utf8))
        out.write(version)
        out.write(UInt32(header.count))
        out.write(UInt64(Snapshot.fixedBytes + header.count + 4 * floatCount))
        out.write(bytes: header.bytes)
        for network in [generator, discriminator] {
            out.write(network.parameters)
            out.write(network.firstMoment)
            out.write(network.secondMoment)
        }
        for (_, values) in extras { out.write(values) }
        out.write(CRC32C.checksum(out.bytes))
        return out.bytes
    }

    /// Decodes and verifies snapshot bytes read from `path` (named in every error).
    public init(decoding bytes: [UInt8], path: String) throws {
        let (version, headerLength) = try Snapshot.verifyPrefix(of: bytes, path: path)

        // Header: read inside its declared length, so a field overrunning it is a shape error.
        let start = Snapshot.prefixBytes
        var header = BinaryReader(bytes, path: path, start: start, end: start + headerLength)
        let fields: HeaderFields
        do {
            fields = try HeaderFields(reading: &header, version: version)
        } catch StorageError.truncated {
            throw StorageError.badShape(path: path, detail: "the header's fields overrun its declared length")
        }
        guard header.remaining == 0 else {
            throw StorageError.badShape(path: path, detail: "\(header.remaining) unused bytes at the end of the header")
        }

        // Sizes, before any payload is allocated.
        let counts = fields.generator.counts + fields.discriminator.counts + fields.extras.map(\.count)
        let limit = Int64(Snapshot.maximumPayloadBytes / 4)
        var floatCount: Int64 = 0
        for count in counts {
            guard count >= 0, count <= limit - floatCount else {
                throw StorageError.implausibleSize(path: path, field: "float array length",
                    value: count, limit: limit - floatCount)
            }
            floatCount += count
        }
        let expectedLength = Snapshot.fixedBytes + headerLength + 4 * Int(floatCount)
        guard expectedLength == bytes.count else {
            throw StorageError.badShape(path: path, detail: "the header implies \(expectedLength) bytes "
                + "but the file declares \(bytes.count)")
        }

        // Checksum over everything before it.
        let stored = UInt32(littleEndian: bytes.withUnsafeBytes {
            $0.loadUnaligned(fromByteOffset: expectedLength - 4, as: UInt32.self)
        })
        let computed = CRC32C.checksum(bytes[0..<expectedLength - 4])
        guard stored == computed else {
            throw StorageError.checksumMismatch(path: path, section: "snapshot", stored: stored, computed: computed)
        }

        // Payload and meaning.
        var payload = BinaryReader(bytes, path: path, start: start + headerLength, end: expectedLength - 4)
        let generator = try fields.generator.state(reading: &payload)
        let discriminator = try fields.discriminator.state(reading: &payload)
        let extras = try fields.extras.map { ($0.extra, try payload.readFloats(count: Int($0.count))) }
        let config: ExperimentConfig
        do {
            config = try Snapshot.makeDecoder().decode(ExperimentConfig.self, from: Data(fields.configJSON.utf8))
        } catch {
            throw StorageError.badContent(path: path, detail: "the embedded config does not decode: \(error)")
        }
        self.init(step: fields.step, config: config, generator: generator,
                  discriminator: discriminator, rngState: fields.rngState)
        for (extra, values) in extras { setExtraArray(extra, values) }
        if let problem = shapeProblem { throw StorageError.badShape(path: path, detail: problem) }
        if let problem = configProblem { throw StorageError.badContent(path: path, detail: problem) }
    }

    /// Checks magic, version, header length and file length; returns the version and the header length.
    private static func verifyPrefix(of bytes: [UInt8], path: String) throws -> (version: UInt32, headerLength: Int) {
        let magic = Array(Snapshot.magic.utf8)
        if !bytes.starts(with: magic) {
            // A short file that is a prefix of the magic was cut; anything else is not ours.
            guard bytes.count < magic.count, magic.starts(with: bytes) else {
                throw StorageError.badMagic(path: path, expected: Snapshot.magic)
            }
        }
        var reader = BinaryReader(bytes, path: path)
        try reader.skip(magic.count)
        let version = try reader.readUInt32()
        guard (Snapshot.oldestFormatVersion...Snapshot.formatVersion).contains(version) else {
            throw StorageError.unsupportedVersion(path: path, found: version, supported: Snapshot.formatVersion)
        }
        let headerLength = Int(try reader.readUInt32())
        guard headerLength <= Snapshot.maximumHeaderBytes else {
            throw StorageError.implausibleSize(path: path, field: "header length",
                value: Int64(headerLength), limit: Int64(Snapshot.maximumHeaderBytes))
        }
        let fileLength = try reader.readUInt64()
        let maximumLength = UInt64(Snapshot.fixedBytes + Snapshot.maximumHeaderBytes + Snapshot.maximumPayloadBytes)
        guard fileLength <= maximumLength else {
            throw StorageError.implausibleSize(path: path, field: "file length",
                value: Int64(clamping: fileLength), limit: Int64(maximumLength))
        }
        guard bytes.count >= Int(fileLength) else {
            throw StorageError.truncated(path: path, expected: Int(fileLength), found: bytes.count)
        }
        guard bytes.count == Int(fileLength) else {
            throw StorageError.badShape(path: path, detail: "\(bytes.count - Int(fileLength)) "
                + "unexpected bytes after the checksum (the file declares \(fileLength) bytes)")
        }
        guard Snapshot.fixedBytes + headerLength <= bytes.count else {
            throw StorageError.badShape(path: path, detail: "the header length \(headerLength) "
                + "exceeds the file's \(bytes.count) bytes")
        }
        return (version, headerLength)
    }

    // MARK: - JSON

    /// The config as JSON: sorted keys, no escaped slashes, non-finite numbers as strings.
    static func configJSON(_ config: ExperimentConfig) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return String(decoding: try encoder.encode(config), as: UTF8.self)
        } catch {
            // Only non-conforming floats can fail, and they are converted above.
            preconditionFailure("ExperimentConfig failed to encode as JSON: \(error)")
        }
    }

    /// The decoder matching `configJSON`.
    static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}

// MARK: - Header fields

/// The header of a snapshot, with its declared sizes not yet trusted.
private struct HeaderFields {
    var configJSON: String
    var step: Int
    var rngState: [UInt64]
    var generator: NetworkHeader
    var discriminator: NetworkHeader
    /// The named extra arrays (version 3): known names, each at most once, counts not yet trusted.
    var extras: [(extra: SnapshotExtra, count: Int64)] = []

    init(reading reader: inout BinaryReader, version: UInt32) throws {
        configJSON = try reader.readString()
        let step = try reader.readInt64()
        self.step = Int(step)
        rngState = try (0..<4).map { _ in try reader.readUInt64() }
        generator = try NetworkHeader(reading: &reader, version: version)
        discriminator = try NetworkHeader(reading: &reader, version: version)
        if version >= 3 { extras = try SnapshotExtra.readDeclarations(&reader) }
    }
}

/// One network's declared shape: layer sizes, residual blocks, optimizer step and the three array counts.
private struct NetworkHeader {
    var layerSizes: [Int]
    var residualBlocks: Int
    var optimizerStep: Int
    /// Parameter, first-moment and second-moment counts as stored.
    var counts: [Int64]

    init(reading reader: inout BinaryReader, version: UInt32) throws {
        let layerCount = Int(try reader.readUInt32())
        guard layerCount <= Snapshot.maximumLayerCount else {
            throw StorageError.implausibleSize(path: reader.path, field: "layer count",
                value: Int64(layerCount), limit: Int64(Snapshot.maximumLayerCount))
        }
        try reader.require(8 * layerCount)
        layerSizes = try (0..<layerCount).map { _ in
            let size = try reader.readInt64()
            guard size >= 1, size <= Int64(Snapshot.maximumLayerWidth) else {
                throw StorageError.implausibleSize(path: reader.path, field: "layer size",
                    value: size, limit: Int64(Snapshot.maximumLayerWidth))
            }
            return Int(size)
        }
        residualBlocks = version >= 2 ? Int(try reader.readUInt32()) : 0
        guard residualBlocks <= Snapshot.maximumResidualBlocks else {
            throw StorageError.implausibleSize(path: reader.path, field: "residual block count",
                value: Int64(residualBlocks), limit: Int64(Snapshot.maximumResidualBlocks))
        }
        optimizerStep = Int(try reader.readInt64())
        counts = try (0..<3).map { _ in try reader.readInt64() }
    }

    /// Reads the three arrays (their counts already checked against the payload).
    func state(reading reader: inout BinaryReader) throws -> NetworkState {
        let arrays = try counts.map { try reader.readFloats(count: Int($0)) }
        return NetworkState(layerSizes: layerSizes, residualBlocks: residualBlocks, parameters: arrays[0],
                            optimizerStep: optimizerStep,
                            firstMoment: arrays[1], secondMoment: arrays[2])
    }
}
