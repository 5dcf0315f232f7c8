import Foundation
import GANLabCore
import Testing
@testable import GANLabRender

/// A tiny spiral run that keeps a weight average (β 0.9): 40 steps, snapshots at 20 and 40,
/// trace frames every 10.
enum AveragedTinyRun {
    static let path: String? = {
        var c = tinyRunConfig(seed: 7, steps: 40, probes: 200, logEvery: 10, snapshotEvery: 20)
        c.train.generatorAverage = 0.9
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("ganlab-ema-\(UUID().uuidString)/spiral/ema").path
        guard (try? trainTinyRun(c, at: path)) != nil else { return nil }
        return path
    }()
}

@Suite("Pictures of the averaged generator")
struct AveragingRenderTests {
    func open(_ weights: GeneratorWeights) throws -> RunData {
        try RunData(path: try #require(AveragedTinyRun.path, "the tiny training run failed"), generator: weights)
    }

    @Test("--ema: the mapping draws θ_EMA from the newest snapshot, and its title names it")
    func mappingOfTheAverage() throws {
        let run = try open(.averaged)
        let data = try run.mappingData(step: nil)
        #expect(data.title.hasSuffix("· step 40 · G: EMA β = 0.9"), "\(data.title)")
        let snapshot = try run.run.loadSnapshot(step: 40)
        let average = try #require(snapshot.usingAveragedGenerator())
        #expect(data.points == average.makeGenerator().predict(run.probeLatents, count: run.trace.probeCount))
        #expect(data.points != (try run.trace.frame(at: run.trace.frameCount - 1).points), "not the trace's trained G")
        // The trace's steps have no average: only snapshot steps can be drawn.
        #expect(throws: RunError.self) { _ = try run.mappingData(step: 30) }
        let trained = try open(.trained).mappingData(step: nil)
        #expect(trained.title.hasSuffix("· step 40 · G: trained weights"), "\(trained.title)")
    }

    @Test("--ema: the caption is drawn in the title line, right of the run's title")
    func captionIsDrawn() throws {
        let data = try open(.averaged).mappingData(step: nil)
        var bare = data
        bare.title = String(data.title.dropLast(" · G: EMA β = 0.9".count))
        let layout = MappingFigure.layout(for: data, panelSize: 300)
        let measure = try Canvas(width: 1, height: 1)
        let start = layout.margin + measure.measureText(bare.title + " ", size: layout.titleSize, bold: true).advance
        let end = layout.margin + measure.measureText(data.title, size: layout.titleSize, bold: true).advance
        func darkPixels(_ figure: MappingData, name: String) throws -> Int {
            let image = try ViewsTests.roundTrip(try MappingFigure.render(figure, panelSize: 300), name: name)
            var count = 0
            for y in Int(layout.margin)..<Int(layout.margin + layout.titleSize * 1.2) {
                for x in Int(start)..<min(Int(end), image.width) where image.pixel(x: x, y: y).red < 128 { count += 1 }
            }
            return count
        }
        #expect(try darkPixels(data, name: "ema-title.png") > 20)
        #expect(try darkPixels(bare, name: "bare-title.png") == 0)
    }

    @Test("every view of G says which generator it shows and writes an -ema file", arguments: [
        ViewKind.mapping, .tears, .modes, .folds, .jacobian, .discriminator, .grid, .density, .pullback, .units,
    ])
    func viewsNameTheGenerator(view: ViewKind) throws {
        let run = try open(.averaged)
        let file = try view.render(run: run, step: nil, size: 200, out: nil)
        #expect(file.hasSuffix("/pictures/\(view.rawValue)-40-ema.png") || (view == .units && file.hasSuffix("units-G1-40-ema.png")),
                "\(file)")
        let image = try PNGImage(contentsOf: file)
        #expect(image.width > 200)
        let titles: [String]
        switch view {
        case .mapping: titles = [try run.mappingData(step: nil).title]
        case .discriminator: titles = [try run.discriminatorData(step: nil, panelSize: 200).title]
        case .grid: titles = [try run.warpedGridData(step: nil, cells: 4).title]
        case .density: titles = [try run.densityData(step: nil, sampleCount: 1_000, bins: 20).title]
        case .pullback: titles = [try run.pullbackData(step: nil, panelSize: 120).title]
        case .units: titles = [try run.unitsData(step: nil, network: .G, layer: 1, page: 1, panelSize: 200).title]
        default: titles = [try run.mapDiagnosticsData(step: nil, view: view, gridSize: 8).title]
        }
        #expect(titles.allSatisfy { $0.hasSuffix("G: EMA β = 0.9") }, "\(titles)")
    }

    @Test("a run without an average cannot be opened for it, and its titles stay as they were")
    func plainRun() throws {
        let plain = try ViewsTinyRun.open()
        #expect(plain.generatorCaption == nil)
        #expect(!(try plain.mappingData(step: nil).title.contains("G:")))
        #expect {
            _ = try RunData(path: plain.run.path, generator: .averaged)
        } throws: { error in
            error is RunError && String(describing: error).contains("train.generatorAverage 0")
                && String(describing: error).hasPrefix(plain.run.path)
        }
    }

    @Test("frames of the averaged generator go to SEQUENCE-ema with the caption in the manifest; the timelapse is refused")
    func frames() throws {
        let run = try open(.averaged)
        var options = FrameSequenceOptions()
        options.size = 160
        options.frameCount = 3
        let result = try FrameSequences.render(run: run, sequence: .morph, options: options)
        #expect(result.folder.hasSuffix("/frames/morph-ema"))
        #expect(result.manifest.parameters["generator"] == "G: EMA β = 0.9")
        #expect(throws: RunError.self) { try FrameSequences.render(run: run, sequence: .timelapse, options: options) }
        let frameTitle = FrameText.title(run: run, data: try run.mappingData(step: nil), frameSize: 160)
        #expect(frameTitle.hasSuffix("G: EMA β = 0.9"), "\(frameTitle)")
    }

    @Test("compare: RUN+ema parses as the averaged generator, and its column, header and CSV say so")
    func compare() throws {
        let path = try #require(AveragedTinyRun.path)
        #expect(CompareSpec(parsing: "a/b@40+ema") == CompareSpec(path: "a/b", step: 40, generator: .averaged))
        #expect(CompareSpec(parsing: "a/b+ema") == CompareSpec(path: "a/b", generator: .averaged))
        #expect(CompareSpec(parsing: "a/b@40") == CompareSpec(path: "a/b", step: 40))
        #expect(CompareSpec(parsing: "+ema") == CompareSpec(path: "+ema"))
        let sheet = try CompareSheetData.load([CompareSpec(path: path), CompareSpec(path: path, generator: .averaged)])
        #expect(sheet.columns.map(\.generator) == [.trained, .averaged])
        #expect(sheet.title.hasSuffix("B spiral/ema @ 40 (EMA)"), "\(sheet.title)")
        #expect(sheet.table.csv.split(separator: "\n")[0].contains("B spiral/ema@40 G: EMA β = 0.9"))
        #expect(sheet.columns[1].recordedAgreement.contains("averaged generator"))
        #expect(sheet.columns[0].recordedAgreement == "matches its diagnostics.csv row")
        #expect(sheet.columns[0].data.points != sheet.columns[1].data.points)
        let image = try ViewsTests.roundTrip(try CompareSheet.render(sheet, panelSize: 120), name: "ema-sheet.png")
        #expect(image.width > 2 * 120)
    }
}
