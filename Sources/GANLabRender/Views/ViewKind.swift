import Foundation
import GANLabCore

/// The pictures of a run that `ganlab render` can draw, each with its one-line summary and the
/// function that draws it from the run folder.
public enum ViewKind: String, CaseIterable, Sendable {
    case mapping, target, discriminator, grid, density, curves, tears, modes, folds, jacobian, timeline, pullback
    case pullbackTarget = "pullback-target"
    case units

    /// One line for `--help`.
    public var summary: String {
        switch self {
        case .mapping: return "latent plane and G(z) in the same colours"
        case .target: return "the mapping figure of the oracle map f"
        case .discriminator: return "σ(D) heatmap with contours; D(G(z)) on the latent plane"
        case .grid: return "latent grid through G: area stretch, folds, creases"
        case .density: return "log density of G(z) beside the target's"
        case .curves: return "the training log; --step marks a step"
        case .tears: return "the tear band on the latent plane and where it lands on the sample plane"
        case .modes: return "latent plane coloured by the mode G(z) reaches (spiral: arc-length bin)"
        case .folds: return "det J (symmetric log), folded cells, their images"
        case .jacobian: return "‖J‖_F on the latent plane and at G(z); Lipschitz estimate"
        case .timeline: return "snapshot metrics and losses against the step, events marked (writes RUN/events.csv)"
        case .pullback: return "every latent pixel in the colour of where G sends it; tears are sharp edges"
        case .pullbackTarget: return "the pullback of the oracle map f: the smooth reference"
        case .units: return "one heatmap per unit of --net G|D --layer L over its input plane (--page P)"
        }
    }

    /// Refuses the oracle's views for a file target, which has no oracle map.
    private static func requireOracle(_ run: RunData, view: String) throws {
        guard !run.problem.hasOracle else { return }
        throw RunError("the \(view) view draws the oracle map f of a built-in problem; a \(run.problem.kind.rawValue) "
                       + "target read from a file has none (its samples appear in grey in every other view)")
    }

    /// Draws this view of `run` at `step` (default: the newest) with panels of `size` px, and
    /// returns the picture with its file name stem ("mapping-300", "units-D2-page2-300", …).
    public func draw(run: RunData, step: Int?, size: Int,
                     units: UnitsOptions = UnitsOptions()) throws -> (canvas: Canvas, label: String) {
        switch self {
        case .mapping:
            let data = try run.mappingData(step: step)
            return (try MappingFigure.render(data, panelSize: size), "mapping-\(try run.probePoints(step: step).step)")
        case .target:
            try Self.requireOracle(run, view: "target")
            return (try MappingFigure.render(run.oracleMappingData(), panelSize: size), "target")
        case .discriminator:
            let data = try run.discriminatorData(step: step, panelSize: size)
            return (try DiscriminatorView.render(data, panelSize: size), "discriminator-\(data.step)")
        case .grid:
            let data = try run.warpedGridData(step: step)
            return (try GridView.render(data, panelSize: size), "grid-\(data.step)")
        case .density:
            let data = try run.densityData(step: step)
            return (try DensityView.render(data, panelSize: size), "density-\(data.step)")
        case .curves:
            let curves = try run.trainingCurves(markedStep: step)
            return (try CurvesView.render(curves, panelSize: size), step.map { "curves-\($0)" } ?? "curves")
        case .timeline:
            return (try TimelineView.render(runFolder: run.run.path, size: size), "timeline")
        case .pullback:
            let data = try run.pullbackData(step: step, panelSize: size)
            return (try PullbackView.render(data, panelSize: size), "pullback-\(data.step ?? 0)")
        case .pullbackTarget:
            try Self.requireOracle(run, view: "pullback-target")
            return (try PullbackView.render(run.oraclePullbackData(panelSize: size), panelSize: size), "pullback-target")
        case .units:
            let data = try run.unitsData(step: step, network: units.network, layer: units.layer, page: units.page,
                                         component: units.component, sharedScale: units.sharedScale, panelSize: size)
            let canvas = try UnitsView.render(data, panelSize: size,
                                              target: units.network == .D ? run.targetSamples(count: 2_000) : [])
            return (canvas, "units-\(data.network.rawValue)\(data.layer)" + (data.pageCount > 1 ? "-page\(data.page)" : "")
                    + "-\(data.step)")
        case .tears, .modes, .folds, .jacobian:
            if self == .modes { try ModeLabeling.check(run.problem) }
            let data = try run.mapDiagnosticsData(step: step, view: self)
            let canvas: Canvas
            switch self {
            case .tears: canvas = try TearsView.render(data, panelSize: size)
            case .modes: canvas = try ModesView.render(data, panelSize: size)
            case .folds: canvas = try FoldsView.render(data, panelSize: size)
            default: canvas = try JacobianView.render(data, panelSize: size)
            }
            return (canvas, "\(rawValue)-\(data.step)")
        }
    }

    /// Whether the view draws the generator (so `--ema` changes it); the oracle's views and the
    /// training log do not.
    public var drawsGenerator: Bool {
        switch self {
        case .target, .pullbackTarget, .curves, .timeline: return false
        default: return true
        }
    }

    /// Draws this view and writes it as a PNG to `out` (default: RUN/pictures/LABEL.png, or
    /// LABEL-ema.png for the averaged generator, the folder created when missing); returns the
    /// written file's path.
    public func render(run: RunData, step: Int?, size: Int, out: String?,
                       units: UnitsOptions = UnitsOptions(), compression: PNGCompression = .fast) throws -> String {
        if let out { try OutputFile.checkFormat(out, formats: ["png"]) }
        let (canvas, label) = try draw(run: run, step: step, size: size, units: units)
        let file = out ?? run.run.path + "/pictures/\(label)\(run.generatorWeights.fileSuffix).png"
        try OutputFile.prepare(file, formats: ["png"])
        try canvas.writePNG(to: file, compression: compression)
        return file
    }
}

/// The network whose units the `units` view shows.
public enum NetworkChoice: String, CaseIterable, Sendable {
    /// The generator, over the latent plane.
    case G
    /// The discriminator, over the sample plane.
    case D
}

/// The settings of the `units` view.
public struct UnitsOptions: Sendable {
    /// G (latent plane) or D (sample plane).
    public var network: NetworkChoice
    /// Layer, 1-based; the last is the output layer.
    public var layer: Int
    /// Page of 64 units, 1-based.
    public var page: Int
    /// For a mixture latent: the component whose plane G is shown on.
    public var component: Int
    /// One colour scale for the layer instead of one per unit.
    public var sharedScale: Bool

    /// Options with the defaults of `ganlab render --view units`: G's first layer, page 1, component 0.
    public init(network: NetworkChoice = .G, layer: Int = 1, page: Int = 1, component: Int = 0, sharedScale: Bool = false) {
        self.network = network
        self.layer = layer
        self.page = page
        self.component = component
        self.sharedScale = sharedScale
    }
}
