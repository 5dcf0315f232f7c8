#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Hand-written products for the shapes an MLP step uses when a BLAS call's fixed cost would
/// dominate: small and medium layers, thin inputs (2 features) and thin outputs (1–2 logits).
///
/// Every kernel computes each output element as one fused multiply-add chain over the shared
/// index in increasing order, started from zero, whatever tile, tail or part the element falls
/// in. So a result does not depend on how a caller splits the work across threads — the engine's
/// determinism rests on that. The tests compare each kernel with `GEMM.naiveMultiply`.
enum Kernels {
    /// The 8-lane vector of the thin-layer kernels, the column sums and Adam (the product tiles
    /// use `Wide`, 16 lanes in an AVX-512 build).
    typealias Vector = SIMD8<Float>

    /// What happens to a finished tile of C before it is stored.
    enum Epilogue {
        /// C as computed.
        case store
        /// C + b (b indexed by column), then v > 0 ? v : slope·v (slope 1: identity, 0: ReLU).
        case biasLeaky(UnsafePointer<Float>, slope: Float)
        /// C ⊙ φ'(a) for LeakyReLU-like φ: a > 0 ? C : slope·C, a laid out like C with row length `ld`.
        case leakyDerivative(UnsafePointer<Float>, ld: Int, slope: Float)
    }

    // MARK: - Helpers

    /// p[lane·stride] = v[lane]: writes a vector down a column.
    @inline(__always)
    static func scatter(_ v: Vector, _ p: UnsafeMutablePointer<Float>, stride: Int) {
        if stride == 1 { v.store(p); return }
        for lane in 0..<8 { p[lane * stride] = v[lane] }
    }

    /// db[c0..<c1] = Σ_rows δ[·, c], rows added in order.
    static func columnSums(rows: Int, cols: Int, _ delta: UnsafePointer<Float>, columns: Range<Int>,
                           into db: UnsafeMutablePointer<Float>) {
        var c = columns.lowerBound
        while c + 8 <= columns.upperBound {
            var s = Vector()
            for r in 0..<rows { s += Vector.load(delta + r * cols + c) }
            s.store(db + c)
            c += 8
        }
        while c < columns.upperBound {
            var s: Float = 0
            for r in 0..<rows { s += delta[r * cols + c] }
            db[c] = s
            c += 1
        }
    }

    /// Rows [r0, r1) of Wᵀ: t (cols, rows) ← w (rows, cols)ᵀ, for t rows r0..<r1.
    ///
    /// On x86-64, 8 × 8 blocks through registers (`transposeBlock`); the edges, and other CPUs,
    /// go element by element, sixteen rows of t at a time so that w is read a row segment (one
    /// cache line) per step.
    static func transpose(_ w: UnsafePointer<Float>, rows: Int, cols: Int, into t: UnsafeMutablePointer<Float>,
                          outputRows: Range<Int>) {
        var j0 = outputRows.lowerBound
#if arch(x86_64)
        let fullRows = rows / 8 * 8
        while j0 + 8 <= outputRows.upperBound {
            var i0 = 0
            while i0 < fullRows {
                transposeBlock(w + i0 * cols + j0, ld: cols, into: t + j0 * rows + i0, ldt: rows)
                i0 += 8
            }
            for j in j0..<(j0 + 8) {
                for i in fullRows..<rows { t[j * rows + i] = w[i * cols + j] }
            }
            j0 += 8
        }
#endif
        while j0 < outputRows.upperBound {
            let j1 = min(j0 + 16, outputRows.upperBound)
            for i in 0..<rows {
                let src = w + i * cols
                for j in j0..<j1 { t[j * rows + i] = src[j] }
            }
            j0 = j1
        }
    }

#if arch(x86_64)
    /// t[c·ldt + r] = w[r·ld + c] for r, c in 0..<8: rows r and r + 4 loaded into the two halves
    /// of one register, then two rounds of interleaving (AVX).
    @inline(__always)
    private static func transposeBlock(_ w: UnsafePointer<Float>, ld: Int, into t: UnsafeMutablePointer<Float>, ldt: Int) {
        for half in 0..<2 {
            let w = w + 4 * half, t = t + 4 * half * ldt
            let r04 = _mm256_loadu2_m128(w + 4 * ld, w), r15 = _mm256_loadu2_m128(w + 5 * ld, w + ld)
            let r26 = _mm256_loadu2_m128(w + 6 * ld, w + 2 * ld), r37 = _mm256_loadu2_m128(w + 7 * ld, w + 3 * ld)
            let a = _mm256_castps_pd(_mm256_unpacklo_ps(r04, r15)), b = _mm256_castps_pd(_mm256_unpackhi_ps(r04, r15))
            let c = _mm256_castps_pd(_mm256_unpacklo_ps(r26, r37)), d = _mm256_castps_pd(_mm256_unpackhi_ps(r26, r37))
            _mm256_storeu_ps(t, _mm256_castpd_ps(_mm256_unpacklo_pd(a, c)))
            _mm256_storeu_ps(t + ldt, _mm256_castpd_ps(_mm256_unpackhi_pd(a, c)))
            _mm256_storeu_ps(t + 2 * ldt, _mm256_castpd_ps(_mm256_unpacklo_pd(b, d)))
            _mm256_storeu_ps(t + 3 * ldt, _mm256_castpd_ps(_mm256_unpackhi_pd(b, d)))
        }
    }
#endif
}
