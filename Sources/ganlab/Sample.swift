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

        @OptionGroup var csv: SampleCSVOptions

        @OptionGroup var generator: GeneratorOptions

        func run() throws {
            let run = RunDirectory(path: runFolder)
            let snapshot = try run.loadSnapshot(step: step, generator: generator.weights)
            let problem = try ToyProblem(config: snapshot.config, run: run)
            var rng = RandomSource(seed: csv.seed)
            let latents = problem.sampleLatents(count: csv.count, using: &rng)
            let points = snapshot.makeGenerator().predict(latents, count: csv.count)
            try csv.write(latentSampleCSV(latents: latents, dimension: problem.latentDimension, points: points))
        }
    }
}
