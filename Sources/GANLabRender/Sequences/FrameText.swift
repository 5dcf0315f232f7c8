import Foundation

/// Text that must fit beside the colour key in the top band of a square frame.
///
/// The key takes the band's right side (for mixtures a row of swatches, 40 % of the width), so
/// sequence frames keep overlay lines short and pick the longest title that fits.
enum FrameText {
    /// Overlay lines every square sequence frame has (fixed, so the panel never moves).
    static let overlayLines = 2

    /// The first of `candidates` narrower than `width` px at `size` px, else the last one.
    static func fitting(_ candidates: [String], width: Double, size: Double, bold: Bool) -> String {
        guard let canvas = try? Canvas(width: 1, height: 1) else { return candidates.last ?? "" }
        return candidates.first { canvas.measureText($0, size: size, bold: bold).advance <= width }
            ?? candidates.last ?? ""
    }

    /// The title of a square frame of `run`: "problem · experiment/run" when it fits beside the
    /// key, else "problem · run", else the problem alone; each followed by the generator caption
    /// ("· G: EMA β = 0.999") when the run keeps an average, so even the shortest says which G.
    static func title(run: RunData, data: MappingData, frameSize: Int) -> String {
        let layout = MappingFigure.frameLayout(for: data, frameSize: frameSize, overlayLines: overlayLines)
        let width = layout.key.area.x - layout.textOrigin.x - layout.overlaySize
        let problem = run.config.problem.rawValue
        let folder = URL(fileURLWithPath: run.run.path).lastPathComponent
        var candidates = ["\(problem) · \(run.name)", "\(problem) · \(folder)", problem].map(run.captioned)
        if let caption = run.generatorCaption { candidates.append(caption) }
        return fitting(candidates, width: width, size: layout.titleSize, bold: true)
    }
}
