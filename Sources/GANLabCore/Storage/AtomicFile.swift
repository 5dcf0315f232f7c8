#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces the file at `path` with `bytes` so that a reader, or a run killed at any moment
/// (even by `kill -9` or a power cut), sees either the old file or the new one, never a mix.
///
/// The classic sequence: write a temporary file `.NAME.tmp-PID` in the same folder (so the rename
/// stays within one file system), `fsync` it, `rename(2)` it over the target (atomic by POSIX), then
/// `fsync` the folder so the new name itself is durable. On any failure (ENOSPC, EACCES, EFBIG, …)
/// the temporary file is removed, the existing target is left untouched and a `StorageError.io`
/// names the path and the `errno` text. One writer per target path at a time (the temporary name
/// is per process, not per thread).
public func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    try bytes.withUnsafeBytes { try writeAtomically($0, to: path) }
}

/// Replaces the file at `path` with the UTF-8 bytes of `text`, atomically (see the `[UInt8]` form).
public func writeAtomically(_ text: String, to path: String) throws {
    try writeAtomically(Array(text.utf8), to: path)
}

/// Replaces the file at `path` with `bytes`, atomically (see the `[UInt8]` form).
public func writeAtomically(_ bytes: UnsafeRawBufferPointer, to path: String) throws {
    let (prefix, name) = splitPath(path)
    guard !name.isEmpty else {
        throw StorageError.io(path: path, operation: "write", code: EISDIR)
    }
    let temporaryPath = temporaryPath(for: path)
    do {
        let file = try FileDescriptor(path: temporaryPath, flags: O_WRONLY | O_CREAT | O_TRUNC)
        try file.writeAll(bytes, at: 0)
        try file.flushToDisk()
        try file.closeChecked()
        guard rename(temporaryPath, path) == 0 else {
            throw StorageError.io(path: path, operation: "rename \(temporaryPath) over", code: errno)
        }
    } catch StorageError.io(_, let operation, let code) {
        unlink(temporaryPath)
        // Name the target the user asked for, not the temporary sibling.
        throw StorageError.io(path: path, operation: operation.hasPrefix("rename") ? operation
                              : "\(operation) a temporary file for", code: code)
    } catch {
        unlink(temporaryPath)
        throw error
    }
    try syncDirectory(prefix)
}

/// The temporary sibling used while `path` is written: `.NAME.tmp-PID` in the same folder.
///
/// Leftovers from a killed process start with "." and contain ".tmp-", so listings skip them.
public func temporaryPath(for path: String) -> String {
    let (prefix, name) = splitPath(path)
    return prefix + "." + name + ".tmp-\(getpid())"
}
