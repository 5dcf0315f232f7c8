import Foundation
import GANLabCore
import GANLabEngine
import Testing
@testable import GANLabRender

/// A tiny spiral run with a residual generator (8 blocks of 2 → 6 → 6 → 2) whose exits start at
/// exactly zero, so its step-0 frame is the identity map; 40 steps, snapshots at 20 and 40.
enum ResidualTinyRun {
    static let path: String? = {
        var c = tinyRunConfig(seed: 7, steps: 40, probes: 400, logEvery: 5, snapshotEvery: 20)
        c.generator.architecture = .residual
        c.generator.blocks = 8
        c.generator.blockWidth = 6
        c.generator.blockDepth = 2
        c.generator.activation = .relu
        c.generator.initialization = .normal
        c.generator.blockBiasScale = 1
        c.generator.exitInitScale = 0
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("ganlab-residual-\(UUID().uuidString)/spiral/residual").path
        guard (try? trainTinyRun(c, at: path)) != nil else { return nil }
        return path
    }()
}

@Suite("Residual generator views")
struct ResidualRenderTests {
    @Test("step 0 of a residual run is the identity: each probe is drawn at its latent, in its colour")
    func identityFrame() throws {
        let run = try RunData(path: try #require(ResidualTinyRun.path, "the residual tiny run failed"))
        let data = try run.mappingData(step: 0, targetCount: 0)
        #expect(data.points == data.latents)
        // Five probes far apart, drawn big and opaque so their pixels are exact.
        var chosen: [Int] = []
        for i in 0..<data.probeCount where chosen.count < 5 {
            let far = chosen.allSatisfy { j in
                hypot(Double(data.latents[2 * i] - data.latents[2 * j]), Double(data.latents[2 * i + 1] - data.latents[2 * j + 1])) > 0.5
            }
            if far { chosen.append(i) }
        }
        let rows = chosen.flatMap { [data.latents[2 * $0], data.latents[2 * $0 + 1]] }
        let few = MappingData(prior: data.prior, latentExtent: data.latentExtent, sampleExtent: data.sampleExtent,
                              latents: rows, points: rows, target: [], title: data.title)
        let image = try ViewsTests.roundTrip(MappingFigure.render(few, panelSize: 300, pointRadius: 4, alpha: 1),
                                             name: "residual-identity.png")
        let layout = MappingFigure.layout(for: few, panelSize: 300)
        let coloring = LatentColoring(prior: .uniformBox)
        for i in 0..<few.probeCount {
            let expected = coloring.color(of: rows[(2 * i)..<(2 * i + 2)])
            let s = layout.samplePanel.pixel(x: Double(rows[2 * i]), y: Double(rows[2 * i + 1]))
            #expect(image.pixel(x: Int(s.x), y: Int(s.y)).distance(to: expected) <= 3, "probe \(i) at G(z) = z")
        }
    }

    @Test("mapping, tears and folds render from residual snapshots; the map has moved from the identity")
    func viewsRender() throws {
        let path = try #require(ResidualTinyRun.path, "the residual tiny run failed")
        let run = try RunData(path: path)
        #expect(try run.run.loadSnapshot().generator.residualBlocks == 8)
        let mapping = try run.mappingData(step: 40)
        #expect(mapping.points != mapping.latents, "40 steps of training must open the blocks")
        let figure = try ViewsTests.roundTrip(MappingFigure.render(mapping, panelSize: 200), name: "residual-mapping.png")
        #expect(figure.width == MappingFigure.layout(for: mapping, panelSize: 200).width)

        let tears = try run.mapDiagnosticsData(step: 40, view: .tears)
        #expect(tears.geometry.tearMass.isFinite && tears.geometry.foldedFraction.isFinite)
        let tearsImage = try ViewsTests.roundTrip(TearsView.render(tears, panelSize: 200), name: "residual-tears.png")
        #expect(tearsImage.width == TearsView.layout(for: tears, panelSize: 200).page.width)
        let folds = try run.mapDiagnosticsData(step: 20, view: .folds)
        let foldsImage = try ViewsTests.roundTrip(FoldsView.render(folds, panelSize: 200), name: "residual-folds.png")
        #expect(foldsImage.width == FoldsView.layout(for: folds, panelSize: 200).page.width)
        #expect(run.diagnosticsRow(step: 40)?["tear_mass"] != nil)
    }

    @Test("compare puts a residual run beside an MLP run")
    func compareWithMLP() throws {
        let residual = try #require(ResidualTinyRun.path), mlp = try #require(ViewsTinyRun.path)
        let sheet = try CompareSheetData.load([CompareSpec(path: residual), CompareSpec(path: mlp)])
        #expect(sheet.columns.map(\.step) == [40, 40] && sheet.mixesRuns)
        let image = try ViewsTests.roundTrip(CompareSheet.render(sheet, panelSize: 150), name: "residual-compare.png")
        #expect(image.width == CompareSheet.layout(columns: 2, panelSize: 150).width)
    }
}
