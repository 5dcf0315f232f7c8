import Foundation
import GANLabCore
import GANLabEngine

/// Times full diagnostics of one snapshot, as `ganlab diagnose --count 10000 --grid G` runs them:
/// an article-size generator (3 × 512, randomly initialised: the cost does not depend on the
/// weights), 10,000 samples and the map geometry on a G² latent grid (G = 256 and 512) for
/// `spiral`, and the per-component setting (8 planes of 3G/8, `SnapshotDiagnostics.gridSize`)
/// for `eight-gaussians`. Each is warmed up once (the spiral's reference set is built on first
/// use), then timed `repeats` times; the median wall and process-CPU seconds are reported, with
/// the budget of docs/PERFORMANCE.md (1 s at 256², 3 s at 512²) and the arithmetic floor: the
/// network passes' FLOPs (the forward pass and the two tangent passes of the exact Jacobian) at
/// the measured `sgemm` ceiling.
public enum DiagnosticsBenchmark {
    /// The problems timed, in order.
    public static let problems: [ProblemKind] = [.spiral, .eightGaussians]
    /// The configured grid sides timed, with their wall-time budgets in seconds.
    public static let grids: [(side: Int, budget: Double)] = [(256, 1), (512, 3)]
    /// The generator's hidden widths.
    public static let hidden = [512, 512, 512]
    /// Generated samples the metrics are computed on.
    public static let sampleCount = 10_000

    /// The medians of one problem's timings.
    public struct Row: Sendable {
        /// The problem.
        public var problem: ProblemKind
        /// Side of the latent grid of the map geometry.
        public var grid: Int
        /// Wall seconds of the whole evaluation.
        public var wall: Double
        /// Process CPU seconds of the whole evaluation (all threads).
        public var cpu: Double
        /// Wall seconds of the three stages: the generator on the samples, the sample metrics,
        /// the map geometry.
        public var stages: [Double]
        /// The wall-time budget.
        public var budget: Double
        /// GFLOP of the network passes (samples, and the grid's forward and two tangent passes).
        public var gigaflop: Double
        /// The `sgemm` ceiling in GFLOP/s the floor is computed with (0 when not measured).
        public var ceiling: Double = 0

        /// The row of the table under `tableHeader`.
        public var tableLine: String {
            let planes = problem == .eightGaussians ? "8 × \(grid)²" : "\(grid)²"
            let floor = ceiling > 0 ? String(format: "%5.2f", gigaflop / ceiling) : "    –"
            let verdict = wall < budget ? "under \(Int(budget)) s" : "OVER \(Int(budget)) s"
            return TableText.pad(problem.rawValue, 17) + " " + TableText.pad(planes, 9)
                + String(format: " %6.3f  %5.3f   %32.3f  %14.3f  %12.3f  %6.0f  ", wall, cpu, stages[0], stages[1], stages[2], gigaflop)
                + floor + "   " + verdict
        }
    }

    /// The table's title and header lines.
    public static func tableHeader(threads: Int) -> [String] {
        ["diagnostics (G 3×512 random init, 10,000 samples, \(threads) threads; load average \(MachineLoad.loadAverage))",
         "problem           grid       wall s  CPU s   of which (wall s): G on samples  sample metrics  map geometry  GFLOP  floor s"]
    }

    /// The note under the table: what the wall time needs, and the floor's ceiling.
    public static func footnote(threads: Int, ceiling: Double) -> String {
        String(format: "(floor s = GFLOP at the %.0f GFLOP/s sgemm ceiling measured now on %d threads; ", ceiling, threads)
            + "wall time needs \(threads) free cores: the network passes run on \(threads) threads, so on a busy machine it "
            + "tends to the CPU time; load average now \(MachineLoad.loadAverage))"
    }

    /// GFLOP of the network passes: `samples` forward rows, and `gridPoints` rows through the
    /// forward pass and two tangent passes (2 FLOP per multiply-add of every layer).
    public static func gigaflop(samples: Int, gridPoints: Int, inputWidth: Int) -> Double {
        let widths = [inputWidth] + hidden + [2]
        let macs = zip(widths, widths.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 }
        return 2 * Double(macs) * Double(samples + 3 * gridPoints) / 1e9
    }

    /// Warms up, then times `repeats` full evaluations of `problem` and `repeats` runs of its
    /// three stages, on `threads` engine threads.
    public static func measure(problem: ProblemKind, configuredGrid: Int = Diagnostics.defaultGridSize, budget: Double = 1,
                               threads: Int, repeats: Int) -> Row {
        Engine.setWorkerThreads(threads)
        var config = ExperimentConfig()
        config.problem = problem
        config.generator.hidden = hidden
        config.seed = 1
        let generator = GANTrainer(config: config).snapshot().makeGenerator()
        let toy = ToyProblem(problem)
        let grid = SnapshotDiagnostics.gridSize(configured: configuredGrid, problem: problem) ?? 0
        let planes = problem == .eightGaussians ? 8 : 1
        func evaluate() {
            _ = Diagnostics.evaluate(problem: toy, generator: generator.latentMap, sampleCount: sampleCount,
                                     gridSize: grid, seed: SnapshotDiagnostics.seed)
        }
        evaluate()
        var total: [(wall: Double, cpu: Double)] = [], parts: [[Double]] = []
        for _ in 0..<repeats {
            let (wall, cpu) = (Stopwatch.wallSeconds(), Stopwatch.cpuSeconds())
            evaluate()
            total.append((Stopwatch.wallSeconds() - wall, Stopwatch.cpuSeconds() - cpu))
            // The same work in its three stages, to show where the time goes.
            var t = Stopwatch.wallSeconds(), split: [Double] = []
            func lap() { let now = Stopwatch.wallSeconds(); split.append(now - t); t = now }
            let points = Diagnostics.sample(problem: toy, generator: generator.latentMap, count: sampleCount,
                                            seed: SnapshotDiagnostics.seed)
            lap()
            _ = SampleMetrics.measure(problem: toy, points: points)
            lap()
            _ = GeometrySummary(planes: MapGeometry.measurePlanes(problem: toy, map: generator.latentMap, gridSize: grid))
            lap()
            parts.append(split)
        }
        return Row(problem: problem, grid: grid, wall: Statistics.upperMedian(total.map(\.wall)),
                   cpu: Statistics.upperMedian(total.map(\.cpu)),
                   stages: (0..<3).map { i in Statistics.upperMedian(parts.map { $0[i] }) }, budget: budget,
                   gigaflop: gigaflop(samples: sampleCount, gridPoints: planes * grid * grid, inputWidth: toy.latentDimension))
    }
}
