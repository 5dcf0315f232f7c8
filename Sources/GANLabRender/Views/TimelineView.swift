import Foundation
import GANLabCore

/// A run's snapshot diagnostics and training log against the step, as stacked panels sharing the
/// step axis, with the events of `Timeline` (modes lost and regained, mode hops, tears opening and
/// closing, folds) marked: a labelled strip on top, and a dashed line through every panel, coloured
/// in the panels the event concerns.
///
/// Panels, as they apply to the problem: modes covered (literature and strict), the high-quality
/// fraction, negative space and reverse KL for mixtures; negative space and coverage for the spiral;
/// KS statistics and tail masses for uniform-to-normal; then tear mass, folded fraction, the
/// Lipschitz estimate and the losses for every problem. A panel whose columns the run lacks (no map
/// geometry, no training log yet) is left out.
public enum TimelineView {
    /// One panel: its chart and the events it is about.
    public struct Panel: Sendable {
        /// The curves, y scale and reference lines.
        public var chart: LineChart.Panel
        /// The events this panel is about: their lines are drawn in the event's colour here.
        public var eventKinds: Set<TimelineEvent.Kind> = []
    }

    // MARK: - Colours (tableau 10 for series; darker, distinct hues for events)

    static let blue = Colormap.hex(0x1F77B4), orange = Colormap.hex(0xFF7F0E), green = Colormap.hex(0x2CA02C)
    static let red = Colormap.hex(0xD62728), purple = Colormap.hex(0x9467BD), brown = Colormap.hex(0x8C564B)
    static let pink = Colormap.hex(0xE377C2), olive = Colormap.hex(0xBCBD22), cyan = Colormap.hex(0x17BECF)

    /// The colour of an event's label and lines.
    public static func color(of kind: TimelineEvent.Kind) -> RGBA {
        switch kind {
        case .modeLost: return RGBA(red: 0.72, green: 0.0, blue: 0.28)
        case .modeRegained: return RGBA(red: 0.0, green: 0.52, blue: 0.36)
        case .modeLostStrict: return RGBA(red: 0.88, green: 0.45, blue: 0.62)
        case .modeRegainedStrict: return RGBA(red: 0.40, green: 0.74, blue: 0.58)
        case .modeHop: return RGBA(red: 0.42, green: 0.16, blue: 0.70)
        case .tearOpened: return RGBA(red: 0.82, green: 0.36, blue: 0.0)
        case .tearClosed: return RGBA(red: 0.20, green: 0.42, blue: 0.78)
        case .foldAppeared: return RGBA(red: 0.55, green: 0.28, blue: 0.05)
        case .foldDisappeared: return RGBA(red: 0.35, green: 0.55, blue: 0.62)
        }
    }

    /// Event lines in panels an event does not concern.
    static let faintEventColor = RGBA.grey(0.78)

    // MARK: - Panels

    /// The panels that apply to `data`'s problem and have data.
    public static func panels(for data: TimelineData) -> [Panel] {
        func diag(_ column: String, _ label: String, _ color: RGBA) -> LineChart.Series {
            let values = data.diagnosticsValues(column)
            return LineChart.Series(label: label, color: color, steps: values == nil ? [] : data.rows.map { Double($0.step) },
                                    values: values ?? [], halo: true)
        }
        func training(_ column: String, _ label: String, _ color: RGBA) -> LineChart.Series {
            let values = data.training.flatMap { $0.steps.isEmpty ? nil : $0.values(column) }
            return LineChart.Series(label: label, color: color, steps: values == nil ? [] : data.training?.steps ?? [],
                                    values: values ?? [])
        }
        func panel(_ title: String, axisTitle: String, series: [LineChart.Series], logarithmic: Bool = false,
                   references: [(value: Double, label: String)] = [], fixedRange: ClosedRange<Double>? = nil,
                   ceiling: Double? = nil, eventKinds: Set<TimelineEvent.Kind> = []) -> Panel {
            let range = fixedRange.map(LineChart.Range.fixed) ?? .bounded(ceiling: ceiling)
            return Panel(chart: LineChart.Panel(title: title, axisTitle: axisTitle, series: series, logarithmic: logarithmic,
                                                references: references, range: range),
                         eventKinds: eventKinds)
        }
        var list: [Panel] = []
        switch data.problem {
        case .eightGaussians, .ring8, .ring8PacGAN, .grid25:
            let k = Double(data.modeCount)
            list.append(panel("modes covered (of \(data.modeCount))", axisTitle: "modes",
                                  series: [diag("modes_covered", "≥ 1 HQ sample", blue),
                                           diag("modes_covered_strict", "strict: ≥ 20 % of N/K", orange)],
                                  fixedRange: -0.04 * k...(1.04 * k),
                                  eventKinds: [.modeLost, .modeRegained, .modeLostStrict, .modeRegainedStrict, .modeHop]))
            list.append(panel("high-quality fraction (within 3σ of a mode)", axisTitle: "HQ",
                                  series: [diag("hq_fraction", "HQ / N", green)],
                                  references: [(1 - exp(-4.5), "true samples 98.9 %")], ceiling: 1))
            let t = MixtureMetrics.negativeSpaceThreshold(for: data.problem)
            list.append(panel("negative space (farther than \(Int(t))σ from every mode)", axisTitle: "share",
                                  series: [diag("negative_space", "negative space", red)],
                                  references: data.problem == .eightGaussians ? [(exp(-4.5), "true samples 1.1 %")] : [],
                                  ceiling: 1))
            list.append(panel("reverse KL of the HQ mode histogram (0: modes equally used)", axisTitle: "nats",
                                  series: [diag("reverse_kl", "log K − H(p̂)", purple)], eventKinds: [.modeHop]))
        case .spiral:
            list.append(panel("negative space (farther than τ from the true spiral)", axisTitle: "share",
                                  series: [diag("negative_space", "negative space", red)],
                                  references: [(0.001, "true samples 0.1 %")], ceiling: 1))
            list.append(panel("coverage (share of 20 θ bins with an on-target sample)", axisTitle: "coverage",
                                  series: [diag("coverage", "covered bins / 20", blue)], fixedRange: -0.04...1.04))
        case .uniformToNormal:
            let threshold = data.diagnosticsValues("ks_threshold")?.first { $0.isFinite }
            list.append(panel("Kolmogorov–Smirnov distance to N(0, I₂)", axisTitle: "KS D",
                                  series: [diag("ks_x0", "x₀", blue), diag("ks_x1", "x₁", orange),
                                           diag("radial_ks", "r²", green)],
                                  references: threshold.map { [($0, "5 % critical value")] } ?? []))
            list.append(panel("tail masses (each should be 1 %)", axisTitle: "share",
                                  series: [diag("tail_r2_9_21", "r² > 9.21", purple), diag("tail_x0_2_576", "|x₀| > 2.576", blue),
                                           diag("tail_x1_2_576", "|x₁| > 2.576", orange)],
                                  references: [(0.01, "1 %")], ceiling: 1))
        case .points, .picture:
            list.append(panel("negative space (farther than τ from the held-out reference set)", axisTitle: "share",
                                  series: [diag("negative_space", "negative space", red)],
                                  references: [(0.001, "held-out samples 0.1 %")], ceiling: 1))
        }
        if data.diagnosticsValues("precision_k3") != nil {
            list.append(panel("precision, recall (k = 3), density, coverage (k = 5)",
                              axisTitle: "share",
                              series: [diag("precision_k3", "precision", blue), diag("recall_k3", "recall", orange),
                                       diag("density_k5", "density", green), diag("coverage_k5", "coverage", purple)],
                              ceiling: 1.5))
        }
        list.append(panel("tear mass (latent mass of the tear band)", axisTitle: "mass",
                              series: [diag("tear_mass", "tear mass", brown)],
                              references: [(Timeline.tearMassLevel, "tear level 1 %")], ceiling: 1, eventKinds: [.tearOpened, .tearClosed]))
        list.append(panel("folded fraction (latent mass where det J has the minority sign)", axisTitle: "mass",
                              series: [diag("folded_fraction", "folded", pink)],
                              references: [(Timeline.foldLevel, "fold flag 1 %")], ceiling: 1, eventKinds: [.foldAppeared, .foldDisappeared]))
        list.append(panel("Lipschitz estimate L̂ = max σ_max over the grid (log scale)", axisTitle: "L̂",
                              series: [diag("lipschitz", "L̂", cyan)], logarithmic: true))
        var losses: [(value: Double, label: String)] = []
        if let loss = data.training?.equilibriumLoss { losses.append((loss, String(format: "%.3f (D = ½)", loss))) }
        list.append(panel("losses (training log)", axisTitle: "loss",
                              series: [training("d_loss", "D loss", CurvesView.discriminatorColor),
                                       training("g_loss", "G loss", CurvesView.generatorColor)],
                              references: losses))
        return list.filter(\.chart.hasData)
    }

    // MARK: - Layout

    /// Where everything goes, exposed so tests can find pixels.
    public struct Layout: Sendable {
        /// Canvas width in px.
        public var width: Int
        /// Canvas height in px.
        public var height: Int
        /// The labelled event strip above the panels.
        public var eventBand: PixelRect
        /// Label lanes in the event strip.
        public var lanes: Int
        /// The plotting rectangle of each panel, top to bottom.
        public var plots: [PixelRect]
        /// Label size in px.
        public var fontSize: Double
        /// Outer margin in px.
        public var margin: Double
    }

    /// The layout for `panelCount` stacked panels at a `size` px scale (plots 1.4 × that wide,
    /// each 0.17 × that tall, under an event strip of four label lanes).
    public static func layout(panelCount: Int, size: Int = 800) -> Layout {
        let stack = PlotStack(size: size), p = Double(max(size, 100)), font = stack.fontSize
        let lanes = 4
        let band = PixelRect(x: stack.plotX, y: stack.margin + (p * 0.05).rounded(), width: stack.plotWidth,
                             height: (Double(lanes) * font * 1.3 + font * 0.8).rounded())
        let plots = stack.plots(count: panelCount, top: band.maxY, plotHeight: p * 0.17, between: 1.0, below: 5.4)
        return Layout(width: stack.width, height: plots.height, eventBand: band, lanes: lanes, plots: plots.rects,
                      fontSize: font, margin: stack.margin)
    }

    // MARK: - Rendering

    /// Renders the timeline of the run in `runFolder` and (re)writes RUN/events.csv.
    public static func render(runFolder: String, size: Int = 800) throws -> Canvas {
        let run = try RunData(path: runFolder)
        let data = try run.timelineData()
        let canvas = try render(data, size: size)
        try Timeline.write(data.events, to: run.run)
        return canvas
    }

    /// Renders a timeline.
    public static func render(_ data: TimelineData, size: Int = 800) throws -> Canvas {
        let specs = panels(for: data)
        guard !specs.isEmpty else {
            throw RenderError.invalidData("the run has neither snapshot diagnostics nor a training log to draw")
        }
        let layout = layout(panelCount: specs.count, size: size)
        let canvas = try Canvas(width: layout.width, height: layout.height)
        canvas.fillBackground(.white)
        let font = layout.fontSize
        canvas.drawText(data.title, x: layout.margin, y: layout.margin, size: (font * 1.5).rounded(), color: .grey(0.05),
                        vertical: .top, bold: true)
        let lastStep = max(data.lastStep, 1)
        let bandAxes = CurveAxes(plot: layout.eventBand, xRange: 0...lastStep, yRange: 0...1, logarithmic: false, fontSize: font)
        let unlabelled = drawEventBand(data.events, axes: bandAxes, lanes: layout.lanes, on: canvas)
        let summary = "\(data.rows.count) snapshot\(data.rows.count == 1 ? "" : "s") · \(data.events.count) event"
            + (data.events.count == 1 ? "" : "s") + (unlabelled > 0 ? ", \(unlabelled) labels left out" : "") + " (events.csv)"
        canvas.drawText(summary, x: layout.eventBand.maxX, y: layout.margin, size: font, color: .grey(0.35), align: .right,
                        vertical: .top)
        let chart = LineChart(panels: specs.map(\.chart), lastStep: lastStep)
        chart.draw(in: layout.plots, fontSize: font, on: canvas, underlay: { index, axes in
            drawEventLines(data.events, kinds: specs[index].eventKinds, axes: axes, on: canvas)
        })
        if let bottom = layout.plots.last {
            canvas.drawText("training step", x: bottom.center.x, y: bottom.maxY + font * 2.0, size: font, color: .grey(0.3),
                            align: .center, vertical: .top)
            canvas.drawText(footnote(data), x: bottom.x, y: bottom.maxY + font * 3.6, size: font * 0.8, color: .grey(0.45),
                            vertical: .top)
        }
        try canvas.checkStatus("rendering the timeline '\(data.title)'")
        return canvas
    }

    /// The line under the step axis explaining marks and smoothing.
    static func footnote(_ data: TimelineData) -> String {
        var parts = ["dashed verticals: events, coloured in the panels they concern"]
        if data.modeCount > 0 { parts.append("* strict: fewer than 20 % of N/K HQ samples") }
        if let rows = data.training?.steps.count, rows > CurveAxes.smoothingThreshold {
            parts.append("losses: faint every logged row, bold a centred mean of \(CurveAxes.smoothingWindow(count: rows)) rows")
        }
        return parts.joined(separator: " · ")
    }
}
