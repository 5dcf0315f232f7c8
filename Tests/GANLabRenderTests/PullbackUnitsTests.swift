import Foundation
import GANLabCore
import GANLabEngine
import Testing
@testable import GANLabRender

/// The largest per-channel difference between horizontally or vertically neighbouring pixels
/// strictly inside `rect` (one pixel in from its edges).
private func sharpestStep(_ image: PNGImage, in rect: PixelRect) -> Int {
    var worst = 0
    for y in (Int(rect.y) + 1)..<(Int(rect.maxY) - 2) {
        for x in (Int(rect.x) + 1)..<(Int(rect.maxX) - 2) {
            let p = image.pixel(x: x, y: y)
            for q in [image.pixel(x: x + 1, y: y), image.pixel(x: x, y: y + 1)] {
                worst = max(worst, abs(Int(p.red) - Int(q.red)), abs(Int(p.green) - Int(q.green)), abs(Int(p.blue) - Int(q.blue)))
            }
        }
    }
    return worst
}

/// The hue (0...1) of a pixel.
private func hue(_ p: RGBA8) -> Double {
    let r = Double(p.red), g = Double(p.green), b = Double(p.blue)
    let mx = max(r, g, b), mn = min(r, g, b)
    guard mx > mn else { return 0 }
    var h: Double
    if mx == r { h = (g - b) / (mx - mn) } else if mx == g { h = 2 + (b - r) / (mx - mn) } else { h = 4 + (r - g) / (mx - mn) }
    h /= 6
    return h < 0 ? h + 1 : h
}

@Suite("Pullback and units views")
struct PullbackUnitsTests {
    // MARK: - Pullback

    static func spiralData(map: LatentMap, panelSize: Int = 200) -> PullbackData {
        PullbackData.evaluating(prior: .uniformBox, latentExtent: 1, sampleExtent: 1,
                                resolution: PullbackView.planeResolution(prior: .uniformBox, panelSize: panelSize),
                                map: map, target: Oracle.spiralData(latents: [], targetCount: 300).target,
                                title: "pullback test")
    }

    /// The spiral oracle with the half z₀ > 0.3 sent to the opposite side of the plane: a tear.
    static func tornMap(_ z: [Float], _ count: Int) -> [Float] {
        let oracle = ToyProblem(.spiral).oracleMap(z, count)
        return (0..<(2 * count)).map { i in z[2 * (i / 2)] > 0.3 ? -oracle[i] : oracle[i] }
    }

    @Test("the oracle's pullback is smooth; a hand-made tear is a sharp colour edge exactly where it cuts")
    func smoothVersusTorn() throws {
        let oracle = Self.spiralData(map: ToyProblem(.spiral).oracleMap)
        let torn = Self.spiralData(map: LatentMap(Self.tornMap))
        #expect(oracle.grid.size == Int(PullbackView.layout(prior: .uniformBox, latentExtent: 1, sampleExtent: 1, panelSize: 200).latentPanels[0].rect.width))
        #expect(oracle.stretch().steepShare == 0)
        #expect(torn.stretch().steepShare > 0.002)
        let layout = PullbackView.layout(prior: .uniformBox, latentExtent: 1, sampleExtent: 1, panelSize: 200)
        let smooth = try ViewsTests.roundTrip(PullbackView.render(oracle, panelSize: 200), name: "pullback-oracle.png")
        let cut = try ViewsTests.roundTrip(PullbackView.render(torn, panelSize: 200), name: "pullback-torn.png")
        #expect(smooth.width == layout.page.width && smooth.height == layout.page.height)
        let panel = layout.latentPanels[0]
        #expect(sharpestStep(smooth, in: panel.rect) < 40, "oracle step \(sharpestStep(smooth, in: panel.rect))")
        #expect(sharpestStep(cut, in: panel.rect) > 100)
        // The edge sits on z₀ = 0.3 and nowhere else: left of it the two pictures agree.
        let left = panel.pixel(x: 0.0, y: 0.5), across = (panel.pixel(x: 0.28, y: 0.5), panel.pixel(x: 0.32, y: 0.5))
        #expect(smooth.pixel(x: Int(left.x), y: Int(left.y)) == cut.pixel(x: Int(left.x), y: Int(left.y)))
        let a = cut.pixel(x: Int(across.0.x), y: Int(across.0.y)), b = cut.pixel(x: Int(across.1.x), y: Int(across.1.y))
        #expect(abs(hue(a) - hue(b)) > 0.3 && abs(hue(a) - hue(b)) < 0.7, "opposite sides of the plane: hues \(hue(a)), \(hue(b))")
    }

    @Test("the key paints the sample plane: white centre, red to the right, the target in grey on top")
    func key() throws {
        let data = Self.spiralData(map: ToyProblem(.spiral).oracleMap)
        let layout = PullbackView.layout(prior: .uniformBox, latentExtent: 1, sampleExtent: 1, panelSize: 300)
        var bare = data
        bare.target = []
        let image = try ViewsTests.roundTrip(PullbackView.render(bare, panelSize: 300), name: "pullback-key.png")
        let key = layout.keyPanel
        let centre = key.pixel(x: 0, y: 0), right = key.pixel(x: 0.6, y: 0), up = key.pixel(x: 0, y: 0.6)
        let c = image.pixel(x: Int(centre.x), y: Int(centre.y))
        #expect(min(c.red, c.green, c.blue) > 225, "centre \(c)")
        let r = image.pixel(x: Int(right.x), y: Int(right.y))
        #expect(r.red > 150 && r.green < 60 && r.blue < 60, "right \(r)")
        #expect(abs(hue(image.pixel(x: Int(up.x), y: Int(up.y))) - 0.25) < 0.03)
        #expect(image.pixel(x: Int(right.x), y: Int(right.y)).distance(to: SamplePlaneColoring(extent: 1).color(0.6, 0)) <= 4)
        let dotted = try ViewsTests.roundTrip(PullbackView.render(data, panelSize: 300), name: "pullback-key-target.png")
        var greyish = 0
        for y in stride(from: Int(key.rect.y), to: Int(key.rect.maxY), by: 2) {
            for x in stride(from: Int(key.rect.x), to: Int(key.rect.maxX), by: 2) where dotted.pixel(x: x, y: y) != image.pixel(x: x, y: y) {
                greyish += 1
            }
        }
        #expect(greyish > 100, "target dots on the key")
    }

    @Test("eight Gaussians: the oracle colours each component's plane with that mode's hue")
    func mixtureHues() throws {
        let problem = ToyProblem(.eightGaussians)
        let data = PullbackData.evaluating(prior: problem.prior, latentExtent: 3, sampleExtent: 3, resolution: 40,
                                           map: problem.oracleMap, target: [], title: "8g")
        #expect(data.planes.count == 8 && data.stretch().steepShare == 0)
        let layout = PullbackView.layout(prior: problem.prior, latentExtent: 3, sampleExtent: 3, panelSize: 240)
        let image = try ViewsTests.roundTrip(PullbackView.render(data, panelSize: 240), name: "pullback-8g.png")
        for (k, panel) in layout.latentPanels.enumerated() {
            let p = panel.pixel(x: 0, y: 0)
            let h = hue(image.pixel(x: Int(p.x), y: Int(p.y)))
            let expected = Double(k) / 8, d = min(abs(h - expected), 1 - abs(h - expected))
            #expect(d < 0.02, "component \(k): hue \(h), expected \(expected)")
        }
    }

    @Test("a trained run: pullback at the newest snapshot and the oracle's, both from the run folder")
    func fromRun() throws {
        let run = try ViewsTinyRun.open()
        let data = try run.pullbackData(step: nil, panelSize: 160)
        #expect(data.step == 40 && data.grid.size == PullbackView.planeResolution(prior: .uniformBox, panelSize: 160))
        _ = try ViewsTests.roundTrip(PullbackView.render(data, panelSize: 160), name: "pullback-run.png")
        let oracle = run.oraclePullbackData(panelSize: 160)
        #expect(oracle.mapName == "f" && oracle.stretch().steepShare == 0)
    }

    // MARK: - Units

    /// Hand-made activations of a 70-unit layer over the plane: unit u is x·cos(u) + y·sin(u).
    static func fanData(page: Int, shared: Bool = false) throws -> UnitsData {
        try UnitsData.evaluating(
            network: .D, layer: 1, layerWidths: [70, 1], page: page, extent: 2, resolution: 17,
            axisNames: ("x₀", "x₁"), activationName: "identity", sharedScale: shared,
            inputRows: { points, _ in points },
            activations: { rows, count in
                (0..<count).flatMap { r in (0..<70).map { u in Float(Double(rows[2 * r]) * cos(Double(u)) + Double(rows[2 * r + 1]) * sin(Double(u))) } }
            }, title: "units test")
    }

    @Test("units: 70 units make 2 pages of 64 and 6; tiles are labelled and coloured by the sign of a")
    func unitsPages() throws {
        let first = try Self.fanData(page: 1), second = try Self.fanData(page: 2)
        #expect(first.pageCount == 2 && first.grids.count == 64 && second.grids.count == 6)
        #expect(second.unitsOnPage == 64..<70 && first.unitsOnPage == 0..<64)
        #expect(throws: (any Error).self) { try Self.fanData(page: 3) }
        let layout = UnitsView.layout(count: 6, extent: 2, panelSize: 300)
        let image = try ViewsTests.roundTrip(UnitsView.render(second, panelSize: 300), name: "units-page2.png")
        #expect(image.width == layout.width && image.height == layout.height && layout.columns == 3)
        for (i, tile) in layout.tiles.enumerated() {
            let u = Double(64 + i)
            // Along the unit's direction a > 0 (red), against it a < 0 (blue).
            let plus = tile.pixel(x: 1.6 * cos(u), y: 1.6 * sin(u)), minus = tile.pixel(x: -1.6 * cos(u), y: -1.6 * sin(u))
            let red = image.pixel(x: Int(plus.x), y: Int(plus.y)), blue = image.pixel(x: Int(minus.x), y: Int(minus.y))
            #expect(red.red > red.blue + 60 && blue.blue > blue.red + 60, "unit \(Int(u)): \(red) / \(blue)")
            // The label band above the tile holds dark text (the unit index).
            var dark = 0
            for y in Int(tile.rect.y - tile.fontSize * 1.3)..<Int(tile.rect.y) {
                for x in Int(tile.rect.x)..<Int(tile.rect.x + tile.fontSize * 1.8) where image.pixel(x: x, y: y).red < 100 { dark += 1 }
            }
            #expect(dark > 5, "label of unit \(Int(u))")
        }
        #expect(UnitsView.layout(count: 64, extent: 2, panelSize: 300).columns == 8)
    }

    @Test("units: per-unit scales fill the colour range; a shared scale keeps weak units pale")
    func unitsScales() throws {
        var rows: [Float] = []
        let data = try UnitsData.evaluating(
            network: .G, layer: 2, layerWidths: [4, 2, 2], page: 1, extent: 1, resolution: 9, axisNames: ("z₀", "z₁"),
            activationName: "identity", sharedScale: true, inputRows: { p, _ in p },
            activations: { r, n in rows = r; return (0..<n).flatMap { i in [r[2 * i], 0.1 * r[2 * i]] } }, title: "scales")
        #expect(rows.count == 2 * 81 && data.unitMaxima.map { ($0 * 1000).rounded() / 1000 } == [1, 0.1])
        #expect(data.colorRange(unit: 1) == 1)
        var perUnit = data
        perUnit.sharedScale = false
        #expect(abs(perUnit.colorRange(unit: 1) - 0.1) < 1e-6)
        let layout = UnitsView.layout(count: 2, extent: 1, panelSize: 240)
        let shared = try ViewsTests.roundTrip(UnitsView.render(data, panelSize: 240), name: "units-shared.png")
        let own = try ViewsTests.roundTrip(UnitsView.render(perUnit, panelSize: 240), name: "units-own.png")
        let weak = layout.tiles[1].pixel(x: 0.95, y: 0)
        #expect(shared.pixel(x: Int(weak.x), y: Int(weak.y)).blue > 200, "shared: the weak unit stays pale")
        #expect(own.pixel(x: Int(weak.x), y: Int(weak.y)).blue < 120, "per unit: the weak unit reaches deep red")
    }

    @Test("a trained run: G and D layers, pages and the output layer; bad layers and pages are named errors")
    func unitsFromRun() throws {
        let run = try ViewsTinyRun.open()
        let g = try run.unitsData(step: nil, network: .G, layer: 1, page: 1, panelSize: 200)
        #expect(g.grids.count == 16 && g.layerWidths == [16, 16, 2] && g.extent == 1 && g.pageCount == 1)
        let out = try run.unitsData(step: 20, network: .G, layer: 3, page: 1, panelSize: 200)
        #expect(out.grids.count == 2 && out.step == 20 && out.activationName == "tanh")
        let d = try run.unitsData(step: nil, network: .D, layer: 2, page: 1, panelSize: 200, perPage: 5)
        #expect(d.pageCount == 4 && d.grids.count == 5 && d.extent == run.problem.extent)
        _ = try ViewsTests.roundTrip(UnitsView.render(d, panelSize: 200, target: run.targetSamples(count: 200)), name: "units-run-D.png")
        // Each unit's grid equals the layer's activation at the grid nodes.
        let generator = try #require(try run.snapshot(step: nil, for: "test").makeGenerator() as? MLP)
        let nodes = ScalarGrid.nodePoints(extent: 1, size: g.grids[0].size)
        let direct = generator.activations(nodes, count: nodes.count / 2, layer: 0)
        #expect((0..<(nodes.count / 2)).allSatisfy { g.grids[3].values[$0] == direct[$0 * 16 + 3] })
        #expect(throws: (any Error).self) { try run.unitsData(step: nil, network: .G, layer: 4, page: 1) }
        #expect(throws: (any Error).self) { try run.unitsData(step: nil, network: .D, layer: 1, page: 2) }
    }
}
