import Foundation
import GANLabCore
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A finished tiny run and a copy of it cut back to its snapshot at step 40, as if it had been
/// stopped there: resuming the copy writes the snapshot at step 80 next.
private struct CutRun {
    let dir: String
    let straight: RunDirectory
    let cut: RunDirectory

    init(_ name: String) throws {
        dir = temporaryFolder(name)
        let file = dir + "/tiny.yaml"
        try tinyYAML.replacingOccurrences(of: "steps: 400", with: "steps: 120").write(toFile: file, atomically: true, encoding: .utf8)
        straight = RunDirectory(path: dir + "/straight")
        cut = RunDirectory(path: dir + "/cut")
        let r = try CLI.run(["run", file, "--out", straight.path, "--no-render"])
        guard r.status == 0 else { throw CLI.Unavailable(reason: "the tiny run failed: \(r.stderr)") }
        try FileManager.default.copyItem(atPath: straight.path, toPath: cut.path)
        for step in try cut.listSnapshots() where step > 40 {
            try FileManager.default.removeItem(atPath: cut.snapshotPath(step: step))
        }
    }

    /// Every file of the run folder, recursively, with its owner changed.
    func giveOwnership(of run: RunDirectory, to uid: uid_t, _ gid: gid_t) throws {
        _ = chown(run.path, uid, gid)
        for name in try FileManager.default.subpathsOfDirectory(atPath: run.path) {
            _ = chown(run.path + "/" + name, uid, gid)
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }
}

/// The one `error:` line a failed command printed.
private func errorLines(_ stderr: String) -> [Substring] {
    stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
}

@Suite("Output safety (built binary)", .serialized)
struct OutputSafetyTests {
    @Test("a file-size limit (ulimit -f) fails the next snapshot with one line naming it; the previous snapshot stays and resume finishes the run")
    func fileSizeLimit() throws {
        let run = try CutRun("fsize")
        defer { run.remove() }
        let previous = contents(run.cut.snapshotPath(step: 40))
        let snapshotBytes = contents(run.straight.snapshotPath(step: 80)).count
        // Below the size of a snapshot, above every other file the run writes up to step 80.
        let limit = snapshotBytes * 3 / 4
        // The trace through step 80 (frames 90–120 are 4 records of 24 + 8 × 200 bytes) stays below it.
        let traceAt80 = contents(run.straight.tracePath).count - 4 * (24 + 8 * 200)
        #expect(traceAt80 < limit, "the trace would hit the limit first; shrink probeCount")

        let r = try CLI.run(["run", "--resume", run.cut.path, "--no-render"], wrapper: CLI.fileSizeLimit(bytes: limit))
        expectOneErrorLine(r, naming: run.cut.snapshotPath(step: 80), containing: ["File too large", "ulimit -f"])

        #expect(try run.cut.listSnapshots() == [40])
        #expect(contents(run.cut.snapshotPath(step: 40)) == previous)
        #expect(try FileManager.default.contentsOfDirectory(atPath: run.cut.snapshotsPath) == ["step-0000040.snap"],
                "no temporary file is left behind")
        #expect(SnapshotDiagnostics.read(from: run.cut).map(\.step) == [40], "diagnostics.csv has a row only for snapshots that exist")
        let resumed = try CLI.run(["run", "--resume", run.cut.path, "--no-render"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(contents(run.cut.snapshotPath(step: 120)) == contents(run.straight.snapshotPath(step: 120)))
        #expect(contents(run.cut.tracePath) == contents(run.straight.tracePath))
        #expect(contents(SnapshotDiagnostics.path(in: run.cut)) == contents(SnapshotDiagnostics.path(in: run.straight)))
    }

    @Test("a read-only snapshots folder fails the next snapshot with one line naming it; the previous snapshot stays and resume finishes the run")
    func readOnlySnapshotsFolder() throws {
        guard let user = CLI.unprivilegedOrSkip() else { return }
        let run = try CutRun("readonly")
        defer { chmod(run.cut.snapshotsPath, 0o755); run.remove() }
        let previous = contents(run.cut.snapshotPath(step: 40))
        try run.giveOwnership(of: run.cut, to: user.uid, user.gid)
        chmod(run.cut.snapshotsPath, 0o555)

        let r = try CLI.run(["run", "--resume", run.cut.path, "--no-render"], wrapper: user.prefix)
        expectOneErrorLine(r, naming: run.cut.snapshotPath(step: 80), containing: ["Permission denied", "permissions"])

        #expect(try run.cut.listSnapshots() == [40])
        #expect(contents(run.cut.snapshotPath(step: 40)) == previous)
        #expect(SnapshotDiagnostics.read(from: run.cut).map(\.step) == [40], "diagnostics.csv has a row only for snapshots that exist")
        chmod(run.cut.snapshotsPath, 0o755)
        let resumed = try CLI.run(["run", "--resume", run.cut.path, "--no-render"], wrapper: user.prefix)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(contents(run.cut.snapshotPath(step: 120)) == contents(run.straight.snapshotPath(step: 120)))
        #expect(contents(run.cut.tracePath) == contents(run.straight.tracePath))
    }

    @Test("a new run in a read-only folder fails at once with one line naming the folder, and creates nothing")
    func readOnlyOutputFolder() throws {
        guard let user = CLI.unprivilegedOrSkip() else { return }
        let dir = temporaryFolder("readonly-new")
        defer { chmod(dir + "/locked", 0o755); try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/tiny.yaml"
        try tinyYAML.write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o644)
        try FileManager.default.createDirectory(atPath: dir + "/locked", withIntermediateDirectories: false)
        chmod(dir + "/locked", 0o555)
        let r = try CLI.run(["run", file, "--out", dir + "/locked/run", "--no-render"], wrapper: user.prefix)
        #expect(r.status == 1, "\(r.stderr)")
        let lines = errorLines(r.stderr)
        #expect(lines.count == 1 && lines.first?.contains(dir + "/locked/run") == true, "\(r.stderr)")
        #expect(lines.first?.contains("Permission denied") == true, "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/locked").isEmpty)
    }
}

/// The child failed with status 1 and exactly one error line, which names `path` and contains
/// every one of `words`.
private func expectOneErrorLine(_ r: CLI.Result, naming path: String, containing words: [String]) {
    #expect(r.status == 1, "\(r.stderr)")
    let lines = errorLines(r.stderr)
    #expect(lines.count == 1, "\(r.stderr)")
    let line = String(lines.first ?? "")
    #expect(line.contains(path), "\(line)")
    for word in words { #expect(line.contains(word), "\(line)") }
}
