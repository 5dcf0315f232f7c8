import CBLAS
import Foundation

/// Matrix products for the engine: OpenBLAS `cblas_sgemm` for wide products, plus the naive
/// reference the tests compare it against.
public enum GEMM {
    /// Sets the engine's thread count (capped at the number of cores).
    ///
    /// The engine splits each forward pass, backward pass and optimizer update across this many
    /// threads itself (`WorkerPool`), each part calling single-threaded kernels, so OpenBLAS is
    /// kept at one thread: two levels of threading would only fight over the cores. Results are
    /// bit-identical run to run at a fixed count.
    public static func setThreads(_ n: Int) {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        openblas_set_num_threads(1)
        WorkerPool.shared.resize(parts: min(max(1, n), cores))
    }

    /// The engine's current thread count.
    public static var threads: Int { WorkerPool.shared.parts }

    /// The OpenBLAS build's own description (version, CPU kernel, threading).
    public static var blasDescription: String {
        guard let config = openblas_get_config() else { return "OpenBLAS" }
        return String(cString: config)
    }

    /// Lanes of the hand-written product tiles' vector: 16 in an AVX-512 build, 8 otherwise.
    public static var tileLanes: Int { Kernels.Wide.scalarCount }

    /// How this build multiplies: the hand-written tiles' vector width and the layer width from
    /// which OpenBLAS takes over.
    public static var engineDescription: String {
        let lanes = Kernels.Wide.scalarCount
        return "engine: \(lanes)-lane product tiles\(lanes == 16 ? " (GANLAB_AVX512 build)" : ""), "
            + "OpenBLAS for layers from width \(LayerPlan.defaultBLASWidth)"
    }

    /// The arithmetic ceiling: GFLOP/s of a size³ `sgemm` on `threads` OpenBLAS threads, one value
    /// per repeat (each about `seconds` long, after a warm-up). Leaves OpenBLAS at one thread, as
    /// the engine uses it.
    public static func measureCeiling(size: Int = 512, threads: Int, seconds: Double, repeats: Int) -> [Double] {
        precondition(threads > 0, "bad ceiling measurement settings")
        openblas_set_num_threads(Int32(threads))
        defer { openblas_set_num_threads(1) }
        return timeSquareProduct(size: size, seconds: seconds, repeats: repeats) { a, b, c in
            multiply(a, transposeA: false, b, transposeB: false, into: c, m: size, n: size, k: size)
        }
    }

    /// The engine's own arithmetic ceiling: GFLOP/s of a size³ product by the hand-written tiles
    /// (`Kernels.product`), its rows split across the engine's threads as the training passes
    /// split a batch, one value per repeat. Where the tiles outrun OpenBLAS (an AVX-512 build on
    /// a machine whose OpenBLAS runs AVX2 kernels), this, not `measureCeiling`, is the machine's
    /// demonstrated limit.
    public static func measureEngineCeiling(size: Int = 512, seconds: Double, repeats: Int) -> [Double] {
        timeSquareProduct(size: size, seconds: seconds, repeats: repeats) { a, b, c in
            WorkerPool.shared.run(parts: WorkerPool.shared.parts) { team in
                let rows = team.share(size)
                guard !rows.isEmpty else { return }
                Kernels.product(m: rows.count, n: size, k: size, a + rows.lowerBound * size, rs: size, cs: 1,
                                b, ldb: size, c + rows.lowerBound * size, ldc: size, epilogue: .store)
            }
        }
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

    /// C ← α·op(A)·op(B) + β·C, all row-major; op transposes when the flag is set.
    ///
    /// Shapes: op(A) is (m, k), op(B) is (k, n), C is (m, n). Leading dimensions are the stored
    /// row lengths: A is stored (m, k) or, transposed, (k, m); likewise B.
    @inline(__always)
    public static func multiply(
        _ a: UnsafePointer<Float>, transposeA: Bool,
        _ b: UnsafePointer<Float>, transposeB: Bool,
        into c: UnsafeMutablePointer<Float>,
        m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0
    ) {
        let lda = transposeA ? m : k
        let ldb = transposeB ? k : n
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(n))
    }

    /// C ← op(A)·op(B) with explicit row lengths (leading dimensions), for sub-blocks of
    /// larger row-major matrices.
    @inline(__always)
    static func multiply(
        _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
        _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
        into c: UnsafeMutablePointer<Float>, ldc: Int, m: Int, n: Int, k: Int
    ) {
        guard m > 0 && n > 0 && k > 0 else { return }
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
    }

    /// The textbook triple loop computing the same product in Double; the tests' reference.
    public static func naiveMultiply(
        _ a: [Float], transposeA: Bool, _ b: [Float], transposeB: Bool,
        m: Int, n: Int, k: Int
    ) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let av = transposeA ? a[p * m + i] : a[i * k + p]
                    let bv = transposeB ? b[j * k + p] : b[p * n + j]
                    s += Double(av) * Double(bv)
                }
                c[i * n + j] = Float(s)
            }
        }
        return c
    }
}
