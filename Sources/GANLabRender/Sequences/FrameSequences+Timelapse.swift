import Foundation
import GANLabCore

extension FrameSequences {
    // MARK: - timelapse

    /// One frame per traced step (or an even subsample of `frameCount`): G on the probes with
    /// the target behind, the step counter and the losses of that step.
    static func timelapsePlan(run: RunData, options: FrameSequenceOptions) throws -> FramePlan {
        let trace = run.trace
        let steps = trace.frameSteps
        guard !steps.isEmpty else {
            throw RunError("\(run.run.path) has no traced frames to make a timelapse from (is the run still starting?)")
        }
        let indices = try evenSubsample(count: steps.count, wanted: options.frameCount, what: "traced frames")
        var draft = MappingData(prior: run.problem.prior, latentExtent: run.latentExtent,
                               sampleExtent: run.problem.extent, latents: run.probeLatents, points: [],
                               target: run.targetSamples(), title: "")
        draft.title = FrameText.title(run: run, data: draft, frameSize: options.size)
        let base = draft
        let totalSteps = run.config.train.steps
        let size = options.size
        let layout = MappingFigure.frameLayout(for: base, frameSize: size, overlayLines: FrameText.overlayLines)
        var entries: [FrameEntry] = []
        for (i, traceIndex) in indices.enumerated() {
            let frame = try trace.frame(at: traceIndex)
            var entry = FrameEntry(index: i)
            entry.step = frame.step
            entry.source = "trace"
            entry.dLoss = frame.dLoss.isFinite ? Double(frame.dLoss) : nil
            entry.gLoss = frame.gLoss.isFinite ? Double(frame.gLoss) : nil
            entries.append(entry)
        }
        let frozen = entries
        return FramePlan(
            width: size, height: size,
            parameters: ["frames": "\(indices.count) of \(steps.count) traced frames",
                         "probes": "\(trace.probeCount)", "points": "G(z) at each traced step"],
            panels: [PanelPlacement(name: "sample", panel: layout.samplePanel)],
            entries: entries,
            draw: { i in
                let frame = try trace.frame(at: indices[i])
                var data = base
                data.points = frame.points
                let lines = timelapseOverlay(step: frame.step, of: totalSteps, dLoss: frozen[i].dLoss, gLoss: frozen[i].gLoss)
                return try MappingFigure.samplePanelOnly(data, frameSize: size, overlay: lines)
            })
    }

    /// The overlay lines of a timelapse frame: ["step 2,000 / 4,000", "D loss 0.693 · G loss 0.712"],
    /// or "untrained" at step 0 (the trace stores NaN losses there: nothing has been trained).
    static func timelapseOverlay(step: Int, of total: Int, dLoss: Double?, gLoss: Double?) -> [String] {
        let counter = "step \(MappingFigure.grouped(step)) / \(MappingFigure.grouped(total))"
        guard let dLoss, let gLoss else {
            return [counter, step == 0 ? "untrained" : "losses not recorded"]
        }
        return [counter, "D loss " + fixed(dLoss, 3) + " · G loss " + fixed(gLoss, 3)]
    }

    /// `wanted` indices spread evenly over `0..<count` (first and last included); all when nil.
    static func evenSubsample(count: Int, wanted: Int?, what: String) throws -> [Int] {
        guard let wanted else { return Array(0..<count) }
        guard (1...count).contains(wanted) else {
            throw RunError("asked for \(wanted) frames but the run has \(count) \(what); give --frames 1…\(count)")
        }
        guard wanted > 1 else { return [count - 1] }
        return (0..<wanted).map { Int((Double($0) * Double(count - 1) / Double(wanted - 1)).rounded()) }
    }

    /// `value` with `digits` decimals and a true minus sign.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "n/a" }
        let text = String(format: "%.\(digits)f", value)
        return text.hasPrefix("-") ? "−" + text.dropFirst() : text
    }
}
