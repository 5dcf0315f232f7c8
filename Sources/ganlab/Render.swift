import ArgumentParser
import Foundation
import GANLabCore
import GANLabEngine
import GANLabRender

/// The pictures `ganlab render` can draw.
enum View: String, ExpressibleByArgument, CaseIterable {
    case mapping, target, discriminator, grid, density, curves, tears, modes, folds, jacobian, timeline, pullback
    case pullbackTarget = "pullback-target"
    case units

    /// One line per view for `--help`.
    var summary: String {
        switch self {
        case .mapping: return "latent plane and G(z) in the same colours"
        case .target: return "the mapping figure of the oracle map f"
        case .discriminator: return "σ(D) heatmap with contours; D(G(z)) on the latent plane"
        case .grid: return "latent grid through G: area stretch, folds, creases"
        case .density: return "log density of G(z) beside the target's"
        case .curves: return "the training log; --step marks a step"
        case .tears: return "tear lines on the latent plane, their jumps on the sample plane"
        case .modes: return "latent plane coloured by the mode G(z) reaches (spiral: arc-length bin)"
        case .folds: return "det J (symmetric log), folded cells, their images"
        case .jacobian: return "‖J‖_F on the latent plane and at G(z); Lipschitz estimate"
        case .timeline: return "snapshot metrics and losses against the step, events marked (writes RUN/events.csv)"
        case .pullback: return "every latent pixel in the colour of where G sends it; tears are sharp edges"
        case .pullbackTarget: return "the pullback of the oracle map f: the smooth reference"
        case .units: return "one heatmap per unit of --net G|D --layer L over its input plane (--page P)"
        }
    }
}

/// The network whose units the `units` view shows.
enum NetworkChoice: String, ExpressibleByArgument, CaseIterable {
    case G, D

    /// "G"/"g" or "D"/"d".
    init?(argument: String) {
        self.init(rawValue: argument.uppercased())
    }
}

/// The settings of the `units` view.
struct UnitsOptions {
    /// G (latent plane) or D (sample plane).
    var network = NetworkChoice.G
    /// Layer, 1-based; the last is the output layer.
    var layer = 1
    /// Page of 64 units, 1-based.
    var page = 1
    /// For a mixture latent: the component whose plane G is shown on.
    var component = 0
    /// One colour scale for the layer instead of one per unit.
    var sharedScale = false
}

extension GANLab {
    /// `ganlab render`: one picture of a run at a step, from its files on disk.
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a view of a run (PNG) from its trace and snapshots; never trains.",
            discussion: "Views:\n" + View.allCases.map { "  \($0.rawValue): \($0.summary)" }.joined(separator: "\n")
                + "\ndiscriminator, grid, density, tears, modes, folds and jacobian need a snapshot at the step;"
                + "\nthe last four measure G on the run's diagnostics grid (output.diagnosticsGrid), so their"
                + "\nnumbers match diagnostics.csv. pullback and units need a snapshot too; pullback-target does not."
                + "\nExamples:"
                + "\n  ganlab render RUN --view pullback --size 1200"
                + "\n  ganlab render RUN --view units --net D --layer 2 --page 3")

        @Argument(help: ArgumentHelp("The run folder.", valueName: "run"))
        var runFolder: String

        @Option(help: "Which picture.")
        var view: View = .mapping

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
        }

        /// The units view's settings from the flags.
        var unitsOptions: UnitsOptions {
            UnitsOptions(network: net ?? .G, layer: layer ?? 1, page: page ?? 1, component: component ?? 0,
                         sharedScale: sharedScale)
        }

        func run() throws {
            do {
                Engine.setWorkerThreads(ProcessInfo.processInfo.activeProcessorCount)
                let path = try Self.render(view: view, run: RunData(path: runFolder), step: step, size: size, out: out,
                                           units: unitsOptions)
                print(path)
            } catch let error as ExitCode {
                throw error
            } catch {
                throw fail(error, code: 1)
            }
        }

        /// Renders one view and returns the written file's path.
        static func render(view: View, run: RunData, step: Int?, size: Int, out: String?,
                           units: UnitsOptions = UnitsOptions()) throws -> String {
            let canvas: Canvas
            let label: String
            switch view {
            case .mapping:
                let data = try run.mappingData(step: step)
                canvas = try MappingFigure.render(data, panelSize: size)
                label = "mapping-\(try run.probePoints(step: step).step)"
            case .target:
                canvas = try MappingFigure.render(run.oracleMappingData(), panelSize: size)
                label = "target"
            case .discriminator:
                let data = try run.discriminatorData(step: step, panelSize: size)
                canvas = try DiscriminatorView.render(data, panelSize: size)
                label = "discriminator-\(data.step)"
            case .grid:
                let data = try run.warpedGridData(step: step)
                canvas = try GridView.render(data, panelSize: size)
                label = "grid-\(data.step)"
            case .density:
                let data = try run.densityData(step: step)
                canvas = try DensityView.render(data, panelSize: size)
                label = "density-\(data.step)"
            case .curves:
                let curves = try run.trainingCurves(markedStep: step)
                canvas = try CurvesView.render(curves, panelSize: size)
                label = step.map { "curves-\($0)" } ?? "curves"
            case .timeline:
                canvas = try TimelineView.render(runFolder: run.run.path, size: size)
                label = "timeline"
            case .pullback:
                let data = try run.pullbackData(step: step, panelSize: size)
                canvas = try PullbackView.render(data, panelSize: size)
                label = "pullback-\(data.step ?? 0)"
            case .pullbackTarget:
                canvas = try PullbackView.render(run.oraclePullbackData(panelSize: size), panelSize: size)
                label = "pullback-target"
            case .units:
                let data = try run.unitsData(step: step, network: units.network.rawValue, layer: units.layer, page: units.page,
                                             component: units.component, sharedScale: units.sharedScale, panelSize: size)
                canvas = try UnitsView.render(data, panelSize: size, target: units.network == .D ? run.targetSamples(count: 2_000) : [])
                label = "units-\(data.network)\(data.layer)" + (data.pageCount > 1 ? "-page\(data.page)" : "") + "-\(data.step)"
            case .tears, .modes, .folds, .jacobian:
                if view == .modes { try ModeLabeling.check(run.problem) }
                let data = try run.mapDiagnosticsData(step: step, view: view.rawValue)
                switch view {
                case .tears: canvas = try TearsView.render(data, panelSize: size)
                case .modes: canvas = try ModesView.render(data, panelSize: size)
                case .folds: canvas = try FoldsView.render(data, panelSize: size)
                default: canvas = try JacobianView.render(data, panelSize: size)
                }
                label = "\(view.rawValue)-\(data.step)"
            }
            let file = out ?? run.run.path + "/pictures/\(label).png"
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try canvas.writePNG(to: file)
            return file
        }
    }
}
