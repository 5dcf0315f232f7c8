import ArgumentParser

/// The `ganlab` command: train GANs on toy problems and look at their maps.
@main
struct GANLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ganlab",
        abstract: "Train small 2-D GANs and see (and measure) how their latent-to-sample map tears and collapses.",
        subcommands: [Run.self, Render.self, Diagnose.self, Frames.self, Video.self, List.self, Target.self, Sample.self, Bench.self])
}
