#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a run file could not be read or written.
///
/// Every description is one sentence: the file, what is wrong with it, and what to do, e.g.
/// "output/spiral/run1/snapshots/step-0004000.snap is truncated (expected 1234 bytes, found 800):
/// delete it and resume from an earlier snapshot".
public enum StorageError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file ends before the structure it declares (`expected` bytes needed, `found` present).
    case truncated(path: String, expected: Int, found: Int)
    /// A stored checksum disagrees with the one recomputed over `section`.
    case checksumMismatch(path: String, section: String, stored: UInt32, computed: UInt32)
    /// The file does not start with the `expected` magic: not a ganlab file of that kind.
    case badMagic(path: String, expected: String)
    /// The file's format version is newer than (or older than any) this build reads.
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    /// A declared count or length is beyond `limit` (checked before anything is allocated).
    case implausibleSize(path: String, field: String, value: Int64, limit: Int64)
    /// Declared shapes disagree with each other (e.g. parameter count vs. layer sizes).
    case badShape(path: String, detail: String)
    /// Well-formed bytes with invalid meaning (e.g. an embedded config that does not decode).
    case badContent(path: String, detail: String)
    /// A system call failed; `code` is the `errno` value.
    case io(path: String, operation: String, code: Int32)

    /// One sentence naming the file, the problem and the remedy.
    public var description: String {
        switch self {
        case let .truncated(path, expected, found):
            return "\(path) is truncated (expected \(expected) bytes, found \(found)): "
                + StorageError.remedy(for: path)
        case let .checksumMismatch(path, section, stored, computed):
            return "\(path) is corrupt (the \(section) checksum is \(hex(stored)) but the data gives "
                + "\(hex(computed))): " + StorageError.remedy(for: path)
        case let .badMagic(path, expected):
            return "\(path) is not a ganlab \(StorageError.kind(ofMagic: expected)) (it does not start "
                + "with \"\(expected)\"): check that the path points at a ganlab run file"
        case let .unsupportedVersion(path, found, supported):
            return "\(path) has format version \(found) but this ganlab reads versions up to "
                + "\(supported): open it with the ganlab that wrote it or re-run the experiment"
        case let .implausibleSize(path, field, value, limit):
            return "\(path) declares an implausible \(field) of \(value) (limit \(limit)), so it is "
                + "corrupt: " + StorageError.remedy(for: path)
        case let .badShape(path, detail):
            return "\(path) has inconsistent shapes (\(detail)), so it is corrupt or from another "
                + "ganlab version: " + StorageError.remedy(for: path)
        case let .badContent(path, detail):
            return "\(path) has invalid content (\(detail)): " + StorageError.remedy(for: path)
        case let .io(path, operation, code):
            return "could not \(operation) \(path): \(StorageError.errnoText(code)) (errno \(code)); "
                + StorageError.remedy(forErrno: code)
        }
    }

    /// The file named by the error.
    public var path: String {
        switch self {
        case let .truncated(path, _, _), let .checksumMismatch(path, _, _, _),
             let .badMagic(path, _), let .unsupportedVersion(path, _, _),
             let .implausibleSize(path, _, _, _), let .badShape(path, _),
             let .badContent(path, _), let .io(path, _, _):
            return path
        }
    }

    // MARK: - Wording

    /// What to do about a damaged file, by its kind.
    private static func remedy(for path: String) -> String {
        if path.hasSuffix(".snap") {
            return "delete it and resume from an earlier snapshot"
        } else if path.hasSuffix(".bin") {
            return "delete it and re-run the experiment to rebuild the trace"
        } else {
            return "delete it or restore it, then re-run the command"
        }
    }

    /// What to do about a failed system call, by `errno`.
    private static func remedy(forErrno code: Int32) -> String {
        switch code {
        case ENOSPC, EDQUOT: return "free some disk space and retry"
        case EACCES, EPERM, EROFS: return "check the permissions of the folder and retry"
        case ENOENT, ENOTDIR: return "check that the folder exists and retry"
        case EFBIG: return "the file exceeds the size limit; lower the output sizes or raise `ulimit -f`"
        case EISDIR: return "a folder has that name; move it away or choose another path"
        default: return "check the path and the disk, then retry"
        }
    }

    /// `strerror` text for `code`.
    static func errnoText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "unknown error" }
        return String(cString: text)
    }

    /// Human name of the file kind a magic string introduces.
    private static func kind(ofMagic magic: String) -> String {
        switch magic {
        case "GANLSNAP": return "snapshot"
        case "GANLTRAC": return "trace"
        default: return "file"
        }
    }
}

/// `0x` and eight hex digits.
private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
