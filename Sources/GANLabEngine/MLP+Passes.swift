/// Which kernel computes each of a dense layer's three products.
///
/// Thin sides (≤ 4 features: the 2-D inputs, the 1–2 outputs) get dot-product or outer-product
/// loops; layers whose narrower side is at least `blasWidth` (256, or 2048 in an AVX-512 build)
/// go to single-threaded OpenBLAS `sgemm` (its packed kernels win once matrices outgrow the
/// caches); everything in between uses the register-blocked `Kernels.product`, which copies
/// only the panels of B that the L1 cache needs contiguous and has no separate pass that zeroes
/// C for β = 0.
struct LayerPlan {
    enum Kernel { case blocked, blas, dots }

    let fanIn: Int
    let fanOut: Int
    /// a·W: `dots` when the layer has ≤ 4 outputs.
    let forward: Kernel
    /// δ·Wᵀ: `dots` when the layer has ≤ 4 inputs.
    let inputProduct: Kernel
    /// Xᵀ·δ: `dots` (outer products) when the layer has ≤ 4 outputs.
    let weightProduct: Kernel

    init(fanIn: Int, fanOut: Int, kernels: KernelPlan) {
        self.fanIn = fanIn
        self.fanOut = fanOut
        let shape = KernelPlan.Shape(fanIn, fanOut)
        func kernel(_ product: KernelPlan.Product) -> Kernel {
            if shape.isThin(product) { return .dots }
            return kernels.choice(product, shape) == .blas ? .blas : .blocked
        }
        forward = kernel(.forward)
        inputProduct = kernel(.input)
        weightProduct = kernel(.weight)
    }

    /// Whether a kernel reads Wᵀ (out, in): the forward dot products and the blocked δ·Wᵀ.
    var needsTranspose: Bool { forward == .dots || inputProduct == .blocked }
}

extension MLP {
    // MARK: - Forward

    /// Writes Wᵀ of the layers whose forward dot products read it (the 1–4-output layers); call
    /// before `forwardPart` (`forward(batch:)` does).
    public func prepareForward() {
        for l in 0..<layerCount where plans[l].forward == .dots {
            let p = plans[l]
            Kernels.transpose(params + weightOffsets[l], rows: p.fanIn, cols: p.fanOut, into: transposed[l],
                              outputRows: 0..<p.fanOut)
        }
    }

    /// This part's share of the first n rows through every layer. Rows are independent, so the
    /// parts never meet.
    public func forwardPart(_ team: Team, batch n: Int) {
        precondition(n > 0 && n <= maxBatch, "batch \(n) outside 1...\(maxBatch)")
        let rows = team.share(n)
        if !rows.isEmpty { forwardRows(rows) }
    }

    private func forwardRows(_ rows: Range<Int>) {
        let r0 = rows.lowerBound, m = rows.count
        var x = UnsafePointer(inputs + r0 * inputWidth)
        for l in 0..<layerCount {
            let p = plans[l], fanIn = p.fanIn, fanOut = p.fanOut
            let w = UnsafePointer(params + weightOffsets[l]), b = UnsafePointer(params + biasOffsets[l])
            let a = activations[l] + r0 * fanOut
            let act = l == layerCount - 1 ? output : hidden
            switch p.forward {
            case .dots:
                // (m, in) · (in, ≤4) → (m, ≤4) as dot products with the rows of Wᵀ.
                Kernels.rowDots(rows: m, n: fanOut, k: fanIn, x, lda: fanIn, transposed[l], a, ldc: fanOut)
                act.addBiasAndApply(a, rows: m, cols: fanOut, bias: b)
            case .blas:
                // (m, in) · (in, out) → (m, out)
                GEMM.multiply(x, lda: fanIn, transposeA: false, w, ldb: fanOut, transposeB: false,
                              into: a, ldc: fanOut, m: m, n: fanOut, k: fanIn)
                act.addBiasAndApply(a, rows: m, cols: fanOut, bias: b)
            case .blocked:
                // (m, in) · (in, out) → (m, out), bias and LeakyReLU applied as each tile is stored.
                if let slope = act.piecewiseLinearSlope {
                    Kernels.product(m: m, n: fanOut, k: fanIn, x, rs: fanIn, cs: 1, w, ldb: fanOut,
                                    a, ldc: fanOut, epilogue: .biasLeaky(b, slope: slope))
                } else {
                    Kernels.product(m: m, n: fanOut, k: fanIn, x, rs: fanIn, cs: 1, w, ldb: fanOut,
                                    a, ldc: fanOut, epilogue: .store)
                    act.addBiasAndApply(a, rows: m, cols: fanOut, bias: b)
                }
            }
            x = UnsafePointer(a)
        }
    }

    // MARK: - Backward

    /// Whether every part of `team` reads only the rows of δ it wrote itself in a backward pass.
    private func rowsStayLocal(_ team: Team, weightGradients: Bool) -> Bool {
        guard weightGradients else { return true }
        return Self.gradientGroups % team.parts == 0 && !plans.contains { $0.weightProduct == .blas }
    }

    /// This part's share of a backward pass (every part of the team must call it). Each part
    /// carries its share of the rows of δ down the layers (δ_{l−1} = δ_l·W_lᵀ ⊙ φ'(a_{l−1})).
    ///
    /// Weight gradients of the hand-written kernels are summed over four fixed quarters of the
    /// batch, dW = ((X₁ᵀ·δ₁ + X₂ᵀ·δ₂) + X₃ᵀ·δ₃) + X₄ᵀ·δ₄, so the result is the same for any number
    /// of parts; OpenBLAS layers give each part a share of dW's columns over all rows instead.
    /// With 1, 2 or 4 parts and no OpenBLAS weight product, each part's quarters lie inside its
    /// own rows, so it reads only rows of δ it wrote: the parts meet after the transposes of W
    /// (not when they were prepared ahead) and before the quarters are added up, not at every
    /// layer.
    ///
    /// - prepared: this part's `prepareBackwardPart` has run since the weights last changed, in
    ///   a pool run (or before a barrier) that ended before this call, so the transposes and
    ///   their meeting are skipped.
    /// - optimizer: when given (its `prepareUpdate` already called), each part applies it to
    ///   the ranges of the parameter vector whose gradients it finished, right after summing
    ///   them and while they are still in cache, so the caller needs no meeting and no separate
    ///   pass before the update. Only valid when nothing else adds to the gradients first.
    public func backwardPart(_ team: Team, outputGradient: UnsafePointer<Float>, batch n: Int,
                             weightGradients: Bool, inputGradient wantInput: Bool,
                             prepared: Bool, optimizer: Optimizer?) {
        precondition(n > 0 && n <= maxBatch, "batch \(n) outside 1...\(maxBatch)")
        let rows = team.share(n), r0 = rows.lowerBound, m = rows.count
        let local = rowsStayLocal(team, weightGradients: weightGradients)
        // Where this part's rows of a δ buffer start, for a layer of the given width. δ_l and
        // δ_{l−2} share a buffer at different widths, so without the per-layer meeting each part
        // keeps to its own region of it (rows r0… from r0·maxWidth on); otherwise δ_l is one
        // (n, width) matrix that every part reads.
        let regionWidth = local ? layerSizes.max() : nil
        func ownRows(_ buffer: UnsafeMutablePointer<Float>, width: Int) -> UnsafeMutablePointer<Float> {
            buffer + r0 * (regionWidth ?? width)
        }
        var delta = deltaA, spare = deltaB
        let outW = outputWidth
        // ∂L/∂a_last → ∂L/∂z_last for this part's rows.
        let last = ownRows(delta, width: outW)
        last.update(from: outputGradient + r0 * outW, count: m * outW)
        output.multiplyByDerivative(last, output: activations[layerCount - 1] + r0 * outW, count: m * outW)
        if !prepared { prepareBackwardPart(team, inputGradient: wantInput) }
        // Every Wᵀ (and, for the shared layout, every row of δ_last) is ready.
        if !prepared || !local { team.barrier() }
        for l in stride(from: layerCount - 1, through: 0, by: -1) {
            let p = plans[l]
            let needInput = l > 0 || wantInput
            if !local && l < layerCount - 1 { team.barrier() }  // every row of δ_l is ready
            let own = ownRows(delta, width: p.fanOut)
            if weightGradients {
                let x = UnsafePointer(l == 0 ? inputs : activations[l - 1])
                weightGradient(layer: l, team, x: x, delta: UnsafePointer(local ? own : delta),
                               firstRow: local ? r0 : 0, batch: n)
            }
            guard needInput else { break }
            let target = l == 0 ? inputGrads + r0 * p.fanIn : ownRows(spare, width: p.fanIn)
            inputProduct(layer: l, rows: rows, delta: UnsafePointer(own), into: target)
            swap(&delta, &spare)
        }
        guard weightGradients else { return }
        team.barrier()  // every quarter's partial (and every OpenBLAS weight gradient) is ready
        // dW, db += the other quarters' partials in quarter order, shared out by ranges, then the
        // optimizer on each range, a chunk at a time so the summed gradients are read from L1.
        let chunk = 4096
        for l in 0..<layerCount {
            let count = layerSizes[l] * layerSizes[l + 1] + layerSizes[l + 1], first = weightOffsets[l]
            let summed = plans[l].weightProduct != .blas
            let mine = team.share(count, align: 16)
            var c0 = mine.lowerBound
            while c0 < mine.upperBound {
                let range = (first + c0)..<(first + min(c0 + chunk, mine.upperBound))
                if summed {
                    for partial in partialGrads {
                        for i in range { grads[i] += partial[i] }
                    }
                }
                optimizer?.updateRange(range, parameters: params, gradients: grads)
                c0 = range.upperBound - first
            }
        }
    }

    /// This part's share of what a backward pass reads besides the forward state: Wᵀ of every
    /// layer whose blocked input product reads it and whose forward pass does not (those
    /// `prepareForward` wrote). Lets a caller do this work inside the pool run of the forward
    /// pass, whose end orders it before `backwardPart(prepared: true)`.
    public func prepareBackwardPart(_ team: Team, inputGradient wantInput: Bool) {
        for l in (wantInput ? 0 : 1)..<layerCount where plans[l].inputProduct == .blocked && plans[l].forward != .dots {
            let p = plans[l]
            Kernels.transpose(params + weightOffsets[l], rows: p.fanIn, cols: p.fanOut, into: transposed[l],
                              outputRows: team.share(p.fanOut))
        }
    }

    /// Row groups the hand-written weight gradients are summed over, whatever the thread count.
    static let gradientGroups = 4

    /// This part's work on dW_l = Xᵀ·δ_l and db_l = Σ_rows δ_l: for the hand-written kernels the
    /// partials of the quarters this part owns (added up by `backwardPart`), for OpenBLAS a share
    /// of the columns over all n rows (then `firstRow` is 0 and every row of δ_l is ready).
    /// `delta` holds rows `firstRow`… of δ_l, (·, fanOut) row-major; x holds all n rows.
    private func weightGradient(layer l: Int, _ team: Team, x: UnsafePointer<Float>,
                                delta: UnsafePointer<Float>, firstRow: Int, batch n: Int) {
        let p = plans[l], fanIn = p.fanIn, fanOut = p.fanOut
        let dW = grads + weightOffsets[l], db = grads + biasOffsets[l]
        if p.weightProduct == .blas {
            // (in, n) · (n, cols) → (in, cols): Xᵀ·δ with the transpose folded into sgemm.
            let cols = team.share(fanOut, align: 16)
            GEMM.multiply(x, lda: fanIn, transposeA: true, delta + cols.lowerBound, ldb: fanOut, transposeB: false,
                          into: dW + cols.lowerBound, ldc: fanOut, m: fanIn, n: cols.count, k: n)
            Kernels.columnSums(rows: n, cols: fanOut, delta, columns: team.share(fanOut, align: 8), into: db)
            return
        }
        // Group g's partial goes into the gradients (g = 0) or its own buffer; a part takes the
        // groups inside its own share of the rows where it can.
        let groups = Self.gradientGroups
        for g in 0..<groups where g * team.parts / groups == team.part {
            let rows = share(n, part: g, of: groups)
            let base = g == 0 ? grads : partialGrads[g - 1]
            guard !rows.isEmpty else {
                (base + weightOffsets[l]).update(repeating: 0, count: fanIn * fanOut + fanOut)
                continue
            }
            let x0 = x + rows.lowerBound * fanIn, d0 = delta + (rows.lowerBound - firstRow) * fanOut
            if p.weightProduct == .dots {
                Kernels.thinOutputWeightGradient(rows: rows.count, inputs: 0, fanIn, n: fanOut, ldx: fanIn,
                                                 x0, d0, into: base + weightOffsets[l])
            } else {
                // (in, rows) · (rows, out) → (in, out)
                Kernels.product(m: fanIn, n: fanOut, k: rows.count, x0, rs: 1, cs: fanIn, d0, ldb: fanOut,
                                base + weightOffsets[l], ldc: fanOut, epilogue: .store)
            }
            Kernels.columnSums(rows: rows.count, cols: fanOut, d0, columns: 0..<fanOut, into: base + biasOffsets[l])
        }
    }

    /// This part's rows of δ_l·W_lᵀ, times φ'(a_{l−1}) unless l is the first layer (then it is
    /// ∂L/∂input): `src` holds those rows of δ_l, `dst` receives them, both row-major.
    private func inputProduct(layer l: Int, rows: Range<Int>, delta src: UnsafePointer<Float>,
                              into dst: UnsafeMutablePointer<Float>) {
        let p = plans[l], fanIn = p.fanIn, fanOut = p.fanOut
        let r0 = rows.lowerBound, m = rows.count
        guard m > 0 else { return }
        let w = UnsafePointer(params + weightOffsets[l])
        let previous = l > 0 ? activations[l - 1] + r0 * fanIn : nil
        switch p.inputProduct {
        case .dots:
            // (m, out) · (out, ≤4) → (m, ≤4): dot products with the rows of W.
            Kernels.rowDots(rows: m, n: fanIn, k: fanOut, src, lda: fanOut, w, dst, ldc: fanIn)
        case .blas:
            // (m, out) · (out, in) → (m, in): δ·Wᵀ with the transpose folded into sgemm.
            GEMM.multiply(src, lda: fanOut, transposeA: false, w, ldb: fanOut, transposeB: true,
                          into: dst, ldc: fanIn, m: m, n: fanIn, k: fanOut)
        case .blocked:
            if let a = previous, let slope = hidden.piecewiseLinearSlope {
                Kernels.product(m: m, n: fanIn, k: fanOut, src, rs: fanOut, cs: 1, transposed[l], ldb: fanIn,
                                dst, ldc: fanIn, epilogue: .leakyDerivative(a, ld: fanIn, slope: slope))
                return
            }
            Kernels.product(m: m, n: fanIn, k: fanOut, src, rs: fanOut, cs: 1, transposed[l], ldb: fanIn,
                            dst, ldc: fanIn, epilogue: .store)
        }
        if let a = previous { hidden.multiplyByDerivative(dst, output: a, count: m * fanIn) }
    }
}
