import ArgumentParser
import Foundation
import GANLabCore
import GANLabRender

/// The pictures `ganlab render` can draw.
enum View: String, ExpressibleByArgument, CaseIterable {
    case mapping, target, discriminator, grid, density, curves, tears, modes, folds, jacobian, timeline

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
        }
    }
}

extension GANLab {
    /// `ganlab render`: one picture of a run at a step, from its files on disk.
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a view of a run (PNG) from its trace and snapshots; never trains.",
            discussion: "Views:\n" + View.allCases.map { "  \($0.rawValue): \($0.summary)" }.joined(separator: "\n")
                + "\ndiscriminator, grid, density, tears, modes, folds and jacobian need a snapshot at the step;"
                + "\nthe last four measure G on the run's diagnostics grid (output.diagnosticsGrid), so their"
                + "\nnumbers match diagnostics.csv.")

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

        func validate() throws {
            guard (64...8192).contains(size) else { throw ValidationError("--size must be between 64 and 8192 pixels.") }
            if let step, step < 0 { throw ValidationError("--step must not be negative.") }
        }

        func run() throws {
            do {
                let path = try Self.render(view: view, run: RunData(path: runFolder), step: step, size: size, out: out)
                print(path)
            } catch let error as ExitCode {
                throw error
            } catch {
                throw fail(error, code: 1)
            }
        }

        /// Renders one view and returns the written file's path.
        static func render(view: View, run: RunData, step: Int?, size: Int, out: String?) throws -> String {
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
