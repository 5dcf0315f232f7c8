import Foundation
import GANLabCore
import GANLabEngine

// libFuzzer target: arbitrary bytes as a snapshot file (`Snapshot(decoding:path:)`, what
// `Snapshot.read(from:)` runs after reading the file) and, from the same bytes, as a trace file
// (`TraceReader`, through a scratch file).
//
// Built only with GANLAB_FUZZ=1 (see Package.swift and `make fuzz`). A CRC-32C guards every
// snapshot, and random mutations almost never keep it valid, so each input is decoded twice: as
// given, and with the declared file length and the checksum patched to match. The second pass
// lets the fuzzer reach the header, payload and embedded-config checks behind the checksum.
// Every decoded snapshot must re-encode and decode to the same bytes and build its networks; every
// failure must be a `StorageError` naming the file.

private let snapshotPath = "fuzz.snap"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSnapshot(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    decode(bytes)
    if let patched = withValidChecksum(bytes) { decode(patched) }
    readTrace(bytes)
    return 0
}

/// Decodes snapshot bytes and checks what a reader may rely on.
private func decode(_ bytes: [UInt8]) {
    let snapshot: Snapshot
    do {
        snapshot = try Snapshot(decoding: bytes, path: snapshotPath)
    } catch let error as StorageError {
        if error.path != snapshotPath || !error.description.hasPrefix(snapshotPath) {
            fatalError("the error does not name the file: \(error)")
        }
        return
    } catch {
        fatalError("not a StorageError: \(error)")
    }
    // Re-encoding is deterministic and decodes to the same bytes.
    let encoded = snapshot.encoded()
    do {
        let again = try Snapshot(decoding: encoded, path: snapshotPath)
        if again.encoded() != encoded { fatalError("re-encoding a decoded snapshot is not stable") }
    } catch {
        fatalError("a re-encoded snapshot does not decode: \(error)")
    }
    // What `render`, `sample` and `--resume` do with a snapshot: build G and D, run them, and
    // (for small batches, so one input stays cheap) restore a trainer.
    let generator = snapshot.makeGenerator(maxBatch: 4)
    _ = generator.predict([Float](repeating: 0.5, count: 4 * generator.inputWidth), count: 4)
    let discriminator = snapshot.makeDiscriminator(maxBatch: 4)
    _ = discriminator.predict([Float](repeating: 0.5, count: 8), count: 4)
    let train = snapshot.config.train
    if train.realBatch + train.fakeBatch <= 4096 && train.generatorBatch <= 4096 {
        _ = GANTrainer(snapshot: snapshot).snapshot()
    }
}

/// The bytes with the file-length field and the trailing CRC-32C rewritten to match, or nil
/// when they are too short to hold both.
private func withValidChecksum(_ bytes: [UInt8]) -> [UInt8]? {
    guard bytes.count >= 28 else { return nil }
    var patched = bytes
    withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { patched.replaceSubrange(16..<24, with: $0) }
    let checksum = CRC32C.checksum(patched[0..<patched.count - 4])
    withUnsafeBytes(of: checksum.littleEndian) { patched.replaceSubrange(patched.count - 4..<patched.count, with: $0) }
    return patched == bytes ? nil : patched
}

/// A scratch file for the trace reader, in memory when /dev/shm exists (no disk writes per input).
private let tracePath: String = {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm"
        : FileManager.default.temporaryDirectory.path
    return folder + "/ganlab-fuzz-\(getpid()).bin"
}()

/// The bytes as a trace file, as given and with every checksum patched: opening it and reading
/// every frame must not crash, and failures must name the file.
private func readTrace(_ bytes: [UInt8]) {
    readTraceFile(bytes)
    if let patched = withValidTraceChecksums(bytes) { readTraceFile(patched) }
}

private func readTraceFile(_ bytes: [UInt8]) {
    guard FileManager.default.createFile(atPath: tracePath, contents: Data(bytes)) else {
        fatalError("cannot write the scratch trace \(tracePath)")
    }
    do {
        let trace = try TraceReader(path: tracePath)
        for index in 0..<trace.frameCount { _ = try trace.frame(at: index) }
        _ = trace.tailWarning
    } catch let error as StorageError {
        if !error.description.contains(tracePath) { fatalError("the error does not name the file: \(error)") }
    } catch {
        fatalError("not a StorageError: \(error)")
    }
}

/// The bytes with the header checksum and the checksum of every whole frame record after it
/// rewritten to match (layout in Sources/GANLabCore/Storage/Trace.swift), or nil when the declared
/// header does not fit in them.
private func withValidTraceChecksums(_ bytes: [UInt8]) -> [UInt8]? {
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
