#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The layout of one run folder:
///
/// ```
/// RUN/
///   config.yaml                 resolved experiment config (text provided by the caller)
///   metrics.csv                 one row per logged step; first column is the step
///   trace.bin                   G(probe latents) at every frame step (see Trace.swift)
///   snapshots/step-0004000.snap full state every `snapshotEvery` steps (zero-padded: names sort)
/// ```
public struct RunDirectory: Equatable, Sendable {
    /// The run folder.
    public let path: String

    /// A run folder at `path` (nothing is created; see `create(at:)`).
    public init(path: String) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// Creates the run folder and its `snapshots` folder, with any missing parents (`mkdir -p`).
    @discardableResult
    public static func create(at path: String) throws -> RunDirectory {
        let run = RunDirectory(path: path)
        try makeDirectories(run.snapshotsPath)
        return run
    }

    /// `RUN/config.yaml`.
    public var configPath: String { path + "/config.yaml" }
    /// `RUN/metrics.csv`.
    public var metricsPath: String { path + "/metrics.csv" }
    /// `RUN/trace.bin`.
    public var tracePath: String { path + "/trace.bin" }
    /// `RUN/snapshots`.
    public var snapshotsPath: String { path + "/snapshots" }

    /// `RUN/snapshots/step-NNNNNNN.snap`, the step zero-padded to 7 digits so names sort by step.
    public func snapshotPath(step: Int) -> String {
        snapshotsPath + "/" + RunDirectory.snapshotFileName(step: step)
    }

    /// `step-NNNNNNN.snap` (more digits past 9,999,999 steps).
    public static func snapshotFileName(step: Int) -> String {
        precondition(step >= 0, "snapshot step must not be negative")
        let digits = String(step)
        return "step-" + String(repeating: "0", count: max(0, 7 - digits.count)) + digits + ".snap"
    }

    /// The step named by a snapshot file name, or `nil` for anything else (temporary files too).
    public static func step(fromSnapshotFileName name: String) -> Int? {
        guard name.hasPrefix("step-"), name.hasSuffix(".snap") else { return nil }
        let digits = name.dropFirst(5).dropLast(5)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    /// Writes `text` (the resolved config as YAML) to `config.yaml`, atomically.
    public func writeConfig(_ text: String) throws {
        try writeAtomically(text, to: configPath)
    }

    /// Steps of the snapshots present, ascending; empty if there is no `snapshots` folder.
    /// Temporary files left by a killed writer (`.step-….snap.tmp-PID`) are ignored.
    public func listSnapshots() throws -> [Int] {
        try RunDirectory.names(in: snapshotsPath).compactMap(RunDirectory.step(fromSnapshotFileName:)).sorted()
    }

    /// Deletes the temporary files (`.NAME.tmp-PID`, see `temporaryPath(for:)`) that writers killed
    /// mid-write left in the run folder and its `snapshots` folder; returns how many.
    ///
    /// Call it only while no other process writes to the run (on resume).
    @discardableResult
    public func removeTemporaryFiles() throws -> Int {
        var removed = 0
        for folder in [path, snapshotsPath] {
            for name in try RunDirectory.names(in: folder) where name.hasPrefix(".") && name.contains(".tmp-") {
                let file = folder + "/" + name
                guard unlink(file) == 0 || errno == ENOENT else {
                    throw StorageError.io(path: file, operation: "remove the leftover temporary file", code: errno)
                }
                removed += 1
            }
        }
        return removed
    }

    /// The entries of `folder` (without `.` and `..`); empty if it does not exist.
    private static func names(in folder: String) throws -> [String] {
        guard let directory = opendir(folder) else {
            if errno == ENOENT { return [] }
            throw StorageError.io(path: folder, operation: "list", code: errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The step of the newest snapshot, or `nil` if there is none.
    public func newestSnapshotStep() throws -> Int? {
        try listSnapshots().last
    }

    // MARK: - CSV

    /// Rewrites the CSV file at `path` keeping its header line and the rows whose first column
    /// (the step) is at most `step`; returns how many lines were dropped.
    ///
    /// Used on resume to drop rows logged after the snapshot being resumed from. A final line
    /// without a newline (cut by `kill -9`) and rows whose step does not parse are dropped too.
    /// The file is replaced atomically; a missing file is left missing (0 is returned).
    @discardableResult
    public static func trimCSV(at path: String, keepingRowsThrough step: Int) throws -> Int {
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(at: path, limit: 1 << 30)
        } catch StorageError.io(_, _, let code) where code == ENOENT {
            return 0
        }
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        var dropped = 0
        var lineStart = 0
        var isHeader = true
        while lineStart < bytes.count {
            guard let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) else {
                if isHeader {  // a header without its newline: keep it, finished
                    kept.append(contentsOf: bytes[lineStart...])
                    kept.append(UInt8(ascii: "\n"))
                } else {
                    dropped += 1  // a partial row
                }
                break
            }
            let line = bytes[lineStart...newline]
            if isHeader || (csvStep(of: line).map { $0 <= step } ?? false) {
                kept.append(contentsOf: line)
            } else {
                dropped += 1
            }
            isHeader = false
            lineStart = newline + 1
        }
        if kept != bytes { try writeAtomically(kept, to: path) }
        return dropped
    }

    /// The integer in the first comma-separated field of a CSV line, if any.
    private static func csvStep(of line: ArraySlice<UInt8>) -> Int? {
        let field = line.prefix { $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
        let text = String(decoding: field, as: UTF8.self).trimmingSpaces()
        return Int(text)
    }
}

private extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
