#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A text log that grows by whole rows: metrics.csv, diagnostics.csv.
///
/// Each `append` is one `pwrite` at the end; if it fails (disk full, `ulimit -f`, a folder made
/// read-only under a running run) the file is cut back to where it was, so no partial row stays,
/// and the `StorageError.io` carries the real `errno` (EFBIG, ENOSPC, EACCES, …) and the path.
final class AppendingFile {
    /// The file, named in errors.
    let path: String
    private let file: FileDescriptor
    /// Bytes in the file, where the next row goes.
    private var end: Int

    /// Opens (or creates) `path`, writing `header` first when the file is new or empty.
    init(path: String, header: String) throws {
        self.path = path
        file = try FileDescriptor(path: path, flags: O_WRONLY | O_CREAT)
        end = try file.byteCount()
        if end == 0 { try append(header) }
    }

    /// Appends `text` in one write.
    func append(_ text: String) throws {
        let bytes = Array(text.utf8)
        do {
            try bytes.withUnsafeBytes { try file.writeAll($0, at: end) }
        } catch {
            try? file.setLength(end)
            throw error
        }
        end += bytes.count
    }

    /// Forces the rows written so far to stable storage.
    func sync() throws {
        try file.flushToDisk()
    }

    /// Syncs and closes the file; it must not be used afterwards.
    func close() throws {
        try file.flushToDisk()
        try file.closeChecked()
    }
}
