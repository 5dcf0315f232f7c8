import Foundation
import GANLabCore

/// `RUN/report/index.html`: one static page per run (docs/REPORT.md), opened from `file://` or
/// any web host with no network request.
///
/// The page holds the run's header (problem, settings that differ from the defaults, seed,
/// steps, speed, build, the command that reproduces it), a scrubber over the timelapse frames
/// (`#frame=N` in the URL opens frame N), a snapshot selector showing every view the lab draws
/// at that snapshot with the diagnostics table, its noise floors and definitions, and the metric
/// curves as inline SVG with the timeline's events marked. Pictures are the lab's own views,
/// written to `report/views/`; frames and videos are linked from the run folder (`../frames/…`),
/// so the run folder moves as a whole. A single-file report (`RUN/report.html`) embeds all of it.
public enum RunReport {
    /// How the report is written.
    public struct Options: Sendable {
        /// Panel size in pixels of the snapshot views.
        public var viewSize: Int
        /// Embed every picture, frame and video in one HTML file, `RUN/report.html`.
        public var singleFile: Bool

        public init(viewSize: Int = 256, singleFile: Bool = false) {
            self.viewSize = viewSize
            self.singleFile = singleFile
        }
    }

    /// Where the run stands, as the page's banner says.
    public enum Status: Sendable, Equatable {
        /// Trained to its configured step count.
        case finished
        /// Stopped before its configured step count (interrupted, or not yet resumed).
        case stopped
        /// Training now: the page reloads itself every `reloadSeconds`.
        case training(step: Int)
    }

    /// Seconds between reloads of a page written while training runs.
    public static let reloadSeconds = 5

    /// What was written.
    public struct Result: Sendable {
        /// `RUN/report/index.html`, or `RUN/report.html` for a single-file report.
        public var page: String
        /// Pictures rendered in this call.
        public var views: Int
        /// Timelapse frames the scrubber steps through.
        public var frames: Int
        /// Bytes of the page and of the pictures it links inside the report folder (frames and
        /// videos, which live in the run folder, not counted).
        public var bytes: Int
    }

    /// The views shown at every snapshot, in page order (modes only where the problem has them).
    static func views(for problem: ToyProblem) -> [ViewKind] {
        let modes = (try? ModeLabeling.check(problem)) != nil
        return [.mapping, .discriminator, .grid, .density, .tears] + (modes ? [.modes] : []) + [.folds, .pullback]
    }

    /// Writes the report of a finished or stopped run, rendering its timelapse first when it has
    /// none (or an outdated one).
    public static func write(run: RunData, options: Options = Options()) throws -> Result {
        let status: Status = (run.lastStep ?? 0) >= run.config.train.steps ? .finished : .stopped
        return try Writer(options: options).write(run: run, status: status)
    }

    /// Writes a run's report again and again as training goes on (`ganlab run --report`),
    /// rendering each snapshot's views once. Views that an earlier report drew at the same size
    /// (`report/views/size.txt`) after their snapshot was written are kept, so writing a report
    /// again draws only new snapshots' views.
    public final class Writer {
        public let options: Options
        /// Report-relative view files written by this writer.
        private var written: Set<String> = []
        /// What a perfect generator scores on each diagnostic (`NoiseFloor`), measured once.
        private var floors: [String: Double]?

        public init(options: Options = Options()) {
            self.options = options
        }

        /// Writes the page for `run` as it is now. While training (`.training`) the timelapse is
        /// not drawn (the page says it comes at the end) and the page reloads itself.
        public func write(run: RunData, status: Status) throws -> Result {
            let single = options.singleFile
            let folder = run.run.path + "/report"
            if !single { try FileManager.default.createDirectory(atPath: folder + "/views", withIntermediateDirectories: true) }
            var bytes = 0
            var rendered = 0

            var frames: [(src: String, step: Int)] = []
            if case .training = status {} else if let manifest = try timelapse(run) {
                let base = FrameSequences.folder(run: run.run.path, sequence: .timelapse)
                frames = try manifest.frames.map { frame in
                    (single ? try Self.dataURI(file: base + "/" + frame.file, type: "image/png")
                            : "../frames/timelapse/" + frame.file, frame.step ?? 0)
                }
            }

            // Views an earlier report drew at this size are kept while their snapshot is unchanged.
            let sizeFile = folder + "/views/size.txt"
            let drawnSize = single ? nil : (try? String(contentsOfFile: sizeFile, encoding: .utf8))
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if !single && drawnSize != options.viewSize { try writeAtomically("\(options.viewSize)\n", to: sizeFile) }
            var snapshots: [ReportPage.Snapshot] = []
            for step in run.snapshotSteps {
                var shown: [(view: ViewKind, src: String)] = []
                for view in RunReport.views(for: run.problem) {
                    let name = "views/\(view.rawValue)-\(step).png"
                    if single {
                        let (canvas, _) = try view.draw(run: run, step: step, size: options.viewSize)
                        shown.append((view, Self.dataURI(try canvas.pngData(compression: .small), type: "image/png")))
                        rendered += 1
                        continue
                    }
                    if !written.contains(name) && !reusable(folder + "/" + name, of: run, step: step, drawnAt: drawnSize) {
                        _ = try view.render(run: run, step: step, size: options.viewSize, out: folder + "/" + name,
                                            compression: .small)
                        rendered += 1
                    }
                    written.insert(name)
                    bytes += Self.fileSize(folder + "/" + name)
                    shown.append((view, name))
                }
                snapshots.append(ReportPage.Snapshot(step: step, views: shown))
            }

            let videos = try Self.videos(run, single: single)
            if floors == nil {
                floors = NoiseFloor.of(problem: run.problem, configuredGrid: run.config.output.diagnosticsGrid)
            }
            let page = ReportPage(run: run, data: ReportData(run: run, floors: floors ?? [:]), status: status, frames: frames,
                                  snapshots: snapshots, videos: videos).html
            let path = single ? run.run.path + "/report.html" : folder + "/index.html"
            try writeAtomically(page, to: path)
            bytes += page.utf8.count
            return Result(page: path, views: rendered, frames: frames.count, bytes: bytes)
        }

        /// Whether the view file `path` was drawn at this writer's size (`drawnAt`, the size an
        /// earlier report recorded) after its snapshot was written, so it shows that snapshot.
        private func reusable(_ path: String, of run: RunData, step: Int, drawnAt size: Int?) -> Bool {
            guard size == options.viewSize,
                  let drawn = Self.modified(path), let written = Self.modified(run.run.snapshotPath(step: step)) else { return false }
            return drawn >= written
        }

        private static func modified(_ path: String) -> Date? {
            (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        }

        /// The timelapse's manifest, rendering the frames first when they are missing or were drawn
        /// from fewer trace frames than the run now has (a resumed run); nil without a trace.
        private func timelapse(_ run: RunData) throws -> FrameManifest? {
            guard run.trace.frameCount > 1 else { return nil }
            let manifest = try? FrameManifest.read(from: FrameSequences.folder(run: run.run.path, sequence: .timelapse) + "/manifest.json")
            if let manifest, manifest.frames.last?.step == run.trace.frameSteps.last { return manifest }
            return try FrameSequences.render(run: run, sequence: .timelapse).manifest
        }

        /// The encoded videos in `RUN/videos/`, by name, linked or embedded.
        private static func videos(_ run: RunData, single: Bool) throws -> [(name: String, src: String)] {
            let folder = run.run.path + "/videos"
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
                .filter { $0.hasSuffix(".mp4") || $0.hasSuffix(".webm") }.sorted()
            return try names.map { name in
                (name, single ? try dataURI(file: folder + "/" + name, type: name.hasSuffix(".mp4") ? "video/mp4" : "video/webm")
                              : HTML.href("../videos/" + name))
            }
        }

        private static func dataURI(_ bytes: [UInt8], type: String) -> String {
            "data:\(type);base64," + Data(bytes).base64EncodedString()
        }

        private static func dataURI(file: String, type: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw RenderError.writeFailed(path: file, status: "could not read it to embed in the report")
            }
            return "data:\(type);base64," + data.base64EncodedString()
        }

        private static func fileSize(_ path: String) -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        }
    }
}

/// The run's tables, read once for the page: the training log, the diagnostics, the timeline's
/// events, and what a perfect generator scores on each diagnostic.
struct ReportData {
    var metrics: CSVTable?
    var diagnostics: CSVTable?
    var events: [(step: Double, label: String)]
    var floors: [String: Double]

    init(run: RunData, floors: [String: Double]) {
        self.floors = floors
        metrics = try? CSVTable.read(path: run.run.metricsPath)
        diagnostics = try? CSVTable.read(path: SnapshotDiagnostics.path(in: run.run))
        events = ((try? run.timelineData().events) ?? []).map { (Double($0.step), $0.kind.rawValue + " " + $0.detail) }
    }
}
