import Dispatch
import Foundation
import GANLabCore
import Synchronization

/// Renders frame sequences of a run for videos: `RUN/frames/<sequence>/00000.png …` plus
/// `manifest.json`. Reads the run's trace and snapshots only; never trains.
///
/// Each sequence first prepares a `FramePlan` serially (reading frames, evaluating G once per
/// snapshot: networks keep scratch buffers, so they are never shared between threads), then the
/// frames are drawn in parallel, one canvas per worker in flight. The plan's drawing closure only
/// reads immutable data, so workers share nothing mutable but a work counter.
public enum FrameSequences {
    /// The folder a sequence is written to: `RUN/frames/<sequence>`, or `RUN/frames/<sequence>-ema`
    /// for the averaged generator (so both can be kept).
    public static func folder(run: String, sequence: FrameSequenceKind, generator: GeneratorWeights = .trained) -> String {
        run + "/frames/" + sequence.rawValue + generator.fileSuffix
    }

    /// Renders `sequence` of the run at `run` (see `render(run:sequence:options:progress:)`).
    @discardableResult
    public static func render(runFolder: String, sequence: FrameSequenceKind,
                              options: FrameSequenceOptions = FrameSequenceOptions(),
                              progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> FrameSequenceResult {
        try render(run: RunData(path: runFolder), sequence: sequence, options: options, progress: progress)
    }

    /// Renders `sequence` of `run` into `RUN/frames/<sequence>/` (`<sequence>-ema/` when the run is
    /// opened for its averaged generator), replacing earlier frames.
    ///
    /// Stale numbered PNGs and the old manifest are removed first; the manifest is written last,
    /// so a failed render leaves no manifest. `progress` is called (serially) after each frame.
    /// The averaged generator lives in snapshots only: sequences drawn from the trace (timelapse,
    /// snapshots from the trace) are refused for it.
    @discardableResult
    public static func render(run: RunData, sequence: FrameSequenceKind,
                              options: FrameSequenceOptions = FrameSequenceOptions(),
                              progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> FrameSequenceResult {
        guard (64...8192).contains(options.size) else {
            throw RunError("frame size \(options.size) px is outside 64…8192")
        }
        guard (1...240).contains(options.fps) else { throw RunError("fps \(options.fps) is outside 1…240") }
        if run.generatorWeights == .averaged, let problem = averagedGeneratorProblem(sequence, source: options.source) {
            throw RunError(problem)
        }
        var plan: FramePlan
        switch sequence {
        case .timelapse: plan = try timelapsePlan(run: run, options: options)
        case .morph: plan = try morphPlan(run: run, options: options)
        case .walk: plan = try walkPlan(run: run, options: options)
        case .snapshots: plan = try snapshotsPlan(run: run, options: options)
        }
        if let caption = run.generatorCaption { plan.parameters["generator"] = caption }
        let folder = folder(run: run.run.path, sequence: sequence, generator: run.generatorWeights)
        try prepareFolder(folder)
        let start = DispatchTime.now().uptimeNanoseconds
        try renderAll(plan, into: folder, threads: options.threads, progress: progress)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let manifest = FrameManifest(sequence: sequence, run: run.run.path, problem: run.config.problem.rawValue,
                                     fps: options.fps, width: plan.width, height: plan.height,
                                     count: plan.entries.count, filePattern: "%05d.png",
                                     parameters: plan.parameters, panels: plan.panels, frames: plan.entries)
        let manifestPath = folder + "/manifest.json"
        try manifest.encoded().write(to: URL(fileURLWithPath: manifestPath), options: .atomic)
        return FrameSequenceResult(folder: folder, manifestPath: manifestPath, manifest: manifest, seconds: seconds)
    }

    /// Why `sequence` cannot show the averaged generator, or nil when it can: the trace records
    /// only the trained weights.
    public static func averagedGeneratorProblem(_ sequence: FrameSequenceKind, source: KeyframeSource) -> String? {
        switch sequence {
        case .timelapse:
            return "the timelapse draws the trace, which records the trained weights only; for the averaged "
                + "generator use --sequence snapshots (its keyframes are the snapshots)"
        case .snapshots where source == .trace:
            return "--source trace draws the trace, which records the trained weights only; use --source snapshots "
                + "for the averaged generator"
        default:
            return nil
        }
    }

    // MARK: - Folder

    /// Creates `folder` and removes numbered frames (`00000.png`, …) and the manifest left by an
    /// earlier render; other files are kept.
    static func prepareFolder(_ folder: String) throws {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for name in try fm.contentsOfDirectory(atPath: folder) where isFrameFile(name) || name == "manifest.json" {
                try fm.removeItem(atPath: folder + "/" + name)
            }
        } catch {
            throw CommandFailure("cannot prepare the frame folder \(folder): \(ExitStatus.message(for: error))")
        }
    }

    /// Whether `name` is a numbered frame file: digits only, then `.png`.
    public static func isFrameFile(_ name: String) -> Bool {
        guard name.hasSuffix(".png") else { return false }
        let stem = name.dropLast(4)
        return !stem.isEmpty && stem.allSatisfy { $0.isASCII && $0.isNumber }
    }

    // MARK: - Parallel rendering

    /// Draws and writes every frame of `plan`, `threads` workers at a time (default: all cores).
    static func renderAll(_ plan: FramePlan, into folder: String, threads: Int?,
                          progress: (@Sendable (Int, Int) -> Void)?) throws {
        let total = plan.entries.count
        let workers = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, total))
        let queue = WorkQueue(total: total)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = queue.next() {
                do {
                    let canvas = try plan.draw(index)
                    try canvas.writePNG(to: folder + "/" + FrameManifest.fileName(index))
                    queue.finished(progress: progress)
                } catch {
                    queue.fail(error)
                }
            }
        }
        if let error = queue.error { throw error }
    }
}

/// Everything needed to draw a sequence: frame size, manifest entries and a drawing closure
/// that only reads immutable data (safe to call from several threads at once).
struct FramePlan: Sendable {
    /// Frame width in px.
    var width: Int
    /// Frame height in px.
    var height: Int
    /// Sequence settings in words, for the manifest.
    var parameters: [String: String]
    /// The plot squares, for the manifest.
    var panels: [PanelPlacement]
    /// One manifest entry per frame.
    var entries: [FrameEntry]
    /// Draws frame `index`.
    var draw: @Sendable (_ index: Int) throws -> Canvas
}

/// Hands out frame indices to workers and collects the first error.
final class WorkQueue: Sendable {
    private struct State {
        var next = 0
        var done = 0
        var error: (any Error)?
    }

    private let total: Int
    private let state = Mutex(State())

    init(total: Int) {
        self.total = total
    }

    /// The next frame to draw, or `nil` when all are handed out or a worker failed.
    func next() -> Int? {
        state.withLock { s in
            guard s.error == nil, s.next < total else { return nil }
            defer { s.next += 1 }
            return s.next
        }
    }

    /// Records a finished frame and reports progress (under the lock, so reports are serial).
    func finished(progress: (@Sendable (Int, Int) -> Void)?) {
        state.withLock { s in
            s.done += 1
            progress?(s.done, total)
        }
    }

    /// Records a failure; the first one wins and stops the hand-out.
    func fail(_ error: any Error) {
        state.withLock { s in
            if s.error == nil { s.error = error }
        }
    }

    /// The first failure, if any.
    var error: (any Error)? { state.withLock { $0.error } }
}
