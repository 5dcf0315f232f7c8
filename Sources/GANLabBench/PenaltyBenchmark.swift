import Foundation
import GANLabCore
import GANLabEngine

/// Times the discriminator step with and without a gradient penalty (`ganlab bench --part
/// penalty`): the plain D step, then R1 and WGAN-GP, alternating in rounds so that drift in the
/// machine's speed falls on all three alike. The penalised step's cost is reported as a ratio to
/// the plain step's in the same round.
public struct PenaltyBenchmark: Sendable {
    /// Seconds per timed repeat.
    public var secondsPerRepeat: Double
    /// Timed repeats per variant and round (the median is kept).
    public var repeats: Int
    /// Rounds (each times every variant once).
    public var rounds: Int

    /// A benchmark with these settings.
    public init(secondsPerRepeat: Double, repeats: Int, rounds: Int) {
        self.secondsPerRepeat = secondsPerRepeat
        self.repeats = repeats
        self.rounds = rounds
    }

    /// The penalties compared with the plain step.
    public static let penalties: [GradientPenaltyKind] = [.r1, .wganGP]

    /// D steps per second of `config` (its penalty as configured): warm-up, calibration, then
    /// the median of `repeats` repeats.
    public func discriminatorStepsPerSecond(_ config: ExperimentConfig) -> Double {
        Engine.setWorkerThreads(config.train.threads)
        let trainer = GANTrainer(config: config)
        return Statistics.median(TrainingBenchmark.stepsPerSecond(secondsPerRepeat: secondsPerRepeat, repeats: repeats) {
            _ = try? trainer.timedDiscriminatorStep()
        })
    }

    /// One configuration's result: per round, the plain step's speed and each penalty's cost ratio.
    public struct Row: Sendable {
        /// The configuration's name.
        public var name: String
        /// Plain D steps per second, one per round.
        public var plain: [Double] = []
        /// Per penalty, (plain speed / penalised speed) per round.
        public var costRatios: [GradientPenaltyKind: [Double]] = [:]

        /// The row of `PenaltyBenchmark.tableHeader`.
        public var tableLine: String {
            let p = Statistics.median(plain)
            return "| \(name) | " + String(format: "%.3f", 1000 / p) + " | "
                + PenaltyBenchmark.penalties.map { kind in
                    let r = costRatios[kind] ?? []
                    return String(format: "%.3f | %.2f× (%.2f–%.2f)", 1000 / p * Statistics.median(r), Statistics.median(r),
                                  r.min() ?? 0, r.max() ?? 0)
                }.joined(separator: " | ") + " |"
        }
    }

    /// The markdown table's header and alignment lines.
    public static let tableHeader = [
        "| config | plain D step ms | R1 D step ms | R1 / plain | WGAN-GP D step ms | WGAN-GP / plain |",
        "|---|---:|---:|---:|---:|---:|",
    ]

    /// Times `config` plain and with each penalty (weight 10, every step), `rounds` times.
    public func measure(name: String, config: ExperimentConfig) -> Row {
        var row = Row(name: name)
        var plain = config
        plain.train.penalty = .none
        for _ in 0..<rounds {
            let base = discriminatorStepsPerSecond(plain)
            row.plain.append(base)
            for kind in Self.penalties {
                var c = config
                c.train.penalty = kind
                c.train.penaltyWeight = 10
                c.train.penaltyInterval = 1
                row.costRatios[kind, default: []].append(base / discriminatorStepsPerSecond(c))
            }
        }
        return row
    }
}
