import Foundation
import GANLabCore
import Testing

@testable import GANLabRender

/// Tiny training runs for the timeline: `snapshots` snapshots, 20 steps apart.
private enum TimelineTinyRun {
    static func train(problem: ProblemKind, snapshots: Int) throws -> String {
        var c = ExperimentConfig()
        c.problem = problem
        c.seed = 3
        c.generator.hidden = [16, 16]
        c.discriminator.hidden = [16, 16]
        c.train.steps = 20 * snapshots
        c.train.realBatch = 32
        c.train.fakeBatch = 32
        c.train.generatorBatch = 64
        c.train.threads = 1
        c.output.probeCount = 100
        c.output.frameEvery = 10
        c.output.logEvery = 5
        c.output.snapshotEvery = 20
        c.output.diagnosticsGrid = 16
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("ganlab-timeline-\(UUID().uuidString)/\(problem.rawValue)/tiny").path
        _ = try TrainingSession.create(config: c, configYAML: c.yamlText, at: path).train()
        return path
    }
}

@Suite("Timeline view")
struct TimelineViewTests {
    /// Eight-gaussians rows: mode 3 lost at step 2,000 and back at 3,000; a tear opens at 3,000.
    static func mixtureData() throws -> TimelineData {
        var rows: [Timeline.Row] = []
        for (i, step) in [1_000, 2_000, 3_000, 4_000].enumerated() {
            var values: [String: Double] = ["samples": 2_500, "hq_fraction": 0.9 + 0.02 * Double(i),
                                            "negative_space": 0.1 - 0.02 * Double(i), "reverse_kl": 0.3 / Double(i + 1),
                                            "tear_mass": i >= 2 ? 0.03 : 0.002, "folded_fraction": 0.004 * Double(i),
                                            "lipschitz": 2 + Double(i)]
            for j in 0..<8 { values["hq_count_mode_\(j)"] = j == 3 && i == 1 ? 0 : (j < 2 ? 40 : 300) }
            values["modes_covered"] = i == 1 ? 7 : 8
            values["modes_covered_strict"] = i == 1 ? 5 : 6
            rows.append((step, values))
        }
        var csv = "step,d_loss,g_loss\n"
        for s in stride(from: 50, through: 4_000, by: 50) { csv += "\(s),\(0.6 + 0.1 * sin(Double(s) / 300)),\(0.8 + 0.05 * cos(Double(s) / 200))\n" }
        var training = try TrainingCurves.parse(csv: csv, path: "metrics.csv", title: "t")
        training.equilibriumLoss = log(2)
        return TimelineData(problem: .eightGaussians, rows: rows, training: training, title: "eight-gaussians · test · timeline")
    }

    static func roundTrip(_ canvas: Canvas, name: String) throws -> PNGImage {
        let path = try Oracle.outputDirectory().appendingPathComponent(name).path
        try canvas.writePNG(to: path)
        return try PNGImage(contentsOf: path)
    }

    static func hasInk(_ image: PNGImage, _ color: RGBA, in rect: PixelRect, tolerance: Double = 12) -> Bool {
        for y in Int(rect.y)..<Int(rect.maxY) {
            for x in Int(rect.x)..<Int(rect.maxX) where image.pixel(x: x, y: y).distance(to: color) <= tolerance {
                return true
            }
        }
        return false
    }

    @Test("mixture panels: the expected size, every series colour inked in its panel, events in theirs")
    func mixturePicture() throws {
        let data = try Self.mixtureData()
        #expect(data.events.filter { $0.kind == .modeLost || $0.kind == .modeRegained }.map(\.step) == [2_000, 3_000])
        #expect(data.events.contains { $0.kind == .tearOpened && $0.step == 3_000 })
        let specs = TimelineView.panels(for: data)
        #expect(specs.map(\.chart.axisTitle) == ["modes", "HQ", "share", "nats", "mass", "mass", "L̂", "loss"])
        let layout = TimelineView.layout(panelCount: specs.count, size: 300)
        let image = try Self.roundTrip(TimelineView.render(data, size: 300), name: "view-timeline-mixture.png")
        #expect(image.width == layout.width && image.height == layout.height)
        for (spec, plot) in zip(specs, layout.plots) {
            for series in spec.chart.series {
                let inked = Self.hasInk(image, series.color, in: plot)
                #expect(inked, "no ink of \(series.label) in the '\(spec.chart.title)' panel")
            }
        }
        let lost = TimelineView.color(of: .modeLost), tear = TimelineView.color(of: .tearOpened)
        let marks = [Self.hasInk(image, lost, in: layout.plots[0]), Self.hasInk(image, lost, in: layout.eventBand),
                     Self.hasInk(image, tear, in: layout.plots[4]), Self.hasInk(image, tear, in: layout.plots[0])]
        #expect(marks == [true, true, true, false], "event marks (lost in modes panel and strip, tear in tear panel, not in modes)")
    }

    @Test("panels by problem: spiral and uniform-to-normal get their own, no mixture panels")
    func panelsByProblem() {
        let spiral = TimelineData(problem: .spiral, rows: [(10, ["negative_space": 0.2, "coverage": 0.9, "tear_mass": 0.1,
                                                                 "folded_fraction": 0, "lipschitz": 3])],
                                  training: nil, title: "s")
        #expect(TimelineView.panels(for: spiral).map(\.chart.axisTitle) == ["share", "coverage", "mass", "mass", "L̂"])
        let normal = TimelineData(problem: .uniformToNormal, rows: [(10, ["ks_x0": 0.1, "ks_threshold": 0.027])],
                                  training: nil, title: "u")
        let specs = TimelineView.panels(for: normal)
        #expect(specs.map(\.chart.axisTitle) == ["KS D"])
        #expect(specs.first?.chart.references.first?.value == 0.027)
    }

    @Test("events are grouped per step and kind; a strict twin of a literature event is not labelled twice")
    func labels() {
        let events = [TimelineEvent(step: 5, kind: .modeLost, mode: 1, detail: "", value: 0),
                      TimelineEvent(step: 5, kind: .modeLost, mode: 4, detail: "", value: 0),
                      TimelineEvent(step: 5, kind: .modeLostStrict, mode: 1, detail: "", value: 0),
                      TimelineEvent(step: 5, kind: .modeLostStrict, mode: 6, detail: "", value: 10),
                      TimelineEvent(step: 5, kind: .modeHop, detail: "", value: 0.25),
                      TimelineEvent(step: 9, kind: .foldAppeared, detail: "", value: 0.2)]
        #expect(TimelineView.eventLabels(events).map(\.text) == ["modes 1, 4 lost", "mode 6 lost*", "hop 0.25", "fold appeared"])
    }

    @Test("a run folder with one snapshot renders (no events) and writes an empty events.csv")
    func singleSnapshot() throws {
        let path = try TimelineTinyRun.train(problem: .spiral, snapshots: 1)
        let run = try RunData(path: path)
        let data = try run.timelineData()
        #expect(data.rows.count == 1 && data.events.isEmpty)
        let canvas = try TimelineView.render(runFolder: path, size: 200)
        let layout = TimelineView.layout(panelCount: TimelineView.panels(for: data).count, size: 200)
        #expect(canvas.width == layout.width && canvas.height == layout.height)
        let text = try String(contentsOfFile: Timeline.eventsPath(in: run.run), encoding: .utf8)
        #expect(text == "step,event,detail,value\n")
    }

    @Test("a mixture run folder renders every panel's ink and writes its events")
    func mixtureRun() throws {
        let path = try TimelineTinyRun.train(problem: .ring8, snapshots: 3)
        let data = try RunData(path: path).timelineData()
        #expect(data.rows.map(\.step) == [20, 40, 60])
        let specs = TimelineView.panels(for: data)
        #expect(specs.count == 9)  // 4 mixture panels, precision/recall/density/coverage, 4 shared
        #expect(specs.contains { $0.chart.title.hasPrefix("precision, recall") })
        let layout = TimelineView.layout(panelCount: specs.count, size: 300)
        let image = try Self.roundTrip(TimelineView.render(runFolder: path, size: 300), name: "view-timeline-run.png")
        #expect(image.width == layout.width && image.height == layout.height)
        for (spec, plot) in zip(specs, layout.plots) {
            let inked = spec.chart.series.contains { Self.hasInk(image, $0.color, in: plot) }
            #expect(inked, "no series ink in '\(spec.chart.title)'")
        }
        let text = try String(contentsOfFile: path + "/events.csv", encoding: .utf8)
        #expect(text.split(separator: "\n").count == data.events.count + 1)
    }
}
