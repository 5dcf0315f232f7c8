#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends frames to a trace file (layout in `Trace.swift`) as training runs.
///
/// Each `append` is one `pwrite` of a whole checksummed record at the end of the valid frames, so a
/// run killed at any moment leaves at most one partial record, which readers ignore and `open`
/// removes. Appends are not synced: call `sync()` before writing a snapshot, so every frame up to
/// the snapshot's step is durable when the snapshot is.
public final class TraceWriter {
    /// The trace file.
    public let path: String
    /// Number of probe latents, and of points in every frame.
    public let probeCount: Int
    /// Numbers per probe latent.
    public let latentDimension: Int
    /// The step of every frame in the file, ascending.
    public private(set) var frameSteps: [Int]
    /// Bytes of damaged tail that `open` removed (0 for a clean file or a new trace).
    public let droppedTailBytes: Int

    private let file: FileDescriptor
    private let layout: TraceLayout
    /// One record, reused by every append so appending does not allocate.
    private var record: [UInt8]

    private init(path: String, file: FileDescriptor, layout: TraceLayout, steps: [Int], dropped: Int) {
        self.path = path
        self.file = file
        self.layout = layout
        self.probeCount = layout.probeCount
        self.latentDimension = layout.latentDimension
        self.frameSteps = steps
        self.droppedTailBytes = dropped
        self.record = [UInt8](repeating: 0, count: layout.recordBytes)
    }

    /// Starts a new trace at `path` holding `probeLatents`, flat row-major
    /// (probeCount, latentDimension); the header is written atomically, replacing any old trace.
    public static func create(path: String, probeLatents: [Float], latentDimension: Int) throws -> TraceWriter {
        precondition(latentDimension > 0 && !probeLatents.isEmpty
                     && probeLatents.count % latentDimension == 0,
                     "probe latents must be a non-empty (probeCount, latentDimension) matrix")
        let layout = TraceLayout(probeCount: probeLatents.count / latentDimension, latentDimension: latentDimension)
        try writeAtomically(layout.encodedHeader(probeLatents: probeLatents), to: path)
        let file = try FileDescriptor(path: path, flags: O_RDWR)
        return TraceWriter(path: path, file: file, layout: layout, steps: [], dropped: 0)
    }

    /// Opens an existing trace for appending: verifies the header and every frame, and cuts off a
    /// partial or damaged tail so new frames follow the last valid one.
    public static func open(path: String) throws -> TraceWriter {
        let file = try FileDescriptor(path: path, flags: O_RDWR)
        let size = try file.byteCount()
        let (layout, _) = try TraceLayout.readHeader(of: file, fileSize: size)
        let (steps, tail) = try layout.scanFrames(of: file, fileSize: size)
        if tail != .clean {
            try file.setLength(layout.headerBytes + steps.count * layout.recordBytes)
            try file.flushToDisk()
        }
        return TraceWriter(path: path, file: file, layout: layout, steps: steps, dropped: tail.droppedBytes)
    }

    /// Number of frames in the file.
    public var frameCount: Int { frameSteps.count }

    /// Appends the frame at `step` (greater than every earlier step) with G(probe latents) as
    /// flat (probeCount, 2) `points`, in one write. On failure the partial record is cut off.
    public func append(step: Int, dLoss: Float, gLoss: Float, points: UnsafeBufferPointer<Float>) throws {
        precondition(points.count == 2 * probeCount, "a trace frame needs \(2 * probeCount) floats")
        precondition(frameSteps.last.map { step > $0 } ?? true, "trace steps must increase")
        let size = layout.recordBytes
        record.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: TraceLayout.recordMagic.littleEndian, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: Int64(step).littleEndian, toByteOffset: 4, as: Int64.self)
            raw.storeBytes(of: dLoss.bitPattern.littleEndian, toByteOffset: 12, as: UInt32.self)
            raw.storeBytes(of: gLoss.bitPattern.littleEndian, toByteOffset: 16, as: UInt32.self)
            #if _endian(little)
            UnsafeMutableRawBufferPointer(rebasing: raw[20..<size - 4]).copyMemory(from: UnsafeRawBufferPointer(points))
            #else
            for (i, value) in points.enumerated() {
                raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 20 + 4 * i, as: UInt32.self)
            }
            #endif
            let checksum = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<size - 4]))
            raw.storeBytes(of: checksum.littleEndian, toByteOffset: size - 4, as: UInt32.self)
        }
        let end = layout.headerBytes + frameSteps.count * size
        do {
            try record.withUnsafeBytes { try file.writeAll($0, at: end) }
        } catch {
            try? file.setLength(end)  // best effort; readers ignore a partial record anyway
            throw error
        }
        frameSteps.append(step)
    }

    /// Appends the frame at `step` (see the buffer-pointer form).
    public func append(step: Int, dLoss: Float, gLoss: Float, points: [Float]) throws {
        try points.withUnsafeBufferPointer { try append(step: step, dLoss: dLoss, gLoss: gLoss, points: $0) }
    }

    /// Flushes every appended frame to stable storage (call before writing a snapshot).
    public func sync() throws {
        try file.flushToDisk()
    }

    /// Removes the frames after `step` (used on resume from the snapshot at `step`), then syncs.
    public func truncate(keepingFramesThrough step: Int) throws {
        let keep = frameSteps.prefix { $0 <= step }.count
        try file.setLength(layout.headerBytes + keep * layout.recordBytes)
        try file.flushToDisk()
        frameSteps.removeLast(frameSteps.count - keep)
    }

    /// Syncs and closes the file; the writer must not be used afterwards.
    public func close() throws {
        try file.flushToDisk()
        try file.closeChecked()
    }
}
