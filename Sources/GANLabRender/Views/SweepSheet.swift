import Foundation
import GANLabCore

/// The picture of a sweep (`summary.png`): one strip plot per headline metric, every seed a dot
/// in its cell's column with the mean (a bar) ± one standard error (a line) beside the dots, then
/// a contact sheet of every run's final samples, one row per cell and one column per seed.
public enum SweepSheet {
    /// Cell colours, cycling (tableau 10).
    static let cellColors: [RGBA] = [0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x7F7F7F,
                                     0xBCBD22, 0x17BECF].map { Colormap.hex($0) }

    /// Renders `summary`; `thumbnail` is the side of each contact-sheet panel in px (at most; with
    /// many seeds the panels shrink to keep the sheet about 2,400 px wide, down to 60 px).
    public static func render(_ summary: SweepSummary, in directory: SweepDirectory, thumbnail: Int = 150) throws -> Canvas {
        let plan = summary.plan
        let thumbnail = max(60, min(thumbnail, (2_400 - 250) / max(plan.seeds.count, 1)))
        let metrics = SweepSummary.headline.filter(summary.metricNames.contains)
        let f = 12.0, margin = 20.0
        let columns = 3, stripWidth = 300.0, stripHeight = 170.0
        let stripRows = (metrics.count + columns - 1) / columns
        let thumb = Double(thumbnail), labelWidth = 210.0
        let sheetWidth = labelWidth + Double(plan.seeds.count) * thumb
        let width = Int(max(margin * 2 + Double(columns) * stripWidth, margin * 2 + sheetWidth))
        let stripTop = margin + f * 4.5
        let sheetTop = stripTop + Double(stripRows) * stripHeight + f * 3
        let height = Int(sheetTop + f * 2 + Double(plan.cells.count) * thumb + margin)
        let canvas = try Canvas(width: width, height: height)
        canvas.fillBackground(.white)
        canvas.drawText("sweep \(plan.name) · \(summary.runs.count) of \(plan.runs.count) runs complete",
                        x: margin, y: margin, size: f * 1.5, color: .grey(0.05), vertical: .top, bold: true)
        canvas.drawText("each dot a seed; bar = mean, line = ± 1 standard error; cells: "
                        + plan.cells.enumerated().map { "\($0.offset + 1) \($0.element.name)" }.joined(separator: ", "),
                        x: margin, y: margin + f * 2.1, size: f, color: .grey(0.35), vertical: .top)
        for (i, metric) in metrics.enumerated() {
            let rect = PixelRect(x: margin + Double(i % columns) * stripWidth, y: stripTop + Double(i / columns) * stripHeight,
                                 width: stripWidth - 24, height: stripHeight - 20)
            drawStrip(metric, summary: summary, in: rect, fontSize: f, on: canvas)
        }
        canvas.drawText("final samples: rows = cells, columns = seeds", x: margin, y: sheetTop, size: f * 1.15,
                        color: .grey(0.05), vertical: .top, bold: true)
        for (s, seed) in plan.seeds.enumerated() {
            canvas.drawText("seed \(seed)", x: margin + labelWidth + (Double(s) + 0.5) * thumb, y: sheetTop + f * 1.6,
                            size: f, color: .grey(0.25), align: .center, vertical: .top)
        }
        for (c, cell) in plan.cells.enumerated() {
            let y = sheetTop + f * 3 + Double(c) * thumb
            canvas.drawText("\(c + 1) \(cell.name)", x: margin, y: y + thumb / 2, size: f, color: cellColors[c % cellColors.count],
                            vertical: .middle, bold: true)
            for (s, _) in plan.seeds.enumerated() {
                let run = plan.runs[c * plan.seeds.count + s]
                let area = PixelRect(x: margin + labelWidth + Double(s) * thumb, y: y, width: thumb, height: thumb)
                guard directory.isComplete(run), let data = try? RunData(path: directory.runPath(run)),
                      let mapping = try? data.mappingData(step: nil, targetCount: 1_500) else {
                    canvas.strokeRect(area.insetBy(6), color: .grey(0.8))
                    canvas.drawText("not complete", x: area.center.x, y: area.center.y, size: f * 0.85, color: .grey(0.5),
                                    align: .center, vertical: .middle)
                    continue
                }
                let panel = PlotPanel(rect: area.insetBy(8), extent: mapping.sampleExtent, fontSize: f * 0.7)
                MappingFigure.drawSamples(mapping, on: panel, radius: 0.9, alpha: 0.8, canvas: canvas)
            }
        }
        try canvas.checkStatus("rendering the sweep sheet of \(plan.name)")
        return canvas
    }

    /// One strip plot: the metric's values by cell.
    static func drawStrip(_ metric: String, summary: SweepSummary, in rect: PixelRect, fontSize f: Double, on canvas: Canvas) {
        let plan = summary.plan
        let values: [(cell: Int, value: Double)] = summary.runs.compactMap { r in
            r.values.first { $0.name == metric }.flatMap { $0.value.isFinite ? (r.run.cell, $0.value) : nil }
        }
        canvas.drawText(metric, x: rect.x, y: rect.y, size: f, color: .grey(0.05), vertical: .top, bold: true)
        let plot = PixelRect(x: rect.x + 52, y: rect.y + f * 1.8, width: rect.width - 56, height: rect.height - f * 3.6)
        canvas.strokeRect(plot, color: .grey(0.75))
        guard let lo0 = values.map(\.value).min(), let hi0 = values.map(\.value).max() else { return }
        let pad = hi0 > lo0 ? (hi0 - lo0) * 0.08 : max(abs(hi0) * 0.1, 0.5)
        let lo = lo0 - pad, hi = hi0 + pad
        func py(_ v: Double) -> Double { plot.maxY - (v - lo) / (hi - lo) * plot.height }
        let spacing = AxisTicks.niceSpacing(from: lo, to: hi, count: 4)
        for tick in AxisTicks.linear(from: lo, to: hi, count: 4) {
            canvas.strokeSegments([plot.x, py(tick), plot.maxX, py(tick)], color: .grey(0.92))
            canvas.drawText(AxisTicks.label(tick, spacing: spacing), x: plot.x - 5, y: py(tick), size: f * 0.8,
                            color: .grey(0.35), align: .right, vertical: .middle)
        }
        let slot = plot.width / Double(max(plan.cells.count, 1))
        for c in plan.cells.indices {
            let color = cellColors[c % cellColors.count]
            let center = plot.x + (Double(c) + 0.5) * slot
            let mine = values.filter { $0.cell == c }.map(\.value)
            for (k, v) in mine.enumerated() {
                // A fixed spread by seed order, so overlapping values stay visible.
                let dx = (Double(k) - Double(mine.count - 1) / 2) * min(4, slot * 0.5 / Double(max(mine.count, 1)))
                canvas.fillCircle(center: (center - slot * 0.12 + dx, py(v)), radius: 2.6, color: color.withAlpha(0.75))
            }
            let s = summary.statistic(metric, cell: c)
            guard s.count > 0 else { continue }
            let x = center + slot * 0.2
            canvas.strokeSegments([x - slot * 0.12, py(s.mean), x + slot * 0.12, py(s.mean)], color: .grey(0.1), lineWidth: 2)
            canvas.strokeSegments([x, py(s.mean - s.standardError), x, py(s.mean + s.standardError)], color: .grey(0.1), lineWidth: 1.4)
            canvas.drawText("\(c + 1)", x: center, y: plot.maxY + 3, size: f * 0.8, color: color, align: .center, vertical: .top)
        }
    }
}
