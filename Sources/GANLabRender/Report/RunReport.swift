import Foundation
import GANLabCore

/// `RUN/report/index.html`: one static page per run (docs/REPORT.md), opened from `file://` or
/// any web host with no network request.
///
/// The page holds the run's header (problem, settings that differ from the defaults, seed,
/// steps, speed, build, the command that reproduces it), a scrubber over the timelapse frames
/// (`#frame=N` in the URL opens frame N), a snapshot selector showing every view the lab draws
/// at that snapshot with the diagnostics table and its noise floors, and the metric curves as
/// inline SVG with the timeline's events marked. Pictures are the lab's own views, written to
/// `report/views/`; frames and videos are linked from the run folder (`../frames/…`), so the run
/// folder moves as a whole.
public enum RunReport {
    /// What was written.
    public struct Result: Sendable {
        /// `RUN/report/index.html`.
        public var page: String
        /// Pictures rendered into `RUN/report/views/`.
        public var views: Int
        /// Timelapse frames the scrubber steps through.
        public var frames: Int
    }

    /// The views shown at every snapshot, in page order (modes only where the problem has them).
    static func views(for problem: ToyProblem) -> [ViewKind] {
        let modes = (try? ModeLabeling.check(problem)) != nil
        return [.mapping, .discriminator, .grid, .density, .tears] + (modes ? [.modes] : []) + [.folds, .pullback]
    }

    /// Writes the report of `run`, rendering its timelapse first when it has none; `viewSize` is the
    /// panel size of the snapshot views.
    public static func write(run: RunData, viewSize: Int = 256) throws -> Result {
        let folder = run.run.path + "/report"
        try FileManager.default.createDirectory(atPath: folder + "/views", withIntermediateDirectories: true)
        var manifest = try? FrameManifest.read(from: FrameSequences.folder(run: run.run.path, sequence: .timelapse) + "/manifest.json")
        if manifest == nil && run.trace.frameCount > 1 {
            manifest = try FrameSequences.render(run: run, sequence: .timelapse).manifest
        }
        let frames = (manifest?.frames ?? []).map { (file: "../frames/timelapse/" + $0.file, step: $0.step ?? 0) }
        var rendered = 0
        var snapshots: [(step: Int, views: [(view: ViewKind, file: String)])] = []
        for step in run.snapshotSteps {
            var shown: [(view: ViewKind, file: String)] = []
            for view in Self.views(for: run.problem) {
                let name = "views/\(view.rawValue)-\(step).png"
                _ = try view.render(run: run, step: step, size: viewSize, out: folder + "/" + name, compression: .small)
                shown.append((view, name))
                rendered += 1
            }
            snapshots.append((step, shown))
        }
        let page = ReportPage(run: run, frames: frames, snapshots: snapshots).html
        try writeAtomically(page, to: folder + "/index.html")
        return Result(page: folder + "/index.html", views: rendered, frames: frames.count)
    }
}
