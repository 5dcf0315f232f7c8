/// A penalty on the norm of a critic's input gradient, P = c · mean_rows h(‖∇ₓf(x)‖), and its
/// gradient with respect to the critic's parameters by a second backward pass ("double
/// backprop").
///
/// f is an `MLP` with one identity output. The gradient g = ∇ₓf is itself a backward pass:
///
///     e_{L−2} = w_{L−1} ⊙ φ'(h_{L−2})             (w_{L−1}: the last layer's weight column)
///     e_j     = (e_{j+1}·W_{j+1}ᵀ) ⊙ φ'(h_j)        = u_j ⊙ φ'(h_j)
///     g       = e_0·W_0ᵀ
///
/// with h_j the hidden activations of the forward pass. Its reverse ("up") pass takes
/// ḡ = ∂P/∂g back through that chain:
///
///     ē_0 = ḡ·W_0,              W̄_0 = ḡᵀ·e_0
///     ū_j = ē_j ⊙ φ'(h_j),     ē_{j+1} = ū_j·W_{j+1},   W̄_{j+1} = ū_jᵀ·e_{j+1}
///     W̄_{L−1} = Σ_rows ū_{L−2}ᵀ
///
/// For piecewise-linear activations (LeakyReLU, ReLU) φ'' = 0 almost everywhere and that is all:
/// the biases get no gradient. For tanh and sigmoid, φ'(h_j) depends on the parameters through
/// the forward pass, which adds s̄_j = ē_j ⊙ u_j ⊙ φ''(h_j) as ∂P/∂z_j, carried down the forward
/// chain like an ordinary backward pass ("down" pass, c_j):
///
///     c_{L−2} = s̄_{L−2},   c_{j−1} = s̄_{j−1} + (c_j·W_jᵀ) ⊙ φ'(h_{j−1}),
///     W̄_j += a_{j−1}ᵀ·c_j,  b̄_j = Σ_rows c_j      (a_{−1} = x)
///
/// The rows are cut into four fixed groups, each carried through every pass by one part of a
/// team and summed into the gradient in group order, so the result does not depend on the
/// number of threads. Every buffer is allocated here; an evaluation allocates nothing.
public final class GradientPenalty {
    /// Which function of the gradient norm r = ‖∇ₓf‖ is penalised.
    public enum Form: Sendable {
        /// λ·(r − 1)² (WGAN-GP, Gulrajani et al. 2017): the coefficient is λ.
        case unitNorm
        /// (γ/2)·r² (R1/R2, Mescheder et al. 2018): the coefficient is γ.
        case squaredNorm
    }

    /// The critic whose parameters the penalty differentiates.
    public let network: MLP
    /// Most rows one evaluation may take.
    public let maxRows: Int

    private let widths: [Int]
    private let layerCount: Int
    private let points: UnsafeMutablePointer<Float>        // x: (maxRows, w0)
    private let hiddenOut: [UnsafeMutablePointer<Float>]   // h_j: (maxRows, w_{j+1}), j = 0…L−2
    private let chain: [UnsafeMutablePointer<Float>]       // e_j, same shapes
    private let preDerivative: [UnsafeMutablePointer<Float>]  // u_j (tanh/sigmoid only), then s̄_j
    private let inputGradients: UnsafeMutablePointer<Float>  // g: (maxRows, w0)
    private let inputAdjoint: UnsafeMutablePointer<Float>    // ḡ: (maxRows, w0)
    private let adjointA: UnsafeMutablePointer<Float>      // ē / c ping-pong: (maxRows, maxWidth)
    private let adjointB: UnsafeMutablePointer<Float>
    private let transposed: [UnsafeMutablePointer<Float>]  // W_jᵀ (w_{j+1}, w_j) where read
    private let partials: [UnsafeMutablePointer<Float>]    // one gradient per row group
    private let scratch: [UnsafeMutablePointer<Float>]     // one largest weight block per group
    private let norms: UnsafeMutablePointer<Double>        // ‖g‖ per row
    private let terms: UnsafeMutablePointer<Double>        // h(‖g‖) per row (without the coefficient)
    private let curved: Bool

    /// Row groups the gradient is summed over, whatever the thread count.
    static let groups = 4

    /// A workspace for penalties on `network` over at most `maxRows` points. The network must
    /// have at least one hidden layer and a single identity output (a logit or a critic value).
    public init(network: MLP, maxRows: Int) {
        precondition(network.layerCount >= 2, "a gradient penalty needs a critic with a hidden layer")
        precondition(network.outputWidth == 1 && network.output.kind == .identity,
                     "a gradient penalty needs one identity output")
        precondition(maxRows > 0, "maxRows must be positive")
        self.network = network
        self.maxRows = maxRows
        widths = network.layerSizes
        layerCount = network.layerCount
        let curved = network.hidden.piecewiseLinearSlope == nil
        self.curved = curved
        func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            return p
        }
        let w = network.layerSizes, hiddenCount = network.layerCount - 1
        let maxHidden = w[1...hiddenCount].max() ?? 1
        points = buffer(maxRows * w[0])
        hiddenOut = (0..<hiddenCount).map { buffer(maxRows * w[$0 + 1]) }
        chain = (0..<hiddenCount).map { buffer(maxRows * w[$0 + 1]) }
        preDerivative = (0..<hiddenCount).map { curved ? buffer(maxRows * w[$0 + 1]) : buffer(1) }
        inputGradients = buffer(maxRows * w[0])
        inputAdjoint = buffer(maxRows * w[0])
        adjointA = buffer(maxRows * maxHidden)
        adjointB = buffer(maxRows * maxHidden)
        transposed = (0..<network.layerCount).map { j in
            GradientPenalty.readsTranspose(layer: j, widths: w, layerCount: network.layerCount) ? buffer(w[j] * w[j + 1]) : buffer(1)
        }
        partials = (0..<Self.groups).map { _ in buffer(network.parameterCount) }
        let largest = (0..<network.layerCount).map { w[$0] * w[$0 + 1] }.max() ?? 1
        scratch = (0..<Self.groups).map { _ in buffer(largest) }
        norms = .allocate(capacity: maxRows)
        norms.initialize(repeating: 0, count: maxRows)
        terms = .allocate(capacity: maxRows)
        terms.initialize(repeating: 0, count: maxRows)
    }

    deinit {
        points.deallocate()
        (hiddenOut + chain + preDerivative + transposed + partials + scratch).forEach { $0.deallocate() }
        inputGradients.deallocate()
        inputAdjoint.deallocate()
        adjointA.deallocate()
        adjointB.deallocate()
        norms.deallocate()
        terms.deallocate()
    }

    /// Whether a pass reads W_jᵀ: the chain's u_{j−1} = e_j·W_jᵀ for the hidden layers after the
    /// first, and g = e_0·W_0ᵀ when the input is wider than the dot-product kernel takes.
    private static func readsTranspose(layer j: Int, widths w: [Int], layerCount: Int) -> Bool {
        if j == layerCount - 1 { return false }
        return j > 0 || w[0] > 4
    }

    /// The points to penalise, (maxRows, inputWidth) row-major: write the first rows.
    public var input: UnsafeMutableBufferPointer<Float> { .init(start: points, count: maxRows * widths[0]) }

    /// ∇ₓf at the points of the last evaluation, (maxRows, inputWidth).
    public var gradients: UnsafeBufferPointer<Float> { .init(start: inputGradients, count: maxRows * widths[0]) }

    // MARK: - Passes

    /// This part's share of writing the transposed weights the passes read (every part of the
    /// team must call it, then meet at a barrier before `evaluatePart`).
    public func prepareTransposesPart(_ team: Team) {
        let params = network.parameters.baseAddress!
        for j in 0..<layerCount where Self.readsTranspose(layer: j, widths: widths, layerCount: layerCount) {
            Kernels.transpose(params + network.weightOffset(layer: j), rows: widths[j], cols: widths[j + 1],
                              into: transposed[j], outputRows: team.share(widths[j + 1]))
        }
    }

    /// Where a pass reads the points and hidden activations: this workspace's own buffers, or
    /// rows of a forward pass the network has already made over the same points.
    public struct ForwardState {
        /// The first point, rows of `inputWidth` numbers.
        public var input: UnsafePointer<Float>
        /// Hidden layer j's activation at the first point, rows of that layer's width.
        public var hidden: [UnsafePointer<Float>]

        /// Rows from `firstRow` on of `network`'s last forward pass (its input and activation
        /// buffers), e.g. the real rows of a discriminator step for R1.
        public init(network: MLP, firstRow: Int) {
            input = UnsafePointer(network.input.baseAddress! + firstRow * network.inputWidth)
            hidden = (0..<(network.layerCount - 1)).map {
                network.activationBuffer(layer: $0).baseAddress! + firstRow * network.layerSizes[$0 + 1]
            }
        }

        init(input: UnsafePointer<Float>, hidden: [UnsafePointer<Float>]) {
            self.input = input
            self.hidden = hidden
        }
    }

    /// This part's row groups of one evaluation over the first n points: the forward pass, g,
    /// the per-row norms and terms, and each group's share of ∂P/∂θ. `coefficient` is λ or γ;
    /// `gradientScale` multiplies the parameter gradient only (k for lazy regularisation applied
    /// every k steps). With `reusing`, the points and their hidden activations are read from a
    /// forward pass the network has made already (with the current parameters), and this
    /// evaluation skips its own; otherwise the points are `input`'s first n rows. Parts never wait
    /// for each other here.
    public func evaluatePart(_ team: Team, rows n: Int, form: Form, coefficient: Float, gradientScale: Float = 1,
                             reusing: ForwardState? = nil) {
        precondition(n > 0 && n <= maxRows, "penalty rows \(n) outside 1...\(maxRows)")
        let state = reusing ?? ForwardState(input: UnsafePointer(points), hidden: hiddenOut.map { UnsafePointer($0) })
        for g in 0..<Self.groups where g * team.parts / Self.groups == team.part {
            let rows = share(n, part: g, of: Self.groups)
            guard !rows.isEmpty else {
                partials[g].update(repeating: 0, count: network.parameterCount)
                continue
            }
            evaluateGroup(g, rows: rows, count: n, form: form, coefficient: coefficient * gradientScale,
                          state: state, forward: reusing == nil)
        }
    }

    /// This part's share of adding the four groups' gradients, in group order, to `gradients`
    /// (after a barrier that follows every part's `evaluatePart`).
    public func addGradientsPart(_ team: Team, into gradients: UnsafeMutableBufferPointer<Float>) {
        precondition(gradients.count >= network.parameterCount, "gradient buffer too small")
        guard let total = gradients.baseAddress else { return }
        let p0 = partials[0], p1 = partials[1], p2 = partials[2], p3 = partials[3]
        for i in team.share(network.parameterCount, align: 16) {
            total[i] += ((p0[i] + p1[i]) + p2[i]) + p3[i]
        }
    }

    /// Mean of the per-row terms h(‖g‖) (without the coefficient) and mean ‖g‖ over the first n
    /// rows of the last evaluation, summed in row order.
    public func summary(rows n: Int) -> (meanTerm: Double, meanNorm: Double) {
        var t = 0.0, r = 0.0
        for i in 0..<n { t += terms[i]; r += norms[i] }
        return (t / Double(n), r / Double(n))
    }

    // MARK: - One row group

    private func evaluateGroup(_ group: Int, rows: Range<Int>, count n: Int, form: Form, coefficient: Float,
                               state: ForwardState, forward: Bool) {
        let params = UnsafePointer(network.parameters.baseAddress!)
        let w = widths, last = layerCount - 1, r0 = rows.lowerBound, m = rows.count
        let act = network.hidden
        func weight(_ j: Int) -> UnsafePointer<Float> { params + network.weightOffset(layer: j) }
        func bias(_ j: Int) -> UnsafePointer<Float> { params + network.biasOffset(layer: j) }
        func rowsOf(_ p: UnsafeMutablePointer<Float>, width: Int) -> UnsafeMutablePointer<Float> { p + r0 * width }
        // The group's points and hidden activations h_j.
        let input = state.input + r0 * w[0]
        func hidden(_ j: Int) -> UnsafePointer<Float> { state.hidden[j] + r0 * w[j + 1] }

        // Forward to the last hidden layer (f itself is not needed), unless it was made already.
        var x = input
        for j in 0..<last where forward {
            let out = rowsOf(hiddenOut[j], width: w[j + 1])
            if let slope = act.piecewiseLinearSlope {
                Kernels.product(m: m, n: w[j + 1], k: w[j], x, rs: w[j], cs: 1, weight(j), ldb: w[j + 1],
                                out, ldc: w[j + 1], epilogue: .biasLeaky(bias(j), slope: slope))
            } else {
                Kernels.product(m: m, n: w[j + 1], k: w[j], x, rs: w[j], cs: 1, weight(j), ldb: w[j + 1],
                                out, ldc: w[j + 1], epilogue: .store)
                act.addBiasAndApply(out, rows: m, cols: w[j + 1], bias: bias(j))
            }
            x = UnsafePointer(out)
        }

        // The chain e_j down to g.
        for j in stride(from: last - 1, through: 0, by: -1) {
            let width = w[j + 1]
            let e = rowsOf(chain[j], width: width), h = hidden(j)
            if j == last - 1 {
                // u_{L−2} = 1·w_{L−1}ᵀ: every row is the last layer's weight column.
                let column = weight(last)
                for r in 0..<m { (e + r * width).update(from: column, count: width) }
            } else {
                Kernels.product(m: m, n: width, k: w[j + 2], UnsafePointer(rowsOf(chain[j + 1], width: w[j + 2])),
                                rs: w[j + 2], cs: 1, transposed[j + 1], ldb: width, e, ldc: width, epilogue: .store)
            }
            if curved { rowsOf(preDerivative[j], width: width).update(from: e, count: m * width) }
            act.multiplyByDerivative(e, output: h, count: m * width)
        }
        let e0 = UnsafePointer(rowsOf(chain[0], width: w[1]))
        let g = rowsOf(inputGradients, width: w[0])
        if w[0] <= 4 {
            Kernels.rowDots(rows: m, n: w[0], k: w[1], e0, lda: w[1], weight(0), g, ldc: w[0])
        } else {
            Kernels.product(m: m, n: w[0], k: w[1], e0, rs: w[1], cs: 1, transposed[0], ldb: w[0], g, ldc: w[0],
                            epilogue: .store)
        }

        // Per-row norm, term and ḡ = ∂P/∂g (of the mean over all n rows).
        let gBar = rowsOf(inputAdjoint, width: w[0])
        let scale = Double(coefficient) / Double(n)
        for r in 0..<m {
            let row = g + r * w[0]
            var s = 0.0
            for i in 0..<w[0] { s += Double(row[i]) * Double(row[i]) }
            let norm = s.squareRoot()
            norms[r0 + r] = norm
            let factor: Double
            switch form {
            case .unitNorm:
                terms[r0 + r] = (norm - 1) * (norm - 1)
                factor = norm > 0 ? scale * 2 * (norm - 1) / norm : 0
            case .squaredNorm:
                terms[r0 + r] = 0.5 * s
                factor = scale
            }
            for i in 0..<w[0] { gBar[r * w[0] + i] = Float(factor * Double(row[i])) }
        }

        // Up pass: ē_0 = ḡ·W_0, W̄_0 = ḡᵀ·e_0, then layer by layer.
        let partial = partials[group], temp = scratch[group]
        func dW(_ j: Int) -> UnsafeMutablePointer<Float> { partial + network.weightOffset(layer: j) }
        var eBar = rowsOf(adjointA, width: w[1]), spare = adjointB
        Kernels.product(m: m, n: w[1], k: w[0], UnsafePointer(gBar), rs: w[0], cs: 1, weight(0), ldb: w[1],
                        eBar, ldc: w[1], epilogue: .store)
        Kernels.product(m: w[0], n: w[1], k: m, UnsafePointer(gBar), rs: 1, cs: w[0], e0, ldb: w[1],
                        dW(0), ldc: w[1], epilogue: .store)
        for j in 0..<last {
            let width = w[j + 1]
            let h = hidden(j)
            if curved {
                // s̄_j = ē_j ⊙ u_j ⊙ φ''(h_j), kept where u_j was.
                let u = rowsOf(preDerivative[j], width: width)
                for i in 0..<(m * width) { u[i] *= eBar[i] * act.secondDerivative(output: h[i]) }
            }
            act.multiplyByDerivative(eBar, output: h, count: m * width)  // ē_j → ū_j
            let uBar = UnsafePointer(eBar)
            if j + 1 == last {
                Kernels.columnSums(rows: m, cols: width, uBar, columns: 0..<width, into: dW(last))
            } else {
                let next = w[j + 2]
                Kernels.product(m: width, n: next, k: m, uBar, rs: 1, cs: width,
                                UnsafePointer(rowsOf(chain[j + 1], width: next)), ldb: next, dW(j + 1), ldc: next,
                                epilogue: .store)
                let target = spare + r0 * next
                Kernels.product(m: m, n: next, k: width, uBar, rs: width, cs: 1, weight(j + 1), ldb: next,
                                target, ldc: next, epilogue: .store)
                spare = eBar - r0 * width
                eBar = target
            }
        }
        for j in 0..<layerCount {
            (partial + network.biasOffset(layer: j)).update(repeating: 0, count: w[j + 1])
        }
        guard curved else { return }

        // Down pass for tanh and sigmoid: c_j from the s̄_j, into W̄_j and b̄_j.
        var c = rowsOf(adjointA, width: w[last])
        c.update(from: rowsOf(preDerivative[last - 1], width: w[last]), count: m * w[last])
        var other = adjointB
        for j in stride(from: last - 1, through: 0, by: -1) {
            let fanIn = w[j], fanOut = w[j + 1]
            let below = j == 0 ? input : hidden(j - 1)
            Kernels.product(m: fanIn, n: fanOut, k: m, below, rs: 1, cs: fanIn, UnsafePointer(c), ldb: fanOut,
                            temp, ldc: fanOut, epilogue: .store)
            let weights = dW(j)
            for i in 0..<(fanIn * fanOut) { weights[i] += temp[i] }
            Kernels.columnSums(rows: m, cols: fanOut, UnsafePointer(c), columns: 0..<fanOut,
                               into: partial + network.biasOffset(layer: j))
            guard j > 0 else { break }
            let target = other + r0 * fanIn
            Kernels.product(m: m, n: fanIn, k: fanOut, UnsafePointer(c), rs: fanOut, cs: 1, transposed[j], ldb: fanIn,
                            target, ldc: fanIn, epilogue: .store)
            act.multiplyByDerivative(target, output: below, count: m * fanIn)
            let direct = rowsOf(preDerivative[j - 1], width: fanIn)
            for i in 0..<(m * fanIn) { target[i] += direct[i] }
            other = c - r0 * fanOut
            c = target
        }
    }
}

/// Which gradient penalty a discriminator step adds, and where it is taken.
public enum GradientPenaltyKind: String, Codable, CaseIterable, Sendable {
    /// No penalty.
    case none
    /// λ·E[(‖∇ₓD(x̂)‖ − 1)²] on x̂ = εx + (1 − ε)G(z), ε ~ U(0, 1) per pair (Gulrajani et al. 2017).
    case wganGP = "wgan-gp"
    /// (γ/2)·E[‖∇ₓD(x)‖²] on real samples (Mescheder et al. 2018).
    case r1
    /// (γ/2)·E[‖∇ₓD(x)‖²] on generated samples (Mescheder et al. 2018).
    case r2

    /// The function of the norm it penalises (nil for `none`).
    public var form: GradientPenalty.Form? {
        switch self {
        case .none: return nil
        case .wganGP: return .unitNorm
        case .r1, .r2: return .squaredNorm
        }
    }
}
