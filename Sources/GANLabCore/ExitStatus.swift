import Foundation

/// A failure at run time that is not the user's input: an external program, or the file system
/// refusing a write. The CLI exits 1 for it.
public struct CommandFailure: Error, CustomStringConvertible, Sendable {
    /// The message, one sentence naming the file or program and the cause.
    public var description: String
    /// A failure with its message.
    public init(_ description: String) { self.description = description }
}

/// The exit status of every `ganlab` subcommand.
///
/// | status | meaning |
/// |---|---|
/// | 0 | done |
/// | 1 | runtime failure (I/O, an external program, a diverged run, a damaged file) |
/// | 2 | usage or bad input (a flag, an experiment file, a path that is not a run, a bad CSV) |
/// | 130 | interrupted (Ctrl-C or SIGTERM; `run` writes its snapshot first) |
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// The command did what it was asked.
    case done = 0
    /// Something failed while running: a file could not be written, ffmpeg failed, training diverged.
    case failure = 1
    /// The command line or a file it names is wrong; nothing was written.
    case badInput = 2
    /// Stopped by Ctrl-C or SIGTERM.
    case interrupted = 130

    /// The contract in words, one line per status, for `--help` and the README.
    public static let contract = """
        Exit status: 0 done; 1 runtime failure (I/O, ffmpeg, divergence, a damaged file); \
        2 usage or bad input (flag, experiment file, path, CSV; nothing written); \
        130 interrupted (run writes its snapshot first).
        """

    /// The status for an error thrown by a command: bad input for the errors that describe what
    /// the user gave, a runtime failure for everything else.
    public static func of(_ error: any Error) -> ExitStatus {
        switch error {
        case is ConfigError, is RunError, is InputError: return .badInput
        default: return .failure
        }
    }

    /// A one-line message in plain words for any error: the error's own sentence, or, for
    /// Foundation's file errors, the path and the system's reason instead of a `UserInfo` dump.
    public static func message(for error: any Error) -> String {
        let text: String
        let bridged = error as NSError
        if bridged.domain == NSCocoaErrorDomain || bridged.domain == NSPOSIXErrorDomain {
            text = plainFileError(bridged)
        } else {
            text = String(describing: error)
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// "PATH: REASON" for a Foundation file error.
    static func plainFileError(_ error: NSError) -> String {
        let path = (error.userInfo[NSFilePathErrorKey] as? String)
            ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
        var reason: String
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            reason = String(cString: strerror(Int32(underlying.code)))
        } else if error.domain == NSPOSIXErrorDomain {
            reason = String(cString: strerror(Int32(error.code)))
        } else if error.domain == NSCocoaErrorDomain {
            switch error.code {
            case NSFileNoSuchFileError, NSFileReadNoSuchFileError: reason = "no such file or folder"
            case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: reason = "permission denied"
            case NSFileWriteOutOfSpaceError: reason = "no space left on the device"
            case NSFileWriteVolumeReadOnlyError: reason = "the file system is read-only"
            case NSFileWriteFileExistsError: reason = "a file already has that name"
            case NSFileReadCorruptFileError, NSFileReadInapplicableStringEncodingError: reason = "not readable as text"
            default: reason = "file operation failed (code \(error.code))"
            }
        } else {
            reason = error.localizedDescription
        }
        reason = reason.prefix(1).lowercased() + reason.dropFirst()
        return path.map { "\($0): \(reason)" } ?? reason
    }
}

/// Bad input the user can fix: a path that is not what the command needs, a malformed data file,
/// an option value that does not fit the run. The CLI exits 2 for it; the message names the file
/// (and line) and says what to change.
public struct InputError: Error, CustomStringConvertible, Sendable {
    /// The message, one sentence on one line.
    public var description: String
    /// An input error with its message; line breaks and control characters quoted from the input
    /// are shown escaped, so the message stays one line.
    public init(_ description: String) { self.description = ConfigError.oneLine(description) }
}
