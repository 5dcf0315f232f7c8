import Foundation
import GANLabCore
import GANLabEngine

/// A run folder opened for rendering: its config, trace and snapshots (never trains).
///
/// Every picture of a run draws the same probe latents (stored once in the trace) in the same
/// colours, and the same target samples (a fixed seed), so frames, snapshots and runs compare.
/// A run opened for its averaged generator (`GeneratorWeights.averaged`, `--ema`) draws θ_EMA from
/// its snapshots wherever G appears, never the trace (which records the trained weights), and
/// says so in every title.
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
    /// Which of G's weights the pictures show: the trained ones, or their moving average.
    public let generatorWeights: GeneratorWeights

    /// Opens `path` to draw `generator`; throws a message naming the folder when it is not a
    /// readable run, or when the averaged generator is asked of a run that keeps none.
    public init(path: String, generator: GeneratorWeights = .trained) throws {
        run = RunDirectory(path: path)
        generatorWeights = generator
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
        problem = try ToyProblem(config: config, run: run)
        if generator == .averaged && config.train.generatorAverage == 0 {
            throw RunError(RunDirectory.noAverageMessage(run: path))
        }
    }

    /// Which generator the pictures show, in the words of their titles ("G: EMA β = 0.999"), or
    /// nil for a run that keeps no average.
    public var generatorCaption: String? { generatorWeights.caption(config: config) }

    /// `title` followed by the generator caption, when there is one.
    func captioned(_ title: String) -> String {
        generatorCaption.map { title + " · " + $0 } ?? title
    }

    /// The snapshot at `step` (the newest when nil), with the generator this run is opened for.
    public func loadSnapshot(step: Int?) throws -> Snapshot {
        try run.loadSnapshot(step: step, generator: generatorWeights)
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

    /// The newest step available (trace or snapshot; only snapshots for the averaged generator).
    public var lastStep: Int? {
        guard generatorWeights == .trained else { return snapshotSteps.last }
        return [trace.frameSteps.last, snapshotSteps.last].compactMap { $0 }.max()
    }

    /// G on the probe latents at `step` (default: the newest): the trace frame when there is one
    /// (trained weights only), else the snapshot's generator evaluated on the probes.
    public func probePoints(step: Int?) throws -> (step: Int, points: [Float]) {
        let wanted = step ?? lastStep ?? 0
        if generatorWeights == .trained, let index = trace.frameIndex(step: wanted) {
            return (wanted, try trace.frame(at: index).points)
        }
        guard snapshotSteps.contains(wanted) else {
            let snapshots = "snapshots: " + snapshotSteps.map(String.init).joined(separator: ", ")
            guard generatorWeights == .trained else {
                throw RunError("\(run.path) has no snapshot at step \(wanted); the averaged generator is stored in "
                               + "snapshots only (the trace records the trained weights) (\(snapshots))")
            }
            let frames = trace.frameSteps
            let range = frames.isEmpty ? "no traced frames" : "traced steps \(frames.first ?? 0)…\(frames.last ?? 0) every \(config.output.frameEvery)"
            throw RunError("\(run.path) has no frame or snapshot at step \(wanted) (\(range); \(snapshots))")
        }
        let snapshot = try loadSnapshot(step: wanted)
        return (wanted, snapshot.makeGenerator().predict(probeLatents, count: trace.probeCount))
    }

    /// The article's figure data at `step`: probes coloured by latent, drawn at G(z), target behind.
    public func mappingData(step: Int?, targetCount: Int = 5_000) throws -> MappingData {
        let (s, points) = try probePoints(step: step)
        return MappingData(prior: problem.prior, latentExtent: latentExtent, sampleExtent: problem.extent,
                           latents: probeLatents, points: points, target: targetSamples(count: targetCount),
                           title: captioned("\(config.problem.rawValue) · \(name) · step \(s)"))
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
