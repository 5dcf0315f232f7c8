import GANLabCore
import GANLabEngine

extension FrameSequences {
    // MARK: - walk

    /// A walk along a latent path: the latent square (painted in its colouring, so it is also the
    /// colour key) with the path and the moving point, and the sample plane with G(z(t)) and its
    /// trail. A tear of the map shows as a jump: trail steps longer than `jumpThreshold` are drawn
    /// red and dashed, and the latent step that caused each jump is drawn red on the path.
    static func walkPlan(run: RunData, options: FrameSequenceOptions) throws -> FramePlan {
        let count = options.frameCount ?? FrameSequenceOptions.defaultFrameCount
        guard count >= 2 else { throw RunError("a walk needs at least 2 frames (got \(count))") }
        let prior = run.problem.prior
        var components = 0
        if case .gaussianWithComponent(let k) = prior { components = k }
        guard components == 0 || (0..<components).contains(options.component) else {
            throw RunError("--component must be between 0 and \(components - 1) for \(run.config.problem.rawValue)")
        }
        let path = options.path ?? LatentPath.defaultPath(latentExtent: run.latentExtent)
        let snapshot = try run.loadSnapshot(step: options.step)
        let generator = snapshot.makeGenerator()
        let d = run.problem.latentDimension
        let walk = path.sample(count: count)
        var rows = [Float](repeating: 0, count: count * d)
        for (i, z) in walk.enumerated() {
            rows[i * d] = Float(z.x)
            rows[i * d + 1] = Float(z.y)
            if components > 0 { rows[i * d + 2 + options.component] = 1 }
        }
        let image = generator.predict(rows, count: count)
        let probeImage = generator.predict(run.probeLatents, count: run.trace.probeCount)
        let samples = (0..<count).map { SIMD2(Double(image[2 * $0]), Double(image[2 * $0 + 1])) }
        let threshold = jumpThreshold(samples, sampleExtent: run.problem.extent)
        let jumps = [false] + zip(samples, samples.dropFirst()).map { LatentPath.length($1 - $0) > threshold }

        var entries: [FrameEntry] = []
        for i in 0..<count {
            var entry = FrameEntry(index: i)
            entry.step = snapshot.step
            entry.source = "snapshot"
            entry.time = Double(i) / Double(count - 1)
            entry.latent = [walk[i].x, walk[i].y]
            entry.sample = [samples[i].x, samples[i].y]
            entry.jump = jumps[i]
            entries.append(entry)
        }
        let pathExtent = walk.map { max(abs($0.x), abs($0.y)) }.max() ?? 0
        let latentExtent = max(run.latentExtent, (pathExtent * 1.05 * 10).rounded(.up) / 10)
        let title = components > 0 ? "latent (n₀, n₁), component k = \(options.component)" : "latent z"
        let frame = WalkFrame(
            height: options.size, prior: prior, latentExtent: latentExtent, sampleExtent: run.problem.extent,
            latentTitle: title, path: walk, samples: samples, jumps: jumps, threshold: threshold,
            probeLatents: run.probeLatents, probeImage: probeImage, target: run.targetSamples(),
            title: run.captioned("\(run.config.problem.rawValue) · \(run.name) · latent walk"),
            caption: "walk along " + path.summary + " · generator at step " + MappingFigure.grouped(snapshot.step))
        return FramePlan(
            width: frame.layout.width, height: frame.layout.height,
            parameters: ["path": path.summary, "step": "\(snapshot.step)",
                         "component": components > 0 ? "\(options.component)" : "none",
                         "jumpThreshold": fixed(threshold, 4),
                         "jumpRule": "a trail step longer than max(10 × median step, 4 % of the sample extent)",
                         "jumps": "\(jumps.filter { $0 }.count)"],
            panels: [PanelPlacement(name: "latent", panel: frame.layout.latent),
                     PanelPlacement(name: "sample", panel: frame.layout.sample)],
            entries: entries,
            draw: { try frame.draw(upTo: $0) })
    }

    /// The length above which one trail step counts as a jump: 10 × the median step (a stretch
    /// ten times the typical one, docs/METRICS.md §4's tear rule) but at least 4 % of the sample extent, so a
    /// nearly constant map does not flag its small wobbles.
    static func jumpThreshold(_ samples: [SIMD2<Double>], sampleExtent: Double) -> Double {
        let floor = 0.04 * sampleExtent
        let steps = zip(samples, samples.dropFirst()).map { LatentPath.length($1 - $0) }.filter(\.isFinite)
        guard !steps.isEmpty else { return floor }
        return max(10 * Quantile.median(steps), floor)
    }
}
