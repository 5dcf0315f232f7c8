import Testing
@testable import GANLabEngine

/// The hand-written kernels against naive references, at sizes that do and do not divide the
/// blocking (6-row tiles of two vectors, 16 or 32 columns; one-vector and 8-lane remainder tiles;
/// 64-wide chunks), and the threaded passes against one thread.
@Suite("Fast kernels", .serialized)
struct FastKernelTests {
    private func randomValues(_ n: Int, _ rng: inout RandomSource) -> [Float] {
        (0..<n).map { _ in Float(rng.nextUniform(-1, 1)) }
    }

    /// |a − b| ≤ tolerance·(1 + |b|) for every pair.
    private func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * (1 + abs($1)) }
    }

    @Test("The transpose matches the definition for every shape and split of its output rows",
          arguments: [(1, 1), (3, 5), (8, 8), (9, 17), (16, 64), (64, 2), (2, 64), (23, 40), (512, 512)])
    func transposeMatchesDefinition(rows: Int, cols: Int) {
        var rng = RandomSource(seed: UInt64(rows * 1000 + cols))
        let w = randomValues(rows * cols, &rng)
        for parts in [1, 2, 3] {
            var t = [Float](repeating: .nan, count: rows * cols)
            w.withUnsafeBufferPointer { wp in
                t.withUnsafeMutableBufferPointer { tp in
                    for part in 0..<parts {
                        Kernels.transpose(wp.baseAddress!, rows: rows, cols: cols, into: tp.baseAddress!,
                                          outputRows: share(cols, part: part, of: parts))
                    }
                }
            }
            let expected = (0..<(rows * cols)).map { k in w[(k % rows) * cols + k / rows] }
            #expect(t == expected, "\(rows)×\(cols) in \(parts) parts")
        }
    }

    static let shapes: [(Int, Int, Int)] = [
        (1, 1, 1), (5, 7, 3), (6, 16, 1), (7, 17, 9), (13, 8, 2), (12, 40, 33), (25, 33, 64), (64, 64, 64), (3, 130, 5),
        (7, 24, 300), (2, 16, 129), (9, 56, 20), (6, 31, 5),
        // B's rows long enough for its panels to be packed (Kernels.packFrom, packRows), with
        // column remainders and two k blocks.
        (24, 128, 7), (30, 160, 140), (50, 200, 300),
    ]

    @Test("Blocked product matches the naive product, A row-major and transposed", arguments: shapes)
    func blockedProduct(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        var rng = RandomSource(seed: UInt64(m * 1000 + n * 10 + k))
        let a = randomValues(m * k, &rng), b = randomValues(k * n, &rng)
        for transposed in [false, true] {
            // Stored (m, k) or, transposed, (k, m).
            var c = [Float](repeating: .nan, count: m * n)
            a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                Kernels.product(m: m, n: n, k: k, ap.baseAddress!, rs: transposed ? 1 : k, cs: transposed ? m : 1,
                                bp.baseAddress!, ldb: n, cp.baseAddress!, ldc: n, epilogue: .store)
            } } }
            let reference = GEMM.naiveMultiply(a, transposeA: transposed, b, transposeB: false, m: m, n: n, k: k)
            #expect(close(c, reference), "\(m)×\(n)×\(k) transposed A: \(transposed)")
        }
    }

    @Test("Blocked product epilogues: bias + LeakyReLU, and the LeakyReLU derivative mask", arguments: shapes)
    func epilogues(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        var rng = RandomSource(seed: 77)
        let a = randomValues(m * k, &rng), b = randomValues(k * n, &rng)
        let bias = randomValues(n, &rng), act = randomValues(m * n, &rng)
        let plain = GEMM.naiveMultiply(a, transposeA: false, b, transposeB: false, m: m, n: n, k: k)
        let slope: Float = 0.1
        var withBias = [Float](repeating: 0, count: m * n), masked = withBias
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in
            bias.withUnsafeBufferPointer { biasp in act.withUnsafeBufferPointer { actp in
                withBias.withUnsafeMutableBufferPointer { cp in
                    Kernels.product(m: m, n: n, k: k, ap.baseAddress!, rs: k, cs: 1, bp.baseAddress!, ldb: n,
                                    cp.baseAddress!, ldc: n, epilogue: .biasLeaky(biasp.baseAddress!, slope: slope))
                }
                masked.withUnsafeMutableBufferPointer { cp in
                    Kernels.product(m: m, n: n, k: k, ap.baseAddress!, rs: k, cs: 1, bp.baseAddress!, ldb: n,
                                    cp.baseAddress!, ldc: n, epilogue: .leakyDerivative(actp.baseAddress!, ld: n, slope: slope))
                }
            } }
        } }
        let expectedBias = (0..<(m * n)).map { i -> Float in
            let z = plain[i] + bias[i % n]
            return z > 0 ? z : slope * z
        }
        let expectedMask = (0..<(m * n)).map { act[$0] > 0 ? plain[$0] : slope * plain[$0] }
        #expect(close(withBias, expectedBias))
        #expect(close(masked, expectedMask))
    }

    @Test("Row dot products match the naive product with a transposed B",
          arguments: [(1, 1), (2, 7), (1, 8), (2, 9), (3, 16), (4, 37), (2, 512)])
    func rowDots(shape: (Int, Int)) {
        let (n, k) = shape, rows = 11
        var rng = RandomSource(seed: UInt64(n * 100 + k))
        let a = randomValues(rows * k, &rng), bt = randomValues(n * k, &rng)
        var c = [Float](repeating: .nan, count: rows * n)
        a.withUnsafeBufferPointer { ap in bt.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
            Kernels.rowDots(rows: rows, n: n, k: k, ap.baseAddress!, lda: k, bp.baseAddress!, cp.baseAddress!, ldc: n)
        } } }
        #expect(close(c, GEMM.naiveMultiply(a, transposeA: false, bt, transposeB: true, m: rows, n: n, k: k)))
    }

    @Test("Thin-output weight gradient matches Xᵀ·δ over any range of inputs",
          arguments: [(1, 1), (2, 7), (1, 64), (2, 130), (3, 75)])
    func thinOutputWeightGradient(shape: (Int, Int)) {
        let (n, inputs) = shape, rows = 19
        var rng = RandomSource(seed: UInt64(n * 1000 + inputs))
        let x = randomValues(rows * inputs, &rng), delta = randomValues(rows * n, &rng)
        var dW = [Float](repeating: .nan, count: inputs * n)
        let split = inputs / 3 / 8 * 8
        x.withUnsafeBufferPointer { xp in delta.withUnsafeBufferPointer { dp in dW.withUnsafeMutableBufferPointer { wp in
            for range in [0..<split, split..<inputs] {
                Kernels.thinOutputWeightGradient(rows: rows, inputs: range.lowerBound, range.upperBound, n: n, ldx: inputs,
                                                 xp.baseAddress!, dp.baseAddress!, into: wp.baseAddress!)
            }
        } } }
        #expect(close(dW, GEMM.naiveMultiply(x, transposeA: true, delta, transposeB: false, m: inputs, n: n, k: rows)))
    }

    @Test("Column sums and transposes")
    func helpers() {
        var rng = RandomSource(seed: 4)
        let rows = 9, cols = 21
        let x = randomValues(rows * cols, &rng)
        var sums = [Float](repeating: .nan, count: cols), t = [Float](repeating: .nan, count: rows * cols)
        x.withUnsafeBufferPointer { xp in
            sums.withUnsafeMutableBufferPointer { sp in
                Kernels.columnSums(rows: rows, cols: cols, xp.baseAddress!, columns: 0..<8, into: sp.baseAddress!)
                Kernels.columnSums(rows: rows, cols: cols, xp.baseAddress!, columns: 8..<cols, into: sp.baseAddress!)
            }
            t.withUnsafeMutableBufferPointer { tp in
                Kernels.transpose(xp.baseAddress!, rows: rows, cols: cols, into: tp.baseAddress!, outputRows: 0..<5)
                Kernels.transpose(xp.baseAddress!, rows: rows, cols: cols, into: tp.baseAddress!, outputRows: 5..<cols)
            }
        }
        let expected = (0..<cols).map { c in (0..<rows).reduce(Float(0)) { $0 + x[$1 * cols + c] } }
        #expect(close(sums, expected))
        #expect((0..<rows).allSatisfy { r in (0..<cols).allSatisfy { c in t[c * rows + r] == x[r * cols + c] } })
    }

    @Test("Shares cover the range once, in order, on aligned boundaries")
    func shares() {
        for count in [0, 1, 7, 16, 64, 100, 512] {
            for parts in 1...4 {
                let ranges = (0..<parts).map { share(count, part: $0, of: parts, align: 8) }
                #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == count)
                #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
                #expect(ranges.dropLast().allSatisfy { $0.upperBound % 8 == 0 || $0.upperBound == count })
            }
        }
    }

    // MARK: - Threaded passes

    /// Forward, backward (with weight and input gradients) and an Adam step of a network, on `parts` threads.
    private func trainOnce(sizes: [Int], hidden: ActivationKind, output: ActivationKind, batch: Int,
                           blasWidth: Int, parts: Int) -> (out: [Float], grads: [Float], input: [Float], params: [Float]) {
        let shapes = zip(sizes, sizes.dropFirst()).map { KernelPlan.Shape($0, $1) }
        return trainOnce(sizes: sizes, hidden: hidden, output: output, batch: batch,
                         kernels: .rule(blasFrom: blasWidth, shapes: shapes), parts: parts)
    }

    private func trainOnce(sizes: [Int], hidden: ActivationKind, output: ActivationKind, batch: Int,
                           kernels: KernelPlan, parts: Int) -> (out: [Float], grads: [Float], input: [Float], params: [Float]) {
        Engine.setWorkerThreads(1)
        WorkerPool.shared.resize(parts: parts)  // not capped at the core count, unlike Engine.setWorkerThreads
        defer { Engine.setWorkerThreads(1) }
        var rng = RandomSource(seed: 21)
        let net = MLP(layerSizes: sizes, hidden: Activation(hidden, slope: 0.1), output: Activation(output),
                      maxBatch: batch, kernels: kernels)
        net.initialize(Initializer(.glorotUniform), using: &rng)
        for i in 0..<(batch * sizes[0]) { net.input[i] = Float(rng.nextUniform(-1, 1)) }
        let upstream = randomValues(batch * sizes.last!, &rng)
        net.forward(batch: batch)
        let out = Array(net.outputBuffer.prefix(batch * sizes.last!))
        upstream.withUnsafeBufferPointer {
            net.backward(outputGradient: $0.baseAddress!, batch: batch, weightGradients: true, inputGradient: true)
        }
        let grads = Array(net.gradients)
        let opt = Optimizer(kind: .adam, parameterCount: net.parameterCount, learningRate: 1e-3, beta1: 0.5)
        opt.update(parameters: net.parameters, gradients: net.gradients)
        return (out, grads, Array(net.inputGradient.prefix(batch * sizes[0])), Array(net.parameters))
    }

    static let networks: [([Int], ActivationKind, ActivationKind)] = [
        ([2, 64, 64, 64, 1], .leakyReLU, .identity),
        ([2, 48, 40, 2], .tanh, .tanh),
        ([2, 16, 16, 16, 16, 2], .leakyReLU, .identity),
        ([3, 100, 7, 1], .sigmoid, .sigmoid),
        ([2, 80, 90, 2], .relu, .tanh),
    ]

    /// 2 and 4 threads take the backward pass's barrier-free path (each thread's gradient quarters
    /// lie in its own rows); 3 threads the path that meets at every layer.
    @Test("Two, three or four threads give the same bits as one with the hand-written kernels", arguments: networks)
    func threadedEqualsSerial(network: ([Int], ActivationKind, ActivationKind)) {
        let (sizes, hidden, output) = network
        for batch in [40, 97, 256] {
            let one = trainOnce(sizes: sizes, hidden: hidden, output: output, batch: batch, blasWidth: .max, parts: 1)
            for parts in [2, 3, 4] {
                let many = trainOnce(sizes: sizes, hidden: hidden, output: output, batch: batch, blasWidth: .max, parts: parts)
                #expect(one.out == many.out && one.grads == many.grads && one.input == many.input && one.params == many.params,
                        "\(sizes) batch \(batch), \(parts) threads")
            }
        }
    }

    @Test("The OpenBLAS plan agrees with the hand-written kernels, threaded or not", arguments: networks)
    func blasPlanAgrees(network: ([Int], ActivationKind, ActivationKind)) {
        let (sizes, hidden, output) = network
        let kernels = trainOnce(sizes: sizes, hidden: hidden, output: output, batch: 97, blasWidth: .max, parts: 1)
        for parts in [1, 2] {
            let blas = trainOnce(sizes: sizes, hidden: hidden, output: output, batch: 97, blasWidth: 1, parts: parts)
            #expect(close(blas.out, kernels.out, tolerance: 1e-4))
            #expect(close(blas.grads, kernels.grads, tolerance: 1e-4))
            #expect(close(blas.input, kernels.input, tolerance: 1e-4))
        }
    }

    @Test("A threaded run is repeatable bit for bit, with OpenBLAS layers too")
    func threadedRepeatable() {
        let a = trainOnce(sizes: [2, 300, 300, 1], hidden: .leakyReLU, output: .identity, batch: 128, blasWidth: 256, parts: 2)
        let b = trainOnce(sizes: [2, 300, 300, 1], hidden: .leakyReLU, output: .identity, batch: 128, blasWidth: 256, parts: 2)
        #expect(a.out == b.out && a.grads == b.grads && a.input == b.input && a.params == b.params)
    }

    /// Every plan the planner can write mixes the two kernels per product: each of the eight
    /// choices for the hidden layer's forward, input-gradient and weight-gradient products (and
    /// the first layer's) agrees with the hand-written kernels and repeats bit for bit.
    @Test("Every per-product mix of tiles and OpenBLAS agrees with the tiles and repeats bit for bit")
    func mixedPlansAgree() {
        let sizes = [2, 40, 48, 1]
        let tiles = trainOnce(sizes: sizes, hidden: .leakyReLU, output: .identity, batch: 97, blasWidth: .max, parts: 1)
        let choices: [KernelPlan.Choice] = [.tiles, .blas]
        for f in choices {
            for i in choices {
                for w in choices {
                    let plan = KernelPlan(choices: [KernelPlan.Shape(2, 40): [f, i, w], KernelPlan.Shape(40, 48): [f, i, w]])
                    for parts in [1, 2] {
                        let a = trainOnce(sizes: sizes, hidden: .leakyReLU, output: .identity, batch: 97, kernels: plan, parts: parts)
                        let b = trainOnce(sizes: sizes, hidden: .leakyReLU, output: .identity, batch: 97, kernels: plan, parts: parts)
                        #expect(a.out == b.out && a.grads == b.grads && a.input == b.input && a.params == b.params, "\(plan), \(parts) threads")
                        #expect(close(a.out, tiles.out, tolerance: 1e-4) && close(a.grads, tiles.grads, tolerance: 1e-4)
                                && close(a.input, tiles.input, tolerance: 1e-4), "\(plan), \(parts) threads")
                    }
                }
            }
        }
    }
}
