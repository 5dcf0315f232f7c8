// MARK: - Thin outputs

extension Kernels {
    /// C (rows, n ≤ 4) = A (rows, k) · Btᵀ with Bt (n, k) row-major: a dot product per output,
    /// for layers with one or two outputs. Each dot accumulates 8 lanes over k in order, sums the
    /// lanes in a fixed tree, then adds the k mod 8 tail in order.
    static func rowDots(rows: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, lda: Int,
                        _ bt: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
        precondition(n >= 1 && n <= 4 && k >= 1, "rowDots: bad shape \(rows)×\(n)×\(k)")
        let chunks = k / 8
        for r in 0..<rows {
            let x = a + r * lda
            for j in 0..<n {
                let w = bt + j * k
                var acc0 = Vector(), acc1 = Vector()
                var q = 0
                while q + 1 < chunks {
                    acc0 = acc0.addingProduct(Vector.load(x + q * 8), Vector.load(w + q * 8))
                    acc1 = acc1.addingProduct(Vector.load(x + q * 8 + 8), Vector.load(w + q * 8 + 8))
                    q += 2
                }
                if q < chunks { acc0 = acc0.addingProduct(Vector.load(x + q * 8), Vector.load(w + q * 8)) }
                var s = (acc0 + acc1).sum()
                for p in (chunks * 8)..<k { s = s.addingProduct(x[p], w[p]) }
                c[r * ldc + j] = s
            }
        }
    }

    /// dW rows [i0, i1) of a thin-output layer: dW (in, n ≤ 4) = Xᵀ (in, rows) · δ (rows, n),
    /// X (rows, in) row-major, δ (rows, n). Accumulates 64 inputs at a time in registers.
    static func thinOutputWeightGradient(rows: Int, inputs i0: Int, _ i1: Int, n: Int, ldx: Int,
                                         _ x: UnsafePointer<Float>, _ delta: UnsafePointer<Float>,
                                         into dW: UnsafeMutablePointer<Float>) {
        var i = i0
        while i + 64 <= i1 {
            for j in 0..<n {
                var s0 = Vector(), s1 = Vector(), s2 = Vector(), s3 = Vector()
                var s4 = Vector(), s5 = Vector(), s6 = Vector(), s7 = Vector()
                for r in 0..<rows {
                    let d = Vector(repeating: delta[r * n + j]), xr = x + r * ldx + i
                    s0 = s0.addingProduct(Vector.load(xr), d); s1 = s1.addingProduct(Vector.load(xr + 8), d)
                    s2 = s2.addingProduct(Vector.load(xr + 16), d); s3 = s3.addingProduct(Vector.load(xr + 24), d)
                    s4 = s4.addingProduct(Vector.load(xr + 32), d); s5 = s5.addingProduct(Vector.load(xr + 40), d)
                    s6 = s6.addingProduct(Vector.load(xr + 48), d); s7 = s7.addingProduct(Vector.load(xr + 56), d)
                }
                let column = dW + i * n + j
                scatter(s0, column, stride: n); scatter(s1, column + 8 * n, stride: n)
                scatter(s2, column + 16 * n, stride: n); scatter(s3, column + 24 * n, stride: n)
                scatter(s4, column + 32 * n, stride: n); scatter(s5, column + 40 * n, stride: n)
                scatter(s6, column + 48 * n, stride: n); scatter(s7, column + 56 * n, stride: n)
            }
            i += 64
        }
        while i + 8 <= i1 {
            for j in 0..<n {
                var s = Vector()
                for r in 0..<rows { s = s.addingProduct(Vector.load(x + r * ldx + i), Vector(repeating: delta[r * n + j])) }
                scatter(s, dW + i * n + j, stride: n)
            }
            i += 8
        }
        while i < i1 {
            for j in 0..<n {
                var s: Float = 0
                for r in 0..<rows { s = s.addingProduct(x[r * ldx + i], delta[r * n + j]) }
                dW[i * n + j] = s
            }
            i += 1
        }
    }
}
