#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open POSIX file that names its path in every error and closes itself on deinit.
///
/// Every call retries on `EINTR` and loops over short reads and writes; failures become
/// `StorageError.io` with the operation, the path and the `errno` value.
final class FileDescriptor {
    /// The path the descriptor was opened with (for errors).
    let path: String
    /// The descriptor, or -1 once closed.
    private var fd: Int32

    /// Opens `path` with `open(2)` flags (`O_CLOEXEC` is always added).
    init(path: String, flags: Int32, mode: mode_t = 0o644) throws {
        self.path = path
        let fd = retryingEINTR { open(path, flags | O_CLOEXEC, mode) }
        guard fd >= 0 else { throw StorageError.io(path: path, operation: "open", code: errno) }
        self.fd = fd
    }

    deinit {
        if fd >= 0 { _ = close(fd) }
    }

    /// Writes all of `bytes` at `offset` (`pwrite`, looping over short writes).
    func writeAll(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = retryingEINTR { pwrite(fd, base + done, bytes.count - done, off_t(offset + done)) }
            guard n > 0 else {
                throw StorageError.io(path: path, operation: "write", code: n == 0 ? EIO : errno)
            }
            done += n
        }
    }

    /// Reads into `buffer` from `offset` until it is full or the file ends; returns bytes read.
    func readFully(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let n = retryingEINTR { pread(fd, base + done, buffer.count - done, off_t(offset + done)) }
            guard n >= 0 else { throw StorageError.io(path: path, operation: "read", code: errno) }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// The file's current size in bytes (`fstat`).
    func byteCount() throws -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw StorageError.io(path: path, operation: "stat", code: errno)
        }
        return Int(info.st_size)
    }

    /// Cuts or extends the file to `length` bytes (`ftruncate`).
    func setLength(_ length: Int) throws {
        guard retryingEINTR({ ftruncate(fd, off_t(length)) }) == 0 else {
            throw StorageError.io(path: path, operation: "truncate", code: errno)
        }
    }

    /// Flushes data and metadata to stable storage (`fsync`; `F_FULLFSYNC` on Darwin).
    func flushToDisk() throws {
        #if canImport(Darwin)
        if fcntl(fd, F_FULLFSYNC) == 0 { return }
        #endif
        guard retryingEINTR({ fsync(fd) }) == 0 else {
            throw StorageError.io(path: path, operation: "sync", code: errno)
        }
    }

    /// Closes the descriptor, reporting a deferred write error (`close` is not retried on EINTR:
    /// on Linux the descriptor is gone either way).
    func closeChecked() throws {
        guard fd >= 0 else { return }
        let result = close(fd)
        fd = -1
        if result != 0 && errno != EINTR {
            throw StorageError.io(path: path, operation: "close", code: errno)
        }
    }
}

// MARK: - Path helpers

/// Calls `body` again while it fails with `EINTR`.
@inline(__always)
func retryingEINTR<T: SignedInteger>(_ body: () -> T) -> T {
    while true {
        let result = body()
        if result >= 0 || errno != EINTR { return result }
    }
}

/// `path` split into its folder prefix (with the trailing "/", or empty) and its last component.
func splitPath(_ path: String) -> (prefix: String, name: String) {
    guard let slash = path.lastIndex(of: "/") else { return ("", path) }
    return (String(path[...slash]), String(path[path.index(after: slash)...]))
}

/// Reads a whole file, refusing files larger than `limit` bytes before allocating.
func readWholeFile(at path: String, limit: Int) throws -> [UInt8] {
    let file = try FileDescriptor(path: path, flags: O_RDONLY)
    let size = try file.byteCount()
    guard size <= limit else {
        throw StorageError.implausibleSize(
            path: path, field: "file size", value: Int64(size), limit: Int64(limit))
    }
    var bytes = [UInt8](repeating: 0, count: size)
    let read = try bytes.withUnsafeMutableBytes { try file.readFully(into: $0, at: 0) }
    if read < size { bytes.removeLast(size - read) }
    try file.closeChecked()
    return bytes
}

/// Flushes a folder's entries (a new or renamed file's name) to stable storage.
///
/// Some file systems cannot sync a folder and answer `EINVAL`; that is not an error.
func syncDirectory(_ path: String) throws {
    let directory = try FileDescriptor(path: path.isEmpty ? "." : path, flags: O_RDONLY | O_DIRECTORY)
    do {
        try directory.flushToDisk()
    } catch StorageError.io(_, _, let code) where code == EINVAL || code == ENOTSUP {
        // Not supported here; the rename is as durable as this file system allows.
    }
    try directory.closeChecked()
}

/// Creates `path` and any missing parent folders (`mkdir -p`).
public func makeDirectories(_ path: String) throws {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
        prefix += component
        if mkdir(prefix, 0o755) != 0 {
            let code = errno
            var info = stat()
            let isDirectory = stat(prefix, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            if !(code == EEXIST && isDirectory) {
                throw StorageError.io(path: prefix, operation: "create the folder", code: code == EEXIST ? ENOTDIR : code)
            }
        }
        prefix += "/"
    }
}
