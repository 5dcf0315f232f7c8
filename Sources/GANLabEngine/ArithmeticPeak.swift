/// The machine's arithmetic peak for the engine's vectors: fused multiply-adds with no memory
/// traffic, every thread of the pool busy. No program doing matrix products on these cores can go
/// faster, so it bounds every speed target stated in FLOP/s (or in ratios to a reference whose
/// FLOP/s are known).
public enum ArithmeticPeak {
    /// Independent accumulators per thread: enough to keep both FMA pipes of a core busy through
    /// the FMA latency (4 cycles on Zen 4 and recent Intel cores) at 8 or 16 lanes.
    static let chains = 12

    /// FLOPs one thread does in one iteration of `run`.
    static var flopsPerIteration: Double { Double(chains * Kernels.Wide.scalarCount * 2) }

    /// GFLOP/s of `iterations` rounds of FMAs on every one of `parts` threads (the engine's pool),
    /// timed once per repeat of about `seconds`, after a warm-up.
    public static func gflops(parts: Int, seconds: Double, repeats: Int) -> [Double] {
        precondition(parts > 0 && seconds > 0 && repeats > 0, "bad peak measurement settings")
        let clock = ContinuousClock()
        var sink: Float = 0
        func time(_ iterations: Int) -> Double {
            let t0 = clock.now
            WorkerPool.shared.run(parts: parts) { team in
                let value = run(iterations: iterations, seed: Float(team.part + 1) * 1e-3)
                if team.part == 0 { sink += value }
            }
            let d = clock.now - t0
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        _ = time(100_000)
        let iterations = max(100_000, Int(Double(100_000) * seconds / max(time(100_000), 1e-6)))
        let flops = flopsPerIteration * Double(iterations) * Double(min(parts, WorkerPool.shared.parts))
        let speeds = (0..<repeats).map { _ in flops / time(iterations) / 1e9 }
        precondition(sink.isFinite, "peak measurement diverged")
        return speeds
    }

    /// `chains` chains a ← a + x·y, `iterations` steps each; returns their sum so the work is kept.
    @inline(never)
    static func run(iterations: Int, seed: Float) -> Float {
        typealias V = Kernels.Wide
        let x = V(broadcast: 0.999_999), y = V(broadcast: 1e-9)
        var a0 = V(broadcast: seed), a1 = a0 + x, a2 = a1 + x, a3 = a2 + x, a4 = a3 + x, a5 = a4 + x
        var a6 = a5 + x, a7 = a6 + x, a8 = a7 + x, a9 = a8 + x, a10 = a9 + x, a11 = a10 + x
        for _ in 0..<iterations {
            a0 = a0.fma(x, y); a1 = a1.fma(x, y); a2 = a2.fma(x, y); a3 = a3.fma(x, y)
            a4 = a4.fma(x, y); a5 = a5.fma(x, y); a6 = a6.fma(x, y); a7 = a7.fma(x, y)
            a8 = a8.fma(x, y); a9 = a9.fma(x, y); a10 = a10.fma(x, y); a11 = a11.fma(x, y)
        }
        return ((a0 + a1) + (a2 + a3) + (a4 + a5) + (a6 + a7) + (a8 + a9) + (a10 + a11)).sum()
    }
}
