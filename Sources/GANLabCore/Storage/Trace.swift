// Trace file layout, version 1 (all integers and floats little-endian). The trace holds G applied
// to a fixed set of probe latents at every frame step; 600 frames × 5,000 probes ≈ 24 MB.
//
//   Header (24 + 4·P·L bytes)
//     0        8      magic "GANLTRAC"
//     8        4      format version (UInt32) = 1
//     12       4      probe count P (UInt32)
//     16       4      latent dimension L (UInt32)
//     20       4·P·L  probe latents, Float32, row-major (P, L)
//     20+4PL   4      CRC-32C of the header bytes before it
//   Frame records, back to back (R = 24 + 8·P bytes each, so frame i starts at header + i·R)
//     0        4      record magic "FRAM"
//     4        8      step (Int64), strictly increasing from record to record
//     12       4      discriminator loss (Float32)
//     16       4      generator loss (Float32)
//     20       8·P    points G(z_i) as (x, y) Float32 pairs, in probe order: (P, 2)
//     20+8P    4      CRC-32C of the record bytes before it
//
// Frames are appended as training runs, so a reader may meet a partial record at the end (a trace
// being written, or cut by kill -9): it and anything after a corrupt record are ignored and
// reported, never fatal. Header damage is fatal (the probes are unknown).

/// One traced frame: the losses at a step and G(probe latents) as (x, y) pairs.
public struct TraceFrame: Equatable, Sendable {
    /// Generator step the frame was taken at.
    public var step: Int
    /// Discriminator loss at that step.
    public var dLoss: Float
    /// Generator loss at that step.
    public var gLoss: Float
    /// G(z_i) for each probe latent, flat (probeCount, 2): x₀, y₀, x₁, y₁, …
    public var points: [Float]

    /// A frame.
    public init(step: Int, dLoss: Float, gLoss: Float, points: [Float]) {
        self.step = step
        self.dLoss = dLoss
        self.gLoss = gLoss
        self.points = points
    }
}

/// What follows the last readable frame of a trace.
public enum TraceTail: Equatable, Sendable {
    /// Nothing: the file ends exactly after a complete frame.
    case clean
    /// A partial record of `bytes` bytes (a frame being written, or cut by kill -9).
    case partialRecord(bytes: Int)
    /// Record `index` fails its check; it and the `droppedBytes` after its start are unreachable.
    case corruptRecord(index: Int, droppedBytes: Int)

    /// Bytes after the last readable frame.
    public var droppedBytes: Int {
        switch self {
        case .clean: return 0
        case .partialRecord(let bytes): return bytes
        case .corruptRecord(_, let bytes): return bytes
        }
    }
}

/// Sizes and checks shared by `TraceReader` and `TraceWriter`.
struct TraceLayout {
    static let magic = "GANLTRAC"
    static let formatVersion: UInt32 = 1
    /// "FRAM" read as a little-endian UInt32.
    static let recordMagic: UInt32 = 0x4D41_5246
    static let maximumProbeCount = 1 << 24
    static let maximumLatentDimension = 1 << 16
    static let maximumProbeBytes = 1 << 30

    let probeCount: Int
    let latentDimension: Int
    /// Bytes of the header, checksum included.
    var headerBytes: Int { 24 + 4 * probeCount * latentDimension }
    /// Bytes of one frame record, checksum included.
    var recordBytes: Int { 24 + 8 * probeCount }

    /// The header bytes for these probes.
    func encodedHeader(probeLatents: [Float]) -> [UInt8] {
        var writer = BinaryWriter(reservingCapacity: headerBytes)
        writer.write(bytes: Array(TraceLayout.magic.utf8))
        writer.write(TraceLayout.formatVersion)
        writer.write(UInt32(probeCount))
        writer.write(UInt32(latentDimension))
        writer.write(probeLatents)
        writer.write(CRC32C.checksum(writer.bytes))
        return writer.bytes
    }

    /// Reads and verifies the header of an open trace; returns its layout and probe latents.
    static func readHeader(of file: FileDescriptor, fileSize: Int) throws -> (TraceLayout, [Float]) {
        let path = file.path
        var prefix = [UInt8](repeating: 0, count: min(20, fileSize))
        _ = try prefix.withUnsafeMutableBytes { try file.readFully(into: $0, at: 0) }
        let magic = Array(TraceLayout.magic.utf8)
        guard prefix.starts(with: magic) || magic.starts(with: prefix) else {
            throw StorageError.badMagic(path: path, expected: TraceLayout.magic)
        }
        var reader = BinaryReader(prefix, path: path)
        try reader.skip(magic.count)
        let version = try reader.readUInt32()
        guard version == formatVersion else {
            throw StorageError.unsupportedVersion(path: path, found: version, supported: formatVersion)
        }
        let probeCount = Int(try reader.readUInt32())
        let latentDimension = Int(try reader.readUInt32())
        guard (1...maximumProbeCount).contains(probeCount) else {
            throw StorageError.implausibleSize(path: path, field: "probe count",
                value: Int64(probeCount), limit: Int64(maximumProbeCount))
        }
        guard (1...maximumLatentDimension).contains(latentDimension),
              4 * probeCount * latentDimension <= maximumProbeBytes else {
            throw StorageError.implausibleSize(path: path, field: "latent dimension",
                value: Int64(latentDimension), limit: Int64(maximumProbeBytes / (4 * probeCount)))
        }
        let layout = TraceLayout(probeCount: probeCount, latentDimension: latentDimension)
        guard fileSize >= layout.headerBytes else {
            throw StorageError.truncated(path: path, expected: layout.headerBytes, found: fileSize)
        }
        var header = [UInt8](repeating: 0, count: layout.headerBytes)
        _ = try header.withUnsafeMutableBytes { try file.readFully(into: $0, at: 0) }
        var body = BinaryReader(header, path: path, start: 20)
        let probeLatents = try body.readFloats(count: probeCount * latentDimension)
        let stored = try body.readUInt32()
        let computed = CRC32C.checksum(header[0..<layout.headerBytes - 4])
        guard stored == computed else {
            throw StorageError.checksumMismatch(path: path, section: "header", stored: stored, computed: computed)
        }
        return (layout, probeLatents)
    }

    /// Checks one record held in `record`; returns its step, or `nil` if it is damaged or its
    /// step does not follow `previousStep`.
    func validStep(of record: UnsafeRawBufferPointer, after previousStep: Int?) -> Int? {
        guard record.count == recordBytes,
              UInt32(littleEndian: record.loadUnaligned(as: UInt32.self)) == TraceLayout.recordMagic
        else { return nil }
        let stored = UInt32(littleEndian: record.loadUnaligned(fromByteOffset: recordBytes - 4, as: UInt32.self))
        guard stored == CRC32C.checksum(UnsafeRawBufferPointer(rebasing: record[0..<recordBytes - 4])) else {
            return nil
        }
        let step = Int(Int64(littleEndian: record.loadUnaligned(fromByteOffset: 4, as: Int64.self)))
        if let previousStep, step <= previousStep { return nil }
        return step
    }

    /// Reads every record after the header, keeping the valid prefix; returns the frames' steps
    /// and what follows them.
    func scanFrames(of file: FileDescriptor, fileSize: Int) throws -> (steps: [Int], tail: TraceTail) {
        var steps: [Int] = []
        var record = [UInt8](repeating: 0, count: recordBytes)
        var offset = headerBytes
        while offset < fileSize {
            let remaining = fileSize - offset
            if remaining < recordBytes {
                return (steps, .partialRecord(bytes: remaining))
            }
            let step = try record.withUnsafeMutableBytes { buffer -> Int? in
                let read = try file.readFully(into: buffer, at: offset)
                guard read == recordBytes else { return nil }
                return validStep(of: UnsafeRawBufferPointer(buffer), after: steps.last)
            }
            guard let step else {
                return (steps, .corruptRecord(index: steps.count, droppedBytes: remaining))
            }
            steps.append(step)
            offset += recordBytes
        }
        return (steps, .clean)
    }
}
