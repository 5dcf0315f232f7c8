import GANLabEngine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A toy problem: the latent prior G draws from, the target distribution, and the oracle map
/// between them (docs/METRICS.md §1 and §3).
///
/// The oracle f is a perfect generator: pushing the prior through f gives exactly the target.
/// Target samples are produced that way (`sampleTargets` = f applied to fresh latents), so the
/// data the discriminator sees follows the formula in docs/METRICS.md by construction. The oracle is in
/// `ToyProblem+Oracle.swift`, the samplers in `ToyProblem+Sampling.swift`.
public struct ToyProblem: Sendable, Equatable {
    /// Which problem this is.
    public let kind: ProblemKind
    /// The distribution the generator's inputs come from.
    public let prior: LatentPrior
    /// Half-width of the plot square: samples are drawn on [−extent, extent]².
    public let extent: Double
    /// The Gaussian mixture the target is, if it is one (`eight-gaussians`, `ring8*`, `grid25`).
    public let mixture: Mixture?
    /// The file the target was read from (`points`, `picture`); such a target has no oracle map.
    public let file: FileTarget?

    /// Numbers fed to G per latent (2, or 10 for `eight-gaussians`).
    public var latentDimension: Int { prior.dimension }

    /// Whether the oracle map f exists (every built-in problem; not a file target).
    public var hasOracle: Bool { file == nil }

    /// The problem of a file target (`FileTarget.read`).
    public init(file: FileTarget) {
        kind = file.kind
        prior = file.prior
        extent = file.extent
        mixture = nil
        self.file = file
    }

    /// Builds the built-in problem named by `kind` with the constants of docs/METRICS.md §1 / §3
    /// (a file target is built with `init(file:)`).
    public init(_ kind: ProblemKind) {
        precondition(!kind.isFileTarget, "a \(kind.rawValue) target is read from its file: use ToyProblem(file:)")
        self.kind = kind
        file = nil
        switch kind {
        case .spiral:
            prior = .uniformBox
            extent = 1
            mixture = nil
        case .eightGaussians:
            prior = .gaussianWithComponent(components: 8)
            extent = 3
            mixture = .ring(modes: 8, radius: 2, sigma: 0.2)
        case .uniformToNormal:
            prior = .uniformBox
            extent = 3
            mixture = nil
        case .ring8:
            prior = .gaussian
            extent = 3
            mixture = .ring(modes: 8, radius: 2, sigma: 0.02)
        case .ring8PacGAN:
            prior = .gaussian
            extent = 1.5
            mixture = .ring(modes: 8, radius: 1, sigma: 0.01)
        case .grid25:
            prior = .gaussian
            extent = 6
            mixture = .grid(side: 5, spacing: 2, sigma: 0.05)
        case .points, .picture:
            preconditionFailure("unreachable: file targets are refused above")
        }
    }

    /// One line describing the target and the prior, for listings and plot captions.
    public var description: String {
        switch kind {
        case .spiral:
            return "spiral: a 1.5-turn band, r = 0.05 + 0.9·(z₀+1)/2 + 0.05·z₁, θ = 3π·z₀; z ~ U(−1,1)²"
        case .eightGaussians:
            return "eight-gaussians: 8 Gaussians (σ 0.2) on a circle of radius 2; z = (n ~ N(0,I₂), one-hot k)"
        case .uniformToNormal:
            return "uniform-to-normal: x_i = Φ⁻¹((z_i+1)/2), i.e. N(0,I₂); z ~ U(−1,1)²"
        case .ring8:
            return "ring8: 8 Gaussians (σ 0.02) on a circle of radius 2 (Metz et al. 2017); z ~ N(0,I₂)"
        case .ring8PacGAN:
            return "ring8-pacgan: 8 Gaussians (σ 0.01) on the unit circle (PacGAN); z ~ N(0,I₂)"
        case .grid25:
            return "grid25: 25 Gaussians (σ 0.05) at {−4,−2,0,2,4}² (PacGAN); z ~ N(0,I₂)"
        case .points, .picture:
            guard let file else { return kind.rawValue }
            let latent = file.settings.latent == .gaussian ? "z ~ N(0,I₂)" : "z ~ U(−1,1)²"
            if kind == .points {
                let jitter = file.jitter > 0 ? ", jitter σ \(file.jitter)" : ""
                return "points: \(file.atomCount) points from \(file.settings.file)\(jitter); \(latent)"
            }
            return "picture: \(file.pixelWidth) × \(file.pixelHeight) pixels from \(file.settings.file); \(latent)"
        }
    }
}

// MARK: - Mixture

/// An equal-weight mixture of isotropic 2-D Gaussians N(μ_j, σ²I).
public struct Mixture: Sendable, Equatable {
    /// The mode centres μ_j, in the order the oracle indexes them.
    public var centres: [SIMD2<Double>]
    /// The common per-coordinate standard deviation σ.
    public var sigma: Double

    /// A mixture with the given centres and σ.
    public init(centres: [SIMD2<Double>], sigma: Double) {
        self.centres = centres
        self.sigma = sigma
    }

    /// `modes` centres radius·(cos 2πk/modes, sin 2πk/modes), k = 0..<modes.
    ///
    /// The angles are 2πk/modes, not linspace(0, 2π, modes): the latter repeats the first mode at
    /// 2π and leaves only modes − 1 distinct centres (docs/METRICS.md §3).
    public static func ring(modes: Int, radius: Double, sigma: Double) -> Mixture {
        let centres = (0..<modes).map { k -> SIMD2<Double> in
            let angle = 2 * Double.pi * Double(k) / Double(modes)
            return SIMD2(radius * cos(angle), radius * sin(angle))
        }
        return Mixture(centres: centres, sigma: sigma)
    }

    /// A side × side grid centred on the origin; centre (i, j) is at index j·side + i, with
    /// coordinates ((i − (side−1)/2)·spacing, (j − (side−1)/2)·spacing).
    public static func grid(side: Int, spacing: Double, sigma: Double) -> Mixture {
        var centres: [SIMD2<Double>] = []
        centres.reserveCapacity(side * side)
        let offset = Double(side - 1) / 2
        for j in 0..<side {
            for i in 0..<side {
                centres.append(SIMD2((Double(i) - offset) * spacing, (Double(j) - offset) * spacing))
            }
        }
        return Mixture(centres: centres, sigma: sigma)
    }

    /// Index of the centre nearest to `x` (ties go to the lower index).
    public func nearestCentre(to x: SIMD2<Double>) -> Int {
        var best = 0
        var bestDistance = Double.infinity
        for (j, centre) in centres.enumerated() {
            let d = x - centre
            let squared = (d * d).sum()
            if squared < bestDistance {
                bestDistance = squared
                best = j
            }
        }
        return best
    }
}
