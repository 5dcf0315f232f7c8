// MARK: - Blocked product

extension Kernels {
#if GANLAB_AVX512
    /// The product tiles' vector: 16 lanes in a build for AVX-512 CPUs (`GANLAB_AVX512`, see
    /// Package.swift), 8 (AVX2) otherwise.
    typealias Wide = SIMD16<Float>
#else
    /// The product tiles' vector: 16 lanes in a build for AVX-512 CPUs (`GANLAB_AVX512`, see
    /// Package.swift), 8 (AVX2) otherwise.
    typealias Wide = SIMD8<Float>
#endif

    /// C (m, n) = A (m, k) · B (k, n), then the epilogue. A's element (i, p) is a[i·rs + p·cs], so
    /// A may be a row-major matrix (rs = k, cs = 1) or the transpose of one (rs = 1, cs = m);
    /// B and C are row-major with row lengths ldb and ldc.
    ///
    /// Register blocking: 6 rows × 2 vectors of C live in twelve accumulators while p runs over k
    /// (two loads of B and six broadcasts of A feed twelve FMAs): 6 × 16 with AVX2, 6 × 32 with
    /// AVX-512. Columns are walked in panels that wide so the panel of B stays in L1 across the
    /// row tiles (copied into a contiguous buffer first when B's rows are long: `packFrom`);
    /// narrower tiles take the column remainder.
    static func product(m: Int, n: Int, k: Int,
                        _ a: UnsafePointer<Float>, rs: Int, cs: Int,
                        _ b: UnsafePointer<Float>, ldb: Int,
                        _ c: UnsafeMutablePointer<Float>, ldc: Int, epilogue: Epilogue) {
        precondition(m >= 0 && n >= 0 && k >= 1, "product: bad shape \(m)×\(n)×\(k)")
        guard m > 0 && n > 0 else { return }
        // k is cut into blocks so the panel of B (and A's rows) stay in L1 while the row tiles
        // reuse them; a later block resumes each element's chain from the partial sum stored in C,
        // so the blocking changes no result bit.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: kBlock * 2 * Wide.scalarCount) { scratch in
            guard let panel = scratch.baseAddress else { return }
            var k0 = 0
            while k0 < k {
                let kc = min(kBlock, k - k0), last = k0 + kc == k
                panels(m: m, n: n, k: kc, a + k0 * cs, rs: rs, cs: cs, b + k0 * ldb, ldb: ldb, c, ldc: ldc,
                       accumulate: k0 > 0, epilogue: last ? epilogue : .store, panel: panel)
                k0 += kc
            }
        }
    }

    /// Depth of a k block: 128 rows of a 16-wide panel of B is 8 KB (16 KB for a 32-wide one).
    static let kBlock = 128

    /// Row length of B from which a panel is first copied into a contiguous buffer (when at least
    /// `packRows` rows of A will reuse it). Rows of a wide B lie a multiple of 512 bytes apart, so
    /// a panel read in place maps onto a few sets of the L1 cache and is evicted between row
    /// tiles; packed, it stays. On single-threaded products from 128 wide up (16 lanes), packing
    /// raises the speed by 17–47 %; 64-wide layers (ldb 64) gain nothing from it, and with only
    /// 16 rows of A (3 row tiles) the copy costs about 10 %.
    static let packFrom = 128
    /// Fewest rows of A for which a panel is packed.
    static let packRows = 24

    @inline(__always)
    private static func panels(m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, rs: Int, cs: Int,
                               _ b: UnsafePointer<Float>, ldb: Int, _ c: UnsafeMutablePointer<Float>, ldc: Int,
                               accumulate: Bool, epilogue: Epilogue, panel: UnsafeMutablePointer<Float>) {
        var j = 0
        let w2 = 2 * Wide.scalarCount, pack = ldb >= packFrom && m >= packRows
        while j + w2 <= n {
            // The panel B[0..<k, j..<j+w2], in place or packed (k rows of w2, contiguous).
            var bp = UnsafePointer(b + j), lp = ldb
            if pack {
                for p in 0..<k { (panel + p * w2).update(from: b + p * ldb + j, count: w2) }
                bp = UnsafePointer(panel)
                lp = w2
            }
            var i = 0
            while i < m {
                tile2(Wide.self, rows: min(6, m - i), k: k, a + i * rs, rs: rs, cs: cs, bp, ldb: lp,
                      c + i * ldc + j, ldc: ldc, row: i, col: j, accumulate: accumulate, epilogue: epilogue)
                i += 6
            }
            j += w2
        }
        if Wide.scalarCount > 8 && j + Wide.scalarCount <= n {
            var i = 0
            while i < m {
                tile1(Wide.self, rows: min(6, m - i), k: k, a + i * rs, rs: rs, cs: cs, b + j, ldb: ldb,
                      c + i * ldc + j, ldc: ldc, row: i, col: j, accumulate: accumulate, epilogue: epilogue)
                i += 6
            }
            j += Wide.scalarCount
        }
        if j + 8 <= n {
            var i = 0
            while i < m {
                tile1(SIMD8<Float>.self, rows: min(6, m - i), k: k, a + i * rs, rs: rs, cs: cs, b + j, ldb: ldb,
                      c + i * ldc + j, ldc: ldc, row: i, col: j, accumulate: accumulate, epilogue: epilogue)
                i += 6
            }
            j += 8
        }
        while j < n {
            for i in 0..<m {
                var s: Float = accumulate ? c[i * ldc + j] : 0
                for p in 0..<k { s = s.addingProduct(a[i * rs + p * cs], b[p * ldb + j]) }
                c[i * ldc + j] = finish(s, row: i, col: j, epilogue)
            }
            j += 1
        }
    }

    /// C's row r at column offset o as the starting accumulator (zero when not accumulating or
    /// for the padding rows past `rows`).
    @inline(__always)
    private static func start<V: TileVector>(_ c: UnsafeMutablePointer<Float>, _ r: Int, _ o: Int, ldc: Int, rows: Int,
                                       _ accumulate: Bool) -> V {
        accumulate && r < rows ? V.load(c + r * ldc + o) : V()
    }

    @_transparent  // @inline(__always) leaves the 16-lane version an out-of-line call per vector
    private static func finish<V: TileVector>(_ v: V, row: Int, col: Int, _ e: Epilogue) -> V {
        switch e {
        case .store:
            return v
        case .biasLeaky(let bias, let slope):
            return v.plusLeaky(V.load(bias + col), slope: slope)
        case .leakyDerivative(let act, let ld, let slope):
            return v.leakyMasked(by: V.load(act + row * ld + col), slope: slope)
        }
    }

    @inline(__always)
    private static func finish(_ v: Float, row: Int, col: Int, _ e: Epilogue) -> Float {
        switch e {
        case .store:
            return v
        case .biasLeaky(let bias, let slope):
            let z = v + bias[col]
            return z > 0 ? z : slope * z
        case .leakyDerivative(let act, let ld, let slope):
            return act[row * ld + col] > 0 ? v : slope * v
        }
    }

    /// Up to 6 rows × 2 vectors (16 columns of SIMD8, 32 of SIMD16). Rows past `rows` repeat the
    /// last valid row of A (always readable) and are not stored, so one code path serves the
    /// remainder rows.
    @inline(__always)
    private static func tile2<V: TileVector>(_: V.Type, rows: Int, k: Int, _ a: UnsafePointer<Float>, rs: Int, cs: Int,
                                       _ b: UnsafePointer<Float>, ldb: Int,
                                       _ c: UnsafeMutablePointer<Float>, ldc: Int,
                                       row: Int, col: Int, accumulate: Bool, epilogue: Epilogue) {
        let w = V.scalarCount
        let a0 = a, a1 = a + min(1, rows - 1) * rs, a2 = a + min(2, rows - 1) * rs
        let a3 = a + min(3, rows - 1) * rs, a4 = a + min(4, rows - 1) * rs, a5 = a + min(5, rows - 1) * rs
        let q = accumulate
        var c00: V = start(c, 0, 0, ldc: ldc, rows: rows, q), c01: V = start(c, 0, w, ldc: ldc, rows: rows, q)
        var c10: V = start(c, 1, 0, ldc: ldc, rows: rows, q), c11: V = start(c, 1, w, ldc: ldc, rows: rows, q)
        var c20: V = start(c, 2, 0, ldc: ldc, rows: rows, q), c21: V = start(c, 2, w, ldc: ldc, rows: rows, q)
        var c30: V = start(c, 3, 0, ldc: ldc, rows: rows, q), c31: V = start(c, 3, w, ldc: ldc, rows: rows, q)
        var c40: V = start(c, 4, 0, ldc: ldc, rows: rows, q), c41: V = start(c, 4, w, ldc: ldc, rows: rows, q)
        var c50: V = start(c, 5, 0, ldc: ldc, rows: rows, q), c51: V = start(c, 5, w, ldc: ldc, rows: rows, q)
        var bp = b, ap = 0
        for _ in 0..<k {
            let b0 = V.load(bp), b1 = V.load(bp + w)
            var x = V(broadcast: a0[ap])
            c00 = c00.fma(x, b0); c01 = c01.fma(x, b1)
            x = V(broadcast: a1[ap])
            c10 = c10.fma(x, b0); c11 = c11.fma(x, b1)
            x = V(broadcast: a2[ap])
            c20 = c20.fma(x, b0); c21 = c21.fma(x, b1)
            x = V(broadcast: a3[ap])
            c30 = c30.fma(x, b0); c31 = c31.fma(x, b1)
            x = V(broadcast: a4[ap])
            c40 = c40.fma(x, b0); c41 = c41.fma(x, b1)
            x = V(broadcast: a5[ap])
            c50 = c50.fma(x, b0); c51 = c51.fma(x, b1)
            bp += ldb
            ap += cs
        }
        var out = c
        finish(c00, row: row, col: col, epilogue).store(out)
        finish(c01, row: row, col: col + w, epilogue).store(out + w)
        guard rows > 1 else { return }
        out += ldc
        finish(c10, row: row + 1, col: col, epilogue).store(out)
        finish(c11, row: row + 1, col: col + w, epilogue).store(out + w)
        guard rows > 2 else { return }
        out += ldc
        finish(c20, row: row + 2, col: col, epilogue).store(out)
        finish(c21, row: row + 2, col: col + w, epilogue).store(out + w)
        guard rows > 3 else { return }
        out += ldc
        finish(c30, row: row + 3, col: col, epilogue).store(out)
        finish(c31, row: row + 3, col: col + w, epilogue).store(out + w)
        guard rows > 4 else { return }
        out += ldc
        finish(c40, row: row + 4, col: col, epilogue).store(out)
        finish(c41, row: row + 4, col: col + w, epilogue).store(out + w)
        guard rows > 5 else { return }
        out += ldc
        finish(c50, row: row + 5, col: col, epilogue).store(out)
        finish(c51, row: row + 5, col: col + w, epilogue).store(out + w)
    }

    /// Up to 6 rows × 1 vector (a column remainder).
    @inline(__always)
    private static func tile1<V: TileVector>(_: V.Type, rows: Int, k: Int, _ a: UnsafePointer<Float>, rs: Int, cs: Int,
                                       _ b: UnsafePointer<Float>, ldb: Int,
                                       _ c: UnsafeMutablePointer<Float>, ldc: Int,
                                       row: Int, col: Int, accumulate: Bool, epilogue: Epilogue) {
        let a0 = a, a1 = a + min(1, rows - 1) * rs, a2 = a + min(2, rows - 1) * rs
        let a3 = a + min(3, rows - 1) * rs, a4 = a + min(4, rows - 1) * rs, a5 = a + min(5, rows - 1) * rs
        let q = accumulate
        var c0: V = start(c, 0, 0, ldc: ldc, rows: rows, q), c1: V = start(c, 1, 0, ldc: ldc, rows: rows, q)
        var c2: V = start(c, 2, 0, ldc: ldc, rows: rows, q), c3: V = start(c, 3, 0, ldc: ldc, rows: rows, q)
        var c4: V = start(c, 4, 0, ldc: ldc, rows: rows, q), c5: V = start(c, 5, 0, ldc: ldc, rows: rows, q)
        var bp = b, ap = 0
        for _ in 0..<k {
            let b0 = V.load(bp)
            c0 = c0.fma(V(broadcast: a0[ap]), b0)
            c1 = c1.fma(V(broadcast: a1[ap]), b0)
            c2 = c2.fma(V(broadcast: a2[ap]), b0)
            c3 = c3.fma(V(broadcast: a3[ap]), b0)
            c4 = c4.fma(V(broadcast: a4[ap]), b0)
            c5 = c5.fma(V(broadcast: a5[ap]), b0)
            bp += ldb
            ap += cs
        }
        finish(c0, row: row, col: col, epilogue).store(c)
        guard rows > 1 else { return }
        finish(c1, row: row + 1, col: col, epilogue).store(c + ldc)
        guard rows > 2 else { return }
        finish(c2, row: row + 2, col: col, epilogue).store(c + 2 * ldc)
        guard rows > 3 else { return }
        finish(c3, row: row + 3, col: col, epilogue).store(c + 3 * ldc)
        guard rows > 4 else { return }
        finish(c4, row: row + 4, col: col, epilogue).store(c + 4 * ldc)
        guard rows > 5 else { return }
        finish(c5, row: row + 5, col: col, epilogue).store(c + 5 * ldc)
    }
}
