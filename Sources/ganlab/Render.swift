import ArgumentParser
import Foundation
import GANLabCore
import GANLabEngine
import GANLabRender

extension ViewKind: ExpressibleByArgument {}

extension NetworkChoice: ExpressibleByArgument {
    /// "G"/"g" or "D"/"d".
    public init?(argument: String) {
        self.init(rawValue: argument.uppercased())
    }
}

extension GANLab {
    /// `ganlab render`: one picture of a run at a step, from its files on disk.
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a view of a run (PNG) from its trace and snapshots; never trains.",
            discussion: "Views:\n" + ViewKind.allCases.map { "  \($0.rawValue): \($0.summary)" }.joined(separator: "\n")
                + "\ndiscriminator, grid, density, tears, modes, folds and jacobian need a snapshot at the step;"
                + "\nthe last four measure G on the run's diagnostics grid (output.diagnosticsGrid), so their"
                + "\nnumbers match diagnostics.csv. pullback and units need a snapshot too; pullback-target does not."
                + "\nExamples:"
                + "\n  ganlab render RUN --view pullback --size 1200"
                + "\n  ganlab render RUN --view units --net D --layer 2 --page 3"
                + "\n  ganlab render RUN --view tears --ema     (θ_EMA of train.generatorAverage; writes tears-STEP-ema.png)")

        @Argument(help: ArgumentHelp("The run folder.", valueName: "run"))
        var runFolder: String

        @Option(help: "Which picture.")
        var view: ViewKind = .mapping

        @Option(help: "Step to show (default: the newest).")
        var step: Int?

        @Option(help: "Panel size in pixels.")
        var size: Int = 800

        @Option(help: "Output file (default: RUN/pictures/VIEW-STEP.png).")
        var out: String?

        @Option(help: "units: the network, G (over the latent plane) or D (over the sample plane).")
        var net: NetworkChoice?

        @Option(help: "units: the layer, 1 = first hidden layer; the last is the output layer.")
        var layer: Int?

        @Option(help: "units: the page of 64 units (wide layers have several).")
        var page: Int?

        @Option(help: "units with a mixture latent (eight-gaussians): the component k whose plane G is shown on.")
        var component: Int?

        @Flag(name: .customLong("shared-scale"), help: "units: one colour scale for the whole layer instead of one per unit.")
        var sharedScale = false

        @OptionGroup var generator: GeneratorOptions

        func validate() throws {
            guard (64...8192).contains(size) else { throw ValidationError("--size must be between 64 and 8192 pixels.") }
            if let step, step < 0 { throw ValidationError("--step must not be negative.") }
            if view == .pullbackTarget, step != nil { throw ValidationError("--step does not apply to pullback-target (the oracle has no steps).") }
            let unitsOnly: [(String, Bool)] = [("--net", net != nil), ("--layer", layer != nil), ("--page", page != nil),
                                               ("--component", component != nil), ("--shared-scale", sharedScale)]
            if view != .units, let used = unitsOnly.first(where: \.1) {
                throw ValidationError("\(used.0) applies to --view units only.")
            }
            if let layer, layer < 1 { throw ValidationError("--layer counts from 1 (the first hidden layer).") }
            if let page, page < 1 { throw ValidationError("--page counts from 1.") }
            if let component, component < 0 { throw ValidationError("--component must not be negative.") }
            if generator.averaged && !view.drawsGenerator {
                throw ValidationError("--ema applies to views of the generator; \(view.rawValue) does not draw it.")
            }
            if generator.averaged && view == .units && net == .D {
                throw ValidationError("--ema applies to G; --net D shows the discriminator, which has no average.")
            }
        }

        /// The units view's settings from the flags.
        var unitsOptions: UnitsOptions {
            UnitsOptions(network: net ?? .G, layer: layer ?? 1, page: page ?? 1, component: component ?? 0,
                         sharedScale: sharedScale)
        }

        func run() throws {
            do {
                Engine.setWorkerThreads(ProcessInfo.processInfo.activeProcessorCount)
                let path = try view.render(run: RunData(path: runFolder, generator: generator.weights), step: step, size: size, out: out,
                                           units: unitsOptions)
                print(path)
            }
        }
    }
}
