import ArgumentParser
import Foundation
import GANLabCore
import GANLabRender

extension GANLab {
    /// `ganlab timeline`: a run's snapshot diagnostics and losses against the step, with events.
    struct Timeline: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw a run's metrics against the step with its events marked; write RUN/events.csv.",
            discussion: """
                Events compare consecutive rows of RUN/diagnostics.csv (one per snapshot): mode lost/regained \
                (literature: ≥ 1 HQ sample; strict: ≥ 20 % of N/K), mode hop (Jaccard distance > 0), tear \
                opened/closed (tear mass crossing 1 %), fold appeared/disappeared (folded fraction crossing 1 %). \
                RUN/events.csv has the columns step,event,detail,value.
                """)

        @Argument(help: ArgumentHelp("The run folder.", valueName: "run"))
        var runFolder: String

        @Option(help: "Size scale in pixels (the picture is about 1.5 × this wide).")
        var size: Int = 800

        @Option(help: "Output file (default: RUN/pictures/timeline.png).")
        var out: String?

        func validate() throws {
            guard (64...8192).contains(size) else { throw ValidationError("--size must be between 64 and 8192 pixels.") }
        }

        func run() throws {
            do {
                let canvas = try TimelineView.render(runFolder: runFolder, size: size)
                let file = out ?? RunDirectory(path: runFolder).path + "/pictures/timeline.png"
                try OutputFile.prepare(file, formats: ["png"])
                try canvas.writePNG(to: file)
                let events = GANLabCore.Timeline.events(in: RunDirectory(path: runFolder))
                for event in events { print("step \(event.step)  \(event.kind.rawValue)  \(event.detail)") }
                print(GANLabCore.Timeline.eventsPath(in: RunDirectory(path: runFolder)) + " (\(events.count) events)")
                print(file)
            }
        }
    }
}
