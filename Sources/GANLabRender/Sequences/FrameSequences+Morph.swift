import GANLabCore
import GANLabEngine

extension FrameSequences {
    // MARK: - morph

    /// The article's animation: each point moves on a straight line from its latent position
    /// (z₀, z₁) — for `eight-gaussians` the continuous part (n₀, n₁) — to G(z), eased, in its
    /// fixed latent colour. The panel shows [−e, e]² with e the larger of the latent and sample
    /// extents (both planes are squares about 0, so that is their union).
    static func morphPlan(run: RunData, options: FrameSequenceOptions) throws -> FramePlan {
        let count = options.frameCount ?? FrameSequenceOptions.defaultFrameCount
        guard count >= 2 else { throw RunError("a morph needs at least 2 frames (got \(count))") }
        let ends = try morphEnds(run: run, points: options.points, step: options.step)
        let n = ends.end.count / 2
        let starts = continuousPart(ends.latents, dimension: run.problem.latentDimension)
        let extent = max(run.latentExtent, run.problem.extent)
        var draft = MappingData(prior: run.problem.prior, latentExtent: run.latentExtent, sampleExtent: extent,
                               latents: ends.latents, points: starts, target: run.targetSamples(), title: "")
        draft.title = FrameText.title(run: run, data: draft, frameSize: options.size)
        let base = draft
        let size = options.size, easing = options.easing, step = ends.step, end = ends.end
        var entries: [FrameEntry] = []
        for i in 0..<count {
            var entry = FrameEntry(index: i)
            entry.step = step
            entry.source = ends.source
            entry.time = Double(i) / Double(count - 1)
            entry.fraction = easing(Double(i) / Double(count - 1))
            entries.append(entry)
        }
        let layout = MappingFigure.frameLayout(for: base, frameSize: size, overlayLines: FrameText.overlayLines)
        return FramePlan(
            width: size, height: size,
            parameters: ["points": "\(n)", "extraLatents": "\(max(0, n - run.trace.probeCount))",
                         "extraLatentSeed": "\(FrameSequenceOptions.extraLatentSeed)",
                         "easing": easing.rawValue, "from": "latent position (z₀, z₁)",
                         "to": "G(z) at step \(step) (\(ends.source))"],
            panels: [PanelPlacement(name: "sample", panel: layout.samplePanel)],
            entries: entries,
            draw: { i in
                let t = Double(i) / Double(count - 1)
                let f = Float(easing(t))
                var data = base
                data.points = zip(starts, end).map { a, b in a * (1 - f) + b * f }
                let lines = ["morph: every point moves from z to G(z)",
                             "G at step " + MappingFigure.grouped(step) + " · " + fixed(100 * Double(f), 0) + " % of the way"]
                return try MappingFigure.samplePanelOnly(data, frameSize: size, overlay: lines)
            })
    }

    /// The morph's moving points: their latents, G(z) at the chosen step, and where G came from.
    ///
    /// Up to the probe count, the probes and their traced (or snapshot) images; beyond it the
    /// probes plus latents drawn from the prior with a fixed seed, all through the snapshot's G.
    static func morphEnds(run: RunData, points: Int?, step: Int?) throws
        -> (latents: [Float], end: [Float], step: Int, source: String) {
        let probes = run.trace.probeCount, d = run.problem.latentDimension
        let wanted = points ?? probes
        guard wanted >= 1, wanted <= 1_000_000 else {
            throw RunError("--points must be between 1 and 1,000,000 (got \(wanted))")
        }
        if wanted <= probes {
            let (s, image) = try run.probePoints(step: step)
            let source = run.trace.frameIndex(step: s) != nil ? "trace" : "snapshot"
            return (Array(run.probeLatents.prefix(wanted * d)), Array(image.prefix(2 * wanted)), s, source)
        }
        let snapshot = try run.loadSnapshot(step: step)
        var rng = RandomSource(seed: FrameSequenceOptions.extraLatentSeed)
        let latents = run.probeLatents + run.problem.sampleLatents(count: wanted - probes, using: &rng)
        let image = snapshot.makeGenerator().predict(latents, count: wanted)
        return (latents, image, snapshot.step, "snapshot")
    }

    /// The continuous part (first two numbers) of each latent row, flat `[z₀, z₁, …]`.
    static func continuousPart(_ latents: [Float], dimension d: Int) -> [Float] {
        var out = [Float](repeating: 0, count: 2 * (latents.count / d))
        for i in 0..<(latents.count / d) {
            out[2 * i] = latents[i * d]
            out[2 * i + 1] = latents[i * d + 1]
        }
        return out
    }
}
