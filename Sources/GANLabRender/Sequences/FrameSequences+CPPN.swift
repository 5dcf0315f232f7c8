import Foundation
import GANLabCore

/// What a CPPN frame sequence moves.
public enum CPPNSweep: String, CaseIterable, Codable, Sendable {
    /// The latent z once round the closed loop z(t) = a·cos 2πt + b·sin 2πt: the image drifts
    /// and comes back, so the video loops seamlessly.
    case z
    /// The weight scale from 0 (flat grey) up to the network's scale: structure appearing.
    case scale
}

extension FrameSequences {
    /// Renders a CPPN sequence into `folder` (numbered PNGs and `manifest.json`, replacing
    /// earlier frames), like a run's sequences, so `ganlab video FOLDER` encodes it.
    ///
    /// The manifest says `sequence: walk` (a path through the network's latent or weight space)
    /// with `parameters.sequence = cppn`; each entry has the loop time, the latent z(t) and the
    /// weight scale. A z loop's frame i shows t = i/N (frame N would repeat frame 0); a scale
    /// sweep's shows scale·i/(N − 1), ending on the still image. Workers draw frames in parallel,
    /// each with its own copy of the network (same seed, so the same weights).
    @discardableResult
    public static func renderCPPN(_ settings: CPPNSettings, name: String, sweep: CPPNSweep, frames count: Int,
                                  size: Int, fps: Int = VideoEncoder.defaultFPS, into folder: String,
                                  threads: Int? = nil,
                                  progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> FrameSequenceResult {
        guard (2...100_000).contains(count) else { throw RunError("a CPPN sequence needs 2 to 100,000 frames (got \(count))") }
        guard (16...8192).contains(size) else { throw RunError("frame size \(size) px is outside 16…8192") }
        guard (1...240).contains(fps) else { throw RunError("fps \(fps) is outside 1…240") }
        guard sweep == .scale || settings.inputs == .xyrz else {
            throw RunError("a z loop needs the latent input (inputs xyrz); these settings read \(settings.inputs.rawValue), so sweep the scale instead")
        }
        let reference = CPPN(settings: settings)
        var entries: [FrameEntry] = []
        for i in 0..<count {
            var entry = FrameEntry(index: i)
            let t = sweep == .z ? Double(i) / Double(count) : Double(i) / Double(count - 1)
            entry.time = t
            if settings.inputs == .xyrz { entry.latent = reference.latent(at: sweep == .z ? t : 0).map(Double.init) }
            entry.scale = sweep == .scale ? settings.scale * t : settings.scale
            entries.append(entry)
        }
        let times = entries.map { $0.time ?? 0 }
        let plan = FramePlan(
            width: size, height: size,
            parameters: ["sequence": "cppn", "preset": name, "network": settings.summary, "sweep": sweep.rawValue,
                         "seed": "\(settings.seed)", "zoom": "\(settings.zoom)", "inputs": settings.inputs.rawValue,
                         "parameters": "\(settings.parameterCount)"],
            panels: [PanelPlacement(name: "image", panel: PlotPanel(rect: PixelRect(x: 0, y: 0, width: Double(size), height: Double(size)),
                                                                    extent: settings.zoom / 2))],
            entries: entries,
            draw: { index in
                let cppn = CPPN(settings: settings)
                let t = times[index]
                if sweep == .scale { cppn.setWeightFactor(t) }
                return try CPPNPicture.render(cppn, size: size, latent: sweep == .z ? cppn.latent(at: t) : nil)
            })
        try prepareFolder(folder)
        let start = DispatchTime.now().uptimeNanoseconds
        try renderAll(plan, into: folder, threads: threads, progress: progress)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let manifest = FrameManifest(sequence: .walk, run: "cppn/\(name)", problem: "cppn", fps: fps, width: size,
                                     height: size, count: count, filePattern: "%05d.png", parameters: plan.parameters,
                                     panels: plan.panels, frames: entries)
        let manifestPath = folder + "/manifest.json"
        try manifest.encoded().write(to: URL(fileURLWithPath: manifestPath), options: .atomic)
        return FrameSequenceResult(folder: folder, manifestPath: manifestPath, manifest: manifest, seconds: seconds)
    }
}
