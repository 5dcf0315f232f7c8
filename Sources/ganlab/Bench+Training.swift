import ArgumentParser
import Foundation
import GANLabBench
import GANLabCore
import GANLabEngine

extension GradientPenaltyKind: ExpressibleByArgument {}

/// `ganlab bench` options for the comparison with the PyTorch and JAX references and the cost sweep.
struct TrainingComparisonOptions: ParsableArguments {
    @Flag(name: [.customLong("compare-torch"), .customLong("compare")],
          help: "Measure the sgemm ceiling, then time ganlab, the PyTorch reference and the JAX reference alternately on spiral64/128/256/512 and u2n.")
    var compareTorch = false

    @Flag(help: "Time the training step over hidden widths 32-512 and batches 128-1024 (how cost grows).")
    var sweep = false

    @Option(help: "The PyTorch reference script (a relative path is taken from the current folder).")
    var torchScript = PythonReference.Framework.torch.defaultScript

    @Option(help: "The JAX reference script (a relative path is taken from the current folder).")
    var jaxScript = PythonReference.Framework.jax.defaultScript

    @Option(help: "Python interpreter that runs the references.")
    var python = "python3"

    @Option(help: "Rounds per configuration; each round times ganlab, then PyTorch, then JAX.")
    var rounds = 3

    @Option(help: "Comma-separated subset of spiral64,spiral128,spiral256,spiral512,u2n.")
    var configs = TrainingBenchmark.referenceCaseNames.joined(separator: ",")

    @Option(help: "Gradient penalty added to every configuration's D step, in ganlab and in the PyTorch reference (weight 10); the JAX reference has none and is skipped.")
    var penalty: GradientPenaltyKind = .none

    var selectedCases: [String] { configs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func validate() throws {
        guard (1...20).contains(rounds) else { throw ValidationError("--rounds must be between 1 and 20.") }
        let known = TrainingBenchmark.referenceCaseNames
        for name in selectedCases where !known.contains(name) {
            throw ValidationError("--configs: unknown configuration '\(name)'; use any of \(known.joined(separator: ",")).")
        }
    }
}

extension GANLab.Bench {
    /// The comparison of `make bench` (`ReferenceComparison`): preamble, one table row per
    /// configuration as it is measured, then the summary.
    func compareWithTorch(_ options: TrainingComparisonOptions) throws {
        let library = ExperimentLibrary(directory: URL(fileURLWithPath: experimentsFolder))
        let cases = TrainingBenchmark.referenceCases(
            spiral: try library.load("spiral-article", overrides: []),
            uniformToNormal: try library.load("uniform-to-normal-article", overrides: []),
            threads: threads
        ).filter { options.selectedCases.contains($0.name) }.map { c -> TrainingBenchmark.Case in
            var penalized = c
            penalized.config.train.penalty = options.penalty
            penalized.config.train.penaltyWeight = 10
            return penalized
        }
        let references = [
            PythonReference(framework: .torch, python: options.python, script: options.torchScript),
            PythonReference(framework: .jax, python: options.python, script: options.jaxScript),
        ]
        let comparison = ReferenceComparison(threads: threads, secondsPerRepeat: seconds, repeats: repeats,
                                             rounds: options.rounds, penalty: options.penalty, references: references)
        comparison.preamble.forEach { print($0) }
        print("")
        ReferenceComparison.tableHeader.forEach { print($0) }
        var rows: [ReferenceComparison.Row] = []
        for c in cases {
            let row = comparison.measure(c)
            print(row.tableLine)
            for framework in PythonReference.Framework.allCases {
                if let failure = row.failures[framework] { print("  (\(framework.displayName) failed on \(c.name): \(failure))") }
            }
            rows.append(row)
        }
        print("")
        print(comparison.summary(of: rows))
        print("")
        print("What the FMA peak allows (no program on these cores passes it):")
        comparison.bounds(of: rows).forEach { print($0) }
    }

    /// The D step's cost with R1 and WGAN-GP against the plain D step (`PenaltyBenchmark`), on the
    /// 64- and 512-wide spiral reference configurations.
    func benchPenalty() throws {
        let library = ExperimentLibrary(directory: URL(fileURLWithPath: experimentsFolder))
        let cases = TrainingBenchmark.referenceCases(
            spiral: try library.load("spiral-article", overrides: []),
            uniformToNormal: try library.load("uniform-to-normal-article", overrides: []),
            threads: threads
        ).filter { ["spiral64", "spiral512"].contains($0.name) }
        let bench = PenaltyBenchmark(secondsPerRepeat: seconds, repeats: repeats, rounds: 3)
        print("D step alone (256 real + 256 generated rows; penalties on the 256 real rows or pairs, weight 10), "
              + "\(threads) threads; load average before: \(MachineLoad.loadAverage)")
        PenaltyBenchmark.tableHeader.forEach { print($0) }
        for c in cases { print(bench.measure(name: c.name, config: c.config).tableLine) }
        print("Medians over 3 rounds (range in brackets); each ratio is taken within its round. "
              + "load average after: \(MachineLoad.loadAverage)")
    }

    /// The kernel planner against the fixed rule on the reference configurations (`KernelBenchmark`);
    /// refreshes the planner's cache for them.
    func benchKernels() throws {
        let library = ExperimentLibrary(directory: URL(fileURLWithPath: experimentsFolder))
        let cases = TrainingBenchmark.referenceCases(
            spiral: try library.load("spiral-article", overrides: []),
            uniformToNormal: try library.load("uniform-to-normal-article", overrides: []),
            threads: threads)
        let bench = KernelBenchmark(secondsPerRepeat: seconds, repeats: repeats, rounds: 3)
        print(GEMM.engineDescription)
        print("\(threads) threads; load average before: \(MachineLoad.loadAverage); cache: \(KernelPlanner.cacheFolder ?? "none")")
        var rows: [KernelBenchmark.Row] = []
        KernelBenchmark.tableHeader.forEach { print($0) }
        for c in cases {
            let row = bench.measure(name: c.name, config: c.config)
            rows.append(row)
            print(KernelBenchmark.tableLine(row))
        }
        print("Medians over 3 alternating rounds of \(repeats) repeats; each ratio is taken within its round. "
              + "load average after: \(MachineLoad.loadAverage)")
        print("\nThe planner's timings (fastest of its samples):")
        for row in rows { KernelBenchmark.timingLines(row).forEach { print($0) } }
    }

    /// How the step's cost grows with width (every hidden layer) and batch, spiral-article otherwise.
    func sweepCost() throws {
        let library = ExperimentLibrary(directory: URL(fileURLWithPath: experimentsFolder))
        var base = try library.load("spiral-article", overrides: [])
        base.train.threads = threads
        let sweep = CostSweep(base: base, secondsPerRepeat: min(seconds, 1), repeats: repeats)
        print("ms per training step (GFLOP/s), spiral-article with every hidden width set; load average before: \(MachineLoad.loadAverage)")
        sweep.tableHeader.forEach { print($0) }
        for width in sweep.widths { print(sweep.tableLine(width: width)) }
        print("load average after: \(MachineLoad.loadAverage)")
    }
}
