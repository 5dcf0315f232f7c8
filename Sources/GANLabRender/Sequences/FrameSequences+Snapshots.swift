import GANLabCore

extension FrameSequences {
    // MARK: - snapshots

    /// A smooth video from sparse keyframes: every probe moves linearly from G_j(z) to G_{j+1}(z)
    /// over `framesPerStep` frames between consecutive keyframes j, j+1 (snapshots, or trace
    /// frames with `source = .trace`), ending on the last keyframe: (M − 1)·K + 1 frames.
    ///
    /// Linear, not eased: constant speed through each keyframe, so the video does not stop at
    /// every snapshot.
    static func snapshotsPlan(run: RunData, options: FrameSequenceOptions) throws -> FramePlan {
        let perStep = options.framesPerStep
        guard (1...10_000).contains(perStep) else {
            throw RunError("--frames-per-step must be between 1 and 10,000 (got \(perStep))")
        }
        let keyframes = try snapshotKeyframes(run: run, source: options.source)
        let steps = keyframes.steps
        guard steps.count >= 2 else {
            let have = steps.map(String.init).joined(separator: ", ")
            throw RunError("the snapshots sequence needs at least two keyframes; \(run.run.path) has "
                           + "\(steps.count) \(options.source.rawValue) (\(have.isEmpty ? "none" : "step " + have))"
                           + (options.source == .snapshots ? "; try --source trace" : ""))
        }
        var entries: [FrameEntry] = []
        for i in 0...((steps.count - 1) * perStep) {
            let j = min(i / perStep, steps.count - 2)
            let fraction = Double(i - j * perStep) / Double(perStep)
            var entry = FrameEntry(index: i)
            entry.source = options.source == .trace ? "trace" : "snapshot"
            entry.fromStep = steps[j]
            entry.toStep = steps[j + 1]
            entry.fraction = fraction
            if fraction == 0 { entry.step = steps[j] } else if fraction == 1 { entry.step = steps[j + 1] }
            entries.append(entry)
        }
        var draft = MappingData(prior: run.problem.prior, latentExtent: run.latentExtent,
                               sampleExtent: run.problem.extent, latents: run.probeLatents, points: [],
                               target: run.targetSamples(), title: "")
        draft.title = FrameText.title(run: run, data: draft, frameSize: options.size)
        let base = draft
        let size = options.size, frozen = entries, kind = options.source == .trace ? "traced steps" : "snapshots"
        let layout = MappingFigure.frameLayout(for: base, frameSize: size, overlayLines: FrameText.overlayLines)
        return FramePlan(
            width: size, height: size,
            parameters: ["source": options.source.rawValue, "framesPerStep": "\(perStep)",
                         "keyframes": steps.map(String.init).joined(separator: ","),
                         "interpolation": "linear in G(z) between consecutive keyframes"],
            panels: [PanelPlacement(name: "sample", panel: layout.samplePanel)],
            entries: entries,
            draw: { i in
                let entry = frozen[i]
                let j = min(i / perStep, steps.count - 2)
                let a = try keyframes.points(j), b = try keyframes.points(j + 1)
                let f = Float(entry.fraction ?? 0)
                var data = base
                data.points = zip(a, b).map { p, q in p * (1 - f) + q * f }
                let lines: [String]
                if let step = entry.step {
                    lines = ["step \(MappingFigure.grouped(step))", kind == "snapshots" ? "a snapshot" : "a traced step"]
                } else {
                    let approx = Double(steps[j]) + Double(f) * Double(steps[j + 1] - steps[j])
                    lines = ["step ≈ \(MappingFigure.grouped(Int(approx.rounded())))",
                             "interpolated between \(kind) \(MappingFigure.grouped(steps[j])) and \(MappingFigure.grouped(steps[j + 1]))"]
                }
                return try MappingFigure.samplePanelOnly(data, frameSize: size, overlay: lines)
            })
    }

    /// Keyframe steps and G on the probes at each: snapshots are evaluated now (one network at a
    /// time, serially); trace frames are read on demand (the reader is safe across threads).
    static func snapshotKeyframes(run: RunData, source: KeyframeSource) throws
        -> (steps: [Int], points: @Sendable (Int) throws -> [Float]) {
        switch source {
        case .trace:
            let trace = run.trace
            return (trace.frameSteps, { try trace.frame(at: $0).points })
        case .snapshots:
            let latents = run.probeLatents, count = run.trace.probeCount
            var images: [[Float]] = []
            for step in run.snapshotSteps {
                let snapshot = try run.loadSnapshot(step: step)
                images.append(snapshot.makeGenerator().predict(latents, count: count))
            }
            let frozen = images
            return (run.snapshotSteps, { frozen[$0] })
        }
    }
}
