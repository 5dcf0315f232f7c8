import Dispatch
import Foundation
import GANLabCore

extension CompareSheet {
    /// Renders the morph between the sheet's columns into `folder`: the shared probes move
    /// linearly from G_A(z) to G_B(z), then on to G_C(z), … over `framesPerStep` frames per
    /// interval, ending on the last column — (M − 1)·K + 1 square frames, like the `snapshots`
    /// sequence, with the same manifest (`sequence` is `snapshots`, `parameters.sequence` is
    /// `compare`, and `parameters.keyframes` names the columns).
    ///
    /// Stale numbered frames and the manifest in `folder` are removed first; the manifest is
    /// written last.
    @discardableResult
    public static func renderMorph(_ sheet: CompareSheetData, into folder: String, framesPerStep perStep: Int,
                                   size: Int = 800, fps: Int = VideoEncoder.defaultFPS, threads: Int? = nil,
                                   progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> FrameSequenceResult {
        guard (1...10_000).contains(perStep) else { throw RunError("--frames must be between 1 and 10,000 (got \(perStep))") }
        guard (64...8192).contains(size) else { throw RunError("frame size \(size) px is outside 64…8192") }
        guard sheet.columns.count >= 2, let first = sheet.columns.first else {
            throw RunError("a morph needs at least two snapshots to move between")
        }
        let keyframes = sheet.columns.map(\.data.points)
        let labels = sheet.columns.map { "\($0.letter) \($0.runName) @ \(MappingFigure.grouped($0.step))" + ($0.generatorCaption.map { " · " + $0 } ?? "") }
        let steps = sheet.columns.map { "\($0.letter) step \(MappingFigure.grouped($0.step))\(CompareSheetData.mark($0))" }
        let names = Set(sheet.columns.map(\.runName)).count == 1 ? "run \(first.runName)"
            : sheet.columns.map { "\($0.letter) \($0.runName)" }.joined(separator: ", ")
        var entries: [FrameEntry] = []
        for i in 0...((keyframes.count - 1) * perStep) {
            let j = min(i / perStep, keyframes.count - 2)
            var entry = FrameEntry(index: i)
            entry.source = "snapshot"
            entry.fromStep = sheet.columns[j].step
            entry.toStep = sheet.columns[j + 1].step
            entry.fraction = Double(i - j * perStep) / Double(perStep)
            if entry.fraction == 0 { entry.step = sheet.columns[j].step } else if entry.fraction == 1 { entry.step = sheet.columns[j + 1].step }
            entries.append(entry)
        }
        var base = CompareSheet.mappingData(first.data)
        base.points = keyframes[0]
        let layout = MappingFigure.frameLayout(for: base, frameSize: size, overlayLines: FrameText.overlayLines)
        base.title = FrameText.fitting(["\(sheet.problem.kind.rawValue) · compare " + sheet.columns.map(\.letter).joined(separator: " → "),
                                        sheet.problem.kind.rawValue],
                                       width: layout.key.area.x - layout.textOrigin.x - layout.overlaySize,
                                       size: layout.titleSize, bold: true)
        let frozen = base, frames = entries
        let plan = FramePlan(
            width: size, height: size,
            parameters: ["sequence": "compare", "framesPerStep": "\(perStep)",
                         "keyframes": labels.joined(separator: "; "),
                         "probes": "the probe latents of \(first.runName), through each snapshot's G",
                         "interpolation": "linear in G(z) between consecutive columns"],
            panels: [PanelPlacement(name: "sample", panel: layout.samplePanel)],
            entries: entries,
            draw: { i in
                let j = min(i / perStep, keyframes.count - 2)
                let f = Float(frames[i].fraction ?? 0)
                var data = frozen
                data.points = zip(keyframes[j], keyframes[j + 1]).map { a, b in a * (1 - f) + b * f }
                let lines = f == 0 || f == 1
                    ? [steps[f == 0 ? j : j + 1] + " (a compared snapshot)", names]
                    : [steps[j] + " → " + steps[j + 1] + " · " + FrameSequences.fixed(100 * Double(f), 0) + " %", names]
                return try MappingFigure.samplePanelOnly(data, frameSize: size, overlay: lines)
            })
        try FrameSequences.prepareFolder(folder)
        let start = DispatchTime.now().uptimeNanoseconds
        try FrameSequences.renderAll(plan, into: folder, threads: threads, progress: progress)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let manifest = FrameManifest(sequence: .snapshots, run: first.runPath, problem: sheet.problem.kind.rawValue, fps: fps,
                                     width: size, height: size, count: entries.count, filePattern: "%05d.png",
                                     parameters: plan.parameters, panels: plan.panels, frames: entries)
        let manifestPath = folder + "/manifest.json"
        try manifest.encoded().write(to: URL(fileURLWithPath: manifestPath), options: .atomic)
        return FrameSequenceResult(folder: folder, manifestPath: manifestPath, manifest: manifest, seconds: seconds)
    }
}
