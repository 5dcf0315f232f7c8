import Foundation
import GANLabCore
import GANLabEngine
import Testing
@testable import GANLabRender

/// A tiny spiral run trained once for all view tests: 40 steps, snapshots at 20 and 40, frames
/// every 10, a metrics row every 5 steps.
enum ViewsTinyRun {
    static let path: String? = {
        let c = tinyRunConfig(seed: 5, steps: 40, probes: 200, logEvery: 5, snapshotEvery: 20)
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("ganlab-views-\(UUID().uuidString)/spiral/tiny").path
        guard (try? trainTinyRun(c, at: path)) != nil else { return nil }
        return path
    }()

    /// The run opened for rendering.
    static func open() throws -> RunData {
        try RunData(path: try #require(path, "the tiny training run failed"))
    }
}

@Suite("Still views")
struct ViewsTests {
    /// Writes `canvas` as a PNG and decodes it again, so tests check the file a user gets.
    static func roundTrip(_ canvas: Canvas, name: String) throws -> PNGImage {
        let path = try Oracle.outputDirectory().appendingPathComponent(name).path
        try canvas.writePNG(to: path)
        return try PNGImage(contentsOf: path)
    }

    /// The colour bar's bottom and top rows (centre column) show the colour map's end colours.
    static func expectBarEnds(_ image: PNGImage, _ bar: ColorBar, tolerance: Double = 3) {
        let rect = bar.barRect
        let x = Int(rect.center.x)
        let bottom = image.pixel(x: x, y: Int(rect.maxY) - 1), top = image.pixel(x: x, y: Int(rect.y))
        #expect(bottom.distance(to: bar.colormap.low) <= tolerance, "bar bottom \(bottom) vs \(bar.colormap.low)")
        #expect(top.distance(to: bar.colormap.high) <= tolerance, "bar top \(top) vs \(bar.colormap.high)")
    }

    // MARK: - discriminator

    @Test("discriminator: size, colour bar ends, and the heatmap is σ(D(x)) through the colour map")
    func discriminator() throws {
        let run = try ViewsTinyRun.open()
        var data = try run.discriminatorData(step: 40, panelSize: 200)
        #expect(data.step == 40)
        let layout = DiscriminatorView.layout(for: data, panelSize: 200)
        let full = try Self.roundTrip(DiscriminatorView.render(data, panelSize: 200), name: "view-discriminator.png")
        #expect(full.width == layout.page.width && full.height == layout.page.height)
        Self.expectBarEnds(full, layout.colorBar)

        // Bare heatmaps (no dots, no contours) so every interior pixel is the colour map's.
        data.points = []
        data.latents = []
        data.target = []
        data.contourLevels = []
        let image = try Self.roundTrip(DiscriminatorView.render(data, panelSize: 200), name: "view-discriminator-bare.png")
        let snapshot = try run.run.loadSnapshot(step: 40)
        let d = snapshot.makeDiscriminator(), g = snapshot.makeGenerator()
        let panel = layout.samplePanel, latent = layout.latentPanels[0]
        for (fx, fy) in [(0.2, 0.3), (0.5, 0.5), (0.8, 0.15), (0.35, 0.85)] {
            let px = Int(panel.rect.x + fx * panel.rect.width), py = Int(panel.rect.y + fy * panel.rect.height)
            let x = panel.dataPoint(pixelX: Double(px) + 0.5, pixelY: Double(py) + 0.5)
            let logit = Double(d.predict([Float(x.x), Float(x.y)], count: 1)[0])
            let expected = DiscriminatorView.colormap.color(at: DiscriminatorView.sigmoid(logit))
            #expect(image.pixel(x: px, y: py).distance(to: expected) <= 4, "D heatmap at \(x)")

            let lx = Int(latent.rect.x + fx * latent.rect.width), ly = Int(latent.rect.y + fy * latent.rect.height)
            let z = latent.dataPoint(pixelX: Double(lx) + 0.5, pixelY: Double(ly) + 0.5)
            let gz = g.predict([Float(z.x), Float(z.y)], count: 1)
            let latentExpected = DiscriminatorView.colormap.color(
                at: DiscriminatorView.sigmoid(Double(d.predict(gz, count: 1)[0])))
            #expect(image.pixel(x: lx, y: ly).distance(to: latentExpected) <= 4, "D∘G heatmap at \(z)")
        }
    }

    @Test("discriminator as a critic: a diverging scale centred between the means, not σ(D)")
    func criticScale() throws {
        let run = try ViewsTinyRun.open()
        var data = try run.discriminatorData(step: 40, panelSize: 200)
        data.points = []
        data.latents = []
        data.target = []
        data.contourLevels = []
        let snapshot = try run.run.loadSnapshot(step: 40)
        let d = snapshot.makeDiscriminator()
        let values = data.sampleLogits.values
        data.scale = .critic(values: values, meanReal: 0.4, meanFake: -0.2)
        guard case .critic(let center, let halfRange) = data.scale else { Issue.record("not a critic scale"); return }
        #expect(abs(center - 0.1) < 1e-12 && halfRange >= 0.3)
        let layout = DiscriminatorView.layout(for: data, panelSize: 200)
        #expect(layout.colorBar.range == (center - halfRange)...(center + halfRange))
        let image = try Self.roundTrip(DiscriminatorView.render(data, panelSize: 200), name: "view-discriminator-critic.png")
        Self.expectBarEnds(image, layout.colorBar)
        let panel = layout.samplePanel
        for (fx, fy) in [(0.2, 0.3), (0.5, 0.5), (0.8, 0.15), (0.35, 0.85)] {
            let px = Int(panel.rect.x + fx * panel.rect.width), py = Int(panel.rect.y + fy * panel.rect.height)
            let x = panel.dataPoint(pixelX: Double(px) + 0.5, pixelY: Double(py) + 0.5)
            let value = Double(d.predict([Float(x.x), Float(x.y)], count: 1)[0])
            let expected = DiscriminatorView.colormap.color(at: min(max(0.5 + 0.5 * (value - center) / halfRange, 0), 1))
            #expect(image.pixel(x: px, y: py).distance(to: expected) <= 4, "critic heatmap at \(x)")
        }
    }

    @Test("a step with only a traced frame names the snapshot steps")
    func frameOnlyStep() throws {
        let run = try ViewsTinyRun.open()
        #expect(run.trace.frameIndex(step: 10) != nil)
        do {
            _ = try run.discriminatorData(step: 10, panelSize: 100)
            Issue.record("expected an error for step 10")
        } catch {
            let message = "\(error)"
            #expect(message.contains("no snapshot at step 10") && message.contains("20, 40") && message.contains("traced frame"),
                    "\(message)")
        }
    }

    // MARK: - grid

    @Test("grid: the identity map draws straight grid lines at the expected pixels, no folds")
    func identityGrid() throws {
        let data = WarpedGridData.evaluating(prior: .uniformBox, latentExtent: 1, sampleExtent: 1, cells: 4,
                                             subdivisions: 2, generator: { z, _ in z }, target: [],
                                             title: "identity")
        let geometry = GridView.geometry(of: data)
        #expect(geometry.foldedMass == 0)
        #expect(geometry.fine[0].allSatisfy { abs($0 - 1) < 1e-5 })
        let layout = GridView.layout(for: data, panelSize: 200, range: geometry.range)
        let image = try Self.roundTrip(GridView.render(data, panelSize: 200), name: "view-grid-identity.png")
        #expect(image.width == layout.page.width && image.height == layout.page.height)
        Self.expectBarEnds(image, layout.colorBar)
        let panel = layout.samplePanel
        /// The darkest channel value within a pixel of (x, y).
        func darkest(_ x: Double, _ y: Double) -> UInt8 {
            var value: UInt8 = 255
            for dx in -1...1 {
                for dy in -1...1 {
                    let p = image.pixel(x: Int(x) + dx, y: Int(y) + dy)
                    value = min(value, max(p.red, p.green, p.blue))
                }
            }
            return value
        }
        for v in [-0.5, 0.0, 0.5] {
            // Vertical line x = v, sampled between the horizontal lines (y = ±0.25, ±0.75).
            for w in [-0.75, -0.25, 0.25, 0.75] {
                let on = panel.pixel(x: v, y: w), beside = panel.pixel(x: v + 0.12, y: w)
                #expect(darkest(on.x, on.y) < 150, "line x = \(v) at y = \(w)")
                #expect(darkest(beside.x, beside.y) > 150, "cell interior beside x = \(v)")
                let horizontal = panel.pixel(x: w, y: v)
                #expect(darkest(horizontal.x, horizontal.y) < 150, "line y = \(v) at x = \(w)")
            }
        }
    }

    @Test("grid: a map mirrored on a quarter of the square folds exactly that quarter")
    func foldedGrid() throws {
        let data = WarpedGridData.evaluating(prior: .uniformBox, latentExtent: 1, sampleExtent: 1, cells: 8,
                                             subdivisions: 4, generator: { z, count in
            (0..<count).flatMap { i -> [Float] in
                let z0 = z[2 * i], z1 = z[2 * i + 1]
                return [z0 < -0.5 ? -1 - z0 : z0, z1]
            }
        }, target: [], title: "fold")
        let geometry = GridView.geometry(of: data)
        #expect(abs(geometry.foldedMass - 0.25) < 1e-9)
        let creases = geometry.creases[0]
        #expect(!creases.isEmpty)
        for i in stride(from: 0, to: creases.count, by: 2) {
            let z0 = LatentGrid.coordinate(atFractionalIndex: creases[i], in: data.coordinates)
            #expect(abs(z0 + 0.5) < 0.07, "crease at z₀ = \(z0)")
        }
        _ = try Self.roundTrip(GridView.render(data, panelSize: 150), name: "view-grid-fold.png")
    }

    @Test("grid from a run: renders at the requested size with the stretch bar")
    func runGrid() throws {
        let data = try ViewsTinyRun.open().warpedGridData(step: nil, cells: 10, subdivisions: 2)
        #expect(data.step == 40)
        let layout = GridView.layout(for: data, panelSize: 160, range: GridView.geometry(of: data).range)
        let image = try Self.roundTrip(GridView.render(data, panelSize: 160), name: "view-grid-run.png")
        #expect(image.width == layout.page.width && image.height == layout.page.height)
        Self.expectBarEnds(image, layout.colorBar)
    }

    // MARK: - density

    @Test("density: empty bins are white, the target panel has ink on the spiral, bar ends match")
    func density() throws {
        let data = try ViewsTinyRun.open().densityData(step: nil, sampleCount: 20_000, bins: 50)
        let layout = DensityView.layout(for: data, panelSize: 200)
        let image = try Self.roundTrip(DensityView.render(data, panelSize: 200), name: "view-density.png")
        #expect(image.width == layout.page.width && image.height == layout.page.height)
        Self.expectBarEnds(image, layout.colorBar)
        // The corner bin lies outside the spiral (r ≤ 1): no true samples, white.
        let corner = layout.targetPanel.pixel(x: 0.97, y: -0.97)
        #expect(data.target.count(i: 49, j: 0) == 0)
        #expect(image.pixel(x: Int(corner.x), y: Int(corner.y)).distance(to: .white) <= 1)
        // A bin of G's histogram that is empty is white too.
        let empty = try #require(data.generated.counts.firstIndex(of: 0))
        let w = 2.0 / 50
        let centre = layout.generatedPanel.pixel(x: -1 + w * (Double(empty % 50) + 0.5), y: -1 + w * (Double(empty / 50) + 0.5))
        #expect(image.pixel(x: Int(centre.x), y: Int(centre.y)).distance(to: .white) <= 1)
        // On the spiral (z₀ = 0.5, z₁ = 0: r = 0.725, θ = 1.5π → (0, −0.725)) the target has ink
        // in its bin's density colour.
        let bin = try #require(data.target.bin(x: 0, y: -0.725))
        let onSpiral = layout.targetPanel.pixel(x: -1 + w * (Double(bin.i) + 0.5), y: -1 + w * (Double(bin.j) + 0.5))
        let expected = layout.colorBar.color(of: data.target.density(i: bin.i, j: bin.j))
        let pixel = image.pixel(x: Int(onSpiral.x), y: Int(onSpiral.y))
        #expect(pixel.distance(to: .white) > 40 && pixel.distance(to: expected) <= 3, "\(pixel) vs \(expected)")
    }

    // MARK: - curves

    @Test("curves: every series colour is inked, the marked step is drawn")
    func curves() throws {
        let curves = try ViewsTinyRun.open().trainingCurves(markedStep: 20)
        #expect(curves.steps == stride(from: 5, through: 40, by: 5).map(Double.init))
        let layout = CurvesView.layout(panelCount: 3, panelSize: 300)
        let image = try Self.roundTrip(CurvesView.render(curves, panelSize: 300), name: "view-curves.png")
        #expect(image.width == layout.width && image.height == layout.height)
        for (color, plot) in [(CurvesView.discriminatorColor, layout.plots[0]), (CurvesView.generatorColor, layout.plots[0]),
                              (CurvesView.gapColor, layout.plots[1]), (CurvesView.discriminatorColor, layout.plots[2]),
                              (CurvesView.generatorColor, layout.plots[2]), (CurvesView.markColor, layout.plots[1])] {
            var found = false
            for y in Int(plot.y)..<Int(plot.maxY) where !found {
                for x in Int(plot.x)..<Int(plot.maxX) where image.pixel(x: x, y: y).distance(to: color) <= 12 {
                    found = true
                    break
                }
            }
            #expect(found, "no ink of \(color) in plot \(plot)")
        }
    }

    @Test("metrics.csv parsing: columns by name, a torn last line ignored, bad rows named")
    func parsing() throws {
        let text = "step,d_loss,g_loss\n10,0.5,0.7\n20,0.6,0.8\n30,0.7"
        let curves = try TrainingCurves.parse(csv: text, path: "m.csv", title: "t")
        #expect(curves.steps == [10, 20] && curves.values("g_loss") == [0.7, 0.8])
        #expect(throws: RenderError.invalidData("m.csv line 3: 'x' in column d_loss is not a number")) {
            try TrainingCurves.parse(csv: "step,d_loss\n10,0.5\n20,x\n", path: "m.csv", title: "t")
        }
    }

    @Test("nice ticks and labels", arguments: [
        (0.0, 4000.0, [0.0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000]),
        (0.4, 1.4, [0.4, 0.6, 0.8, 1.0, 1.2, 1.4]),
    ])
    func ticks(lo: Double, hi: Double, expected: [Double]) {
        let ticks = AxisTicks.linear(from: lo, to: hi, count: lo == 0 ? 8 : 5)
        #expect(ticks.count == expected.count)
        for (a, b) in zip(ticks, expected) { #expect(abs(a - b) < 1e-9) }
    }

    @Test("tick labels")
    func labels() {
        #expect(AxisTicks.label(1.0, spacing: 0.2) == "1.0")
        #expect(AxisTicks.label(-0.5, spacing: 0.5) == "−0.5")
        #expect(AxisTicks.label(20_000, spacing: 5_000) == "20,000")
        #expect(AxisTicks.logLabel(0.001) == "0.001" && AxisTicks.logLabel(1e-5) == "10⁻⁵" && AxisTicks.logLabel(50) == "50")
        #expect(AxisTicks.logarithmic(from: 0.0012, to: 30) == [0.01, 0.1, 1, 10])
    }
}
