import Foundation
import GANLabEngine

/// Where a running session is, for progress lines.
public struct TrainingProgress: Sendable {
    /// Steps completed.
    public var step: Int
    /// Steps the run trains for.
    public var totalSteps: Int
    /// Steps per second since this process started training.
    public var stepsPerSecond: Double
    /// Seconds of training in this process.
    public var elapsedSeconds: Double
    /// Statistics of the latest step.
    public var latest: StepStatistics
}

/// How a training session ended.
public struct RunSummary: Sendable {
    /// The run folder.
    public var runPath: String
    /// Step the run started from in this process (0 for a fresh run).
    public var startStep: Int
    /// Steps completed in total.
    public var finalStep: Int
    /// Steps the run trains for.
    public var totalSteps: Int
    /// Seconds spent training in this process.
    public var seconds: Double
    /// Steps per second in this process.
    public var stepsPerSecond: Double
    /// The newest snapshot on disk.
    public var lastSnapshotStep: Int?
    /// True when a stop was requested (Ctrl-C) before the last step.
    public var interrupted: Bool
    /// Latest statistics.
    public var latest: StepStatistics?
}

/// A training run on disk: trains, traces the probe set, logs, and writes snapshots (HOUSE_STYLE:
/// experiment file → config → trainer → snapshots on disk).
///
/// Order at every step s: train → log row (s % logEvery == 0) → trace frame (s % frameEvery == 0)
/// → diagnostics row and snapshot (s % snapshotEvery == 0, or the last step). The trace also holds step 0, the
/// untrained map. A resumed run restarts from its newest snapshot and drops the rows and frames
/// logged after it, so it ends byte-identical to an uninterrupted run.
public final class TrainingSession {
    /// The run folder.
    public let run: RunDirectory
    /// The GAN being trained.
    public let trainer: GANTrainer
    /// The fixed probe latents traced at every frame step (probeCount × latent dimension).
    public let probeLatents: [Float]
    /// Non-fatal notes for the user (e.g. a damaged newest snapshot was skipped on resume).
    public private(set) var warnings: [String] = []

    private let trace: TraceWriter
    private let metrics: MetricsLog
    private let startStep: Int
    private let wallOffset: Double

    private init(run: RunDirectory, trainer: GANTrainer, probeLatents: [Float], trace: TraceWriter,
                 metrics: MetricsLog, wallOffset: Double, warnings: [String]) {
        self.run = run
        self.trainer = trainer
        self.trace = trace
        self.metrics = metrics
        self.startStep = trainer.step
        self.wallOffset = wallOffset
        self.warnings = warnings
        self.probeLatents = probeLatents
        Engine.setWorkerThreads(trainer.config.train.threads)
    }

    /// The probe set of an experiment: drawn from the latent prior with a stream derived from the
    /// seed but separate from training, so changing training settings keeps the same probes.
    public static func probeLatents(for config: ExperimentConfig) -> [Float] {
        var rng = RandomSource(seed: config.seed ^ 0x5052_4F42_4553_4554)  // "PROBESET"
        return config.prior.sampleLatents(count: config.output.probeCount, using: &rng)
    }

    /// Starts a new run in `path` (created; it must not hold a run already).
    ///
    /// config.yaml is the first file written, so a run killed while starting leaves either an
    /// empty folder (or one holding only a temporary file), which `run --force` replaces, or a
    /// folder with its config, which `run --resume` restarts. A file target's bytes (`target`,
    /// already read and checked, their checksum in `config`) are copied next, as
    /// `RunDirectory.targetPath(for:)`; the run reads only that copy from then on.
    public static func create(config: ExperimentConfig, configYAML: String, at path: String,
                              target: [UInt8]? = nil) throws -> TrainingSession {
        precondition(config.problem.isFileTarget == (target != nil), "a file target's bytes go with its config")
        let run = RunDirectory(path: path)
        // `train.kernels: auto` becomes the plan measured on this machine, recorded in config.yaml
        // and every snapshot, so a resume multiplies as the run did.
        let resolved = config.resolvingKernels().config
        try makeDirectories(run.path)
        try run.writeConfig(resolved == config ? configYAML : resolved.yamlText)
        if let target { try writeAtomically(target, to: run.targetPath(for: config.problem)) }
        return try fresh(config: resolved, run: run, warnings: [])
    }

    private static func fresh(config: ExperimentConfig, run: RunDirectory, warnings: [String]) throws -> TrainingSession {
        let problem = try ToyProblem(config: config, run: run)
        try makeDirectories(run.snapshotsPath)
        try? FileManager.default.removeItem(atPath: run.metricsPath)
        try? FileManager.default.removeItem(atPath: SnapshotDiagnostics.path(in: run))
        let trainer = GANTrainer(config: config, problem: problem)
        let probes = probeLatents(for: config)
        let trace = try TraceWriter.create(path: run.tracePath, probeLatents: probes,
                                           latentDimension: trainer.problem.latentDimension)
        let session = TrainingSession(run: run, trainer: trainer, probeLatents: probes, trace: trace,
                                      metrics: try MetricsLog(path: run.metricsPath, penalty: config.train.penalty != .none), wallOffset: 0, warnings: warnings)
        if config.output.frameEvery > 0 { try session.traceFrame(stats: nil) }
        return session
    }

    /// Continues the run in `path` from its newest readable snapshot (or from scratch when it has
    /// none), after dropping log rows and trace frames written after that snapshot.
    ///
    /// `steps` sets a new training length (at least the snapshot's step): a finished run then
    /// trains on, and `config.yaml` records the new length, so the folder ends as a run configured
    /// for `steps` from the start would (byte for byte, at the same thread count and build).
    public static func resume(at path: String, steps: Int? = nil,
                              configLoader: (String) throws -> ExperimentConfig) throws -> TrainingSession {
        let run = RunDirectory(path: path)
        var warnings: [String] = []
        for step in try run.listSnapshots().reversed() {
            var snapshot: Snapshot
            do {
                snapshot = try Snapshot.read(from: run.snapshotPath(step: step))
            } catch {
                warnings.append("skipped damaged snapshot: \(error)")
                continue
            }
            if let steps {
                guard steps >= snapshot.step else {
                    throw RunError("\(path) is at step \(snapshot.step); --steps \(steps) would go back, "
                                   + "give \(snapshot.step) or more")
                }
                snapshot.config.train.steps = steps
            }
            try run.removeTemporaryFiles()
            if steps != nil { try retarget(run, config: snapshot.config, through: snapshot.step) }
            let trainer = GANTrainer(snapshot: snapshot, problem: try ToyProblem(config: snapshot.config, run: run))
            try RunDirectory.trimCSV(at: run.metricsPath, keepingRowsThrough: snapshot.step)
            try RunDirectory.trimCSV(at: SnapshotDiagnostics.path(in: run), keepingRowsThrough: snapshot.step)
            try completeDiagnostics(of: trainer, in: run)
            let probes = try TraceReader(path: run.tracePath).probeLatents
            let trace = try TraceWriter.open(path: run.tracePath)
            try trace.truncate(keepingFramesThrough: snapshot.step)
            return TrainingSession(run: run, trainer: trainer, probeLatents: probes, trace: trace,
                                   metrics: try MetricsLog(path: run.metricsPath,
                                                           penalty: snapshot.config.train.penalty != .none),
                                   wallOffset: MetricsLog.lastWallSeconds(path: run.metricsPath), warnings: warnings)
        }
        // No snapshot yet: the run was killed early; start it again from its config.
        var config = try configLoader(run.configPath)
        if let steps {
            config.train.steps = steps
            try run.writeConfig(config.yamlText)
        }
        try run.removeTemporaryFiles()
        warnings.append("no snapshot in \(run.snapshotsPath) yet: restarting the run from step 0")
        return try fresh(config: config, run: run, warnings: warnings)
    }

    /// Records a new training length: `config.yaml` and the config embedded in every snapshot up
    /// to `step` take `config` (training up to a step does not depend on the planned length, so
    /// the run folder is then the one a run configured this way from the start leaves). Each file
    /// is replaced atomically; a kill part-way leaves snapshots that all load.
    private static func retarget(_ run: RunDirectory, config: ExperimentConfig, through step: Int) throws {
        for earlier in try run.listSnapshots() where earlier <= step {
            // A damaged earlier snapshot stays as it is (resume already passed over it or never needs it).
            guard var snapshot = try? Snapshot.read(from: run.snapshotPath(step: earlier)),
                  snapshot.config != config else { continue }
            snapshot.config = config
            try snapshot.write(to: run.snapshotPath(step: earlier))
        }
        try run.writeConfig(config.yamlText)
    }

    /// Appends the diagnostics row of the snapshot a run resumes from when a kill came between
    /// writing that snapshot and its row (the row is written second, so it never names a
    /// snapshot that does not exist).
    private static func completeDiagnostics(of trainer: GANTrainer, in run: RunDirectory) throws {
        guard SnapshotDiagnostics.read(from: run).last?.step != trainer.step else { return }
        let report = SnapshotDiagnostics.evaluate(problem: trainer.problem, generator: trainer.generator.latentMap,
                                                  configuredGrid: trainer.config.output.diagnosticsGrid)
        try SnapshotDiagnostics.append(report, step: trainer.step, to: run)
    }

    // MARK: - Training

    /// Trains until the configured step count (or `stopAt`, for tests), or until `shouldStop`
    /// returns true, in which case a snapshot of the current step is written first.
    ///
    /// `progress` is called at most about four times a second, and once at the end;
    /// `onSnapshot` after each snapshot is written with its diagnostics, with its step.
    public func train(stopAt: Int? = nil, shouldStop: () -> Bool = { false },
                      progress: (TrainingProgress) -> Void = { _ in },
                      onSnapshot: (Int) -> Void = { _ in }) throws -> RunSummary {
        let config = trainer.config
        let total = config.train.steps
        let end = min(stopAt ?? total, total)
        let out = config.output
        let clock = ContinuousClock()
        let started = clock.now
        var lastReport = started
        var latest: StepStatistics?
        var lastSnapshot = try run.newestSnapshotStep()
        var interrupted = false
        func elapsed() -> Double {
            let d = clock.now - started
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        func report(_ stats: StepStatistics) {
            let e = elapsed()
            progress(TrainingProgress(step: trainer.step, totalSteps: total,
                                      stepsPerSecond: Double(trainer.step - startStep) / max(e, 1e-9),
                                      elapsedSeconds: e, latest: stats))
        }

        while trainer.step < end {
            if shouldStop() { interrupted = true; break }
            let s = trainer.step + 1
            let logNow = s % out.logEvery == 0
            let stats: StepStatistics
            do {
                stats = try trainer.trainStep(measureGradients: logNow)
            } catch {
                try? metrics.sync()
                try? trace.sync()
                throw error
            }
            latest = stats
            if logNow { try metrics.append(step: s, stats, wallSeconds: wallOffset + elapsed()) }
            if out.frameEvery > 0 && s % out.frameEvery == 0 { try traceFrame(stats: stats) }
            if (out.snapshotEvery > 0 && s % out.snapshotEvery == 0) || s == total {
                try writeSnapshot()
                lastSnapshot = s
                onSnapshot(s)
            }
            let now = clock.now
            if now - lastReport > .milliseconds(250) {
                lastReport = now
                report(stats)
            }
        }
        if interrupted && lastSnapshot != trainer.step {
            try writeSnapshot()
            lastSnapshot = trainer.step
        }
        try metrics.sync()
        try trace.sync()
        if let latest { report(latest) }
        let seconds = elapsed()
        return RunSummary(runPath: run.path, startStep: startStep, finalStep: trainer.step, totalSteps: total,
                          seconds: seconds, stepsPerSecond: Double(trainer.step - startStep) / max(seconds, 1e-9),
                          lastSnapshotStep: lastSnapshot, interrupted: interrupted, latest: latest)
    }

    /// G on the probe set, appended to the trace.
    private func traceFrame(stats: StepStatistics?) throws {
        let points = trainer.generate(latents: probeLatents, count: trainer.config.output.probeCount)
        try trace.append(step: trainer.step, dLoss: Float(stats?.discriminatorLoss ?? .nan),
                         gLoss: Float(stats?.generatorLoss ?? .nan), points: points)
    }

    /// Writes the current state atomically, after forcing the log and trace to disk so that they
    /// always reach at least as far as the newest snapshot, then its diagnostics row (so the
    /// table never has a row for a snapshot that was not written).
    private func writeSnapshot() throws {
        guard trainer.parametersAreFinite else {
            throw DivergenceError(step: trainer.step, network: trainer.generator.parameters.allSatisfy(\.isFinite)
                                  ? "discriminator" : "generator", what: "weights")
        }
        try metrics.sync()
        try trace.sync()
        let report = SnapshotDiagnostics.evaluate(problem: trainer.problem, generator: trainer.generator.latentMap,
                                                  configuredGrid: trainer.config.output.diagnosticsGrid)
        try trainer.snapshot().write(to: run.snapshotPath(step: trainer.step))
        try SnapshotDiagnostics.append(report, step: trainer.step, to: run)
    }
}
