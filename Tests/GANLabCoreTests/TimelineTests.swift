import Foundation
import GANLabEngine
import Testing

@testable import GANLabCore

/// A diagnostics row of a K-mode mixture with the given HQ counts (N = 2,500).
private func mixtureRow(_ step: Int, hq: [Int], extra: [String: Double] = [:]) -> Timeline.Row {
    var values: [String: Double] = ["samples": 2_500]
    for (j, count) in hq.enumerated() { values["hq_count_mode_\(j)"] = Double(count) }
    values["modes_covered"] = Double(hq.filter { $0 > 0 }.count)
    return (step, values.merging(extra) { $1 })
}

/// Rows of a map-geometry column only.
private func geometryRows(_ column: String, _ values: [Double]) -> [Timeline.Row] {
    values.enumerated().map { (10 * ($0.offset + 1), [column: $0.element]) }
}

@Suite("Timeline events")
struct TimelineTests {
    @Test("a mode lost at step 20 and regained at 40 gives exactly those events (and their strict twins and hops)")
    func modeLostAndRegained() {
        let full = [Int](repeating: 300, count: 8)
        var without3 = full
        without3[3] = 0
        var back3 = full
        back3[3] = 250
        let rows = [mixtureRow(10, hq: full), mixtureRow(20, hq: without3), mixtureRow(30, hq: without3),
                    mixtureRow(40, hq: back3), mixtureRow(50, hq: full)]
        let events = Timeline.events(rows: rows)
        let literature = events.filter { $0.kind == .modeLost || $0.kind == .modeRegained }
        #expect(literature.map(\.step) == [20, 40])
        #expect(literature.map(\.kind) == [.modeLost, .modeRegained])
        #expect(literature.map(\.mode) == [3, 3])
        #expect(literature.map(\.value) == [0, 250])
        #expect(events.map(\.kind) == [.modeLost, .modeLostStrict, .modeHop, .modeRegained, .modeRegainedStrict, .modeHop])
        let hops = events.filter { $0.kind == .modeHop }
        #expect(hops.map(\.value) == [0.125, 0.125])  // 1 − 7/8
        #expect(hops[0].detail == "covered {0 1 2 3 4 5 6 7} → {0 1 2 4 5 6 7}")
    }

    @Test("the strict count sees a mode shrink that the literature count does not")
    func strictOnly() {
        // Strict minimum: 0.2 · 2,500 / 8 = 62.5 HQ samples.
        var weak = [Int](repeating: 300, count: 8)
        weak[5] = 62
        let events = Timeline.events(rows: [mixtureRow(100, hq: .init(repeating: 300, count: 8)), mixtureRow(200, hq: weak)])
        #expect(events.map(\.kind) == [.modeLostStrict])
        #expect(events.first?.mode == 5 && events.first?.value == 62)
        #expect(events.first?.detail == "mode 5: 300 → 62 HQ samples (strict minimum 62.5)")
        #expect(Timeline.coveredModes(in: mixtureRow(0, hq: weak).values, strict: true) == Set([0, 1, 2, 3, 4, 6, 7]))
    }

    @Test("Jaccard of {0,1,2} and {1,2,3} is 0.5, as a mode hop between snapshots")
    func jaccard() {
        #expect(Diagnostics.jaccardDistance([0, 1, 2], [1, 2, 3]) == 0.5)
        #expect(Diagnostics.jaccardDistance([], []) == 0)
        let events = Timeline.events(rows: [mixtureRow(1_000, hq: [400, 400, 400, 0]), mixtureRow(2_000, hq: [0, 400, 400, 400])])
        #expect(events.map(\.kind) == [.modeLost, .modeLostStrict, .modeRegained, .modeRegainedStrict, .modeHop])
        #expect(events.map(\.mode) == [0, 0, 3, 3, nil])
        #expect(events.last?.value == 0.5)
        #expect(events.last?.detail == "covered {0 1 2} → {1 2 3}")
    }

    @Test("tears open above 1 % tear mass and close at or below it")
    func tearThresholds() {
        let rows = geometryRows("tear_mass", [0, 0.005, 0.02, 0.01, 0.0101, 0.001, 0.0005])
        let events = Timeline.events(rows: rows)
        #expect(events.map(\.kind) == [.tearOpened, .tearClosed, .tearOpened, .tearClosed])
        #expect(events.map(\.step) == [30, 40, 50, 60])
        #expect(events.map(\.value) == [0.02, 0.01, 0.0101, 0.001])
        #expect(events[0].detail == "tear mass 0.50 % → 2.00 %")
        #expect(Timeline.tearMassLevel == 0.01)
    }

    @Test("tear details name the tear lengths when the rows have them")
    func tearLengths() {
        let events = Timeline.events(rows: [(5, ["tear_mass": 0, "tear_length": 0]), (9, ["tear_mass": 0.125, "tear_length": 3.5])])
        #expect(events.map(\.detail) == ["tear mass 0.00 % → 12.5 %; tear length 0.00 → 3.50"])
    }

    @Test("folds appear above the 1 % flag of docs/METRICS.md §4.4 and disappear at or below it")
    func foldThresholds() {
        let events = Timeline.events(rows: geometryRows("folded_fraction", [0.5, 0.2, 0.009, 0.011, 0.011, 0]))
        #expect(events.map(\.kind) == [.foldDisappeared, .foldAppeared, .foldDisappeared])
        #expect(events.map(\.step) == [30, 40, 60])
    }

    @Test("no events from a single row, none for the first row's state, and rows are sorted by step")
    func edges() {
        #expect(Timeline.events(rows: []).isEmpty)
        #expect(Timeline.events(rows: [mixtureRow(10, hq: [0, 0, 9, 9], extra: ["tear_mass": 0.5, "folded_fraction": 0.5])]).isEmpty)
        let shuffled = [mixtureRow(30, hq: [5, 5]), mixtureRow(10, hq: [5, 5]), mixtureRow(20, hq: [5, 0])]
        #expect(Timeline.events(rows: shuffled).filter { $0.kind == .modeLost || $0.kind == .modeRegained }.map(\.step) == [20, 30])
        // Non-mixture rows have no mode events; missing or NaN geometry gives no tear events.
        #expect(Timeline.events(rows: [(1, ["negative_space": 0.1]), (2, ["negative_space": 0.9, "tear_mass": 0.5])]).isEmpty)
        #expect(Timeline.events(rows: [(1, ["tear_mass": .nan]), (2, ["tear_mass": 0.5])]).isEmpty)
    }

    @Test("events.csv: header, one row per event, details without commas, quoted when they have one")
    func csv() {
        let events = Timeline.events(rows: [mixtureRow(1_000, hq: [400, 400, 400, 0]), mixtureRow(2_000, hq: [0, 400, 400, 400])])
        let lines = Timeline.csv(events).split(separator: "\n").map(String.init)
        #expect(lines.first == "step,event,detail,value")
        #expect(lines.count == events.count + 1)
        #expect(lines[1] == "2000,mode_lost,mode 0: 400 → 0 HQ samples,0.0")
        #expect(lines.last == "2000,mode_hop,covered {0 1 2} → {1 2 3},0.5")
        #expect(lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 4 })
        let odd = TimelineEvent(step: 7, kind: .tearOpened, detail: "a, \"b\"", value: 0.25)
        #expect(Timeline.csv([odd]) == "step,event,detail,value\n7,tear_opened,\"a, \"\"b\"\"\",0.25\n")
    }

    @Test("writeEvents reads RUN/diagnostics.csv and writes RUN/events.csv")
    func runFolder() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ganlab-timeline-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try RunDirectory.create(at: path)
        let table = "step,samples,tear_mass,folded_fraction\n100,2500,0.0,0.0\n200,2500,0.05,0.0\n"
        try table.write(toFile: SnapshotDiagnostics.path(in: run), atomically: true, encoding: .utf8)
        let events = try Timeline.writeEvents(for: run)
        #expect(events.map(\.kind) == [.tearOpened])
        let text = try String(contentsOfFile: Timeline.eventsPath(in: run), encoding: .utf8)
        #expect(text == "step,event,detail,value\n200,tear_opened,tear mass 0.00 % → 5.00 %,0.05\n")
    }

    @Test("the column names the timeline reads are the ones reports write")
    func reportColumns() {
        let problem = ToyProblem(.ring8)
        let report = Diagnostics.evaluate(problem: problem, generator: problem.oracleMap, sampleCount: 400, gridSize: 16, seed: 3)
        let values = Dictionary(uniqueKeysWithValues: report.metrics.map { ($0.name, $0.value) })
        #expect(Timeline.modeCount(in: values) == 8)
        #expect(Timeline.coveredModes(in: values) == report.coveredModes)
        #expect(Timeline.coveredModes(in: values, strict: true)?.count == report.samples.mixture?.strictModesCovered)
        #expect(values["tear_mass"] != nil && values["folded_fraction"] != nil && values["tear_length"] != nil)
    }
}
