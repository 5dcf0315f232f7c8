/// Which of a run's generators a picture, a sample file or a measurement shows: the trained
/// weights θ, or their moving average θ_EMA (`train.generatorAverage`, Yazıcı et al. 2019).
public enum GeneratorWeights: String, CaseIterable, Equatable, Sendable {
    /// θ, the weights training produced (what the trace records).
    case trained
    /// θ_EMA, the exponential moving average of θ over the generator steps.
    case averaged

    /// The words pictures and diagnostics add to say which generator they show: "G: EMA β = 0.999"
    /// or "G: trained weights" for a run that keeps an average, nothing for a run that keeps
    /// none (it has one generator).
    public func caption(config: ExperimentConfig) -> String? {
        switch self {
        case .averaged: return "G: EMA β = \(config.train.generatorAverage)"
        case .trained: return config.train.generatorAverage > 0 ? "G: trained weights" : nil
        }
    }

    /// The name diagnose's CSV and JSON give the generator: "ema" or "trained".
    public var name: String { self == .averaged ? "ema" : "trained" }

    /// Appended to the names of files that show this generator ("mapping-4000-ema.png"), so the
    /// pictures of both generators can sit side by side in a run folder.
    public var fileSuffix: String { self == .averaged ? "-ema" : "" }
}

extension RunDirectory {
    /// The snapshot at `step` (the newest when nil) with the generator `weights`: for `.averaged`,
    /// θ_EMA in place of θ. A run that keeps no average is refused, as bad input, naming the run.
    public func loadSnapshot(step: Int? = nil, generator weights: GeneratorWeights) throws -> Snapshot {
        let snapshot = try loadSnapshot(step: step)
        guard weights == .averaged else { return snapshot }
        guard let averaged = snapshot.usingAveragedGenerator() else {
            throw RunError(Self.noAverageMessage(run: path))
        }
        return averaged
    }

    /// Why `--ema` cannot be used on the run at `run`.
    public static func noAverageMessage(run: String) -> String {
        "\(run) has no averaged generator: it was trained with train.generatorAverage 0; --ema needs a run "
            + "trained with train.generatorAverage > 0 (e.g. 0.999)"
    }
}
