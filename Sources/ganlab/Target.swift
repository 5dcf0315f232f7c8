import ArgumentParser
import Foundation
import GANLabCore
import GANLabEngine

extension ProblemKind: ExpressibleByArgument {}

extension GANLab {
    /// `ganlab target`: true samples of a problem with the latents that made them, or of an
    /// experiment's file target.
    struct Target: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write true samples of a problem as CSV: z0,…,x,y for a built-in problem (latents drawn from its prior, mapped by the oracle f), x,y for an experiment whose target is a file.",
            discussion: "The oracle map f is the formula in docs/METRICS.md (a perfect, tear-free generator), so anyone can check it. Problems: \(ProblemKind.builtIn.map(\.rawValue).joined(separator: ", ")); or an experiment name or .yaml path whose problem is points or picture (docs/TARGETS.md).")

        @Argument(help: ArgumentHelp("A built-in problem, or an experiment (name or path) with a file target.", valueName: "problem-or-experiment"))
        var problem: String

        @OptionGroup var csv: SampleCSVOptions

        @OptionGroup var experiments: ExperimentOptions

        func run() throws {
            var config: ExperimentConfig
            if let kind = ProblemKind(rawValue: problem), !kind.isFileTarget {
                config = ExperimentConfig()
                config.problem = kind
            } else {
                config = try experiments.load(problem)
            }
            let p = try ToyProblem.starting(&config).problem
            let count = csv.count
            var rng = RandomSource(seed: csv.seed)
            guard p.hasOracle else {
                let points = p.sampleTargets(count: count, using: &rng)
                var text = "x,y\n"
                for r in 0..<count { text += "\(points[2 * r]),\(points[2 * r + 1])\n" }
                try csv.write(text)
                return
            }
            let latents = p.sampleLatents(count: count, using: &rng)
            var points = [Float](repeating: 0, count: 2 * count)
            let d = p.latentDimension
            latents.withUnsafeBufferPointer { z in
                for r in 0..<count {
                    let x = p.oracle(UnsafeBufferPointer(rebasing: z[(r * d)..<((r + 1) * d)]))
                    points[2 * r] = Float(x.x)
                    points[2 * r + 1] = Float(x.y)
                }
            }
            try csv.write(latentSampleCSV(latents: latents, dimension: d, points: points))
        }
    }
}

/// Count, seed and destination of a CSV of latents and samples (`target` and `sample`).
struct SampleCSVOptions: ParsableArguments {
    @Option(help: "Number of samples.")
    var count: Int = 2500

    @Option(parsing: .unconditional, help: "Random seed for the latents (a whole number ≥ 0).")
    var seed: UInt64 = 1

    @Option(help: "Output file (default: standard output).")
    var out: String?

    func validate() throws {
        guard (1...10_000_000).contains(count) else { throw ValidationError("--count must be between 1 and 10,000,000.") }
    }

    /// Writes the CSV to `--out` (atomically) or to standard output.
    func write(_ text: String) throws {
        if let out {
            try OutputFile.prepare(out, formats: ["csv"])
            try writeAtomically(text, to: out)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
