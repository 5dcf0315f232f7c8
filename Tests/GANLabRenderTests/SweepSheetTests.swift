import Foundation
import GANLabCore
import Testing
@testable import GANLabRender

/// The sweep picture: strip plots and the contact sheet, with runs that are not complete marked.
@Suite("Sweep sheet")
struct SweepSheetTests {
    @Test("a sweep with one complete and one missing run: its size, the run's samples drawn, the missing one marked")
    func sheet() throws {
        let library = ExperimentLibrary(directory: packageRoot.appendingPathComponent("experiments"))
        let plan = try SweepPlan.parse(yaml: """
            experiment: ring8
            seeds: [1, 2]
            set:
              train.steps: 20
              generator.hidden: [8]
              discriminator.hidden: [8]
              train.realBatch: 16
              train.fakeBatch: 16
              train.generatorBatch: 32
              output.snapshotEvery: 20
              output.frameEvery: 0
              output.probeCount: 50
              output.diagnosticsGrid: 16
            """, name: "sheet", file: "sheet.yaml", library: library)
        let directory = SweepDirectory(path: temporaryFolder("sweepsheet"))
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        try directory.prepare(for: plan)
        #expect(try directory.execute(plan.runs[0]) == .finished)
        let summary = try SweepSummary.read(plan, in: directory)
        let canvas = try SweepSheet.render(summary, in: directory, thumbnail: 120)
        let path = directory.path + "/summary.png"
        try canvas.writePNG(to: path)
        let image = try PNGImage(contentsOf: path)
        #expect(image.width == canvas.width && image.height == canvas.height && image.height > 500)
        // The bottom row holds the contact sheet: the complete run's panel has coloured probe dots,
        // the missing run's panel is white apart from its outline and label.
        func colouredPixels(x0: Int, y0: Int, side: Int) -> Int {
            var n = 0
            for y in y0..<(y0 + side) { for x in x0..<(x0 + side) {
                let p = image.pixel(x: x, y: y)
                if Int(max(p.red, p.green, p.blue)) - Int(min(p.red, p.green, p.blue)) > 64 { n += 1 }
            } }
            return n
        }
        let top = image.height - 20 - 120
        #expect(colouredPixels(x0: 20 + 210 + 10, y0: top + 10, side: 100) > 30)
        #expect(colouredPixels(x0: 20 + 210 + 120 + 10, y0: top + 10, side: 100) == 0)
    }
}
