import CBLAS

/// Matrix products for the engine: OpenBLAS `cblas_sgemm` for wide products, plus the naive
/// reference the tests compare it against.
public enum GEMM {
    /// Sets the number of OpenBLAS threads (results are bit-identical only at a fixed count).
    public static func setThreads(_ n: Int) {
        openblas_set_num_threads(Int32(max(1, n)))
    }

    /// The current number of OpenBLAS threads.
    public static var threads: Int { Int(openblas_get_num_threads()) }

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
