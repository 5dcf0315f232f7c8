import ArgumentParser
import Foundation
import GANLabCore
import GANLabRender

extension VideoFormat: ExpressibleByArgument {}

extension GANLab {
    /// `ganlab video`: encode a frame sequence with ffmpeg into RUN/videos/SEQUENCE.EXT.
    struct Video: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Encode a frame sequence of a run into RUN/videos/SEQUENCE.mp4 (or .gif, .webm) with ffmpeg.",
            discussion: """
                Renders the frames with default settings first when RUN/frames/SEQUENCE has no manifest
                (use `ganlab frames` for other settings). Defaults follow the article: 20 fps, CRF 15,
                H.264 yuv420p. Without ffmpeg on PATH the frames stay and the command to run is printed.
                Instead of a run, give any folder of frames with its manifest.json (from `ganlab cppn --frames`,
                `ganlab compare --frames` or RUN/frames/SEQUENCE) and no --sequence; the video goes to a
                `videos` folder beside it (beside RUN/frames for a run's frames).
                Examples:
                  ganlab video output/spiral/RUN --sequence timelapse
                  ganlab video output/spiral/RUN --sequence morph --format gif
                  ganlab video output/cppn/cppn-tanh-8x16-seed1-z
                """)

        @Argument(help: ArgumentHelp("The run folder, or a frame folder holding manifest.json.", valueName: "run | frames"))
        var runFolder: String

        @Option(help: "Which sequence of the run (not for a frame folder).")
        var sequence: FrameSequenceKind?

        @Option(help: "Container and codec (default: from the --out extension, else mp4).")
        var format: VideoFormat?

        @Option(help: "Frames per second (default: the manifest's, normally 20).")
        var fps: Int?

        @Option(help: "Quality for mp4 (0–51) and webm (0–63); lower is better.")
        var crf: Int = VideoEncoder.defaultCRF

        @Option(help: "Output file (default: RUN/videos/SEQUENCE.FORMAT).")
        var out: String?

        func validate() throws {
            if let fps, !(1...240).contains(fps) { throw ValidationError("--fps must be between 1 and 240.") }
            let chosen = try resolvedFormat()
            let most = chosen == .webm ? 63 : 51
            guard (0...most).contains(crf) else { throw ValidationError("--crf must be between 0 and \(most) for \(chosen.rawValue).") }
        }

        /// --format, else the format the --out extension names, else mp4; an --out extension that
        /// is no video format, or disagrees with --format, is refused with the supported ones named.
        func resolvedFormat() throws -> VideoFormat {
            guard let out else { return format ?? .mp4 }
            let ext = URL(fileURLWithPath: out).pathExtension.lowercased()
            let supported = VideoFormat.allCases.map { "." + $0.rawValue }.joined(separator: ", ")
            guard let named = VideoFormat(rawValue: ext) else {
                throw ValidationError("--out \(out): '\(ext.isEmpty ? "no extension" : "." + ext)' is not a video format; end the name with \(supported).")
            }
            if let format, format != named {
                throw ValidationError("--out \(out) asks for .\(named.rawValue) but --format is \(format.rawValue); drop one or make them agree.")
            }
            return named
        }

        /// Where a frame folder's video goes by default: `P/videos/NAME.EXT` for `P/frames/NAME`
        /// (a run's or a comparison's frames), else a `videos` folder beside the frame folder.
        static func defaultOutput(frameFolder: String, format: VideoFormat) -> String {
            let url = URL(fileURLWithPath: frameFolder).standardizedFileURL
            var parent = url.deletingLastPathComponent()
            if parent.lastPathComponent == "frames" { parent = parent.deletingLastPathComponent() }
            let base = frameFolder.hasPrefix("/") ? parent.path : relativePath(parent.path)
            return base + "/videos/\(url.lastPathComponent).\(format.rawValue)"
        }

        /// `path` relative to the current folder when it lies inside it (for printed commands).
        private static func relativePath(_ path: String) -> String {
            let here = FileManager.default.currentDirectoryPath
            if path == here { return "." }
            return path.hasPrefix(here + "/") ? String(path.dropFirst(here.count + 1)) : path
        }

        func run() throws {
            let isFrameFolder = FileManager.default.fileExists(atPath: runFolder + "/manifest.json")
            let isRun = FileManager.default.fileExists(atPath: runFolder + "/config.yaml")
            guard isRun || isFrameFolder else {
                throw RunError("\(runFolder) is neither a ganlab run folder (no config.yaml) nor a frame folder (no manifest.json); "
                               + "give the folder `ganlab run` or `ganlab cppn --frames` printed")
            }
            let format = try resolvedFormat()
            let folder: String, output: String
            if let sequence, isRun {
                folder = FrameSequences.folder(run: runFolder, sequence: sequence)
                output = out ?? runFolder + "/videos/\(sequence.rawValue).\(format.rawValue)"
            } else if isFrameFolder && sequence == nil {
                folder = runFolder
                output = out ?? Self.defaultOutput(frameFolder: runFolder, format: format)
            } else {
                throw RunError(isRun ? "give --sequence (timelapse, morph, walk or snapshots) for a run folder"
                                     : "\(runFolder) is a frame folder; leave out --sequence")
            }
            do {
                let manifest = try framesReady(folder: folder)
                let rate = fps ?? manifest.fps
                let outcome = try VideoEncoder().encode(frames: folder, to: output, format: format, fps: rate, crf: crf)
                switch outcome {
                case .encoded(let path, _):
                    let seconds = Double(manifest.count) / Double(rate)
                    print("\(path): \(manifest.count) frames at \(rate) fps (" + String(format: "%.1f s", seconds) + ")")
                case .ffmpegMissing(let command):
                    FileHandle.standardError.write(Data("""
                        warning: ffmpeg is not on PATH, so no video was written; the \(manifest.count) frames are in \(folder)/.
                        Install ffmpeg (apt install ffmpeg, brew install ffmpeg) and run:
                          \(command)

                        """.utf8))
                }
            }
        }

        /// The manifest of the frames to encode, rendering them with defaults if there are none.
        private func framesReady(folder: String) throws -> FrameManifest {
            let manifestPath = folder + "/manifest.json"
            if let sequence, !FileManager.default.fileExists(atPath: manifestPath) {
                print("no \(sequence.rawValue) frames yet: rendering them with default settings")
                var options = FrameSequenceOptions()
                if let fps { options.fps = fps }
                let result = try FrameSequences.render(run: RunData(path: runFolder), sequence: sequence, options: options)
                Frames.report(result, runFolder: runFolder)
            }
            let manifest = try FrameManifest.read(from: manifestPath)
            let missing = (0..<manifest.count).first {
                !FileManager.default.fileExists(atPath: folder + "/" + FrameManifest.fileName($0))
            }
            if let missing {
                let again = sequence.map { "`ganlab frames \(runFolder) --sequence \($0.rawValue)`" } ?? "the command that made them"
                throw RunError("\(folder) lists \(manifest.count) frames but \(FrameManifest.fileName(missing)) is missing; "
                               + "re-render with \(again)")
            }
            return manifest
        }
    }
}
