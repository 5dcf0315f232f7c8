import GANLabCore
import GANLabEngine

/// The bridge from a run folder to the pullback and hidden-unit views: the snapshot's networks
/// evaluated on grids of their input planes (batched), the views only draw.
extension RunData {
    /// The pullback view's data at `step` (default: the newest snapshot): G at every latent pixel
    /// of the view at `panelSize`.
    public func pullbackData(step: Int?, panelSize: Int = 800) throws -> PullbackData {
        let snapshot = try snapshot(step: step, for: "pullback")
        let generator = snapshot.makeGenerator().latentMap
        var data = PullbackData.evaluating(
            prior: problem.prior, latentExtent: latentExtent, sampleExtent: problem.extent,
            resolution: PullbackView.planeResolution(prior: problem.prior, panelSize: panelSize),
            map: generator, target: targetSamples(count: 5_000),
            title: viewTitle(step: snapshot.step, what: "pullback: each latent in the colour of G(z)"))
        data.step = snapshot.step
        data.geometry = measuredGeometry(of: generator, config: snapshot.config)
        return data
    }

    /// The same picture for the oracle map f: the smooth, tear-free reference.
    public func oraclePullbackData(panelSize: Int = 800) -> PullbackData {
        var data = PullbackData.evaluating(
            prior: problem.prior, latentExtent: latentExtent, sampleExtent: problem.extent,
            resolution: PullbackView.planeResolution(prior: problem.prior, panelSize: panelSize),
            map: problem.oracleMap, target: targetSamples(count: 5_000),
            title: "\(config.problem.rawValue) · pullback of the oracle map f (a perfect generator)")
        data.mapName = "f"
        data.geometry = measuredGeometry(of: problem.oracleMap, config: config)
        return data
    }

    /// The map geometry of `map` on the diagnostics grid of `config`: the numbers `ganlab diagnose`
    /// and the diagnostic views give, for a view that states them in its note.
    func measuredGeometry(of map: LatentMap, config: ExperimentConfig) -> GeometrySummary {
        GeometrySummary(planes: MapGeometry.measurePlanes(problem: problem, map: map,
                                                          gridSize: SnapshotDiagnostics.gridSize(for: config)))
    }

    /// The units view's data at `step` (default: the newest snapshot): layer `layer` (1-based; the
    /// last is the output) of G (over the latent plane; for a mixture prior the plane of component
    /// `component`) or D (over the sample plane), page `page` (1-based).
    public func unitsData(step: Int?, network: NetworkChoice, layer: Int, page: Int, component: Int = 0,
                          sharedScale: Bool = false, panelSize: Int = 800,
                          perPage: Int = UnitsData.defaultPerPage) throws -> UnitsData {
        let snapshot = try snapshot(step: step, for: "units")
        let isGenerator = network == .G
        let chosen: MLP? = isGenerator ? snapshot.makeGenerator() as? MLP : snapshot.makeDiscriminator()
        guard let net = chosen else {
            throw RunError("the units view reads the layers of an MLP; this run's generator is a residual stack "
                           + "(\(config.generator.blocks) blocks): use --net D, or --view folds/jacobian for G")
        }
        var components = 0
        if isGenerator, case .gaussianWithComponent(let k) = problem.prior { components = k }
        guard components == 0 || (0..<components).contains(component) else {
            throw RunError("--component must be between 0 and \(components - 1) for \(config.problem.rawValue)")
        }
        let widths = Array(net.layerSizes.dropFirst())
        let count = (1...widths.count).contains(layer) ? min(perPage, max(1, widths[layer - 1])) : perPage
        let tiles = UnitsView.layout(count: count, extent: 1, panelSize: panelSize).tiles
        let resolution = min(Int(tiles.first?.rect.width ?? 100), 256) + 1
        let kind = net.activation(layer: min(max(layer, 1), widths.count) - 1)
        let activationName = kind.kind == .leakyReLU ? "leaky-relu (α " + MapDiagnosticsData.significant(Double(kind.slope)) + ")"
            : kind.kind.rawValue
        let prior = problem.prior, packing = config.discriminator.packing
        var data = try UnitsData.evaluating(
            network: network, layer: layer, layerWidths: widths, page: page, perPage: perPage,
            extent: isGenerator ? latentExtent : problem.extent, resolution: resolution,
            axisNames: isGenerator ? (components > 0 ? ("n₀", "n₁") : ("z₀", "z₁")) : ("x₀", "x₁"),
            activationName: activationName, sharedScale: sharedScale,
            inputRows: { points, n in
                isGenerator ? LatentGrid.latentRows(plane: points, count: n, prior: prior, component: component)
                    : Snapshot.packedCopies(points, count: n, packing: packing)
            },
            activations: { rows, n in net.activations(rows, count: n, layer: layer - 1) },
            title: viewTitle(step: snapshot.step, what: "\(network.rawValue) layer \(layer) units" + (components > 0 ? " (k = \(component))" : "")
                             + ((1...widths.count).contains(layer) && widths[layer - 1] > perPage ? ", page \(page)" : "")))
        if components > 0 { data.notes = ["", "latent plane of component k = \(component)", "(--component picks another)"] }
        if !isGenerator && packing > 1 { data.notes = ["", "D packs \(packing) samples:", "shown on \(packing) copies of x"] }
        data.step = snapshot.step
        return data
    }
}
