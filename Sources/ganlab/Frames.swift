import ArgumentParser
import Foundation
import GANLabCore
import GANLabRender

extension FrameSequenceKind: ExpressibleByArgument {}
extension Easing: ExpressibleByArgument {}
extension KeyframeSource: ExpressibleByArgument {}

/// The latent paths `ganlab frames --sequence walk` can follow.
enum PathShape: String, ExpressibleByArgument, CaseIterable {
    case line, circle, points
}

extension GANLab {
    /// `ganlab frames`: numbered PNG frames of a run for a video, plus a manifest.
    struct Frames: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a frame sequence of a run (RUN/frames/SEQUENCE/00000.png … and manifest.json) for a video.",
            discussion: """
                Sequences:
                  timelapse  one frame per traced step: G on the probes, step, losses
                  morph      points move on straight lines from z to G(z) (the article)
                  walk       a latent path and the path of G(z(t)); tears: red dashes
                  snapshots  probes interpolated between snapshots (or trace frames)
                Examples (RUN is the folder `ganlab run` printed):
                  ganlab frames RUN --sequence timelapse
                  ganlab frames RUN --sequence morph --points 10000 --frames 300
                  ganlab frames RUN --sequence walk --path line --from -0.9,0 --to 0.9,0
                  ganlab frames RUN --sequence walk --path circle --radius 0.5
                  ganlab frames RUN --sequence walk --path points --points "-1,-1;0,0.5;1,-1"
                  ganlab frames RUN --sequence snapshots --frames-per-step 20
                  ganlab frames RUN --sequence morph --ema     (θ_EMA, into RUN/frames/morph-ema; not timelapse,
                                                                 whose trace holds the trained weights only)
                Then encode with `ganlab video RUN --sequence NAME` (`ganlab video RUN/frames/NAME-ema` for --ema).
                """)

        @Argument(help: ArgumentHelp("The run folder.", valueName: "run"))
        var runFolder: String

        @Option(help: "Which sequence.")
        var sequence: FrameSequenceKind

        @Option(help: "Frames for morph and walk (default 300); for timelapse, an even subsample of the traced frames.")
        var frames: Int?

        @Option(help: "Frame height in pixels (square frames; walk frames are about twice as wide).")
        var size: Int = 800

        @Option(help: "Playback rate stored in the manifest (the video's default).")
        var fps: Int = VideoEncoder.defaultFPS

        @Option(help: "Generator step for morph and walk (default: the newest).")
        var step: Int?

        @Option(parsing: .unconditional, help: ArgumentHelp("morph: number of moving points (more than the probes adds fixed-seed latents, e.g. 10000); walk with --path points: the points \"x,y;x,y;…\".", valueName: "n | x,y;x,y;…"))
        var points: String?

        @Option(help: "morph: how points move along their lines.")
        var easing: Easing = .smoothstep

        @Option(help: "walk: the latent path (default: a horizontal line through the middle).")
        var path: PathShape?

        @Option(parsing: .unconditional, help: ArgumentHelp("walk --path line: start point.", valueName: "x,y"))
        var from: String?

        @Option(parsing: .unconditional, help: ArgumentHelp("walk --path line: end point.", valueName: "x,y"))
        var to: String?

        @Option(parsing: .unconditional, help: ArgumentHelp("walk --path circle: centre.", valueName: "x,y"))
        var center: String?

        @Option(parsing: .unconditional, help: "walk --path circle: radius.")
        var radius: Double?

        @Option(help: "walk with a mixture prior (eight-gaussians): the component k held fixed.")
        var component: Int = 0

        @Option(help: "snapshots: keyframes from snapshots or from the trace.")
        var source: KeyframeSource = .snapshots

        @Option(name: .customLong("frames-per-step"), help: "snapshots: frames per interval between keyframes.")
        var framesPerStep: Int = 20

        @Option(help: "Rendering threads (default: all cores).")
        var threads: Int?

        @OptionGroup var generator: GeneratorOptions

        func validate() throws {
            guard (64...8192).contains(size) else { throw ValidationError("--size must be between 64 and 8192 pixels.") }
            guard (1...240).contains(fps) else { throw ValidationError("--fps must be between 1 and 240.") }
            if let frames {
                let least = sequence == .timelapse ? 1 : 2
                guard (least...100_000).contains(frames) else {
                    throw ValidationError("--frames must be between \(least) and 100,000 for \(sequence.rawValue).")
                }
                guard sequence != .snapshots else {
                    throw ValidationError("--frames does not apply to snapshots; set --frames-per-step instead.")
                }
            }
            if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be between 1 and 256.") }
            guard (1...10_000).contains(framesPerStep) else { throw ValidationError("--frames-per-step must be between 1 and 10,000.") }
            let walkOnly: [(String, Bool)] = [("--path", path != nil), ("--from", from != nil), ("--to", to != nil),
                                              ("--center", center != nil), ("--radius", radius != nil)]
            if sequence != .walk, let used = walkOnly.first(where: \.1) {
                throw ValidationError("\(used.0) applies to --sequence walk only.")
            }
            if let points, sequence != .morph, !(sequence == .walk && path == .points) {
                throw ValidationError("--points '\(points)' applies to morph (a count) or to walk --path points (a list).")
            }
            if sequence == .morph, let points, Int(points).map({ (1...1_000_000).contains($0) }) != true {
                throw ValidationError("--points for morph is a count between 1 and 1,000,000 (got '\(points)').")
            }
            if sequence == .walk { _ = try latentPath() }
            if generator.averaged, let problem = FrameSequences.averagedGeneratorProblem(sequence, source: source) {
                throw ValidationError("--ema: " + problem + ".")
            }
        }

        /// The walk path from the flags (nil: the sequence's default); throws on malformed points.
        func latentPath() throws -> LatentPath? {
            func point(_ text: String?, _ flag: String) throws -> SIMD2<Double>? {
                guard let text else { return nil }
                guard let p = LatentPath.parsePoint(text) else {
                    throw ValidationError("\(flag) must be two numbers 'x,y' (got '\(text)').")
                }
                return p
            }
            let shape = path ?? .line
            if shape != .line, from != nil || to != nil { throw ValidationError("--from and --to apply to --path line.") }
            if shape != .circle, center != nil || radius != nil { throw ValidationError("--center and --radius apply to --path circle.") }
            switch shape {
            case .line:
                let a = try point(from, "--from"), b = try point(to, "--to")
                guard path != nil || a != nil || b != nil else { return nil }
                guard let a, let b else { throw ValidationError("--path line needs both --from x,y and --to x,y.") }
                return .line(from: a, to: b)
            case .circle:
                let c = try point(center, "--center") ?? .zero
                guard let radius, radius > 0, radius.isFinite else {
                    throw ValidationError("--path circle needs --radius r (a positive number).")
                }
                return .circle(center: c, radius: radius)
            case .points:
                guard let points, let list = LatentPath.parsePoints(points) else {
                    throw ValidationError("--path points needs --points \"x,y;x,y;…\" with at least two points.")
                }
                return .points(list)
            }
        }

        func run() throws {
            guard FileManager.default.fileExists(atPath: runFolder + "/config.yaml") else {
                throw fail("\(runFolder) is not a ganlab run folder (no config.yaml); give the folder `ganlab run` printed", code: .badInput)
            }
            var options = FrameSequenceOptions()
            options.frameCount = frames
            options.size = size
            options.fps = fps
            options.step = step
            options.points = sequence == .morph ? points.flatMap { Int($0) } : nil
            options.easing = easing
            options.path = sequence == .walk ? try latentPath() : nil
            options.component = component
            options.source = source
            options.framesPerStep = framesPerStep
            options.threads = threads
            let result: FrameSequenceResult
            do {
                let run = try RunData(path: runFolder, generator: generator.weights)
                let line = FrameProgress()
                result = try FrameSequences.render(run: run, sequence: sequence, options: options,
                                                   progress: { line.show($0, of: $1) })
                line.finish()
            }
            Self.report(result, runFolder: runFolder, generator: generator.weights)
        }

        /// Prints where the frames are and how to encode them (frames of the averaged generator
        /// are encoded from their folder, into RUN/videos/SEQUENCE-ema.mp4).
        static func report(_ result: FrameSequenceResult, runFolder: String, generator: GeneratorWeights = .trained) {
            let m = result.manifest
            print("\(m.sequence.rawValue): \(m.count) frames, \(m.width)×\(m.height) px, "
                  + String(format: "%.1f s (%.0f frames/s)", result.seconds, result.framesPerSecond))
            print("  frames    \(result.folder)/\(FrameManifest.fileName(0)) … \(FrameManifest.fileName(m.count - 1))")
            print("  manifest  \(result.manifestPath)")
            let name = m.sequence.rawValue + generator.fileSuffix
            print("  encode    ganlab video " + (generator == .trained
                ? "\(VideoEncoder.shellQuoted(runFolder)) --sequence \(name)" : VideoEncoder.shellQuoted(result.folder)))
            let command = ["ffmpeg"] + VideoEncoder.arguments(
                frames: result.folder, output: runFolder + "/videos/\(name).mp4", format: .mp4, fps: m.fps)
            print("  or        " + command.map(VideoEncoder.shellQuoted).joined(separator: " "))
        }
    }
}

/// "frame 120/601" on one updating line of a terminal (nothing when not a terminal).
final class FrameProgress: Sendable {
    private let isTerminal = isatty(STDERR_FILENO) == 1

    /// Shows the count; called serially by the renderer.
    func show(_ done: Int, of total: Int) {
        guard isTerminal, done == total || done % 10 == 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[Krendering frame \(done)/\(total)".utf8))
    }

    /// Ends the line.
    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
