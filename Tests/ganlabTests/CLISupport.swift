import Foundation
import GANLabCore
@_exported import GANLabTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the built `ganlab` binary as a user would.
enum CLI {
    /// The package root (this file is Tests/ganlabTests/CLISupport.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `ganlab` executable next to the test bundle (same build configuration).
    static var binary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ganlab")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return root.appendingPathComponent(".build/debug/ganlab")
    }

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// Runs ganlab with `arguments` in the package root and waits for it; `wrapper` is a command
    /// prefix that runs it (e.g. `CLI.fileSizeLimit(…)`).
    @discardableResult
    static func run(_ arguments: [String], wrapper: [String] = [], environment: [String: String?] = [:]) throws -> Result {
        let p = try start(arguments, wrapper: wrapper, environment: environment)
        let o = PipeReading.readToEnd(p.stdout.fileHandleForReading), e = PipeReading.readToEnd(p.stderr.fileHandleForReading)
        p.process.waitUntilExit()
        return Result(status: p.process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    struct Started { var process: Process; var stdout: Pipe; var stderr: Pipe }

    /// Starts ganlab without waiting; `environment` sets (or, with nil, removes) variables of the
    /// test process's environment for the child.
    static func start(_ arguments: [String], wrapper: [String] = [], environment: [String: String?] = [:]) throws -> Started {
        let p = Process()
        if !environment.isEmpty {
            var merged = ProcessInfo.processInfo.environment
            for (key, value) in environment { merged[key] = value }
            p.environment = merged
        }
        if let first = wrapper.first {
            p.executableURL = URL(fileURLWithPath: first)
            p.arguments = Array(wrapper.dropFirst()) + [binary.path] + arguments
        } else {
            p.executableURL = binary
            p.arguments = arguments
        }
        p.currentDirectoryURL = root
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return Started(process: p, stdout: out, stderr: err)
    }

    // MARK: - Running under limits

    /// A prefix that runs the command with a file-size limit of `bytes` (RLIMIT_FSIZE, what
    /// `ulimit -f` sets): util-linux `prlimit` when there is one, else the shell's `ulimit -f`
    /// in POSIX 512-byte blocks.
    static func fileSizeLimit(bytes: Int) -> [String] {
        for prlimit in ["/usr/bin/prlimit", "/bin/prlimit"] where FileManager.default.isExecutableFile(atPath: prlimit) {
            return [prlimit, "--fsize=\(bytes):\(bytes)", "--"]
        }
        return ["/bin/sh", "-c", "ulimit -f \(bytes / 512) && exec \"$0\" \"$@\""]
    }

    /// An unprivileged user to run a child as, when the tests run as root (root ignores file
    /// permissions, so a read-only folder would not stop it).
    struct Unprivileged { var prefix: [String]; var uid: uid_t; var gid: gid_t }

    /// Why a check cannot run here.
    struct Unavailable: Error { var reason: String }

    /// `unprivileged()`, or nil after printing why the calling test is skipped.
    static func unprivilegedOrSkip() -> Unprivileged? {
        switch unprivileged() {
        case .success(let found): return found
        case .failure(let why):
            print("skipped: \(why.reason)")
            return nil
        }
    }

    /// How to make a child see permissions: nothing to do when the tests are not root; as root,
    /// `setpriv` (util-linux) to the user `nobody`; `Unavailable` when neither is possible.
    static func unprivileged() -> Swift.Result<Unprivileged, Unavailable> {
        if geteuid() != 0 { return .success(Unprivileged(prefix: [], uid: geteuid(), gid: getegid())) }
        guard let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return .failure(Unavailable(reason: "running as root and util-linux setpriv is missing, so permissions cannot be tested"))
        }
        guard let entry = getpwnam("nobody") else {
            return .failure(Unavailable(reason: "running as root and there is no user 'nobody' to drop to"))
        }
        let uid = entry.pointee.pw_uid, gid = entry.pointee.pw_gid
        let user = Unprivileged(prefix: [setpriv, "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--"],
                                uid: uid, gid: gid)
        // The checkout may sit in a folder 'nobody' cannot enter.
        guard let probe = try? run(["--help"], wrapper: user.prefix), probe.status == 0 else {
            return .failure(Unavailable(reason: "running as root and user 'nobody' cannot run \(binary.path)"))
        }
        return .success(user)
    }
}

/// Waits (up to 60 s) until the run's metrics.csv has grown past `beyond` characters and holds a
/// logged row: training, and so the Ctrl-C handler, has started.
func waitForTraining(_ run: String, beyond: Int = 0) {
    for _ in 0..<600 {
        let text = (try? String(contentsOfFile: run + "/metrics.csv", encoding: .utf8)) ?? ""
        if text.count > beyond && text.split(separator: "\n").count >= 2 { return }
        usleep(100_000)
    }
}

/// The bytes of a file (empty when it is missing).
/// Runs `executable` with `arguments` (after `configure` has set its folder or environment),
/// reads both pipes to the end and waits.
func runProcess(_ executable: String, _ arguments: [String], configure: (Process) -> Void = { _ in }) throws -> CLI.Result {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    configure(p)
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = PipeReading.readToEnd(out.fileHandleForReading), e = PipeReading.readToEnd(err.fileHandleForReading)
    p.waitUntilExit()
    return CLI.Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
}

func contents(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }
