import ArgumentParser
import Foundation
import GANLabCore

extension GANLab {
    /// `ganlab bench`: training steps per second on the demo and article spiral configurations.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure training speed (steps/s) on the demo and article spiral configurations.",
            discussion: "Run it from a release build (make bench). Each configuration is warmed up, then timed over several repeats; the median is reported.")

        @Option(help: "Seconds per timed repeat.")
        var seconds: Double = 2

        @Option(help: "Timed repeats per configuration (the median is reported).")
        var repeats: Int = 3

        @Option(help: "OpenBLAS threads.")
        var threads: Int = 2

        @Option(name: .customLong("experiments"), help: "Folder holding the experiment files.")
        var experimentsFolder: String = "experiments"

        func validate() throws {
            guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600].") }
            guard (1...50).contains(repeats) else { throw ValidationError("--repeats must be between 1 and 50.") }
            guard (1...64).contains(threads) else { throw ValidationError("--threads must be between 1 and 64.") }
        }

        private func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }

        func run() throws {
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
    }
}
