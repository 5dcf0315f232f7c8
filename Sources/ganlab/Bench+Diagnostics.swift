import Foundation
import GANLabCore
import GANLabEngine

extension GANLab.Bench {
    /// Times full diagnostics of one snapshot, as `ganlab diagnose --count 10000` runs them: an
    /// article-size generator (3 × 512, randomly initialised: the cost does not depend on the
    /// weights), 10,000 samples and the map geometry on a 256² latent grid for `spiral`, and the
    /// per-component setting (8 planes of 96², `SnapshotDiagnostics.gridSize`) for
    /// `eight-gaussians`. Each is warmed up once (the spiral's reference set is built on first
    /// use), then timed `repeats` times; the median wall and process-CPU seconds are reported.
    func benchDiagnostics() {
        GEMM.setThreads(threads)
        print("diagnostics (G 3×512 random init, 10,000 samples, \(threads) threads; load average \(Self.loadAverage()))")
        print("problem           grid      wall s  CPU s   of which (wall s): G on samples  sample metrics  map geometry")
        for problem in [ProblemKind.spiral, .eightGaussians] {
            var config = ExperimentConfig()
            config.problem = problem
            config.generator.hidden = [512, 512, 512]
            config.seed = 1
            let generator = GANTrainer(config: config).snapshot().makeGenerator()
            let toy = ToyProblem(problem)
            let grid = SnapshotDiagnostics.gridSize(configured: Diagnostics.defaultGridSize, problem: problem) ?? 0
            func evaluate() {
                _ = Diagnostics.evaluate(problem: toy, generator: generator.latentMap, sampleCount: 10_000,
                                         gridSize: grid, seed: SnapshotDiagnostics.seed)
            }
            evaluate()
            var total: [(wall: Double, cpu: Double)] = [], parts: [[Double]] = []
            for _ in 0..<repeats {
                let (wall, cpu) = (Self.wallSeconds(), Self.cpuSeconds())
                evaluate()
                total.append((Self.wallSeconds() - wall, Self.cpuSeconds() - cpu))
                // The same work in its three stages, to show where the time goes.
                var t = Self.wallSeconds(), split: [Double] = []
                func lap() { let now = Self.wallSeconds(); split.append(now - t); t = now }
                let points = Diagnostics.sample(problem: toy, generator: generator.latentMap, count: 10_000,
                                                seed: SnapshotDiagnostics.seed)
                lap()
                _ = SampleMetrics.measure(problem: toy, points: points)
                lap()
                _ = GeometrySummary(planes: MapGeometry.measurePlanes(problem: toy, map: generator.latentMap, gridSize: grid))
                lap()
                parts.append(split)
            }
            func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
            let wall = median(total.map(\.wall)), cpu = median(total.map(\.cpu))
            let planes = problem == .eightGaussians ? "8 × \(grid)²" : "\(grid)²"
            print(pad(problem.rawValue, 17) + " " + pad(planes, 8)
                  + String(format: " %6.3f  %5.3f   %32.3f  %14.3f  %12.3f  ", wall, cpu, median(parts.map { $0[0] }),
                           median(parts.map { $0[1] }), median(parts.map { $0[2] }))
                  + (wall < 1 ? "under 1 s" : "OVER 1 s"))
        }
        print("(wall time needs \(threads) free cores: the network passes run on \(threads) threads, so on a busy machine it tends to "
              + "the CPU time; load average now \(Self.loadAverage()))")
    }

    private func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }

    /// Monotonic wall-clock seconds.
    private static func wallSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// CPU seconds of this process, all threads.
    private static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// The 1-, 5- and 15-minute load averages.
    private static func loadAverage() -> String {
        var loads = [Double](repeating: 0, count: 3)
        guard getloadavg(&loads, 3) == 3 else { return "unknown" }
        return loads.map { String(format: "%.2f", $0) }.joined(separator: " ")
    }
}
