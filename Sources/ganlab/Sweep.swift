import ArgumentParser
import Foundation
import GANLabCore
import GANLabRender

extension GANLab {
    /// `ganlab sweep`: run a sweep file's runs here or on Slurm, and report their statistics.
    struct Sweep: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a sweep (experiments/sweeps/NAME.yaml: base experiments × a grid of settings × seeds) and report mean ± s.e.",
            discussion: "ganlab sweep NAME runs it (the default subcommand; `ganlab sweep run --help` lists its options); docs/SWEEPS.md describes the file.",
            subcommands: [SweepRun.self, SweepReportCommand.self],
            defaultSubcommand: SweepRun.self)
    }
}

/// Options every sweep command shares.
struct SweepOptions: ParsableArguments {
    @Argument(help: "Sweep name (experiments/sweeps/NAME.yaml) or path to a sweep file.")
    var sweep: String

    @Option(help: "The sweep's folder (default: output/sweeps/NAME).")
    var out: String?

    @OptionGroup var experiments: ExperimentOptions

    /// The expanded plan.
    func plan() throws -> SweepPlan {
        try SweepPlan.load(sweep, library: experiments.library)
    }

    /// The sweep as the processes and jobs it starts name it: its name, or its file's absolute path.
    var sweepArgument: String {
        ExperimentLibrary.isPath(sweep) ? URL(fileURLWithPath: sweep).standardizedFileURL.path : sweep
    }

    /// The sweep's folder.
    func directory(_ plan: SweepPlan) -> SweepDirectory {
        SweepDirectory(path: out ?? SweepDirectory.defaultPath(sweep: plan.name))
    }
}

/// `ganlab sweep NAME`: every run, here (parallel processes), one task, one shard, or on Slurm.
struct SweepRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a sweep's runs: here as parallel processes (default), one --task, one --shard, or as a Slurm job array (--slurm).",
        discussion: """
            Examples:
              ganlab sweep article-seeds
              ganlab sweep ring8-packing --jobs 2
              ganlab sweep ring8-packing --shard 0/3          (this machine's third of the runs)
              ganlab sweep ring8-packing --slurm --partition cpu --time 30:00 --max-parallel 8
              ganlab sweep report ring8-packing
            Each run is an ordinary run folder under output/sweeps/NAME/<cell>/seed-<s>/. A run that is complete is \
            skipped; one that was interrupted continues from its newest snapshot. Ctrl-C stops every run with a snapshot.
            """)

    @OptionGroup var options: SweepOptions

    @Option(help: "Runs at once on this machine (default: cores ÷ the sweep's threads per run).")
    var jobs: Int?

    @Option(help: "Run only task I (0-based; what each Slurm array task runs).")
    var task: Int?

    @Option(help: "Run only shard i of N (every N-th run from i, 0-based), e.g. 1/4.")
    var shard: String?

    @Flag(help: "Write slurm/array.sbatch and slurm/report.sbatch and submit them with sbatch.")
    var slurm = false

    @Option(help: "With --slurm: the partition.")
    var partition: String?

    @Option(help: "With --slurm: the time limit per task (e.g. 30:00).")
    var time: String?

    @Option(help: "With --slurm: CPUs per task (default: the sweep's threads per run).")
    var cpusPerTask: Int?

    @Option(help: "With --slurm: at most this many tasks at once (%K).")
    var maxParallel: Int?

    @Flag(help: "With --slurm: write the scripts and print the sbatch commands without submitting.")
    var dryRun = false

    func validate() throws {
        if let jobs, !(1...256).contains(jobs) { throw ValidationError("--jobs must be between 1 and 256.") }
        if let task, task < 0 { throw ValidationError("--task is a run index ≥ 0.") }
        if task != nil && (shard != nil || slurm) { throw ValidationError("--task runs one run; drop --shard and --slurm.") }
        if shard != nil && slurm { throw ValidationError("--shard splits a sweep over machines without Slurm; drop --slurm.") }
        if shard != nil { _ = try parsedShard() }
        if !slurm && (partition != nil || time != nil || cpusPerTask != nil || maxParallel != nil || dryRun) {
            throw ValidationError("--partition, --time, --cpus-per-task, --max-parallel and --dry-run go with --slurm.")
        }
        if let cpusPerTask, !(1...1024).contains(cpusPerTask) { throw ValidationError("--cpus-per-task must be between 1 and 1024.") }
        if let maxParallel, maxParallel < 1 { throw ValidationError("--max-parallel must be at least 1.") }
    }

    private func parsedShard() throws -> (index: Int, count: Int) {
        guard let shard else { return (0, 1) }
        let parts = shard.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(i) else {
            throw ValidationError("--shard is i/N with 0 ≤ i < N, e.g. 0/4; found '\(shard)'.")
        }
        return (i, n)
    }

    func run() throws {
        let plan = try options.plan()
        let directory = options.directory(plan)
        if let task { return try runTask(task, plan: plan, directory: directory) }
        try directory.prepare(for: plan)
        if slurm { return try submit(plan, directory: directory) }
        let (index, count) = try parsedShard()
        let runs = plan.runs(shard: index, of: count)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let jobs = self.jobs ?? max(1, cores / plan.threads)
        print("sweep \(plan.name): \(plan.cells.count) cells × \(plan.seeds.count) seeds = \(plan.runs.count) runs"
              + (count > 1 ? ", shard \(index)/\(count): \(runs.count) runs" : "")
              + "; \(jobs) at a time, \(plan.threads) thread\(plan.threads == 1 ? "" : "s") each → \(directory.path)")
        guard let executable = Bundle.main.executablePath else { throw CommandFailure("cannot find the ganlab binary to start runs") }
        let arguments = ["sweep", options.sweepArgument, "--experiments", experimentsFolder(), "--out", directory.path, "--task"]
        let executor = LocalSweepExecutor(plan: plan, directory: directory, jobs: jobs, executable: executable) { run in
            arguments + ["\(run.index)"]
        }
        let stop = StopSignal()
        var line = ProgressLine()
        let result = try executor.run(runs, shouldStop: { stop.isRequested }) { s in
            let eta = s.secondsLeft.map { ", ETA \(ProgressLine.duration($0))" } ?? ""
            line.show(text: "done \(s.done)/\(s.total), running \(s.running), failed \(s.failed)\(eta)")
        }
        line.finish()
        print("finished \(result.finished), already complete \(result.skipped), failed \(result.failures.count)")
        for f in result.failures {
            print("  failed: \(directory.runPath(f.run)) (exit \(f.status)): \(f.message) — log: \(directory.logPath(task: f.run.index))")
        }
        if result.interrupted {
            print("stopped; run the same command again to continue every run from its newest snapshot")
            throw ExitCode(ExitStatus.interrupted.rawValue)
        }
        if count == 1 { try writeReport(plan, directory: directory) }
        if !result.failures.isEmpty { throw ExitCode(ExitStatus.failure.rawValue) }
    }

    /// The experiments folder as an absolute path, for the processes and jobs the sweep starts.
    private func experimentsFolder() -> String {
        let dir = (try? options.experiments.library.directory) ?? URL(fileURLWithPath: "experiments")
        return dir.standardizedFileURL.path
    }

    /// One run, in this process.
    private func runTask(_ index: Int, plan: SweepPlan, directory: SweepDirectory) throws {
        guard index < plan.runs.count else {
            throw ValidationError("--task \(index) is outside the sweep's runs 0…\(plan.runs.count - 1).")
        }
        try directory.prepare(for: plan)
        let run = plan.runs[index]
        print("sweep \(plan.name) task \(index): \(run.folder) → \(directory.runPath(run))")
        let stop = StopSignal()
        switch try directory.execute(run, shouldStop: { stop.isRequested }) {
        case .skipped: print("already complete")
        case .finished: print("complete")
        case .interrupted:
            print("stopped with a snapshot; the next run of the task continues it")
            throw ExitCode(ExitStatus.interrupted.rawValue)
        }
    }

    private func submit(_ plan: SweepPlan, directory: SweepDirectory) throws {
        guard let executable = Bundle.main.executablePath else { throw CommandFailure("cannot find the ganlab binary") }
        let absolute = SweepDirectory(path: URL(fileURLWithPath: directory.path).standardizedFileURL.path)
        let submission = SlurmSubmission(
            plan: plan, sweep: options.sweepArgument, directory: absolute, executable: URL(fileURLWithPath: executable).standardizedFileURL.path,
            experiments: experimentsFolder(),
            options: .init(partition: partition, time: time, cpusPerTask: cpusPerTask, maxParallel: maxParallel))
        try submission.writeScripts()
        print("sweep \(plan.name): \(plan.runs.count) runs as a Slurm array; scripts in \(submission.folder)/")
        if dryRun {
            for command in submission.commands() { print("  " + command.joined(separator: " ")) }
            return
        }
        let ids = try submission.submit()
        print("  array job  \(ids.array) (--array=\(submission.arraySpec))")
        print("  report job \(ids.report) (after the array: \(directory.path)/summary.md)")
    }
}

/// `ganlab sweep report NAME`: summary.csv, summary.md, summary.png and index.html from the complete runs.
struct SweepReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write summary.csv (long format), summary.md (mean ± s.e. per cell), summary.png and index.html from a sweep's complete runs.",
        discussion: """
            index.html (docs/REPORT.md) is a static page: every run's numbers in a table sortable by any column \
            (index.html#sort=-COLUMN opens it sorted, descending), the mean ± s.e. per cell, the strip plots, each run's \
            mapping picture, and a link to each run's report page (--run-reports writes them first), else to its folder.
            """)

    @OptionGroup var options: SweepOptions

    @Flag(help: "First write the report page of every complete run (as `ganlab report RUN` does), so the sweep page links them.")
    var runReports = false

    @Option(help: "With --run-reports: panel size in pixels of the runs' snapshot views.")
    var size: Int = 256

    func validate() throws {
        guard (64...2048).contains(size) else { throw ValidationError("--size must be between 64 and 2048 pixels.") }
    }

    func run() throws {
        let plan = try options.plan()
        let directory = options.directory(plan)
        guard FileManager.default.fileExists(atPath: directory.statePath) else {
            throw CommandFailure("\(directory.path) holds no sweep (no sweep.json); run `ganlab sweep \(options.sweep)` first")
        }
        try directory.prepare(for: plan)
        print("sweep \(plan.name)")
        try writeReport(plan, directory: directory, runReports: runReports ? size : nil)
    }
}

/// summary.csv, summary.md, summary.png and index.html of the complete runs, after each complete
/// run's report page (views of `runReports` pixels a panel) when `runReports` is given; prints
/// where they are.
func writeReport(_ plan: SweepPlan, directory: SweepDirectory, runReports: Int? = nil) throws {
    let summary = try SweepSummary.read(plan, in: directory)
    print("  \(summary.runs.count) of \(plan.runs.count) runs complete")
    if let viewSize = runReports {
        try SweepReport.writeRunReports(summary, in: directory, viewSize: viewSize) {
            print("  run report \($0.page) (\($0.views) views drawn)")
        }
    }
    for path in try summary.write(to: directory) { print("  report     \(path)") }
    let png = directory.path + "/summary.png"
    try SweepSheet.render(summary, in: directory).writePNG(to: png)
    print("  report     \(png)")
    print("  report     \(try SweepReport.write(summary, in: directory))")
}
