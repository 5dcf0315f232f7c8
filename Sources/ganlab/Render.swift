import ArgumentParser
import Foundation
import GANLabCore
import GANLabRender

/// The pictures `ganlab render` can draw.
enum View: String, ExpressibleByArgument, CaseIterable {
    case mapping, target
}

extension GANLab {
    /// `ganlab render`: one picture of a run at a step, from its files on disk.
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a view of a run (PNG) from its trace and snapshots; never trains.",
            discussion: "Views: \(View.allCases.map(\.rawValue).joined(separator: ", ")).")

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
            }
            let file = out ?? run.run.path + "/pictures/\(label).png"
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try canvas.writePNG(to: file)
            return file
        }
    }
}
