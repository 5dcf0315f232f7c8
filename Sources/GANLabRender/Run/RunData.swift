import Foundation
import GANLabCore
import GANLabEngine

/// A run folder opened for rendering: its config, trace and snapshots (never trains).
///
/// Every picture of a run draws the same probe latents (stored once in the trace) in the same
/// colours, and the same target samples (a fixed seed), so frames, snapshots and runs compare.
public final class RunData {
    /// The run folder.
    public let run: RunDirectory
    /// The resolved experiment (from the newest snapshot, else config.yaml).
    public let config: ExperimentConfig
    /// The toy problem.
    public let problem: ToyProblem
    /// The trace of G on the probe latents.
    public let trace: TraceReader
    /// Steps that have a full snapshot.
    public let snapshotSteps: [Int]

    /// Opens `path`; throws a message naming the folder when it is not a readable run.
    public init(path: String) throws {
        run = RunDirectory(path: path)
        guard FileManager.default.fileExists(atPath: run.configPath) else {
            throw RunError("\(path) is not a ganlab run folder (no config.yaml); give the folder `ganlab run` printed")
        }
        snapshotSteps = try run.listSnapshots()
        trace = try TraceReader(path: run.tracePath)
        if let newest = snapshotSteps.last {
            config = try Snapshot.read(from: run.snapshotPath(step: newest)).config
        } else {
            config = try ExperimentConfig.load(contentsOf: URL(fileURLWithPath: run.configPath))
        }
        problem = ToyProblem(config.problem)
    }

    /// The run's short name: "<experiment folder>/<run folder>".
    public var name: String {
        let url = URL(fileURLWithPath: run.path)
        return url.deletingLastPathComponent().lastPathComponent + "/" + url.lastPathComponent
    }

    /// The probe latents (probeCount × latent dimension).
    public var probeLatents: [Float] { trace.probeLatents }

    /// Plot extent of the latent plane: the uniform box, or ±3 for Gaussian latents.
    public var latentExtent: Double { problem.prior == .uniformBox ? 1 : 3 }

    /// `count` true samples from a fixed seed (the same in every picture of every run).
    public func targetSamples(count: Int = 5_000) -> [Float] {
        var rng = RandomSource(seed: 0x7A26_E7)
        return problem.sampleTargets(count: count, using: &rng)
    }

    /// The newest step available (trace or snapshot).
    public var lastStep: Int? { [trace.frameSteps.last, snapshotSteps.last].compactMap { $0 }.max() }

    /// G on the probe latents at `step` (default: the newest): the trace frame when there is one,
    /// else the snapshot's generator evaluated on the probes.
    public func probePoints(step: Int?) throws -> (step: Int, points: [Float]) {
        let wanted = step ?? lastStep ?? 0
        if let index = trace.frameIndex(step: wanted) {
            return (wanted, try trace.frame(at: index).points)
        }
        guard snapshotSteps.contains(wanted) else {
            let frames = trace.frameSteps
            let range = frames.isEmpty ? "no traced frames" : "traced steps \(frames.first ?? 0)…\(frames.last ?? 0) every \(config.output.frameEvery)"
            throw RunError("\(run.path) has no frame or snapshot at step \(wanted) (\(range); snapshots: "
                           + snapshotSteps.map(String.init).joined(separator: ", ") + ")")
        }
        let snapshot = try Snapshot.read(from: run.snapshotPath(step: wanted))
        return (wanted, snapshot.makeGenerator().predict(probeLatents, count: trace.probeCount))
    }

    /// The article's figure data at `step`: probes coloured by latent, drawn at G(z), target behind.
    public func mappingData(step: Int?, targetCount: Int = 5_000) throws -> MappingData {
        let (s, points) = try probePoints(step: step)
        return MappingData(prior: problem.prior, latentExtent: latentExtent, sampleExtent: problem.extent,
                           latents: probeLatents, points: points, target: targetSamples(count: targetCount),
                           title: "\(config.problem.rawValue) · \(name) · step \(s)")
    }

    /// The same figure for the oracle map f: what a perfect generator would show.
    public func oracleMappingData(targetCount: Int = 5_000) -> MappingData {
        var points = [Float](repeating: 0, count: 2 * trace.probeCount)
        probeLatents.withUnsafeBufferPointer { z in
            points.withUnsafeMutableBufferPointer { p in
                problem.applyOracle(latents: z, count: trace.probeCount, into: p)
            }
        }
        return MappingData(prior: problem.prior, latentExtent: latentExtent, sampleExtent: problem.extent,
                           latents: probeLatents, points: points, target: targetSamples(count: targetCount),
                           title: "\(config.problem.rawValue) · oracle map f (a perfect generator)")
    }
}
