import ArgumentParser
import Dispatch
import Foundation
import GANLabCore
import GANLabEngine
import GANLabRender

extension ActivationKind: ExpressibleByArgument {}
extension InitKind: ExpressibleByArgument {}
extension CPPNInputs: ExpressibleByArgument {}
extension CPPNSweep: ExpressibleByArgument {}

extension GANLab {
    /// `ganlab cppn`: the picture a randomly initialised coordinate network draws.
    struct CPPNCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cppn",
            abstract: "Render the image of a random coordinate network (CPPN): pixel (x, y, r, z) → RGB, never trained.",
            discussion: """
                The network is the engine's MLP: hidden layers of the activation, a sigmoid output read as RGB,
                weights from the initialiser at --scale, zero biases. Pixel coordinates are (i + ½)/size − ½
                (y up) times --zoom; r = √(x² + y²); z is a latent drawn from the seed, the same at every pixel.
                Small weights (--init uniform --scale 1, i.e. ±1/√fan-in) give a nearly flat grey; large ones
                (--init normal --scale 1, or --init uniform --scale 3) give structure, more of it with depth.
                Settings: defaults < PRESET (experiments/cppn/PRESET.yaml, see `ganlab list`) < flags.
                Examples:
                  ganlab cppn cppn-tanh-8x16 --size 1024
                  ganlab cppn --width 32 --depth 4 --activation relu --seed 7
                  ganlab cppn cppn-halving --zoom 4
                  ganlab cppn cppn-tanh-8x16 --frames 120 --size 512        (a z loop; then ganlab video FOLDER)
                  ganlab cppn --init uniform --scale 3 --frames 60 --sweep scale
                """)

        @Argument(help: ArgumentHelp("A preset name from experiments/cppn/, or a path to a preset .yaml file.", valueName: "preset"))
        var preset: String?

        @Option(help: "Width of every hidden layer (with --depth).")
        var width: Int?

        @Option(help: "Number of hidden layers (with --width).")
        var depth: Int?

        @Option(parsing: .unconditional, help: ArgumentHelp("Hidden widths instead of --width/--depth.", valueName: "w,w,…"))
        var hidden: String?

        @Option(help: "Hidden activation.")
        var activation: ActivationKind?

        @Option(name: .customLong("init"), help: "Weight initialiser (normal: N(0, scale²); uniform: U(±scale/√fan-in)).")
        var initializer: InitKind?

        @Option(help: "The initialiser's scale.")
        var scale: Double?

        @Option(help: "Multiplier on the pixel coordinates (2 shows twice the area).")
        var zoom: Double?

        @Option(help: "Coordinates the network reads.")
        var inputs: CPPNInputs?

        @Option(help: "Numbers in the latent z (inputs xyrz).")
        var latent: Int?

        @Option(parsing: .unconditional, help: "Seed of the weights and the latent.")
        var seed: UInt64?

        @Option(help: "Image side in pixels.")
        var size: Int = 512

        @Option(help: "Output PNG (default output/cppn/NAME-SETTINGS-SIZEpx.png, SETTINGS naming widths, activation, init, inputs, zoom and seed); with --frames, the frame folder.")
        var out: String?

        @Option(help: "Write a numbered PNG sequence of this many frames instead of one image.")
        var frames: Int?

        @Option(help: "With --frames: what moves (default z when the inputs have z, else scale).")
        var sweep: CPPNSweep?

        @Option(help: "With --frames: playback rate stored in the manifest.")
        var fps: Int = VideoEncoder.defaultFPS

        @OptionGroup var experiments: ExperimentOptions

        func validate() throws {
            guard (16...8192).contains(size) else { throw ValidationError("--size must be between 16 and 8192 pixels.") }
            if hidden != nil && (width != nil || depth != nil) {
                throw ValidationError("Give either --hidden w,w,… or --width and --depth, not both.")
            }
            if let hidden, parsedHidden(hidden) == nil {
                throw ValidationError("--hidden must be whole numbers separated by commas, e.g. 128,64,32 (got '\(hidden)').")
            }
            if let frames, !(2...100_000).contains(frames) { throw ValidationError("--frames must be between 2 and 100,000.") }
            if frames == nil && sweep != nil { throw ValidationError("--sweep applies with --frames only.") }
            guard (1...240).contains(fps) else { throw ValidationError("--fps must be between 1 and 240.") }
        }

        private func parsedHidden(_ text: String) -> [Int]? {
            let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
            return parts.compactMap { $0 }
        }

        /// Defaults < preset < flags, validated.
        func settings() throws -> CPPNSettings {
            var s = CPPNSettings()
            if let preset {
                s = try CPPNLibrary(experiments: experiments.library.directory).load(preset)
            }
            if let hidden { s.hidden = parsedHidden(hidden) ?? s.hidden }
            if width != nil || depth != nil {
                s.hidden = [Int](repeating: width ?? s.hidden.first ?? 16, count: max(0, depth ?? s.hidden.count))
            }
            if let activation { s.activation = activation }
            if let initializer { s.initializer = initializer }
            if let scale { s.scale = scale }
            if let zoom { s.zoom = zoom }
            if let inputs { s.inputs = inputs }
            if let latent { s.latentSize = latent }
            if let seed { s.seed = seed }
            do { try s.validate() } catch {
                let flag = ["hidden": "--width/--depth/--hidden", "latent": "--latent"][error.keyPath ?? ""] ?? "--\(error.keyPath ?? "")"
                throw fail("\(flag): \(error.problem)", code: .badInput)
            }
            return s
        }

        /// The preset's name, or "cppn" without one.
        var name: String {
            guard let preset else { return "cppn" }
            return URL(fileURLWithPath: preset).deletingPathExtension().lastPathComponent
        }

        func run() throws {
            let s = try settings()
            Engine.setWorkerThreads(ProcessInfo.processInfo.activeProcessorCount)
            if let frames { try renderFrames(s, count: frames) } else { try renderStill(s) }
        }

        private func renderStill(_ s: CPPNSettings) throws {
            let file = out ?? "output/cppn/\(name)-\(s.fileTag)-\(size)px.png"
            try OutputFile.prepare(file, formats: ["png"])
            let start = DispatchTime.now().uptimeNanoseconds
            let cppn = CPPN(settings: s)
            let canvas = try CPPNPicture.render(cppn, size: size)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            try canvas.writePNG(to: file, compression: .small)
            print(file)
            print("  image      \(size) × \(size) px, zoom " + String(format: "%g", s.zoom) + ", inputs \(s.inputs.rawValue), "
                  + "seed \(s.seed); " + String(format: "network evaluated in %.2f s", seconds))
            printSummary(s, cppn: cppn)
        }

        private func renderFrames(_ s: CPPNSettings, count: Int) throws {
            let motion = sweep ?? (s.inputs == .xyrz ? .z : .scale)
            if motion == .z && s.inputs != .xyrz {
                throw fail("--sweep z needs the latent input (--inputs xyrz); use --sweep scale for \(s.inputs.rawValue)", code: .badInput)
            }
            let folder = out ?? "output/cppn/\(name)-\(s.fileTag)-\(size)px-\(motion.rawValue)"
            let line = FrameProgress()
            let result = try FrameSequences.renderCPPN(s, name: name, sweep: motion, frames: count, size: size, fps: fps,
                                                       into: folder, progress: { line.show($0, of: $1) })
            line.finish()
            let m = result.manifest
            print("cppn \(motion == .z ? "z loop" : "scale sweep 0 → " + String(format: "%g", s.scale)): \(m.count) frames, \(m.width)×\(m.height) px, "
                  + String(format: "%.1f s (%.1f frames/s)", result.seconds, result.framesPerSecond))
            printSummary(s, cppn: CPPN(settings: s))
            print("  frames     \(result.folder)/\(FrameManifest.fileName(0)) … \(FrameManifest.fileName(m.count - 1))")
            print("  manifest   \(result.manifestPath)")
            print("  encode     ganlab video \(VideoEncoder.shellQuoted(result.folder))")
            let command = ["ffmpeg"] + VideoEncoder.arguments(frames: result.folder, output: Video.defaultOutput(frameFolder: result.folder, format: .mp4),
                                                              format: .mp4, fps: m.fps)
            print("  or         " + command.map(VideoEncoder.shellQuoted).joined(separator: " "))
        }

        /// The network line and its intricacy at 256² (comparable across sizes).
        private func printSummary(_ s: CPPNSettings, cppn: CPPN) {
            print("  network    \(s.summary) (\(s.parameterCount) parameters)")
            print("  intricacy  \(ImageIntricacy(rgb: cppn.image(size: 256), size: 256)) (at 256²)")
        }
    }
}
