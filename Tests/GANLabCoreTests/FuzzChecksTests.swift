import Foundation
import Testing

@testable import GANLabCore
@testable import GANLabFuzzChecks

/// The invariants of `make fuzz` (Sources/GANLabFuzzChecks), run on the seed corpora and on a
/// fixed set of truncations and byte flips of each seed. libFuzzer explores far more inputs; this
/// keeps the checks compiling and passing on every `make test`, so the fuzz targets cannot rot
/// between fuzzing runs.
@Suite("Fuzz checks on the seed corpora")
struct FuzzChecksTests {
    private static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("FuzzCorpus")

    private func seeds(_ folder: String) throws -> [(name: String, bytes: [UInt8])] {
        let dir = Self.corpus.appendingPathComponent(folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        return try names.map { ($0, [UInt8](try Data(contentsOf: dir.appendingPathComponent($0)))) }
    }

    /// Each seed, `cuts` truncations spread over its length, and `flips` single-byte changes at
    /// positions and values drawn from a fixed-seed generator.
    private func variants(of bytes: [UInt8], cuts: Int, flips: Int) -> [[UInt8]] {
        var out = [bytes]
        for c in 1...cuts { out.append(Array(bytes.prefix(bytes.count * c / (cuts + 1)))) }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        for _ in 0..<flips where !bytes.isEmpty {
            var v = bytes
            v[Int(next() % UInt64(v.count))] ^= UInt8(1 + next() % 255)
            out.append(v)
        }
        return out
    }

    @Test("every experiment-file seed and its mutations end in a valid round-tripping config or a one-line message naming the file")
    func experimentFiles() throws {
        let all = try seeds("experiment-file")
        #expect(all.count >= 10)
        var accepted = 0
        for seed in all {
            for (i, v) in variants(of: seed.bytes, cuts: 6, flips: 24).enumerated() {
                let finding = FuzzChecks.experimentFile(Data(v))
                #expect(finding == nil, "\(seed.name) variant \(i): \(finding ?? "")")
                if i == 0, (try? ExperimentConfig.load(data: Data(v), file: "x.yaml")) != nil { accepted += 1 }
            }
        }
        // The corpus holds valid files as well as broken ones, so both branches are exercised.
        #expect(accepted >= 4 && accepted < all.count)
    }

    @Test("every sweep-file seed and its mutations expand to valid runs or fail with one line naming the file")
    func sweepFiles() throws {
        let all = try seeds("sweep-file")
        let library = ExperimentLibrary(directory: Self.corpus.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("experiments"))
        var accepted = 0
        for seed in all {
            for (i, v) in variants(of: seed.bytes, cuts: 4, flips: 16).enumerated() {
                let finding = FuzzChecks.sweepFile(Data(v), library: library)
                #expect(finding == nil, "\(seed.name) variant \(i): \(finding ?? "")")
                if i == 0, (try? SweepPlan.parse(data: Data(v), name: "x", file: "x.yaml", library: library)) != nil { accepted += 1 }
            }
        }
        #expect(accepted >= 3 && accepted < all.count)
    }

    @Test("every point-set seed and its mutations give a usable target or fail with one line naming the file")
    func pointSets() throws {
        let all = try seeds("point-set")
        var accepted = 0
        for seed in all {
            for (i, v) in variants(of: seed.bytes, cuts: 4, flips: 16).enumerated() {
                let finding = FuzzChecks.pointSet(Data(v))
                #expect(finding == nil, "\(seed.name) variant \(i): \(finding ?? "")")
                if i == 0, (try? FileTarget.decode(bytes: v, file: "x.csv", kind: .points, settings: TargetConfig())) != nil {
                    accepted += 1
                }
            }
        }
        #expect(accepted >= 4 && accepted < all.count)
    }

    @Test("every snapshot/trace seed and its mutations decode consistently or fail with a StorageError naming the file")
    func snapshotsAndTraces() throws {
        let all = try seeds("snapshot")
        #expect(all.contains { $0.name.hasSuffix(".snap") } && all.contains { $0.name.hasSuffix(".bin") })
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ganlab-fuzzchecks-\(getpid()).bin").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        for seed in all {
            for (i, v) in variants(of: seed.bytes, cuts: 4, flips: 8).enumerated() {
                let finding = FuzzChecks.snapshotAndTrace(v, tracePath: scratch)
                #expect(finding == nil, "\(seed.name) variant \(i): \(finding ?? "")")
            }
        }
    }

    @Test("every picture seed and its mutations decode to valid grey and alpha values or fail with one line")
    func pictures() throws {
        let all = try seeds("picture")
        var accepted = 0
        for seed in all {
            for (i, v) in variants(of: seed.bytes, cuts: 6, flips: 24).enumerated() {
                let finding = FuzzChecks.picture(Data(v))
                #expect(finding == nil, "\(seed.name) variant \(i): \(finding ?? "")")
                if i == 0, (try? PNGDecoder.decode(v)) != nil { accepted += 1 }
            }
        }
        // The corpus holds good pictures as well as broken ones, so both branches are exercised.
        #expect(accepted >= 8 && accepted < all.count)
    }

    @Test("patching the checksum lets a mutated snapshot past the CRC to the checks behind it")
    func checksumPatchReachesPayload() throws {
        let seed = try #require(try seeds("snapshot").first { $0.name == "spiral-adam.snap" })
        var flipped = seed.bytes
        flipped[flipped.count / 2] ^= 0x5A  // inside the parameters, far from header and trailer
        #expect(throws: StorageError.self) { try Snapshot(decoding: flipped, path: "x.snap") }
        let patched = try #require(FuzzChecks.withValidChecksum(flipped))
        // With the CRC matching, the decoder no longer stops at the checksum: a flipped parameter
        // byte decodes (or fails a content check), either way not as a checksum mismatch.
        do {
            _ = try Snapshot(decoding: patched, path: "x.snap")
        } catch let error as StorageError {
            if case .checksumMismatch = error { Issue.record("still a checksum mismatch: \(error)") }
        }
        #expect(FuzzChecks.withValidChecksum(patched) == nil)
    }
}
