import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a child process's output to its end.
public enum PipeReading {
    /// Everything `handle` yields until end of file, read with `read(2)` and retried on `EINTR`.
    ///
    /// `FileHandle.readDataToEndOfFile()` traps when a signal (a child's SIGCHLD, say) interrupts
    /// its read; a lab that runs ffmpeg and its own binary as children reads pipes this way.
    /// A read error other than `EINTR` ends the data there.
    public static func readToEnd(_ handle: FileHandle) -> Data {
        let fd = handle.fileDescriptor
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return data
            }
        }
    }
}
