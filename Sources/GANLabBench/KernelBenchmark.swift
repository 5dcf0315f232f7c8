import Foundation
import GANLabCore
import GANLabEngine

/// The kernel planner against the build's fixed rule (`ganlab bench --part kernels`): for each
/// configuration it plans afresh (timing the planner and writing its choices to the cache), then
/// times training with the fixed plan and with the measured plan, alternating, in the same run.
public struct KernelBenchmark: Sendable {
    public var secondsPerRepeat: Double
    public var repeats: Int
    public var rounds: Int

    public init(secondsPerRepeat: Double, repeats: Int, rounds: Int) {
        self.secondsPerRepeat = secondsPerRepeat
        self.repeats = repeats
        self.rounds = rounds
    }

    /// One configuration's outcome.
    public struct Row: Sendable {
        public var name: String
        public var plan: KernelPlan
        public var planningSeconds: Double
        /// Products the planner timed, with both kernels' times.
        public var measurements: [KernelPlanner.Measurement]
        /// Steps/s of every round, fixed and planned.
        public var fixed: [Double]
        public var planned: [Double]
        /// planned / fixed within each round.
        public var ratios: [Double]
    }

    /// Plans `config`'s networks afresh, then alternates the two plans `rounds` times.
    public func measure(name: String, config: ExperimentConfig) -> Row {
        Engine.setWorkerThreads(config.train.threads)
        let outcome = KernelPlanner.plan(for: config.kernelNeeds, refresh: true)
        var fixed = config, planned = config
        fixed.train.kernels = "fixed"
        planned.train.kernels = outcome.plan.description
        var a: [Double] = [], b: [Double] = [], ratios: [Double] = []
        for _ in 0..<rounds {
            let x = TrainingBenchmark.measure(config: fixed, secondsPerRepeat: secondsPerRepeat, repeats: repeats).stepsPerSecond
            let y = TrainingBenchmark.measure(config: planned, secondsPerRepeat: secondsPerRepeat, repeats: repeats).stepsPerSecond
            a.append(x)
            b.append(y)
            ratios.append(y / x)
        }
        return Row(name: name, plan: outcome.plan, planningSeconds: outcome.seconds, measurements: outcome.measured,
                   fixed: a, planned: b, ratios: ratios)
    }

    public static let tableHeader = [
        "| config | planned kernels | planning s | fixed steps/s | planned steps/s | planned / fixed |",
        "|---|---|---:|---:|---:|---:|",
    ]

    public static func tableLine(_ row: Row) -> String {
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        let range = String(format: "%.2f× (%.2f–%.2f)", median(row.ratios), row.ratios.min() ?? 0, row.ratios.max() ?? 0)
        return "| \(row.name) | `\(row.plan)` | " + String(format: "%.2f", row.planningSeconds) + " | "
            + String(format: "%.1f | %.1f | ", median(row.fixed), median(row.planned)) + range + " |"
    }

    /// The planner's timings: each product, tiles against OpenBLAS, in microseconds.
    public static func timingLines(_ row: Row) -> [String] {
        row.measurements.map { m in
            let name = ["forward", "input gradient", "weight gradient"][m.product.rawValue]
            return "  \(row.name) \(m.shape)@\(m.batch) \(name): tiles "
                + String(format: "%.1f µs, OpenBLAS %.1f µs → %@", m.tiles * 1e6, m.blas * 1e6, m.choice == .blas ? "OpenBLAS" : "tiles")
        }
    }
}
