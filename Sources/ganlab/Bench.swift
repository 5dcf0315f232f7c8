import ArgumentParser
import Foundation
import GANLabCore
import GANLabRender

/// Which parts `ganlab bench` measures.
enum BenchPart: String, ExpressibleByArgument, CaseIterable {
    case all, training, render, diagnostics
}

extension GANLab {
    /// `ganlab bench`: training steps per second on the demo and article spiral configurations.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure training speed (steps/s) on the demo and article spiral configurations, and frame rendering speed.",
            discussion: """
                Run it from a release build (make bench). Each training configuration is warmed up, then timed over several \
                repeats; the median is reported. Rendering trains a tiny spiral run in a temporary folder, then times a \
                timelapse (5,000 points, 800 px, PNG written) and a 300-frame morph of 10,000 points, on all cores.
                """)

        @Option(help: "Seconds per timed repeat.")
        var seconds: Double = 2

        @Option(help: "Timed repeats per configuration (the median is reported).")
        var repeats: Int = 3

        @Option(help: "Engine threads (the training passes are split across them; the ceiling uses as many OpenBLAS threads).")
        var threads: Int = 2

        @Option(name: .customLong("experiments"), help: "Folder holding the experiment files.")
        var experimentsFolder: String = "experiments"

        @Option(help: "What to measure.")
        var part: BenchPart = .all

        @OptionGroup(title: "Comparison with PyTorch and cost sweep")
        var comparison: TrainingComparisonOptions

        func validate() throws {
            guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600].") }
            guard (1...50).contains(repeats) else { throw ValidationError("--repeats must be between 1 and 50.") }
            guard (1...64).contains(threads) else { throw ValidationError("--threads must be between 1 and 64.") }
        }

        private func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }

        func run() throws {
            if comparison.compareTorch { try compareWithTorch(comparison) }
            if comparison.sweep { try sweepCost() }
            if comparison.compareTorch || comparison.sweep { return }
            if part == .diagnostics { return benchDiagnostics() }
            if part != .render { try benchTraining() }
            if part != .training {
                if part == .all { print("") }
                try benchRendering()
            }
            if part == .all { print(""); benchDiagnostics() }
        }

        private func benchTraining() throws {
            let library = ExperimentLibrary(directory: URL(fileURLWithPath: experimentsFolder))
            print("configuration        G widths          D widths          batch  steps/s  ms/step  GFLOP/s")
            for name in ["spiral", "spiral-article"] {
                var config = try library.load(name, overrides: [])
                config.train.threads = threads
                let result = TrainingBenchmark.measure(config: config, secondsPerRepeat: seconds, repeats: repeats)
                print(pad(name, 20) + " " + pad("\(config.generator.hidden)", 17) + " " + pad("\(config.discriminator.hidden)", 17)
                      + String(format: " %5d  %7.1f  %7.3f  %7.1f", config.train.generatorBatch,
                               result.stepsPerSecond, 1000 / result.stepsPerSecond, result.gflops))
            }
        }

        // MARK: - Rendering

        /// Frames per second of a 5,000-point timelapse at 800 px (PNG written) and the wall time
        /// of a 300-frame morph of 10,000 points, on a tiny spiral run trained in a temporary folder.
        private func benchRendering() throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ganlab-bench-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: folder) }
            var config = ExperimentConfig()
            config.problem = .spiral
            config.generator.hidden = [32, 32]
            config.discriminator.hidden = [32, 32]
            config.train.steps = 600
            config.train.threads = threads
            config.output.probeCount = 5_000
            config.output.frameEvery = 5
            config.output.logEvery = 50
            config.output.snapshotEvery = 300
            do {
                _ = try TrainingSession.create(config: config, configYAML: config.yamlText, at: folder).train()
            } catch {
                throw fail("bench could not train its tiny run in \(folder): \(error)", code: .failure)
            }
            let cores = ProcessInfo.processInfo.activeProcessorCount
            print("rendering (800 px frames, PNG written, \(cores) threads)  frames  points   seconds  frames/s  CPU ms/frame")
            var warmUp = FrameSequenceOptions()
            warmUp.frameCount = 8
            _ = try FrameSequences.render(runFolder: folder, sequence: .timelapse, options: warmUp)
            var timelapse: [(result: FrameSequenceResult, cpu: Double)] = []
            for _ in 0..<repeats {
                timelapse.append(try measured { try FrameSequences.render(runFolder: folder, sequence: .timelapse) })
            }
            let median = timelapse.sorted { $0.result.seconds < $1.result.seconds }[timelapse.count / 2]
            printRow("timelapse", median, points: 5_000)
            var options = FrameSequenceOptions()
            options.points = 10_000
            options.frameCount = 300
            printRow("morph", try measured { try FrameSequences.render(runFolder: folder, sequence: .morph, options: options) },
                     points: 10_000)
            print("(CPU ms/frame is process CPU time over all threads, nearly independent of other load on the machine, "
                  + "so an idle machine renders about \(cores) × 1000 / that many frames per second)")
        }

        /// Runs `body` and returns its result with the process CPU seconds it used (all threads).
        private func measured(_ body: () throws -> FrameSequenceResult) rethrows -> (result: FrameSequenceResult, cpu: Double) {
            func cpuSeconds() -> Double {
                var t = timespec()
                clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
                return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
            }
            let start = cpuSeconds()
            let result = try body()
            return (result, cpuSeconds() - start)
        }

        private func printRow(_ name: String, _ run: (result: FrameSequenceResult, cpu: Double), points: Int) {
            let frames = run.result.manifest.count
            print(pad(name, 51) + String(format: " %6d  %6d  %8.2f  %8.1f  %12.1f", frames, points, run.result.seconds,
                                         run.result.framesPerSecond, 1000 * run.cpu / Double(frames)))
        }
    }
}
