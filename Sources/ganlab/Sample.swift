import ArgumentParser
import Foundation
import GANLabCore
import GANLabEngine

extension GANLab {
    /// `ganlab sample`: generated samples of a snapshot with their latents.
    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write generated samples of a run's snapshot as CSV (z0,…,x,y).")

        @Argument(help: ArgumentHelp("The run folder (e.g. output/spiral/20261123-061500).", valueName: "run"))
        var runFolder: String

        @Option(help: "Snapshot step (default: the newest).")
        var step: Int?

        @Option(help: "Number of samples.")
        var count: Int = 2500

        @Option(help: "Random seed for the latents.")
        var seed: UInt64 = 1

        @Option(help: "Output file (default: standard output).")
        var out: String?

        func validate() throws {
            guard (1...10_000_000).contains(count) else { throw ValidationError("--count must be between 1 and 10,000,000.") }
        }

        func run() throws {
            let snapshot = try RunDirectory(path: runFolder).loadSnapshot(step: step)
            let problem = ToyProblem(snapshot.config.problem)
            var rng = RandomSource(seed: seed)
            let latents = problem.sampleLatents(count: count, using: &rng)
            let points = snapshot.makeGenerator().predict(latents, count: count)
            try writeOutput(latentSampleCSV(latents: latents, dimension: problem.latentDimension, points: points), to: out)
        }
    }
}
