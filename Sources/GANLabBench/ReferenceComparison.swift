import Foundation
import GANLabCore
import GANLabEngine

/// The comparison of `make bench`: for each reference configuration, rounds that measure the
/// ceilings, time ganlab, then time each Python reference (PyTorch, then JAX) that can run; then
/// a markdown table of medians.
///
/// The ceiling is measured in every round, next to the training it is compared with: a virtual
/// machine's speed can drift by ±10 % over minutes, and a fraction of a ceiling measured at
/// another time would mostly measure the drift.
public struct ReferenceComparison: Sendable {
    /// Engine threads for ganlab, OpenBLAS threads for the sgemm ceiling, threads for the references.
    public var threads: Int
    /// Seconds per timed training repeat (each ceiling repeat takes a quarter of it).
    public var secondsPerRepeat: Double
    /// Timed repeats per round, for ganlab, each reference and each ceiling.
    public var repeats: Int
    /// Rounds per configuration.
    public var rounds: Int
    /// The gradient penalty every configuration's D step takes (`none` for the plain step).
    public var penalty: GradientPenaltyKind
    /// The Python references, one per framework of `PythonReference.Framework.allCases`, in that order.
    public var references: [PythonReference]

    /// A comparison with these settings; `references` should hold one reference per framework
    /// (a framework without one is reported as skipped).
    public init(threads: Int, secondsPerRepeat: Double, repeats: Int, rounds: Int,
                penalty: GradientPenaltyKind = .none, references: [PythonReference]) {
        self.threads = threads
        self.secondsPerRepeat = secondsPerRepeat
        self.repeats = repeats
        self.rounds = rounds
        self.penalty = penalty
        self.references = references
    }

    /// The reference of `framework`, if the comparison has one.
    public func reference(_ framework: PythonReference.Framework) -> PythonReference? {
        references.first { $0.framework == framework }
    }

    /// Why `framework` is left out, or nil when it takes part.
    public func skipReason(_ framework: PythonReference.Framework) -> String? {
        guard let reference = reference(framework) else { return "no \(framework.displayName) reference configured" }
        return reference.skipReason(penalty: penalty)
    }

    /// Everything measured for one configuration, over all its rounds.
    public struct Row: Sendable {
        /// The configuration.
        public var reference: TrainingBenchmark.Case
        /// Matrix-product FLOPs of one training step.
        public var flopsPerStep: Double
        /// ganlab's steps per second, every repeat of every round.
        public var ganlab: [Double] = []
        /// Each reference's steps per second, every repeat of every round (absent or empty when skipped).
        public var references: [PythonReference.Framework: [Double]] = [:]
        /// Each reference's compile time (first call) per round, when its script reports one.
        public var compileSeconds: [PythonReference.Framework: [Double]] = [:]
        /// Each reference's last failure, if any.
        public var failures: [PythonReference.Framework: String] = [:]
        /// Per round: the faster of the medians of the sgemm and engine-product ceilings.
        public var roundCeilings: [Double] = []
        /// Per round: the median of the sgemm ceiling.
        public var roundSgemm: [Double] = []
        /// Every sgemm ceiling value (GFLOP/s).
        public var sgemmValues: [Double] = []
        /// Every engine-product ceiling value (GFLOP/s).
        public var engineValues: [Double] = []
        /// Per round: the median of the FMA peak (`ArithmeticPeak`).
        public var roundPeaks: [Double] = []
        /// The 1-minute load average after the rounds.
        public var load = ""
        /// Share of CPU time stolen by the hypervisor during the rounds, in %.
        public var stealPercent = 0.0

        /// A row for `reference` with nothing measured yet.
        public init(reference: TrainingBenchmark.Case, flopsPerStep: Double) {
            self.reference = reference
            self.flopsPerStep = flopsPerStep
        }

        /// The row of the markdown table (`ReferenceComparison.tableHeader`): for each framework
        /// its steps/s and ganlab's ratio to it, or `skipped` twice.
        public var tableLine: String {
            let config = reference.config
            let mine = Statistics.median(ganlab)
            let gflops = flopsPerStep * mine / 1e9
            let ceiling = Statistics.median(roundCeilings), sgemmCeiling = Statistics.median(roundSgemm)
            let peak = Statistics.median(roundPeaks)
            let name = self.reference.name + (config.train.penalty == .none ? "" : " + \(config.train.penalty.rawValue)")
            let frameworks = PythonReference.Framework.allCases.map { framework -> String in
                guard let speeds = references[framework], !speeds.isEmpty else { return "skipped | skipped | " }
                let median = Statistics.median(speeds)
                return String(format: "%.1f | %.2f× | ", median, mine / median)
            }.joined()
            return "| \(name) | \(config.generator.hidden.map(String.init).joined(separator: "·")) "
                + "| \(config.discriminator.hidden.map(String.init).joined(separator: "·")) "
                + String(format: "| %.3f | %.1f | ", flopsPerStep / 1e9, mine)
                + frameworks
                + String(format: "%.1f | %.1f | %.0f %% | %.1f | %.0f %% | %.1f | %.0f %% | ", gflops, ceiling,
                         100 * gflops / ceiling, sgemmCeiling, 100 * gflops / sgemmCeiling, peak, 100 * gflops / peak)
                + load + String(format: " | %.1f %% |", stealPercent)
        }
    }

    /// The lines printed before the table: machine, build, threads, each reference or why it is
    /// skipped, what the ceiling is.
    public var preamble: [String] {
        var lines = [
            "machine: \(MachineLoad.cpuModel), \(ProcessInfo.processInfo.activeProcessorCount) cores; \(GEMM.blasDescription)",
            GEMM.engineDescription,
            "threads: \(threads) (ganlab, PyTorch and JAX); load average before: \(MachineLoad.loadAverage)",
        ]
        for framework in PythonReference.Framework.allCases {
            let name = framework.displayName
            if let reason = skipReason(framework) {
                lines.append("\(name) reference skipped: \(reason); the ratios to \(name) are skipped.")
            } else if let reference = reference(framework), case .available(let version) = reference.availability {
                lines.append("\(name) \(version): \(reference.script) (\(framework.method))")
            }
        }
        lines.append("ceiling: the faster of OpenBLAS sgemm (512³, \(threads) threads) and the engine's own 512³ product "
                     + "(\(threads) threads), both measured in every round just before ganlab is timed; each row is compared "
                     + "with the median over its own rounds (and, in the sgemm columns, with OpenBLAS alone); "
                     + "FMA peak: fused multiply-adds alone in registers on \(threads) threads, the bound no product passes")
        return lines
    }

    /// The markdown table's header and alignment lines.
    public static let tableHeader = [
        "| config | G hidden | D hidden | GFLOP/step | ganlab steps/s | PyTorch steps/s | ratio to PyTorch "
            + "| JAX steps/s | ratio to JAX | ganlab GFLOP/s | ceiling GFLOP/s | % of ceiling | sgemm GFLOP/s "
            + "| % of sgemm | FMA peak GFLOP/s | % of peak | load | steal |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    /// Runs every round of one configuration: the two ceilings, ganlab, then each reference that
    /// takes part.
    public func measure(_ reference: TrainingBenchmark.Case) -> Row {
        let steal = MachineLoad.StealMeter()
        var row = Row(reference: reference, flopsPerStep: TrainingBenchmark.flopsPerStep(reference.config))
        let active = references.filter { $0.skipReason(penalty: penalty) == nil }
        for _ in 0..<rounds {
            let sgemm = Ceiling.sgemm(size: 512, threads: threads, seconds: secondsPerRepeat / 4, repeats: 3)
            let engine = Ceiling.engineProduct(size: 512, seconds: secondsPerRepeat / 4, repeats: 3)
            row.roundCeilings.append(max(Statistics.median(sgemm), Statistics.median(engine)))
            row.roundSgemm.append(Statistics.median(sgemm))
            row.sgemmValues += sgemm
            row.engineValues += engine
            row.roundPeaks.append(Statistics.median(Ceiling.fmaPeak(threads: threads, seconds: secondsPerRepeat / 8,
                                                                     repeats: 3)))
            row.ganlab += TrainingBenchmark.measure(config: reference.config, secondsPerRepeat: secondsPerRepeat,
                                                    repeats: repeats).allStepsPerSecond
            let t = reference.config.train
            for python in active {
                switch python.run(config: reference.name, threads: threads, repeats: repeats, penalty: t.penalty,
                                  penaltyWeight: t.penaltyWeight) {
                case .success(let measured):
                    row.references[python.framework, default: []] += measured.stepsPerSecond
                    if let seconds = measured.compileSeconds { row.compileSeconds[python.framework, default: []].append(seconds) }
                case .failure(let error): row.failures[python.framework] = error.message
                }
            }
        }
        row.load = MachineLoad.oneMinuteLoad
        row.stealPercent = steal.percent
        return row
    }

    /// What the FMA peak allows: for each row and reference that ran, the reference's GFLOP/s,
    /// its share of the peak, and the largest ratio to it that any program could reach on these
    /// cores (the peak over the reference's GFLOP/s), as a markdown table.
    public func bounds(of rows: [Row]) -> [String] {
        let frameworks = PythonReference.Framework.allCases
        var lines = ["| config | FMA peak GFLOP/s | "
            + frameworks.map { "\($0.displayName) GFLOP/s | % of peak | largest possible ratio to \($0.displayName)" }
                .joined(separator: " | ") + " |",
            "|---|---:|" + String(repeating: "---:|---:|---:|", count: frameworks.count)]
        for row in rows {
            let peak = Statistics.median(row.roundPeaks)
            let cells = frameworks.map { framework -> String in
                guard let speeds = row.references[framework], !speeds.isEmpty else { return "skipped | | " }
                let gflops = row.flopsPerStep * Statistics.median(speeds) / 1e9
                return String(format: "%.1f | %.0f %% | %.2f×", gflops, 100 * gflops / peak, peak / gflops)
            }
            lines.append("| \(row.reference.name) | " + String(format: "%.1f", peak) + " | "
                         + cells.joined(separator: " | ") + " |")
        }
        return lines
    }

    /// The closing paragraph: rounds, the ceilings over all rows, the compile times of the
    /// references that report them, the load average after.
    public func summary(of rows: [Row]) -> String {
        let ceilings = rows.flatMap(\.roundCeilings), sgemm = rows.flatMap(\.sgemmValues)
        let engine = rows.flatMap(\.engineValues), peaks = rows.flatMap(\.roundPeaks)
        var text = "Medians over \(rounds) alternating rounds of \(repeats) repeats each. "
            + String(format: "Ceiling over all rounds: median %.1f, range %.1f–%.1f GFLOP/s ",
                     Statistics.median(ceilings), ceilings.min() ?? 0, ceilings.max() ?? 0)
            + String(format: "(OpenBLAS sgemm median %.1f, range %.1f–%.1f; engine product median %.1f, range %.1f–%.1f). ",
                     Statistics.median(sgemm), sgemm.min() ?? 0, sgemm.max() ?? 0,
                     Statistics.median(engine), engine.min() ?? 0, engine.max() ?? 0)
            + String(format: "FMA peak per round: median %.1f, range %.1f–%.1f GFLOP/s. ",
                     Statistics.median(peaks), peaks.min() ?? 0, peaks.max() ?? 0)
        for framework in PythonReference.Framework.allCases {
            let compiled = rows.compactMap { row -> String? in
                guard let seconds = row.compileSeconds[framework], !seconds.isEmpty else { return nil }
                return "\(row.reference.name) " + String(format: "%.1f s", Statistics.median(seconds))
            }
            if !compiled.isEmpty {
                text += "\(framework.displayName) compile time (first call, median per configuration; excluded from "
                    + "its steps/s): \(compiled.joined(separator: ", ")). "
            }
        }
        return text + "load average after: \(MachineLoad.loadAverage)"
    }
}
