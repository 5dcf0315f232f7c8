import Foundation

/// A sweep as Slurm jobs: `slurm/array.sbatch`, one array task per run (`ganlab sweep NAME --task
/// $SLURM_ARRAY_TASK_ID`, which skips a complete run), and `slurm/report.sbatch`, the report,
/// submitted with `--dependency=afterany:` on the array so it runs however the tasks end.
public struct SlurmSubmission: Sendable {
    /// Options passed to `sbatch` in the scripts' `#SBATCH` lines.
    public struct Options: Sendable {
        /// `--partition`, if given.
        public var partition: String?
        /// `--time`, if given (Slurm's formats, e.g. `30:00` or `1-00:00:00`).
        public var time: String?
        /// `--cpus-per-task` (default: the plan's threads per run).
        public var cpusPerTask: Int?
        /// At most this many array tasks at once (`%K`), if given.
        public var maxParallel: Int?

        public init(partition: String? = nil, time: String? = nil, cpusPerTask: Int? = nil, maxParallel: Int? = nil) {
            self.partition = partition
            self.time = time
            self.cpusPerTask = cpusPerTask
            self.maxParallel = maxParallel
        }
    }

    /// The plan.
    public var plan: SweepPlan
    /// The sweep as the jobs name it: its name, or its file's absolute path.
    public var sweep: String
    /// The sweep's folder (made absolute, since jobs start elsewhere).
    public var directory: SweepDirectory
    /// The `ganlab` binary the tasks run (absolute).
    public var executable: String
    /// The experiments folder (absolute).
    public var experiments: String
    /// sbatch options.
    public var options: Options

    /// A submission of `plan`.
    public init(plan: SweepPlan, sweep: String, directory: SweepDirectory, executable: String, experiments: String,
                options: Options) {
        self.plan = plan
        self.sweep = sweep
        self.directory = directory
        self.executable = executable
        self.experiments = experiments
        self.options = options
    }

    /// `slurm/` in the sweep's folder.
    public var folder: String { directory.path + "/slurm" }

    /// The `#SBATCH` lines shared by both scripts.
    private func header(job: String, output: String, cpus: Int) -> [String] {
        var lines = ["#!/bin/bash", "#SBATCH --job-name=\(job)", "#SBATCH --output=\(output)", "#SBATCH --cpus-per-task=\(cpus)"]
        if let p = options.partition { lines.append("#SBATCH --partition=\(p)") }
        if let t = options.time { lines.append("#SBATCH --time=\(t)") }
        return lines
    }

    /// A shell word.
    private static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// The array script's text.
    public var arrayScript: String {
        let cpus = options.cpusPerTask ?? plan.threads
        return (header(job: "ganlab-\(plan.name)", output: folder + "/task-%a.out", cpus: cpus) + [
            "# One run of sweep \(plan.name) per array task (\(plan.runs.count) runs); a complete run is skipped.",
            "exec \(Self.quoted(executable)) sweep \(Self.quoted(sweep)) --experiments \(Self.quoted(experiments)) "
                + "--out \(Self.quoted(directory.path)) --task \"$SLURM_ARRAY_TASK_ID\"",
        ]).joined(separator: "\n") + "\n"
    }

    /// The report script's text.
    public var reportScript: String {
        (header(job: "ganlab-\(plan.name)-report", output: folder + "/report.out", cpus: 1) + [
            "# The statistics of sweep \(plan.name), after every array task has ended.",
            "exec \(Self.quoted(executable)) sweep report \(Self.quoted(sweep)) --experiments \(Self.quoted(experiments)) "
                + "--out \(Self.quoted(directory.path))",
        ]).joined(separator: "\n") + "\n"
    }

    /// `--array=0-(N−1)[%K]`.
    public var arraySpec: String {
        "0-\(plan.runs.count - 1)" + (options.maxParallel.map { "%\($0)" } ?? "")
    }

    /// The two sbatch command lines (the report's dependency is filled in after the first).
    public func commands(arrayJob: String = "<array job id>") -> [[String]] {
        [["sbatch", "--parsable", "--array=\(arraySpec)", folder + "/array.sbatch"],
         ["sbatch", "--parsable", "--dependency=afterany:\(arrayJob)", folder + "/report.sbatch"]]
    }

    /// Writes both scripts.
    public func writeScripts() throws {
        try makeDirectories(folder)
        try writeAtomically(arrayScript, to: folder + "/array.sbatch")
        try writeAtomically(reportScript, to: folder + "/report.sbatch")
    }

    /// Submits the array, then the report; returns both job ids (also written to `slurm/jobs`).
    public func submit() throws -> (array: String, report: String) {
        let array = try Self.sbatch(commands()[0])
        let report = try Self.sbatch(commands(arrayJob: array)[1])
        try writeAtomically("array \(array)\nreport \(report)\n", to: folder + "/jobs")
        return (array, report)
    }

    /// Runs one sbatch command line; returns the job id `--parsable` prints (before any `;cluster`).
    private static func sbatch(_ command: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw RunError("cannot run sbatch (\(error.localizedDescription)); is Slurm's client installed and on PATH?")
        }
        let output = String(decoding: PipeReading.readToEnd(out.fileHandleForReading), as: UTF8.self)
        let errors = String(decoding: PipeReading.readToEnd(err.fileHandleForReading), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let reason = errors.split(separator: "\n").last.map(String.init) ?? "exit status \(process.terminationStatus)"
            throw RunError("\(command.joined(separator: " ")) failed: \(reason)")
        }
        let id = output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first.map(String.init) ?? ""
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw RunError("\(command.joined(separator: " ")) printed '\(output.trimmingCharacters(in: .whitespacesAndNewlines))', not a job id")
        }
        return id
    }
}
