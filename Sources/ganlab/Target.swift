import ArgumentParser
import Foundation
import GANLabCore
import GANLabEngine

extension ProblemKind: ExpressibleByArgument {}

extension GANLab {
    /// `ganlab target`: true samples of a problem with the latents that made them.
    struct Target: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write true samples of a problem as CSV (z0,…,x,y): latents drawn from its prior, mapped by the oracle f.",
            discussion: "The oracle map f is the SPEC formula (a perfect, tear-free generator), so anyone can check it. Problems: \(ProblemKind.allCases.map(\.rawValue).joined(separator: ", ")).")

        @Argument(help: "The problem.")
        var problem: ProblemKind

        @Option(help: "Number of samples.")
        var count: Int = 2500

        @Option(help: "Random seed.")
        var seed: UInt64 = 1

        @Option(help: "Output file (default: standard output).")
        var out: String?

        func validate() throws {
            guard (1...10_000_000).contains(count) else { throw ValidationError("--count must be between 1 and 10,000,000.") }
        }

        func run() throws {
            let p = ToyProblem(problem)
            var rng = RandomSource(seed: seed)
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
            try writeOutput(latentSampleCSV(latents: latents, dimension: d, points: points), to: out)
        }
    }
}

/// Writes text to a file (atomically) or to standard output.
func writeOutput(_ text: String, to path: String?) throws {
    if let path {
        try writeAtomically(text, to: path)
    } else {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
