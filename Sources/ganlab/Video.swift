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
                Examples:
                  ganlab video output/spiral/RUN --sequence timelapse
                  ganlab video output/spiral/RUN --sequence morph --format gif
                """)

        @Argument(help: ArgumentHelp("The run folder.", valueName: "run"))
        var runFolder: String

        @Option(help: "Which sequence.")
        var sequence: FrameSequenceKind

        @Option(help: "Container and codec.")
        var format: VideoFormat = .mp4

        @Option(help: "Frames per second (default: the manifest's, normally 20).")
        var fps: Int?

        @Option(help: "Quality for mp4 (0–51) and webm (0–63); lower is better.")
        var crf: Int = VideoEncoder.defaultCRF

        @Option(help: "Output file (default: RUN/videos/SEQUENCE.FORMAT).")
        var out: String?

        func validate() throws {
            if let fps, !(1...240).contains(fps) { throw ValidationError("--fps must be between 1 and 240.") }
            let most = format == .webm ? 63 : 51
            guard (0...most).contains(crf) else { throw ValidationError("--crf must be between 0 and \(most) for \(format.rawValue).") }
            if let out, !out.hasSuffix("." + format.rawValue) {
                throw ValidationError("--out must end in .\(format.rawValue) for --format \(format.rawValue) (got '\(out)').")
            }
        }

        func run() throws {
            guard FileManager.default.fileExists(atPath: runFolder + "/config.yaml") else {
                throw fail("\(runFolder) is not a ganlab run folder (no config.yaml); give the folder `ganlab run` printed", code: 2)
            }
            let folder = FrameSequences.folder(run: runFolder, sequence: sequence)
            let output = out ?? runFolder + "/videos/\(sequence.rawValue).\(format.rawValue)"
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
            } catch let error as ExitCode {
                throw error
            } catch {
                throw fail(error, code: 1)
            }
        }

        /// The manifest of the frames to encode, rendering them with defaults if there are none.
        private func framesReady(folder: String) throws -> FrameManifest {
            let manifestPath = folder + "/manifest.json"
            if !FileManager.default.fileExists(atPath: manifestPath) {
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
                throw RunError("\(folder) lists \(manifest.count) frames but \(FrameManifest.fileName(missing)) is missing; "
                               + "re-render with `ganlab frames \(runFolder) --sequence \(sequence.rawValue)`")
            }
            return manifest
        }
    }
}
