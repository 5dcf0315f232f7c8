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
                Ctrl-C writes a snapshot and exits; --resume continues from the newest snapshot.
                """)

        @Argument(help: "Experiment name (see `ganlab list`) or path to a .yaml file.")
        var experiment: String?

        @Option(help: "Run folder (default: output/EXPERIMENT/<name or date-time>).")
        var out: String?

        @Option(help: "Run name: the run goes to output/EXPERIMENT/NAME (letters, digits, '.', '-', '_').")
        var name: String?

        @Option(name: .customLong("set"), help: ArgumentHelp("Override a setting, e.g. --set train.steps=2000 (repeatable).", valueName: "section.key=value"))
        var overrides: [String] = []

        @Option(help: "Override the seed.")
        var seed: UInt64?

        @Option(help: "Continue the run in this folder from its newest snapshot.")
        var resume: String?

        @Flag(help: "Replace an existing run folder given with --out.")
        var force = false

        @Flag(help: "Do not render pictures at the end.")
        var noRender = false

        @OptionGroup var experiments: ExperimentOptions

        func validate() throws {
            if let name {
                guard Self.isSafeName(name) else {
                    throw ValidationError("--name '\(name)' must be 1–64 letters, digits, '.', '-' or '_', not starting with '.'; it names a folder inside output/.")
                }
                guard out == nil else { throw ValidationError("Give either --name or --out, not both.") }
            }
            if resume != nil {
                guard experiment == nil, overrides.isEmpty, seed == nil, out == nil, name == nil else {
                    throw ValidationError("--resume takes only the run folder: drop the experiment name, --set, --seed, --name and --out.")
                }
            } else if experiment == nil {
                throw ValidationError("Name an experiment (see `ganlab list`) or give --resume RUN.")
            }
        }

        func run() throws {
            let session: TrainingSession
            if let resume {
                session = try resumeSession(resume)
            } else {
                session = try newSession()
            }
            for warning in session.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
            let config = session.trainer.config
            print("\(config.problem.rawValue): training \(config.train.steps) steps from step \(session.trainer.step) → \(session.run.path)")

            let stop = StopSignal()
            var line = ProgressLine()
            let summary: RunSummary
            do {
                summary = try session.train(shouldStop: { stop.isRequested }, progress: { line.show($0) })
            } catch let error as DivergenceError {
                line.finish()
                let last = (try? session.run.newestSnapshotStep()).flatMap { $0 }.map { "the last good snapshot is step \($0)" }
                    ?? "no snapshot was written before it"
                throw fail("\(error) (\(last), in \(session.run.snapshotsPath))", code: 1)
            } catch {
                line.finish()
                throw fail(error, code: 1)
            }
            line.finish()
            report(summary)
            if !noRender && !summary.interrupted { renderStills(summary.runPath) }
        }

        /// The pictures every finished run leaves behind (a failure here never fails the run).
        private func renderStills(_ path: String) {
            do {
                let data = try RunData(path: path)
                for view in [ViewKind.mapping, ViewKind.curves, ViewKind.timeline] {
                    print("  picture    " + (try view.render(run: data, step: nil, size: 800, out: nil)))
                }
                if data.trace.frameCount > 1 {
                    let result = try FrameSequences.render(run: data, sequence: .timelapse)
                    print("  timelapse  \(result.folder)/ (\(result.manifest.count) frames; encode with: ganlab video \(path) --sequence timelapse)")
                }
            } catch {
                FileHandle.standardError.write(Data("warning: rendering failed: \(error)\n".utf8))
            }
        }

        private func newSession() throws -> TrainingSession {
            let name = experiment ?? ""
            var all = overrides
            if let seed { all.append("seed=\(seed)") }
            let config: ExperimentConfig
            do { config = try experiments.library.load(name, overrides: all) } catch { throw fail(error, code: 2) }
            let folder = out ?? defaultRunFolder(for: name)
            let fm = FileManager.default
            if fm.fileExists(atPath: folder) {
                let isRun = fm.fileExists(atPath: folder + "/config.yaml")
                guard force else {
                    throw fail("\(folder) already exists\(isRun ? " and holds a run" : ""); pass --force to replace it, "
                               + "--resume \(folder) to continue it, or choose another --out", code: 2)
                }
                // An empty folder, or one holding only a temporary file: a run killed while starting.
                let leftovers = (try? fm.contentsOfDirectory(atPath: folder)) ?? [folder]
                guard isRun || leftovers.allSatisfy({ $0.hasPrefix(".") && $0.contains(".tmp-") }) else {
                    throw fail("\(folder) exists and is not a ganlab run folder; refusing to replace it even with --force", code: 2)
                }
                do { try fm.removeItem(atPath: folder) } catch { throw fail("cannot replace \(folder): \(error.localizedDescription)", code: 1) }
            }
            do {
                return try TrainingSession.create(config: config, configYAML: config.yamlText, at: folder)
            } catch {
                throw fail(error, code: 1)
            }
        }

        private func resumeSession(_ folder: String) throws -> TrainingSession {
            guard FileManager.default.fileExists(atPath: folder + "/config.yaml") else {
                throw fail("\(folder) is not a ganlab run folder (no config.yaml); give the folder `ganlab run` printed, "
                           + "or, if that run was killed before it wrote its config, start it again with --force", code: 2)
            }
            do {
                return try TrainingSession.resume(at: folder) { path in
                    try ExperimentConfig.load(contentsOf: URL(fileURLWithPath: path))
                }
            } catch {
                throw fail(error, code: 1)
            }
        }

        /// A run name that stays one folder deep inside output/EXPERIMENT/.
        static func isSafeName(_ s: String) -> Bool {
            !s.isEmpty && s.count <= 64 && !s.hasPrefix(".")
                && s.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
        }

        private func defaultRunFolder(for experiment: String) -> String {
            let base = URL(fileURLWithPath: experiment).deletingPathExtension().lastPathComponent
            if let name { return "output/\(base)/\(name)" }
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyyMMdd-HHmmss"
            formatter.locale = Locale(identifier: "en_US_POSIX")
            return "output/\(base)/\(formatter.string(from: Date()))"
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
