import Foundation
import GANLabCore
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A trace of 3 probes in 2-D latent space.
private let probes: [Float] = [0.1, 0.2, -0.3, 0.4, 0.5, -0.6]

/// Frame points for `step`: 3 (x, y) pairs that differ from step to step.
private func points(step: Int) -> [Float] {
    (0..<6).map { Float(step) + Float($0) / 8 }
}

/// Header and record sizes for 3 probes in 2-D (see the layout in Trace.swift).
private let headerBytes = 24 + 4 * 3 * 2
private let recordBytes = 24 + 8 * 3

/// Writes a trace with frames at `steps` and returns its path.
private func writeTrace(in dir: String, steps: [Int]) throws -> String {
    let path = dir + "/trace.bin"
    let writer = try TraceWriter.create(path: path, probeLatents: probes, latentDimension: 2)
    for step in steps {
        try writer.append(step: step, dLoss: Float(step) / 100, gLoss: -Float(step), points: points(step: step))
    }
    try writer.close()
    return path
}

extension StorageTests {
    // MARK: - Trace

    @Test func traceRoundTrip() throws {
        try withTemporaryDirectory { dir in
            let path = try writeTrace(in: dir, steps: [0, 100, 200])
            let reader = try TraceReader(path: path)
            #expect(reader.probeCount == 3)
            #expect(reader.latentDimension == 2)
            #expect(reader.probeLatents == probes)
            #expect(reader.frameSteps == [0, 100, 200])
            #expect(reader.tail == .clean && reader.droppedTailBytes == 0 && reader.tailWarning == nil)
            for (index, step) in [0, 100, 200].enumerated() {
                let frame = try reader.frame(at: index)
                #expect(frame == TraceFrame(step: step, dLoss: Float(step) / 100, gLoss: -Float(step),
                                            points: points(step: step)))
            }
            #expect(reader.frameIndex(step: 200) == 2 && reader.frameIndex(step: 150) == nil)
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
            #expect(size == headerBytes + 3 * recordBytes)
        }
    }

    @Test(arguments: [1, 4, 20, 47])
    func traceWithACutTailReadsTheCompleteFrames(keptBytesOfLastRecord: Int) throws {
        try withTemporaryDirectory { dir in
            let path = try writeTrace(in: dir, steps: [10, 20, 30])
            #expect(truncate(path, off_t(headerBytes + 2 * recordBytes + keptBytesOfLastRecord)) == 0)
            let reader = try TraceReader(path: path)
            #expect(reader.frameSteps == [10, 20])
            #expect(reader.tail == .partialRecord(bytes: keptBytesOfLastRecord))
            #expect(reader.droppedTailBytes == keptBytesOfLastRecord)
            #expect(reader.tailWarning?.contains(path) == true)
            #expect(try reader.frame(at: 1).points == points(step: 20))

            // Reopening for append removes the partial record; new frames follow the last good one.
            let writer = try TraceWriter.open(path: path)
            #expect(writer.droppedTailBytes == keptBytesOfLastRecord)
            try writer.append(step: 30, dLoss: 0, gLoss: 0, points: points(step: 30))
            try writer.close()
            let reread = try TraceReader(path: path)
            #expect(reread.frameSteps == [10, 20, 30] && reread.tail == .clean)
        }
    }

    @Test func aCorruptRecordInTheMiddleEndsTheReadablePart() throws {
        try withTemporaryDirectory { dir in
            let path = try writeTrace(in: dir, steps: [1, 2, 3, 4])
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            bytes[headerBytes + recordBytes + 30] ^= 0x01  // a point of frame 1
            try writeAtomically(bytes, to: path)
            let reader = try TraceReader(path: path)
            #expect(reader.frameSteps == [1])
            #expect(reader.tail == .corruptRecord(index: 1, droppedBytes: 3 * recordBytes))
            #expect(reader.tailWarning?.contains("frame 1 is corrupt") == true)
        }
    }

    @Test func traceTruncationKeepsFramesThroughAStep() throws {
        try withTemporaryDirectory { dir in
            let path = try writeTrace(in: dir, steps: [100, 200, 300, 400])
            let writer = try TraceWriter.open(path: path)
            #expect(writer.frameSteps == [100, 200, 300, 400])
            try writer.truncate(keepingFramesThrough: 250)
            #expect(writer.frameSteps == [100, 200])
            try writer.append(step: 300, dLoss: 1, gLoss: 2, points: points(step: 999))
            try writer.close()
            let reader = try TraceReader(path: path)
            #expect(reader.frameSteps == [100, 200, 300])
            #expect(try reader.frame(at: 2).points == points(step: 999))
        }
    }

    @Test func damagedTraceHeadersAreErrors() throws {
        try withTemporaryDirectory { dir in
            let path = try writeTrace(in: dir, steps: [1])
            let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            var damaged = good
            damaged[headerBytes - 8] ^= 0x40  // a probe latent
            try writeAtomically(damaged, to: path)
            #expect(caseName(storageError { _ = try TraceReader(path: path) }) == "checksumMismatch")
            damaged = good
            damaged[0] = UInt8(ascii: "g")
            try writeAtomically(damaged, to: path)
            #expect(caseName(storageError { _ = try TraceReader(path: path) }) == "badMagic")
            damaged = good
            damaged.replaceSubrange(12..<16, with: [0xFF, 0xFF, 0xFF, 0xFF])  // 4 billion probes
            try writeAtomically(damaged, to: path)
            #expect(caseName(storageError { _ = try TraceWriter.open(path: path) }) == "implausibleSize")
            for length in [0, 5, 12, 19, headerBytes - 1] {
                try writeAtomically(Array(good.prefix(length)), to: path)
                #expect(caseName(storageError { _ = try TraceReader(path: path) }) == "truncated", "cut at \(length)")
            }
        }
    }

    // MARK: - Run folder and CSV

    @Test func runDirectoryLayoutAndSnapshotListing() throws {
        try withTemporaryDirectory { dir in
            let run = try RunDirectory.create(at: dir + "/output/spiral/run1")
            #expect(run.snapshotPath(step: 4000) == dir + "/output/spiral/run1/snapshots/step-0004000.snap")
            #expect(RunDirectory.snapshotFileName(step: 12_345_678) == "step-12345678.snap")
            #expect(try run.listSnapshots() == [] && run.newestSnapshotStep() == nil)
            for step in [10_000, 2000, 60_000] { try writeAtomically([1], to: run.snapshotPath(step: step)) }
            // Leftovers that must be ignored: a temporary file and unrelated names.
            for name in [".step-0070000.snap.tmp-123", "step-abc.snap", "notes.txt", "step-0080000.snap.bak"] {
                try writeAtomically([1], to: run.snapshotsPath + "/" + name)
            }
            #expect(try run.listSnapshots() == [2000, 10_000, 60_000])
            #expect(try run.newestSnapshotStep() == 60_000)
            try run.writeConfig("seed: 1\n")
            #expect(try String(contentsOfFile: run.configPath, encoding: .utf8) == "seed: 1\n")
            #expect(try RunDirectory.create(at: run.path) == run, "creating an existing run is fine")
        }
    }

    @Test func csvTrimmingKeepsTheHeaderAndRowsThroughAStep() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/metrics.csv"
            let text = "step,dLoss,gLoss\n100,0.5,0.7\n200,0.4,0.8\n300,0.3,0.9\n400,0.2,1.0\n40"
            try writeAtomically(text, to: path)
            #expect(try RunDirectory.trimCSV(at: path, keepingRowsThrough: 200) == 3)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "step,dLoss,gLoss\n100,0.5,0.7\n200,0.4,0.8\n")
            #expect(try RunDirectory.trimCSV(at: path, keepingRowsThrough: 200) == 0, "idempotent")
            #expect(try RunDirectory.trimCSV(at: path, keepingRowsThrough: 0) == 2)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "step,dLoss,gLoss\n")
            #expect(try RunDirectory.trimCSV(at: dir + "/missing.csv", keepingRowsThrough: 0) == 0)
        }
    }
}
