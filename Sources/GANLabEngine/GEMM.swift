import CBLAS
import Foundation

/// Matrix products for the engine: OpenBLAS `cblas_sgemm` for wide products, the hand-written
/// tiles over a whole matrix, and the naive reference the tests compare them against.
public enum GEMM {
    /// The OpenBLAS build's own description (version, CPU kernel, threading).
    public static var blasDescription: String {
        guard let config = openblas_get_config() else { return "OpenBLAS" }
        return String(cString: config)
    }

    /// Lanes of the hand-written product tiles' vector: 16 in an AVX-512 build, 8 otherwise.
    public static var tileLanes: Int { Kernels.Wide.scalarCount }

    /// How this build multiplies: the hand-written tiles' vector width and the layer width from
    /// which the fixed kernel plan takes OpenBLAS (`KernelPlanner` measures instead).
    public static var engineDescription: String {
        let lanes = Kernels.Wide.scalarCount
        return "engine: \(lanes)-lane product tiles\(lanes == 16 ? " (GANLAB_AVX512 build)" : ""), "
            + "fixed plan: OpenBLAS for layers from width \(KernelPlan.fixedBLASWidth)"
    }

    /// Runs `body` with OpenBLAS on `threads` threads, then sets it back to the one thread the
    /// engine uses (`Engine.setWorkerThreads`).
    public static func withBLASThreads<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
        precondition(threads > 0, "OpenBLAS needs at least one thread")
        openblas_set_num_threads(Int32(threads))
        defer { openblas_set_num_threads(1) }
        return try body()
    }

    /// C (m, n) = A (m, k) · B (k, n), all row-major and contiguous, by the engine's hand-written
    /// tiles (`Kernels.product`), C's rows split across the worker pool as the training passes
    /// split a batch.
    public static func multiplyByTiles(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                       into c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int) {
        WorkerPool.shared.run(parts: WorkerPool.shared.parts) { team in
            let rows = team.share(m)
            guard !rows.isEmpty else { return }
            Kernels.product(m: rows.count, n: n, k: k, a + rows.lowerBound * k, rs: k, cs: 1,
                            b, ldb: n, c + rows.lowerBound * n, ldc: n, epilogue: .store)
        }
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
