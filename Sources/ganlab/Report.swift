import ArgumentParser
import Foundation
import GANLabRender

extension GANLab {
    /// `ganlab report`: a run's static report page.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write RUN/report/index.html: the run's header, a timelapse scrubber, every view at each snapshot with its diagnostics, and the curves.",
            discussion: """
                The page works from file:// with no network request; it links the run's frames and videos \
                (../frames, ../videos), so move the run folder as a whole. Open RUN/report/index.html#frame=N \
                to start at timelapse frame N.
                """)

        @Argument(help: ArgumentHelp("The run folder.", valueName: "run"))
        var runFolder: String

        @Option(help: "Panel size in pixels of the snapshot views.")
        var size: Int = 256

        @Flag(help: "Write one self-contained file, RUN/report.html, with every picture, frame and video embedded.")
        var singleFile = false

        func validate() throws {
            guard (64...2048).contains(size) else { throw ValidationError("--size must be between 64 and 2048 pixels.") }
        }

        func run() throws {
            let data = try RunData(path: runFolder)
            let result = try RunReport.write(run: data, options: RunReport.Options(viewSize: size, singleFile: singleFile))
            print("\(result.page) (\(result.views) views, \(result.frames) timelapse frames, "
                  + String(format: "%.1f MB", Double(result.bytes) / 1e6) + (singleFile ? ")" : " without the frames and videos)"))
        }
    }
}
