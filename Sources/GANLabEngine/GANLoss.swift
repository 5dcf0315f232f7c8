import Foundation

/// GAN objectives on the discriminator's raw output (a logit; the sigmoid lives in the loss).
///
/// Each function returns the mean loss over the batch (in Double) and writes ∂loss/∂logit for
/// every row into `gradient`. The discriminator's batch is real rows first, then fake rows, and
/// its loss is the mean over the concatenated batch — what Keras' `train_on_batch` does on a
/// stacked real+fake batch with binary cross-entropy (docs/METRICS.md §1).
public struct GANLoss: Equatable, Sendable {
    /// Which objective pair.
    public var kind: GANLossKind

    /// A loss pair.
    public init(_ kind: GANLossKind) { self.kind = kind }

    /// Discriminator loss on `realCount` real logits followed by fake ones.
    public func discriminator(logits: UnsafeBufferPointer<Float>, realCount: Int,
                              gradient: UnsafeMutableBufferPointer<Float>) -> Double {
        precondition(realCount <= logits.count && gradient.count >= logits.count, "loss shape mismatch")
        guard let l = logits.baseAddress, let g = gradient.baseAddress else { return .nan }
        return withTerms(logits.count) { terms in
            discriminatorTerms(logits: l, count: logits.count, realCount: realCount, rows: 0..<logits.count,
                               terms: terms, gradient: g)
        }
    }

    /// Generator loss on the logits D gives generated samples.
    public func generator(logits: UnsafeBufferPointer<Float>,
                          gradient: UnsafeMutableBufferPointer<Float>) -> Double {
        precondition(gradient.count >= logits.count, "loss shape mismatch")
        guard let l = logits.baseAddress, let g = gradient.baseAddress else { return .nan }
        return withTerms(logits.count) { terms in
            generatorTerms(logits: l, count: logits.count, rows: 0..<logits.count, terms: terms, gradient: g)
        }
    }

    private func withTerms(_ n: Int, _ body: (UnsafeMutablePointer<Double>) -> Void) -> Double {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { terms in
            guard let t = terms.baseAddress else { return .nan }
            body(t)
            return Self.mean(of: t, count: n)
        }
    }

    /// The mean of n per-row loss terms, summed in row order (what the training log reports).
    public static func mean(of terms: UnsafePointer<Double>, count n: Int) -> Double {
        var total = 0.0
        for i in 0..<n { total += terms[i] }
        return total / Double(n)
    }

    /// Rows `rows` of the discriminator loss over n logits (`realCount` real, then fake): row i's
    /// loss term into terms[i] and ∂loss/∂logit (of the mean) into gradient[i]. Rows are
    /// independent, so parts of a team can each take a range.
    public func discriminatorTerms(logits: UnsafePointer<Float>, count n: Int, realCount: Int, rows: Range<Int>,
                                   terms: UnsafeMutablePointer<Double>, gradient: UnsafeMutablePointer<Float>) {
        let invN = 1 / Float(n)
        // Wasserstein: the two means are taken separately; each row's term is scaled so that the
        // mean of the n terms is mean_fake D − mean_real D.
        let realScale = Float(n) / Float(max(realCount, 1)), fakeScale = Float(n) / Float(max(n - realCount, 1))
        for i in rows {
            let l = logits[i], real = i < realCount
            switch kind {
            case .nonSaturating, .minimax:
                // BCE with label y: softplus(−l) for y = 1, softplus(l) for y = 0; ∂/∂l = σ(l) − y.
                let (sp, sigma) = Self.softplusAndSigmoid(real ? -l : l, l)
                terms[i] = sp
                gradient[i] = (sigma - (real ? 1 : 0)) * invN
            case .leastSquares:
                // ½(l − 1)² for real, ½ l² for fake.
                let e = real ? l - 1 : l
                terms[i] = 0.5 * Double(e) * Double(e)
                gradient[i] = e * invN
            case .hinge:
                // max(0, 1 − l) for real, max(0, 1 + l) for fake.
                let m = real ? 1 - l : 1 + l
                terms[i] = Double(max(0, m))
                gradient[i] = m > 0 ? (real ? -invN : invN) : 0
            case .wasserstein:
                // −D(x)·n/n_real for real, D(G(z))·n/n_fake for fake.
                let scale = real ? -realScale : fakeScale
                terms[i] = Double(l) * Double(scale)
                gradient[i] = scale * invN
            }
        }
    }

    /// Rows `rows` of the generator loss over the n logits D gives generated samples, as
    /// `discriminatorTerms`.
    public func generatorTerms(logits: UnsafePointer<Float>, count n: Int, rows: Range<Int>,
                               terms: UnsafeMutablePointer<Double>, gradient: UnsafeMutablePointer<Float>) {
        let invN = 1 / Float(n)
        for i in rows {
            let l = logits[i]
            switch kind {
            case .nonSaturating:
                // −log σ(l) = softplus(−l); ∂/∂l = σ(l) − 1.
                let (sp, sigma) = Self.softplusAndSigmoid(-l, l)
                terms[i] = sp
                gradient[i] = (sigma - 1) * invN
            case .minimax:
                // log(1 − σ(l)) = −softplus(l); ∂/∂l = −σ(l).
                let (sp, sigma) = Self.softplusAndSigmoid(l, l)
                terms[i] = -sp
                gradient[i] = -sigma * invN
            case .leastSquares:
                let e = l - 1
                terms[i] = 0.5 * Double(e) * Double(e)
                gradient[i] = e * invN
            case .hinge, .wasserstein:
                terms[i] = -Double(l)
                gradient[i] = -invN
            }
        }
    }

    /// softplus(x) in Double and σ(l) in Float for x = ±l, sharing one exp(−|l|): softplus(x) =
    /// max(x, 0) + log1p(e), σ(l) = 1/(1 + e) for l ≥ 0, e/(1 + e) otherwise.
    @inline(__always)
    static func softplusAndSigmoid(_ x: Float, _ l: Float) -> (Double, Float) {
        let e = Foundation.exp(-abs(Double(l)))
        let sigma = l >= 0 ? 1 / (1 + e) : e / (1 + e)
        return (max(Double(x), 0) + Foundation.log1p(e), Float(sigma))
    }

    /// log(1 + eˣ) without overflow.
    @inline(__always)
    public static func softplus(_ x: Double) -> Double {
        max(x, 0) + Foundation.log1p(Foundation.exp(-abs(x)))
    }

    /// 1 / (1 + e^(−x)), stable for large |x|.
    @inline(__always)
    public static func sigmoid(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }
}

/// Pairs of discriminator / generator objectives.
public enum GANLossKind: String, Codable, CaseIterable, Sendable {
    /// D: binary cross-entropy; G: −log D(G(z)) (Goodfellow et al. 2014, the practical variant).
    case nonSaturating = "non-saturating"
    /// D: binary cross-entropy; G: log(1 − D(G(z))) (the original minimax objective).
    case minimax
    /// Least squares (Mao et al. 2017): D: ½(D(x)−1)² + ½D(G(z))²; G: ½(D(G(z))−1)².
    case leastSquares = "least-squares"
    /// Hinge (Lim & Ye 2017): D: max(0, 1−D(x)) + max(0, 1+D(G(z))); G: −D(G(z)).
    case hinge
    /// Wasserstein (Arjovsky et al. 2017): D is a critic with no sigmoid; D: mean D(G(z)) − mean
    /// D(x); G: −mean D(G(z)). Needs a Lipschitz constraint on D (a gradient penalty or spectral
    /// normalisation; the config's validation enforces one).
    case wasserstein

    /// Whether D's output is a critic value rather than a logit whose sigmoid is a probability.
    public var isCritic: Bool { self == .wasserstein }
}
