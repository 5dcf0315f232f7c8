import ArgumentParser
import Foundation
import GANLabCore

extension GANLab {
    /// `ganlab config`: the resolved experiment, every key with its meaning and default.
    struct Config: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an experiment fully resolved, as YAML, with every key's meaning and default (does not train).",
            discussion: """
                The output is a valid experiment file: save it, edit it, and run it with `ganlab run FILE.yaml`.
                Examples:
                  ganlab config spiral
                  ganlab config ring8 --set train.loss=hinge --seed 4
                """)

        @Argument(help: "Experiment name (see `ganlab list`) or path to a .yaml file.")
        var experiment: String

        @Option(name: .customLong("set"), help: ArgumentHelp("Override a setting, e.g. --set train.steps=2000 (repeatable).", valueName: "section.key=value"))
        var overrides: [String] = []

        @Option(parsing: .unconditional, help: "Override the seed (a whole number ≥ 0).")
        var seed: UInt64?

        @OptionGroup var experiments: ExperimentOptions

        func run() throws {
            let config = try experiments.load(experiment, overrides: overrides + (seed.map { ["seed=\($0)"] } ?? []))
            print(config.describedYAMLText, terminator: "")
        }
    }
}
