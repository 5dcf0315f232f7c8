import Foundation
import GANLabCore
import GANLabEngine

/// The comparison of `make bench`: for each reference configuration, rounds that measure the
/// ceilings, time ganlab, then time the PyTorch reference; then a markdown table of medians.
///
/// The ceiling is measured in every round, next to the training it is compared with: a virtual
/// machine's speed can drift by ±10 % over minutes, and a fraction of a ceiling measured at
/// another time would mostly measure the drift.
public struct TorchComparison: Sendable {
    /// Engine threads for ganlab, OpenBLAS threads for the sgemm ceiling, threads for PyTorch.
    public var threads: Int
    /// Seconds per timed training repeat (each ceiling repeat takes a quarter of it).
    public var secondsPerRepeat: Double
    /// Timed repeats per round, for ganlab, PyTorch and each ceiling.
    public var repeats: Int
    /// Rounds per configuration.
    public var rounds: Int
    /// The PyTorch side.
    public var torch: TorchReference

    /// A comparison with these settings.
    public init(threads: Int, secondsPerRepeat: Double, repeats: Int, rounds: Int, torch: TorchReference) {
        self.threads = threads
        self.secondsPerRepeat = secondsPerRepeat
        self.repeats = repeats
        self.rounds = rounds
        self.torch = torch
    }

    /// Everything measured for one configuration, over all its rounds.
    public struct Row: Sendable {
        /// The configuration.
        public var reference: TrainingBenchmark.Case
        /// Matrix-product FLOPs of one training step.
        public var flopsPerStep: Double
        /// ganlab's steps per second, every repeat of every round.
        public var ganlab: [Double] = []
        /// PyTorch's steps per second, every repeat of every round (empty when skipped).
        public var torch: [Double] = []
        /// Per round: the faster of the medians of the sgemm and engine-product ceilings.
        public var roundCeilings: [Double] = []
        /// Per round: the median of the sgemm ceiling.
        public var roundSgemm: [Double] = []
        /// Every sgemm ceiling value (GFLOP/s).
        public var sgemmValues: [Double] = []
        /// Every engine-product ceiling value (GFLOP/s).
        public var engineValues: [Double] = []
        /// The 1-minute load average after the rounds.
        public var load = ""
        /// Share of CPU time stolen by the hypervisor during the rounds, in %.
        public var stealPercent = 0.0
        /// The PyTorch reference's last failure, if any.
        public var torchFailure: String?

        /// The row of the markdown table (`TorchComparison.tableHeader`).
        public var tableLine: String {
            let config = reference.config
            let mine = Statistics.median(ganlab), reference = torch.isEmpty ? nil : Statistics.median(torch)
            let gflops = flopsPerStep * mine / 1e9
            let ceiling = Statistics.median(roundCeilings), sgemmCeiling = Statistics.median(roundSgemm)
            let name = self.reference.name + (config.train.penalty == .none ? "" : " + \(config.train.penalty.rawValue)")
            return "| \(name) | \(config.generator.hidden.map(String.init).joined(separator: "·")) "
                + "| \(config.discriminator.hidden.map(String.init).joined(separator: "·")) "
                + String(format: "| %.3f | %.1f | ", flopsPerStep / 1e9, mine)
                + (reference.map { String(format: "%.1f | %.2f× | ", $0, mine / $0) } ?? "skipped | skipped | ")
                + String(format: "%.1f | %.1f | %.0f %% | %.1f | %.0f %% | ", gflops, ceiling, 100 * gflops / ceiling,
                         sgemmCeiling, 100 * gflops / sgemmCeiling)
                + load + String(format: " | %.1f %% |", stealPercent)
        }
    }

    /// The lines printed before the table: machine, build, threads, PyTorch, what the ceiling is.
    public var preamble: [String] {
        var lines = [
            "machine: \(MachineLoad.cpuModel), \(ProcessInfo.processInfo.activeProcessorCount) cores; \(GEMM.blasDescription)",
            GEMM.engineDescription,
            "threads: \(threads) (ganlab and PyTorch); load average before: \(MachineLoad.loadAverage)",
        ]
        switch torch.availability {
        case .available(let version): lines.append("PyTorch \(version): \(torch.script) (variant \(TorchReference.variant))")
        case .unavailable(let reason): lines.append("PyTorch reference skipped: \(reason); the ratios are skipped.")
        }
        lines.append("ceiling: the faster of OpenBLAS sgemm (512³, \(threads) threads) and the engine's own 512³ product "
                     + "(\(threads) threads), both measured in every round just before ganlab is timed; each row is compared "
                     + "with the median over its own rounds (and, in the sgemm columns, with OpenBLAS alone)")
        return lines
    }

    /// The markdown table's header and alignment lines.
    public static let tableHeader = [
        "| config | G hidden | D hidden | GFLOP/step | ganlab steps/s | PyTorch steps/s | ratio | ganlab GFLOP/s | ceiling GFLOP/s | % of ceiling | sgemm GFLOP/s | % of sgemm | load | steal |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    /// Runs every round of one configuration: the two ceilings, ganlab, then PyTorch (when available).
    public func measure(_ reference: TrainingBenchmark.Case) -> Row {
        let steal = MachineLoad.StealMeter()
        var row = Row(reference: reference, flopsPerStep: TrainingBenchmark.flopsPerStep(reference.config))
        for _ in 0..<rounds {
            let sgemm = Ceiling.sgemm(size: 512, threads: threads, seconds: secondsPerRepeat / 4, repeats: 3)
            let engine = Ceiling.engineProduct(size: 512, seconds: secondsPerRepeat / 4, repeats: 3)
            row.roundCeilings.append(max(Statistics.median(sgemm), Statistics.median(engine)))
            row.roundSgemm.append(Statistics.median(sgemm))
            row.sgemmValues += sgemm
            row.engineValues += engine
            row.ganlab += TrainingBenchmark.measure(config: reference.config, secondsPerRepeat: secondsPerRepeat,
                                                    repeats: repeats).allStepsPerSecond
            if torch.isAvailable {
                let t = reference.config.train
                switch torch.run(config: reference.name, threads: threads, repeats: repeats, penalty: t.penalty,
                                 penaltyWeight: t.penaltyWeight) {
                case .success(let speeds): row.torch += speeds
                case .failure(let error): row.torchFailure = error.message
                }
            }
        }
        row.load = MachineLoad.oneMinuteLoad
        row.stealPercent = steal.percent
        return row
    }

    /// The closing paragraph: rounds, the ceilings over all rows, the load average after.
    public func summary(of rows: [Row]) -> String {
        let ceilings = rows.flatMap(\.roundCeilings), sgemm = rows.flatMap(\.sgemmValues)
        let engine = rows.flatMap(\.engineValues)
        return "Medians over \(rounds) alternating rounds of \(repeats) repeats each. "
            + String(format: "Ceiling over all rounds: median %.1f, range %.1f–%.1f GFLOP/s ",
                     Statistics.median(ceilings), ceilings.min() ?? 0, ceilings.max() ?? 0)
            + String(format: "(OpenBLAS sgemm median %.1f, range %.1f–%.1f; engine product median %.1f, range %.1f–%.1f). ",
                     Statistics.median(sgemm), sgemm.min() ?? 0, sgemm.max() ?? 0,
                     Statistics.median(engine), engine.min() ?? 0, engine.max() ?? 0)
            + "load average after: \(MachineLoad.loadAverage)"
    }
}
