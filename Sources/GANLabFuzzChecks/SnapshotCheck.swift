import Foundation
import GANLabCore
import GANLabEngine

extension FuzzChecks {
    /// The path snapshot errors must name.
    public static let snapshotPath = "fuzz.snap"

    /// Bytes as a snapshot file (`Snapshot(decoding:path:)`, what `Snapshot.read(from:)` runs after
    /// reading the file) and, from the same bytes, as a trace file (`TraceReader`, through the
    /// scratch file `tracePath`).
    ///
    /// A CRC-32C guards every snapshot, and random mutations almost never keep it valid, so each
    /// input is decoded twice: as given, and with the declared file length and the checksum patched
    /// to match. The second pass reaches the header, payload and embedded-config checks behind the
    /// checksum. Every decoded snapshot must re-encode and decode to the same bytes and build its
    /// networks; every failure must be a `StorageError` naming the file. Returns what went wrong,
    /// or nil.
    public static func snapshotAndTrace(_ bytes: [UInt8], tracePath: String) -> String? {
        if let finding = decodeSnapshot(bytes) { return finding }
        if let patched = withValidChecksum(bytes), let finding = decodeSnapshot(patched) { return "checksum patched: " + finding }
        if let finding = readTraceFile(bytes, path: tracePath) { return finding }
        if let patched = withValidTraceChecksums(bytes), let finding = readTraceFile(patched, path: tracePath) {
            return "trace checksums patched: " + finding
        }
        return nil
    }

    /// Decodes snapshot bytes and checks what a reader may rely on.
    private static func decodeSnapshot(_ bytes: [UInt8]) -> String? {
        let snapshot: Snapshot
        do {
            snapshot = try Snapshot(decoding: bytes, path: snapshotPath)
        } catch let error as StorageError {
            if error.path != snapshotPath || !error.description.hasPrefix(snapshotPath) {
                return "the error does not name the file: \(error)"
            }
            return nil
        } catch {
            return "not a StorageError: \(error)"
        }
        // Re-encoding is deterministic and decodes to the same bytes.
        let encoded = snapshot.encoded()
        do {
            let again = try Snapshot(decoding: encoded, path: snapshotPath)
            if again.encoded() != encoded { return "re-encoding a decoded snapshot is not stable" }
        } catch {
            return "a re-encoded snapshot does not decode: \(error)"
        }
        // What `render`, `sample` and `--resume` do with a snapshot: build G and D, run them, and
        // (for small batches, so one input stays cheap) restore a trainer.
        let generator = snapshot.makeGenerator(maxBatch: 4)
        _ = generator.predict([Float](repeating: 0.5, count: 4 * generator.inputWidth), count: 4)
        // `--ema`: the extra array "generator.average" (format 3) in G's place.
        if snapshot.generatorAverage != nil {
            guard let averaged = snapshot.usingAveragedGenerator() else { return "a stored average cannot be used" }
            let average = averaged.makeGenerator(maxBatch: 4)
            _ = average.predict([Float](repeating: 0.5, count: 4 * average.inputWidth), count: 4)
        } else if snapshot.usingAveragedGenerator() != nil {
            return "a snapshot without an average offers one"
        }
        _ = snapshot.discriminatorOnPoints(maxBatch: 4)([Float](repeating: 0.5, count: 8), 4)
        let train = snapshot.config.train
        if train.realBatch + train.fakeBatch <= 4096 && train.generatorBatch <= 4096 {
            _ = GANTrainer(snapshot: snapshot).snapshot()
        }
        return nil
    }

    /// The bytes with the file-length field and the trailing CRC-32C rewritten to match, or nil
    /// when they are too short to hold both (or already match).
    static func withValidChecksum(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 28 else { return nil }
        var patched = bytes
        withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { patched.replaceSubrange(16..<24, with: $0) }
        let checksum = CRC32C.checksum(patched[0..<patched.count - 4])
        withUnsafeBytes(of: checksum.littleEndian) { patched.replaceSubrange(patched.count - 4..<patched.count, with: $0) }
        return patched == bytes ? nil : patched
    }

    /// The bytes as a trace file: opening it and reading every frame must not crash, and failures
    /// must name the file.
    private static func readTraceFile(_ bytes: [UInt8], path: String) -> String? {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            return "cannot write the scratch trace \(path)"
        }
        do {
            let trace = try TraceReader(path: path)
            for index in 0..<trace.frameCount { _ = try trace.frame(at: index) }
            _ = trace.tailWarning
        } catch let error as StorageError {
            if !error.description.contains(path) { return "the error does not name the file: \(error)" }
        } catch {
            return "not a StorageError: \(error)"
        }
        return nil
    }

    /// The bytes with the header checksum and the checksum of every whole frame record after it
    /// rewritten to match (layout in Sources/GANLabCore/Storage/Trace.swift), or nil when the
    /// declared header does not fit in them.
    static func withValidTraceChecksums(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 24 else { return nil }
        func word(_ offset: Int) -> Int {
            Int(UInt32(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }))
        }
        let probes = word(12), dimension = word(16)
        guard probes >= 1, dimension >= 1, probes <= bytes.count, dimension <= bytes.count,
              24 + 4 * probes * dimension <= bytes.count else { return nil }
        var patched = bytes
        func patchChecksum(end: Int, start: Int) {
            let checksum = CRC32C.checksum(patched[start..<end - 4])
            withUnsafeBytes(of: checksum.littleEndian) { patched.replaceSubrange(end - 4..<end, with: $0) }
        }
        let headerBytes = 24 + 4 * probes * dimension, recordBytes = 24 + 8 * probes
        patchChecksum(end: headerBytes, start: 0)
        var offset = headerBytes
        while offset + recordBytes <= patched.count {
            patchChecksum(end: offset + recordBytes, start: offset)
            offset += recordBytes
        }
        return patched == bytes ? nil : patched
    }
}
