/// The map-geometry numbers of docs/METRICS.md §4 for a whole latent space: one plane, or the eight
/// component planes of `eight-gaussians` taken together.
///
/// The planes are weighted equally (each `eight-gaussians` component has prior probability 1/8):
/// masses and shares are averages over planes, counts are sums, maxima are maxima. Folding is
/// judged within each plane (each plane is its own connected latent region, so a plane that is a
/// mirror image of another is not folded) and then averaged.
public struct GeometrySummary: Sendable, Equatable, Codable {
    /// Grid points per side of each plane.
    public var gridSize: Int
    /// Number of latent planes (8 for `eight-gaussians`, else 1).
    public var planeCount: Int
    /// How the Jacobians were estimated ("grid" or "central(h=…)").
    public var jacobianMethod: String
    /// κ: the tear band's stretch threshold in units of the oracle's median stretch.
    public var tearStretchFactor: Double
    /// Number of jump edges (tears narrower than a grid cell).
    public var tearEdgeCount: Int
    /// Latent mass of the tear band.
    public var tearMass: Double
    /// Prior-weighted latent length of the tears (`TearBand`).
    public var tearLength: Double
    /// Mean latent width of the tears: mass / (peak prior density × length); 0 without tears.
    public var tearWidth: Double
    /// Latent mass where sign(det J) differs from its plane's majority sign.
    public var foldedFraction: Double
    /// foldedFraction > 1 %.
    public var isFolded: Bool
    /// L̂ = max σ_max over all planes.
    public var lipschitz: Double
    /// The largest grid-edge stretch, jumps included (a lower bound on a continuous G's
    /// Lipschitz constant).
    public var maxStretch: Double
    /// ‖J‖_F over the grid (mass-weighted median and 95th percentile, and maximum).
    public var frobeniusNorm: QuantileSummary
    /// σ_max over the grid.
    public var largestSingularValue: QuantileSummary
    /// |det J| over the grid.
    public var absoluteDeterminant: QuantileSummary
    /// Mixtures: latent mass sent to each mode.
    public var latentMassPerMode: [Double]?
    /// Latent mass sent to negative space (mixtures and the spiral; nil for the normal target).
    public var negativeSpaceLatentMass: Double?
    /// Mixtures: 4-connected latent components per mode (summed over planes).
    public var componentsPerMode: [Int]?

    /// Summarises the planes of one latent space (at least one, all on grids of the same size).
    public init(planes: [MapGeometry]) {
        precondition(!planes.isEmpty, "a geometry summary needs at least one plane")
        let share = 1 / Double(planes.count)
        let first = planes[0]
        gridSize = first.grid.size
        planeCount = planes.count
        jacobianMethod = first.jacobianMethod.description
        tearStretchFactor = first.tearCriterion.stretchFactor
        tearEdgeCount = planes.reduce(0) { $0 + $1.tearEdges.count }
        tearMass = planes.reduce(0) { $0 + $1.tearMass } * share
        tearLength = planes.reduce(0) { $0 + $1.tearLength } * share
        let h = first.grid.spacing
        let peakDensity = (first.masses.max() ?? 0) / (h * h)
        tearWidth = tearLength > 0 && peakDensity > 0 ? tearMass / (peakDensity * tearLength) : 0
        foldedFraction = planes.reduce(0) { $0 + $1.foldedFraction } * share
        isFolded = foldedFraction > MapGeometry.foldedFlagLevel
        lipschitz = planes.map(\.lipschitz).max() ?? 0
        maxStretch = planes.map(\.maxStretch).max() ?? 0
        let weights = planes.flatMap { $0.masses.map { $0 * share } }
        let jacobians = planes.flatMap(\.jacobians)
        frobeniusNorm = QuantileSummary(values: jacobians.map(\.frobeniusNorm), weights: weights)
        largestSingularValue = QuantileSummary(values: jacobians.map(\.largestSingularValue), weights: weights)
        absoluteDeterminant = QuantileSummary(values: jacobians.map { abs($0.determinant) }, weights: weights)
        negativeSpaceLatentMass = planes.allSatisfy(\.hasNegativeSpace)
            ? planes.reduce(0) { $0 + $1.tears.offTargetMass } * share : nil
        let partitions = planes.compactMap(\.partition)
        if partitions.count == planes.count, let k = partitions.first?.modeCount {
            latentMassPerMode = (0..<k).map { j in partitions.reduce(0) { $0 + $1.massPerMode[j] } * share }
            componentsPerMode = (0..<k).map { j in partitions.reduce(0) { $0 + $1.componentsPerMode[j] } }
        }
    }
}
