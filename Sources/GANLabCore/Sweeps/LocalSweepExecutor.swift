import Foundation

/// Runs a sweep's runs on this machine as parallel processes, each `ganlab sweep NAME --task i`
/// (the same command a Slurm array task runs, so both make the same bytes), at most `jobs` at a
/// time, each writing its output to `logs/task-<i>.log`.
///
/// A failed run does not stop the others. A stop request (Ctrl-C) is passed on to the running
/// processes as SIGINT, which makes each write a snapshot and exit; every run stays resumable.
public final class LocalSweepExecutor {
    /// Where the executor stands, for the progress line.
    public struct Status: Sendable {
        /// Runs complete (before or during this invocation).
        public var done: Int
        /// Runs running now.
        public var running: Int
        /// Runs that failed in this invocation.
        public var failed: Int
        /// Runs this invocation was asked to cover.
        public var total: Int
        /// Seconds to go at the pace of the runs finished so far, if any finished.
        public var secondsLeft: Double?
    }

    /// A run that failed, with the last line of its log.
    public struct Failure: Sendable {
        /// The run.
        public var run: SweepPlan.Run
        /// Its exit status.
        public var status: Int32
        /// The last error line of its log (`error: …`), else its last non-empty line.
        public var message: String
    }

    /// What an invocation did.
    public struct Result: Sendable {
        /// Runs finished in this invocation.
        public var finished: Int
        /// Runs that were complete already.
        public var skipped: Int
        /// Runs that failed.
        public var failures: [Failure]
        /// Whether a stop request ended it early.
        public var interrupted: Bool
    }

    private let plan: SweepPlan
    private let directory: SweepDirectory
    private let jobs: Int
    private let executable: String
    private let arguments: (SweepPlan.Run) -> [String]

    /// An executor for `plan` in `directory`, running `executable arguments(run)` for each run.
    public init(plan: SweepPlan, directory: SweepDirectory, jobs: Int, executable: String,
                arguments: @escaping (SweepPlan.Run) -> [String]) {
        self.plan = plan
        self.directory = directory
        self.jobs = max(1, jobs)
        self.executable = executable
        self.arguments = arguments
    }

    /// Runs every incomplete run of `runs`; polls `shouldStop` and reports `progress` about five
    /// times a second.
    public func run(_ runs: [SweepPlan.Run], shouldStop: () -> Bool,
                    progress: (Status) -> Void) throws -> Result {
        var pending = runs.filter { !directory.isComplete($0) }
        let skipped = runs.count - pending.count
        pending.reverse()  // pop from the end: plan order
        var running: [(run: SweepPlan.Run, process: Process, started: Date)] = []
        var failures: [Failure] = [], finished = 0, interrupted = false
        var durations: [Double] = []
        func status() -> Status {
            let left = pending.count + running.count
            let pace = durations.isEmpty ? nil : durations.reduce(0, +) / Double(durations.count)
            let eta = pace.map { $0 * Double(left) / Double(min(jobs, max(left, 1))) }
            return Status(done: skipped + finished, running: running.count, failed: failures.count,
                          total: runs.count, secondsLeft: eta)
        }
        while !pending.isEmpty || !running.isEmpty {
            if shouldStop() && !interrupted {
                interrupted = true
                pending.removeAll()
                for r in running where r.process.isRunning { r.process.interrupt() }
            }
            while running.count < jobs, let next = pending.popLast() {
                running.append((next, try start(next), Date()))
            }
            var still: [(run: SweepPlan.Run, process: Process, started: Date)] = []
            for r in running {
                if r.process.isRunning { still.append(r); continue }
                let code = r.process.terminationStatus
                if code == 0 && directory.isComplete(r.run) {
                    finished += 1
                    durations.append(Date().timeIntervalSince(r.started))
                } else if code == 130 || interrupted {
                    interrupted = true
                } else {
                    failures.append(Failure(run: r.run, status: code, message: lastLine(of: directory.logPath(task: r.run.index))))
                }
            }
            running = still
            progress(status())
            if !running.isEmpty || !pending.isEmpty { Thread.sleep(forTimeInterval: 0.2) }
        }
        progress(status())
        return Result(finished: finished, skipped: skipped, failures: failures, interrupted: interrupted)
    }

    private func start(_ run: SweepPlan.Run) throws -> Process {
        let log = directory.logPath(task: run.index)
        try makeDirectories((log as NSString).deletingLastPathComponent)
        FileManager.default.createFile(atPath: log, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: log) else {
            throw RunError("cannot write \(log)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments(run)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw RunError("cannot start \(executable) for \(run.folder): \(error.localizedDescription)")
        }
        try? handle.close()
        return process
    }

    private func lastLine(of path: String) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "(no log)" }
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return lines.last { $0.hasPrefix("error: ") } ?? lines.last ?? "(empty log)"
    }
}
