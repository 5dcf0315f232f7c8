import Foundation
import GANLabCore
import GANLabEngine

/// The bridge from a run folder to the data of the snapshot views (discriminator, grid,
/// density) and the training curves. Networks are evaluated here, in batches; the views only draw.
extension RunData {
    /// The snapshot at `step` (the newest when `nil`), with the generator the run is opened for.
    ///
    /// When the step has only a traced frame, the error says so and lists the snapshot steps:
    /// the trace keeps G's outputs on the probes, not the networks these views need.
    public func snapshot(step: Int?, for view: String) throws -> Snapshot {
        guard let chosen = step ?? snapshotSteps.last else {
            throw RunError("\(run.path) has no snapshots yet; the \(view) view needs one (written every "
                           + "\(config.output.snapshotEvery) steps and at the end of a run)")
        }
        guard snapshotSteps.contains(chosen) else {
            let traced = trace.frameIndex(step: chosen) != nil
                ? " (step \(chosen) has a traced frame, but frames keep only G's outputs on the probes)" : ""
            throw RunError("\(run.path) has no snapshot at step \(chosen)\(traced); the \(view) view needs the "
                           + "networks, saved at steps " + snapshotSteps.map(String.init).joined(separator: ", "))
        }
        return try loadSnapshot(step: chosen)
    }

    /// The title line of a view: "problem · experiment/run · step N · what", then which generator
    /// it shows when the run keeps an average ("· G: EMA β = 0.999").
    func viewTitle(step: Int, what: String) -> String {
        captioned("\(config.problem.rawValue) · \(name) · step \(step) · \(what)")
    }

    /// Grid nodes per side for a panel of `panelSize` px: about one node per 3 px.
    static func gridResolution(panelSize: Int) -> Int {
        min(max(panelSize / 3, 40), 300) + 1
    }

    // MARK: - Views

    /// The discriminator view's data at `step` (default: the newest snapshot).
    public func discriminatorData(step: Int?, panelSize: Int = 800) throws -> DiscriminatorData {
        let snapshot = try snapshot(step: step, for: "discriminator")
        let discriminator = snapshot.discriminatorOnPoints(), generator = snapshot.makeGenerator()
        let probes = generator.predict(probeLatents, count: trace.probeCount)
        let target = targetSamples(count: 2_000)
        let resolution = Self.gridResolution(panelSize: panelSize)
        let latentResolution = problem.prior.dimension > 2 ? resolution / 3 : resolution
        var data = DiscriminatorData.evaluating(
            prior: problem.prior, latentExtent: latentExtent, sampleExtent: problem.extent,
            resolution: resolution, latentResolution: latentResolution,
            discriminator: { discriminator($0, $1) }, generator: { generator.predict($0, count: $1) },
            latents: probeLatents, points: probes, target: target,
            title: viewTitle(step: snapshot.step, what: "discriminator"))
        data.step = snapshot.step
        let realOutputs = discriminator(target, target.count / 2), fakeOutputs = discriminator(probes, trace.probeCount)
        if config.train.loss.isCritic {
            let meanReal = Self.mean(realOutputs), meanFake = Self.mean(fakeOutputs)
            let values = data.sampleLogits.values
            data.scale = .critic(values: values, meanReal: meanReal, meanFake: meanFake)
            data.contourLevels = DiscriminatorView.criticLevels
            data.notes = [String(format: "mean D(real) = %.3g", meanReal), String(format: "mean D(G(z)) = %.3g", meanFake),
                          String(format: "gap = %.3g", meanReal - meanFake)]
        } else {
            data.notes = [String(format: "mean D(real) = %.3f", Self.meanProbability(realOutputs)),
                          String(format: "mean D(G(z)) = %.3f", Self.meanProbability(fakeOutputs))]
        }
        let m = config.discriminator.packing
        if m > 1 { data.notes += ["D packs \(m) samples:", "shown on \(m) copies of x"] }
        return data
    }

    /// Mean of raw outputs (critic values).
    static func mean(_ values: [Float]) -> Double {
        guard !values.isEmpty else { return .nan }
        return values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
    }

    /// Mean of σ(logit) over logits.
    static func meanProbability(_ logits: [Float]) -> Double {
        guard !logits.isEmpty else { return .nan }
        return logits.reduce(0.0) { $0 + DiscriminatorView.sigmoid(Double($1)) } / Double(logits.count)
    }
}

extension RunData {
    /// The warped-grid view's data at `step` (default: the newest snapshot): G on a
    /// `cells`×`cells` latent grid (default 40, or 24 per component when there are several
    /// grids to overlay), each edge sampled `subdivisions` times (default 4, or 6 for Gaussian
    /// latents, whose equal-mass outer cells are wide).
    public func warpedGridData(step: Int?, cells: Int? = nil, subdivisions: Int? = nil) throws -> WarpedGridData {
        let cells = cells ?? (problem.prior.dimension > 2 ? 24 : 40)
        let subdivisions = subdivisions ?? (problem.prior == .uniformBox ? 4 : 6)
        let snapshot = try snapshot(step: step, for: "grid")
        let generator = snapshot.makeGenerator()
        var data = WarpedGridData.evaluating(
            prior: problem.prior, latentExtent: latentExtent, sampleExtent: problem.extent, cells: cells,
            subdivisions: subdivisions, generator: { generator.predict($0, count: $1) },
            target: targetSamples(count: 5_000), title: viewTitle(step: snapshot.step, what: "latent grid through G"))
        data.step = snapshot.step
        data.geometry = measuredGeometry(of: generator.latentMap, config: snapshot.config)
        return data
    }

    /// The density view's data at `step` (default: the newest snapshot): G on `sampleCount` fresh
    /// latents from the prior and as many true samples, binned `bins`×`bins` over the plot square.
    /// Both draws use fixed seeds, so every picture of every run bins the same latents.
    public func densityData(step: Int?, sampleCount: Int = 200_000, bins: Int = 200) throws -> DensityData {
        let snapshot = try snapshot(step: step, for: "density")
        var latentRNG = RandomSource(seed: 0xDE_5171)
        let latents = problem.sampleLatents(count: sampleCount, using: &latentRNG)
        let generated = snapshot.makeGenerator().predict(latents, count: sampleCount)
        var targetRNG = RandomSource(seed: 0x7A_26E8)
        let target = problem.sampleTargets(count: sampleCount, using: &targetRNG)
        var data = DensityData(generated: Histogram2D(points: generated, extent: problem.extent, bins: bins),
                               target: Histogram2D(points: target, extent: problem.extent, bins: bins),
                               title: viewTitle(step: snapshot.step, what: "sample density"))
        data.step = snapshot.step
        return data
    }

    /// The training log (metrics.csv) of the whole run, with `markedStep` marked if given.
    public func trainingCurves(markedStep: Int? = nil) throws -> TrainingCurves {
        let path = run.metricsPath
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw RunError("\(path) cannot be read; the curves view needs the run's training log")
        }
        let title = "\(config.problem.rawValue) · \(name) · training log"
            + (markedStep.map { " · step \($0) marked" } ?? "")
        var curves = try TrainingCurves.parse(csv: text, path: path, title: title)
        curves.markedStep = markedStep
        if config.train.loss == .nonSaturating { curves.equilibriumLoss = log(2) }
        return curves
    }
}
