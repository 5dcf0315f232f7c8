import ArgumentParser
import Foundation
import GANLabCore
import GANLabRender

extension GANLab {
    /// `ganlab run`: train a named experiment (or resume a run) and write its files.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a named experiment, writing config, metrics, trace and snapshots to a run folder.",
            discussion: """
                Examples:
                  ganlab run spiral
                  ganlab run eight-gaussians --seed 3 --set train.steps=2000
                  ganlab run experiments/my.yaml --out output/mine
                  ganlab run --resume output/spiral/20261123-061500
                  ganlab run --resume output/spiral/20261123-061500 --steps 120000
                Ctrl-C writes a snapshot and exits with status 130; --resume continues from the newest snapshot.
                """)

        @Argument(help: "Experiment name (see `ganlab list`) or path to a .yaml file.")
        var experiment: String?

        @Option(help: "Run folder (default: output/EXPERIMENT/<name or date-time>).")
        var out: String?

        @Option(help: "Run name: the run goes to output/EXPERIMENT/NAME (letters, digits, '.', '-', '_').")
        var name: String?

        @Option(name: .customLong("set"), help: ArgumentHelp("Override a setting, e.g. --set train.steps=2000 (repeatable; `ganlab config NAME` lists the keys).", valueName: "section.key=value"))
        var overrides: [String] = []

        @Option(parsing: .unconditional, help: "Override the seed (a whole number ≥ 0).")
        var seed: UInt64?

        @Option(help: "Continue the run in this folder from its newest snapshot.")
        var resume: String?

        @Option(help: "With --resume: train to this step count (continues a finished run; the result equals a run configured for it from the start).")
        var steps: Int?

        @Flag(help: "Replace an existing run folder given with --out.")
        var force = false

        @Flag(help: "Do not render pictures at the end.")
        var noRender = false

        @Flag(help: "Write RUN/report/index.html at the start and again at every snapshot; open it in a browser: it reloads itself while training runs.")
        var report = false

        @OptionGroup var experiments: ExperimentOptions

        func validate() throws {
            if let name {
                guard RunDirectory.isSafeRunName(name) else {
                    throw ValidationError("--name '\(name)' must be 1–64 letters, digits, '.', '-' or '_', not starting with '.'; it names a folder inside output/.")
                }
                guard out == nil else { throw ValidationError("Give either --name or --out, not both.") }
            }
            if resume != nil {
                guard experiment == nil, overrides.isEmpty, seed == nil, out == nil, name == nil else {
                    throw ValidationError("--resume takes the run folder and optionally --steps: drop the experiment name, --set, --seed, --name and --out.")
                }
            } else {
                guard experiment != nil else { throw ValidationError("Name an experiment (see `ganlab list`) or give --resume RUN.") }
                guard steps == nil else { throw ValidationError("--steps goes with --resume; for a new run use --set train.steps=N.") }
            }
            if let steps, !(1...10_000_000).contains(steps) {
                throw ValidationError("--steps must be a whole number from 1 to 10,000,000.")
            }
        }

        func run() throws {
            let session = try resume.map(resumeSession) ?? newSession()
            for warning in session.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
            let config = session.trainer.config
            print("\(config.problem.rawValue): training \(config.train.steps) steps from step \(session.trainer.step) → \(session.run.path)")
            print("kernels: \(config.train.kernels) (train.kernels; docs/PERFORMANCE.md)")

            let stop = StopSignal()
            var line = ProgressLine()
            let live = report ? LiveReport(path: session.run.path) : nil
            live?.write(.training(step: session.trainer.step))
            if let live { print("report: \(live.page) (reloads itself while training runs)") }
            let summary: RunSummary
            do {
                summary = try session.train(shouldStop: { stop.isRequested }, progress: { line.show($0) },
                                            onSnapshot: { step in
                                                guard let live else { return }
                                                line.finish()
                                                live.write(.training(step: step))
                                            })
            } catch let error as DivergenceError {
                line.finish()
                live?.write(.stopped)
                let last = (try? session.run.newestSnapshotStep()).flatMap { $0 }.map { "the last good snapshot is step \($0)" }
                    ?? "no snapshot was written before it"
                throw CommandFailure("\(error) (\(last), in \(session.run.snapshotsPath))")
            } catch {
                line.finish()
                live?.write(.stopped)
                throw error
            }
            line.finish()
            report(summary)
            if summary.interrupted {
                live?.write(.stopped)
                throw ExitCode(ExitStatus.interrupted.rawValue)
            }
            if !noRender { renderStills(summary.runPath) }
            if let live {
                live.write(.finished)
                print("  report     \(live.page)")
            }
        }

        /// The pictures every finished run leaves behind (a failure here never fails the run); a
        /// run that keeps a weight average also gets the mapping of its averaged generator.
        private func renderStills(_ path: String) {
            do {
                let data = try RunData(path: path)
                for view in [ViewKind.mapping, ViewKind.curves, ViewKind.timeline] {
                    print("  picture    " + (try view.render(run: data, step: nil, size: 800, out: nil)))
                }
                if data.config.train.generatorAverage > 0 {
                    let averaged = try RunData(path: path, generator: .averaged)
                    print("  picture    " + (try ViewKind.mapping.render(run: averaged, step: nil, size: 800, out: nil)))
                }
                if data.trace.frameCount > 1 {
                    let result = try FrameSequences.render(run: data, sequence: .timelapse)
                    print("  timelapse  \(result.folder)/ (\(result.manifest.count) frames; encode with: ganlab video \(path) --sequence timelapse)")
                }
            } catch {
                FileHandle.standardError.write(Data("warning: rendering failed: \(error)\n".utf8))
            }
        }

        /// The run's report page, written as training goes on; a failure warns and never stops training.
        final class LiveReport {
            let path: String
            let writer = RunReport.Writer()
            var page: String { path + "/report/index.html" }
            private var warned = false

            init(path: String) { self.path = path }

            func write(_ status: RunReport.Status) {
                do {
                    _ = try writer.write(run: try RunData(path: path), status: status)
                } catch {
                    guard !warned else { return }
                    warned = true
                    FileHandle.standardError.write(Data("warning: the report page was not written: \(error)\n".utf8))
                }
            }
        }

        private func newSession() throws -> TrainingSession {
            let name = experiment ?? ""
            var all = overrides
            if let seed { all.append("seed=\(seed)") }
            var config = try experiments.load(name, overrides: all)
            let target = try ToyProblem.starting(&config).bytes
            let folder = out ?? RunDirectory.defaultPath(experiment: name, name: self.name)
            try RunDirectory.clearForNewRun(at: folder, force: force)
            return try TrainingSession.create(config: config, configYAML: config.yamlText, at: folder, target: target)
        }

        private func resumeSession(_ folder: String) throws -> TrainingSession {
            try RunDirectory.requireRun(at: folder)
            return try TrainingSession.resume(at: folder, steps: steps) { path in
                try ExperimentConfig.load(contentsOf: URL(fileURLWithPath: path))
            }
        }

        private func report(_ s: RunSummary) {
            let run = RunDirectory(path: s.runPath)
            if s.interrupted {
                print("stopped at step \(s.finalStep) of \(s.totalSteps); snapshot written. Continue with:")
                print("  ganlab run --resume \(s.runPath)")
            } else {
                print("done: \(s.finalStep - s.startStep) steps in \(ProgressLine.duration(s.seconds)) "
                      + String(format: "(%.1f steps/s)", s.stepsPerSecond))
            }
            print("  config     \(run.configPath)")
            print("  metrics    \(run.metricsPath)")
            print("  trace      \(run.tracePath)")
            print("  snapshots  \(run.snapshotsPath)/ (newest: step \(s.lastSnapshotStep.map(String.init) ?? "none"))")
        }
    }
}
