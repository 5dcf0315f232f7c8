import ArgumentParser
import Foundation
import GANLabBench
import GANLabCore

/// Which parts `ganlab bench` measures.
enum BenchPart: String, ExpressibleByArgument, CaseIterable {
    case all, training, render, diagnostics, penalty, kernels
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

        @OptionGroup(title: "Comparison with PyTorch and JAX, and cost sweep")
        var comparison: TrainingComparisonOptions

        func validate() throws {
            guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600].") }
            guard (1...50).contains(repeats) else { throw ValidationError("--repeats must be between 1 and 50.") }
            guard (1...64).contains(threads) else { throw ValidationError("--threads must be between 1 and 64.") }
        }

        func run() throws {
            if comparison.compareTorch { try compareWithTorch(comparison) }
            if comparison.sweep { try sweepCost() }
            if comparison.compareTorch || comparison.sweep { return }
            if part == .diagnostics { return benchDiagnostics() }
            if part == .penalty { return try benchPenalty() }
            if part == .kernels { return try benchKernels() }
            if part != .render { try benchTraining() }
            if part != .training {
                if part == .all { print("") }
                try benchRendering()
            }
            if part == .all { print(""); benchDiagnostics() }
        }

        private func benchTraining() throws {
            let library = ExperimentLibrary(directory: URL(fileURLWithPath: experimentsFolder))
            print(TrainingBenchmark.tableHeader)
            for name in ["spiral", "spiral-article"] {
                var config = try library.load(name, overrides: [])
                config.train.threads = threads
                let result = TrainingBenchmark.measure(config: config, secondsPerRepeat: seconds, repeats: repeats)
                print(TrainingBenchmark.tableLine(name: name, config: config, result: result))
            }
        }

        /// The timelapse and morph timings of `RenderingBenchmark` on all cores.
        private func benchRendering() throws {
            let bench: RenderingBenchmark
            do {
                bench = try RenderingBenchmark.prepare(threads: threads)
            } catch {
                throw fail(error.description, code: .failure)
            }
            defer { bench.removeRun() }
            let cores = ProcessInfo.processInfo.activeProcessorCount
            print(RenderingBenchmark.tableHeader(cores: cores))
            print(try bench.timelapse(repeats: repeats).tableLine)
            print(try bench.morph().tableLine)
            print(RenderingBenchmark.footnote(cores: cores))
        }
    }
}
