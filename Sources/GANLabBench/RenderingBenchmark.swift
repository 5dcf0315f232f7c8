import Foundation
import GANLabCore
import GANLabRender

/// Frames per second of a 5,000-point timelapse at 800 px (PNG written) and the wall time of a
/// 300-frame morph of 10,000 points, on a tiny spiral run trained in a temporary folder.
public struct RenderingBenchmark {
    /// Why the benchmark could not prepare its run.
    public struct Failure: Error, CustomStringConvertible {
        /// The sentence for the user.
        public var description: String
    }

    /// One timed sequence: what was rendered and the CPU it took.
    public struct Row: Sendable {
        /// The sequence's name in the table.
        public var name: String
        /// The render's result (frames, wall seconds).
        public var result: FrameSequenceResult
        /// Process CPU seconds of the render (all threads).
        public var cpu: Double
        /// Points drawn per frame.
        public var points: Int

        /// The row of the table under `tableHeader`.
        public var tableLine: String {
            let frames = result.manifest.count
            return TableText.pad(name, 51) + String(format: " %6d  %6d  %8.2f  %8.1f  %12.1f", frames, points, result.seconds,
                                                    result.framesPerSecond, 1000 * cpu / Double(frames))
        }
    }

    /// The run folder the sequences are rendered from.
    public let folder: String

    /// Trains the tiny spiral run (2 × 32 networks, 600 steps, 5,000 probes, a frame every 5
    /// steps) on `threads` engine threads in a new temporary folder; `removeRun` deletes it.
    public static func prepare(threads: Int) throws(Failure) -> RenderingBenchmark {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ganlab-bench-\(UUID().uuidString)").path
        var config = ExperimentConfig()
        config.problem = .spiral
        config.generator.hidden = [32, 32]
        config.discriminator.hidden = [32, 32]
        config.train.steps = 600
        config.train.threads = threads
        config.output.probeCount = 5_000
        config.output.frameEvery = 5
        config.output.logEvery = 50
        config.output.snapshotEvery = 300
        do {
            _ = try TrainingSession.create(config: config, configYAML: config.yamlText, at: folder).train()
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw Failure(description: "bench could not train its tiny run in \(folder): \(error)")
        }
        return RenderingBenchmark(folder: folder)
    }

    /// Deletes the run folder.
    public func removeRun() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The table's header line.
    public static func tableHeader(cores: Int) -> String {
        "rendering (800 px frames, PNG written, \(cores) threads)  frames  points   seconds  frames/s  CPU ms/frame"
    }

    /// The note under the table: how CPU time per frame relates to frames per second.
    public static func footnote(cores: Int) -> String {
        "(CPU ms/frame is process CPU time over all threads, nearly independent of other load on the machine, "
            + "so an idle machine renders about \(cores) × 1000 / that many frames per second)"
    }

    /// Renders an 8-frame warm-up, then the full timelapse `repeats` times; the repeat with the
    /// median wall time.
    public func timelapse(repeats: Int) throws -> Row {
        var warmUp = FrameSequenceOptions()
        warmUp.frameCount = 8
        _ = try FrameSequences.render(runFolder: folder, sequence: .timelapse, options: warmUp)
        var runs: [(result: FrameSequenceResult, cpu: Double)] = []
        for _ in 0..<max(1, repeats) {
            runs.append(try Stopwatch.measuringCPU { try FrameSequences.render(runFolder: folder, sequence: .timelapse) })
        }
        let median = runs.sorted { $0.result.seconds < $1.result.seconds }[runs.count / 2]
        return Row(name: "timelapse", result: median.result, cpu: median.cpu, points: 5_000)
    }

    /// Renders the 300-frame morph of 10,000 points once.
    public func morph() throws -> Row {
        var options = FrameSequenceOptions()
        options.points = 10_000
        options.frameCount = 300
        let run = try Stopwatch.measuringCPU {
            try FrameSequences.render(runFolder: folder, sequence: .morph, options: options)
        }
        return Row(name: "morph", result: run.result, cpu: run.cpu, points: 10_000)
    }
}
