// MARK: - Forward mode: Jacobian–vector products

extension MLP {
    /// Pushes tangent rows through the state of the last forward pass: for rows `rows` of that
    /// pass, t_l = φ_l'(a_l) ⊙ (t_{l−1} · W_l), from t_0 = `tangent` (rows.count, in) to the
    /// output's (rows.count, out), written into `result`.
    ///
    /// The derivative of each activation is read from its stored output a_l (`Activation.derivative
    /// (output:)`), so this is the exact directional derivative of the network at those inputs (one
    /// side of a LeakyReLU kink is taken where a pre-activation is exactly 0).
    public func pushTangent(_ tangent: UnsafePointer<Float>, rows: Range<Int>, into result: UnsafeMutablePointer<Float>) {
        let m = rows.count
        guard m > 0 else { return }
        let widest = layerSizes.max() ?? 1
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * m * widest)
        defer { scratch.deallocate() }
        var source = tangent
        for l in 0..<layerCount {
            let fanIn = layerSizes[l], fanOut = layerSizes[l + 1]
            let target = l == layerCount - 1 ? result : scratch + (l % 2) * m * widest
            // (m, in) · (in, out) → (m, out), with the forward pass's kind of kernel: the
            // hand-written tiles give every row the same bits whatever the batch is cut into, so
            // a run's diagnostics and a later `diagnose` of its snapshot agree to the last digit.
            let w = UnsafePointer(params + weightOffsets[l])
            if case .blas = plans[l].forward {
                GEMM.multiply(source, lda: fanIn, transposeA: false, w, ldb: fanOut, transposeB: false,
                              into: target, ldc: fanOut, m: m, n: fanOut, k: fanIn)
            } else {
                Kernels.product(m: m, n: fanOut, k: fanIn, source, rs: fanIn, cs: 1, w, ldb: fanOut,
                                target, ldc: fanOut, epilogue: .store)
            }
            let act = l == layerCount - 1 ? output : hidden
            let a = UnsafePointer(activations[l] + rows.lowerBound * fanOut)
            act.multiplyByDerivative(target, output: a, count: m * fanOut)
            source = UnsafePointer(target)
        }
    }
}

extension ResidualStack {
    /// Pushes tangent rows through the state of the last forward pass: with x_{k+1} = x_k + B_k(x_k),
    /// t_{k+1} = t_k + J_{B_k}(x_k)·t_k, each block's term by its own `pushTangent`.
    public func pushTangent(_ tangent: UnsafePointer<Float>, rows: Range<Int>, into result: UnsafeMutablePointer<Float>) {
        let count = rows.count * width
        let through = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { through.deallocate() }
        result.update(from: tangent, count: count)
        for block in blocks {
            block.pushTangent(UnsafePointer(result), rows: rows, into: through)
            for i in 0..<count { result[i] += through[i] }
        }
    }
}

extension TrainableNetwork {
    /// The outputs and the exact Jacobian columns ∂f/∂x₀ and ∂f/∂x₁ (forward mode, one tangent
    /// per input direction) at `count` rows of `inputValues`, in chunks of `maxBatch` split over
    /// the engine's threads. Returns (outputs, column along x₀, column along x₁), each
    /// (count, outputWidth).
    public func jacobianColumns(_ inputValues: [Float], count: Int) -> (outputs: [Float], dx0: [Float], dx1: [Float]) {
        let d = inputWidth, o = outputWidth
        precondition(inputValues.count == count * d && d >= 2, "jacobianColumns: expected \(count)×\(d) inputs, d ≥ 2")
        var outputs = [Float](repeating: 0, count: count * o)
        var columns = [[Float]](repeating: [Float](repeating: 0, count: count * o), count: 2)
        var start = 0
        while start < count {
            let n = min(maxBatch, count - start)
            _ = UnsafeMutableBufferPointer(rebasing: input[0..<(n * d)])
                .update(fromContentsOf: inputValues[(start * d)..<((start + n) * d)])
            forward(batch: n)
            for i in 0..<(n * o) { outputs[start * o + i] = outputBuffer[i] }
            for direction in 0..<2 {
                let seed = UnsafeMutablePointer<Float>.allocate(capacity: n * d)
                seed.initialize(repeating: 0, count: n * d)
                for r in 0..<n { seed[r * d + direction] = 1 }
                let product = UnsafeMutablePointer<Float>.allocate(capacity: n * o)
                WorkerPool.shared.run(parts: Self.parts(rows: n)) { team in
                    let rows = team.share(n)
                    guard !rows.isEmpty else { return }
                    pushTangent(UnsafePointer(seed + rows.lowerBound * d), rows: rows,
                                    into: product + rows.lowerBound * o)
                }
                for i in 0..<(n * o) { columns[direction][start * o + i] = product[i] }
                seed.deallocate()
                product.deallocate()
            }
            start += n
        }
        return (outputs, columns[0], columns[1])
    }
}
