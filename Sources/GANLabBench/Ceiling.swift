import Foundation
import GANLabEngine

/// The machine's arithmetic ceilings: GFLOP/s of a size³ matrix product by OpenBLAS and by the
/// engine's own tiles, the yardsticks a training speed is compared with.
public enum Ceiling {
    /// GFLOP/s of a size³ `sgemm` on `threads` OpenBLAS threads, one value per repeat (each about
    /// `seconds` long, after a warm-up). Leaves OpenBLAS at one thread, as the engine uses it.
    public static func sgemm(size: Int = 512, threads: Int, seconds: Double, repeats: Int) -> [Double] {
        precondition(threads > 0, "bad ceiling measurement settings")
        return GEMM.withBLASThreads(threads) {
            timeSquareProduct(size: size, seconds: seconds, repeats: repeats) { a, b, c in
                GEMM.multiply(a, transposeA: false, b, transposeB: false, into: c, m: size, n: size, k: size)
            }
        }
    }

    /// GFLOP/s of a size³ product by the engine's hand-written tiles (`GEMM.multiplyByTiles`), its
    /// rows split across the engine's threads as the training passes split a batch, one value per
    /// repeat. Where the tiles outrun OpenBLAS (an AVX-512 build on a machine whose OpenBLAS runs
    /// AVX2 kernels), this, not `sgemm`, is the machine's demonstrated limit.
    public static func engineProduct(size: Int = 512, seconds: Double, repeats: Int) -> [Double] {
        timeSquareProduct(size: size, seconds: seconds, repeats: repeats) { a, b, c in
            GEMM.multiplyByTiles(a, b, into: c, m: size, n: size, k: size)
        }
    }

    /// GFLOP/s of fused multiply-adds alone on `threads` engine threads (`ArithmeticPeak`), one
    /// value per repeat: the bound no matrix product on these cores can pass.
    public static func fmaPeak(threads: Int, seconds: Double, repeats: Int) -> [Double] {
        Engine.setWorkerThreads(threads)
        return ArithmeticPeak.gflops(parts: threads, seconds: seconds, repeats: repeats)
    }

    /// GFLOP/s of `product(A, B, C)` on size × size matrices, one value per repeat of about
    /// `seconds`, after a warm-up.
    private static func timeSquareProduct(
        size: Int, seconds: Double, repeats: Int,
        _ product: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void
    ) -> [Double] {
        precondition(size > 0 && seconds > 0 && repeats > 0, "bad ceiling measurement settings")
        let count = size * size
        let a = UnsafeMutablePointer<Float>.allocate(capacity: count), b = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        for i in 0..<count { a[i] = Float(i % 7) * 0.1; b[i] = Float(i % 5) * 0.1; c[i] = 0 }
        let clock = ContinuousClock()
        func time(_ calls: Int) -> Double {
            let t0 = clock.now
            for _ in 0..<calls { product(a, b, c) }
            let d = clock.now - t0
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        _ = time(3)
        let calls = max(3, Int(seconds / max(time(3) / 3, 1e-6)))
        let flops = 2 * Double(size) * Double(size) * Double(size) * Double(calls)
        return (0..<repeats).map { _ in flops / time(calls) / 1e9 }
    }
}
