/// The toy problems the lab trains on: the article's three (docs/METRICS.md §1), the literature
/// presets (§3), and a target read from the user's file (docs/TARGETS.md).
public enum ProblemKind: String, Codable, CaseIterable, Sendable {
    case spiral
    case eightGaussians = "eight-gaussians"
    case uniformToNormal = "uniform-to-normal"
    case ring8
    case ring8PacGAN = "ring8-pacgan"
    case grid25
    /// A CSV file of points (`target.file`; columns x, y and an optional weight).
    case points
    /// A PNG picture (`target.file`): darker pixels hold more of the target's mass.
    case picture

    /// The problems defined by formula (every case but `points` and `picture`).
    public static let builtIn: [ProblemKind] = allCases.filter { !$0.isFileTarget }

    /// Whether the target comes from a file named in the experiment's `target` section.
    public var isFileTarget: Bool { self == .points || self == .picture }
}

/// The distribution a problem draws its generator inputs from (docs/METRICS.md §1–§3).
public enum LatentPrior: Equatable, Sendable {
    /// z ~ U(−1, 1)^2.
    case uniformBox
    /// z ~ N(0, I₂).
    case gaussian
    /// n ~ N(0, I₂) and k uniform in 0..<components, fed to G as (n₀, n₁, one-hot k).
    case gaussianWithComponent(components: Int)

    /// Number of numbers fed to G per latent.
    public var dimension: Int {
        switch self {
        case .uniformBox, .gaussian: return 2
        case .gaussianWithComponent(let k): return 2 + k
        }
    }
}
