#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a trace file (layout in `Trace.swift`) lazily: frames are fetched by offset on demand.
///
/// Opening verifies the header and every record's checksum once, so `frameSteps` lists exactly
/// the readable frames. A partial or damaged record ends the readable part instead of failing:
/// `tail` and `droppedTailBytes` say what was ignored, and `tailWarning` words it for the user.
/// The reader keeps its file open (so a trace replaced on disk does not change under it) and only
/// uses `pread`, so one reader may serve several threads.
public final class TraceReader: @unchecked Sendable {
    /// The trace file.
    public let path: String
    /// Number of probe latents, and of points in every frame.
    public let probeCount: Int
    /// Numbers per probe latent.
    public let latentDimension: Int
    /// The probe latents, flat row-major (probeCount, latentDimension).
    public let probeLatents: [Float]
    /// The step of every readable frame, ascending; frame `i` has step `frameSteps[i]`.
    public let frameSteps: [Int]
    /// What follows the last readable frame.
    public let tail: TraceTail

    private let file: FileDescriptor
    private let layout: TraceLayout

    /// Opens and verifies the trace at `path`; throws `StorageError` if its header is unusable.
    public init(path: String) throws {
        let file = try FileDescriptor(path: path, flags: O_RDONLY)
        let size = try file.byteCount()
        let (layout, probeLatents) = try TraceLayout.readHeader(of: file, fileSize: size)
        let (steps, tail) = try layout.scanFrames(of: file, fileSize: size)
        self.path = path
        self.file = file
        self.layout = layout
        self.probeCount = layout.probeCount
        self.latentDimension = layout.latentDimension
        self.probeLatents = probeLatents
        self.frameSteps = steps
        self.tail = tail
    }

    /// Number of readable frames.
    public var frameCount: Int { frameSteps.count }

    /// Bytes after the last readable frame that were ignored (0 for a clean file).
    public var droppedTailBytes: Int { tail.droppedBytes }

    /// A sentence for the user when part of the file was ignored, or `nil` if none was.
    public var tailWarning: String? {
        switch tail {
        case .clean:
            return nil
        case .partialRecord(let bytes):
            return "\(path) ends with a partial frame of \(bytes) bytes (a run still writing or "
                + "killed mid-frame); it was ignored, resume the run to rewrite it"
        case let .corruptRecord(index, bytes):
            return "\(path) frame \(index) is corrupt, so it and the \(bytes) bytes after its start "
                + "were ignored (\(frameCount) frames remain): re-run the experiment to rebuild the trace"
        }
    }

    /// Reads frame `index` (0..<frameCount), checking its record again.
    public func frame(at index: Int) throws -> TraceFrame {
        precondition(frameSteps.indices.contains(index), "trace frame index \(index) out of range")
        let offset = layout.headerBytes + index * layout.recordBytes
        var record = [UInt8](repeating: 0, count: layout.recordBytes)
        let read = try record.withUnsafeMutableBytes { try file.readFully(into: $0, at: offset) }
        guard read == layout.recordBytes else {
            throw StorageError.truncated(path: path, expected: offset + layout.recordBytes, found: offset + read)
        }
        let step = record.withUnsafeBytes { layout.validStep(of: $0, after: nil) }
        guard let step, step == frameSteps[index] else {
            let stored = UInt32(littleEndian: record.withUnsafeBytes {
                $0.loadUnaligned(fromByteOffset: layout.recordBytes - 4, as: UInt32.self)
            })
            throw StorageError.checksumMismatch(path: path, section: "frame \(index)", stored: stored,
                computed: CRC32C.checksum(record[0..<layout.recordBytes - 4]))
        }
        var reader = BinaryReader(record, path: path, start: 12)
        let dLoss = try reader.readFloat()
        let gLoss = try reader.readFloat()
        let points = try reader.readFloats(count: 2 * probeCount)
        return TraceFrame(step: step, dLoss: dLoss, gLoss: gLoss, points: points)
    }

    /// The index of the frame taken at `step`, if there is one.
    public func frameIndex(step: Int) -> Int? {
        var low = 0, high = frameSteps.count
        while low < high {
            let mid = (low + high) / 2
            if frameSteps[mid] < step { low = mid + 1 } else { high = mid }
        }
        return low < frameSteps.count && frameSteps[low] == step ? low : nil
    }
}
