import Foundation
import GANLabCore
import GANLabEngine
import Testing
@testable import GANLabRender

/// Tiny runs for the compare tests besides `ViewsTinyRun` (spiral, seed 5): another spiral seed
/// and a ring8 run, trained once each (30 steps, small nets, a 16² diagnostics grid).
enum DiagnosticTinyRuns {
    static let spiralSeed2: String? = make(.spiral, seed: 2)
    static let ring8: String? = make(.ring8, seed: 3)

    static func make(_ problem: ProblemKind, seed: UInt64) -> String? {
        let c = tinyRunConfig(problem, seed: seed, steps: 30, probes: 150, logEvery: 10, snapshotEvery: 30)
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("ganlab-diagviews-\(UUID().uuidString)/\(problem.rawValue)/seed\(seed)").path
        guard (try? trainTinyRun(c, at: path)) != nil else { return nil }
        return path
    }
}

@Suite("Diagnostic views and compare")
struct DiagnosticViewsTests {
    /// The uniform-to-normal problem with a map that is 2·z except for a jump of 2 in x₀ across
    /// the latent line z₀ = 0.25 (a cell boundary of the 32² grid).
    static func cutMap() -> LatentMap {
        LatentMap { z, count in
            (0..<count).flatMap { i -> [Float] in
                let z0 = z[2 * i], z1 = z[2 * i + 1]
                return [2 * z0 + (z0 > 0.25 ? 2 : 0), 2 * z1]
            }
        }
    }

    static func data(_ kind: ProblemKind, map: LatentMap, gridSize: Int = 32, latents: [Float] = []) -> MapDiagnosticsData {
        MapDiagnosticsData.evaluating(problem: ToyProblem(kind), map: map, gridSize: gridSize, sampleCount: 200,
                                      latents: latents, target: [], title: "test")
    }

    /// The darkest max-channel value within a pixel of (x, y).
    static func darkest(_ image: PNGImage, _ x: Double, _ y: Double) -> UInt8 {
        var value: UInt8 = 255
        for dx in -1...1 {
            for dy in -1...1 {
                let p = image.pixel(x: Int(x) + dx, y: Int(y) + dy)
                value = min(value, max(p.red, p.green, p.blue))
            }
        }
        return value
    }

    // MARK: - tears

    /// ring8: z₀ < 0.5 lands on mode 0, z₀ > 1.5 on mode 4, and the strip between is stretched
    /// across the gap through the origin.
    static func stripMap() -> LatentMap {
        let problem = ToyProblem(.ring8)
        let centres = problem.mixture?.centres ?? []
        return LatentMap { z, count in
            (0..<count).flatMap { i -> [Float] in
                let z0 = Double(z[2 * i]), z1 = Double(z[2 * i + 1])
                let t = min(max(z0 - 0.5, 0), 1)
                let x = centres[0] + t * (centres[4] - centres[0]) + 0.003 * SIMD2(z0, z1)
                return [Float(x.x), Float(x.y)]
            }
        }
    }

    @Test("tears: a strip stretched across the gap is painted on the latent plane and where it lands, nowhere else")
    func tearsAlongStrip() throws {
        let data = Self.data(.ring8, map: Self.stripMap())
        #expect(data.geometry.tearMass > 0.1 && data.geometry.tearLength > 0)
        let layout = TearsView.layout(for: data, panelSize: 200)
        let image = try ViewsTests.roundTrip(TearsView.render(data, panelSize: 200), name: "diag-tears-strip.png")
        #expect(image.width == layout.page.width && image.height == layout.page.height)
        let latent = layout.latentPanels[0]
        func isBand(_ p: (x: Double, y: Double)) -> Bool {
            let c = image.pixel(x: Int(p.x), y: Int(p.y))
            return c.red > 180 && c.green < 60 && c.blue < 80
        }
        for v in stride(from: -2.0, through: 2.0, by: 0.5) {
            #expect(isBand(latent.pixel(x: 1.0, y: v)), "band at z₁ = \(v)")
            for far in [-2.0, -0.5, 2.3] {
                #expect(!isBand(latent.pixel(x: far, y: v)), "no band at (\(far), \(v))")
            }
        }
        // Where the band's latents land, between the two modes.
        let plane = try #require(data.planes.first)
        let landing = try #require(plane.tears.members.firstIndex(of: true).map { plane.values[$0] })
        #expect(abs(landing.x) < 1.9 && isBand(layout.samplePanel.pixel(x: landing.x, y: landing.y)))
    }

    // MARK: - modes

    @Test("modes: the ring8 oracle paints the latent plane in the 8 mode colours, about 1/8 each")
    func ring8Modes() throws {
        let problem = ToyProblem(.ring8)
        let data = Self.data(.ring8, map: problem.oracleMap, gridSize: 48)
        let labeling = try ModeLabeling(data)
        #expect(labeling.count == 8 && labeling.labelsReached == 8)
        for mass in labeling.massPerLabel { #expect(abs(mass - 1.0 / 8) < 0.03, "\(labeling.massPerLabel)") }
        let layout = ModesView.layout(for: data, panelSize: 200)
        let image = try ViewsTests.roundTrip(ModesView.render(data, panelSize: 200), name: "diag-modes-ring8.png")
        let rect = layout.latentPanels[0].rect.insetBy(2)
        var counts = [Int](repeating: 0, count: 9), total = 0
        for y in Int(rect.y)..<Int(rect.maxY) {
            for x in Int(rect.x)..<Int(rect.maxX) {
                total += 1
                let pixel = image.pixel(x: x, y: y)
                if let j = labeling.palette.firstIndex(where: { pixel.distance(to: $0) <= 3 }) {
                    counts[j] += 1
                } else if pixel.distance(to: .black) <= 3 {
                    counts[8] += 1
                }
            }
        }
        #expect(counts.reduce(0, +) == total, "every latent pixel is a mode colour or black")
        for j in 0..<8 { #expect(counts[j] > total / 20, "mode \(j) covers \(counts[j]) of \(total) pixels") }
        #expect(Set(labeling.palette).count == 8)
    }

    @Test("modes: uniform-to-normal is refused with a message naming where the view applies")
    func modesRefuseNormal() throws {
        let data = Self.data(.uniformToNormal, map: Self.cutMap(), gridSize: 8)
        do {
            _ = try ModesView.render(data, panelSize: 150)
            Issue.record("expected the modes view to refuse uniform-to-normal")
        } catch {
            let message = "\(error)"
            #expect(message.contains("uniform-to-normal") && message.contains("mixtures") && message.contains("spiral"), "\(message)")
        }
    }

    @Test("modes: the spiral oracle reaches all 20 arc-length bins, each from one latent region")
    func spiralBins() throws {
        let data = Self.data(.spiral, map: ToyProblem(.spiral).oracleMap, gridSize: 40)
        let labeling = try ModeLabeling(data)
        #expect(labeling.noun == "bin" && labeling.labelsReached == 20)
        #expect(labeling.negativeSpaceMass < 0.01 && labeling.labelsSplitWithinAPlane == 0, "\(labeling.componentsPerLabel)")
        _ = try ViewsTests.roundTrip(ModesView.render(data, panelSize: 160), name: "diag-modes-spiral.png")
    }

    // MARK: - folds and Jacobian

    @Test("folds: a map mirrored on z₀ < −0.5 paints that quarter red (det J < 0), the rest blue")
    func foldedQuarter() throws {
        let data = Self.data(.uniformToNormal, map: LatentMap { z, count in
            (0..<count).flatMap { i -> [Float] in [z[2 * i] < -0.5 ? -1 - z[2 * i] : z[2 * i], z[2 * i + 1]] }
        })
        #expect(abs(data.geometry.foldedFraction - 0.25) < 1e-12)
        let layout = FoldsView.layout(for: data, panelSize: 200)
        let image = try ViewsTests.roundTrip(FoldsView.render(data, panelSize: 200), name: "diag-folds-quarter.png")
        let panel = layout.latentPanels[0], map = Colormap.determinant
        func share(from a: Double, to b: Double, near color: RGBA) -> Double {
            var hits = 0, all = 0
            for v in stride(from: -0.9, through: 0.9, by: 0.05) {
                for u in stride(from: a, through: b, by: 0.02) {
                    let p = panel.pixel(x: u, y: v)
                    all += 1
                    if image.pixel(x: Int(p.x), y: Int(p.y)).distance(to: color) <= 4 { hits += 1 }
                }
            }
            return Double(hits) / Double(all)
        }
        #expect(share(from: -0.95, to: -0.58, near: map.low) > 0.4, "folded quarter: red, partly hatched")
        #expect(share(from: -0.4, to: 0.95, near: map.high) > 0.95, "the rest: blue")
        // The outline runs along z₀ = −0.5.
        let edge = panel.pixel(x: -0.5, y: 0.3)
        #expect(Self.darkest(image, edge.x, edge.y) < 70, "outline at z₀ = −0.5")
    }

    @Test("jacobian: a linear map paints ‖J‖_F = √10 through the colour bar")
    func linearJacobian() throws {
        let data = Self.data(.uniformToNormal, map: LatentMap { z, count in
            (0..<count).flatMap { i -> [Float] in [3 * z[2 * i], z[2 * i + 1]] }
        }, gridSize: 16)
        #expect(abs(data.geometry.lipschitz - 3) < 1e-5 && abs(data.geometry.frobeniusNorm.median - 10.0.squareRoot()) < 1e-5)
        let layout = JacobianView.layout(for: data, panelSize: 200)
        let image = try ViewsTests.roundTrip(JacobianView.render(data, panelSize: 200), name: "diag-jacobian-linear.png")
        let expected = layout.colorBar.color(of: 10.0.squareRoot())
        let centre = layout.latentPanels[0].pixel(x: 0.3, y: -0.2)
        #expect(image.pixel(x: Int(centre.x), y: Int(centre.y)).distance(to: expected) <= 3)
        ViewsTests.expectBarEnds(image, layout.colorBar)
    }

    @Test("symmetric log scale: 0 in the middle, ±limit at the ends, ticks mirrored")
    func symmetricLog() {
        let scale = SymmetricLogScale(threshold: 0.01, limit: 100)
        #expect(scale.position(of: 0) == 0.5 && scale.position(of: 100) == 1 && scale.position(of: -100) == 0)
        #expect(abs(scale.position(of: 1) + scale.position(of: -1) - 1) < 1e-12)
        #expect(scale.ticks.contains { $0.label == "−100" } && scale.ticks.contains { $0.label == "100" })
    }

    // MARK: - from a run

    @Test("views from a run: every diagnostic view renders, and its numbers are the diagnostics.csv row's")
    func runViews() throws {
        let run = try ViewsTinyRun.open()
        let data = try run.mapDiagnosticsData(step: 40, view: .tears)
        #expect(data.step == 40 && data.gridSize == 16)
        let row = try #require(run.diagnosticsRow(step: 40))
        for metric in data.report.metrics {
            #expect(row[metric.name] == metric.value, "\(metric.name): \(metric.value) vs \(row[metric.name] ?? .nan)")
        }
        // The pullback view states the same tear numbers.
        let pullback = try run.pullbackData(step: 40, panelSize: 160)
        #expect(pullback.geometry == data.geometry)
        for (name, canvas) in [("tears", try TearsView.render(data, panelSize: 160)),
                               ("modes", try ModesView.render(data, panelSize: 160)),
                               ("folds", try FoldsView.render(data, panelSize: 160)),
                               ("jacobian", try JacobianView.render(data, panelSize: 160))] {
            let image = try ViewsTests.roundTrip(canvas, name: "diag-run-\(name).png")
            #expect(image.width == ViewLayout(panelSize: 160, columns: 2).width, "\(name)")
        }
    }

    // MARK: - compare

    @Test("compare: one column per snapshot (the sheet widens by a column), shared probes, deltas")
    func compareSheet() throws {
        let a = try #require(ViewsTinyRun.path), b = try #require(DiagnosticTinyRuns.spiralSeed2)
        let two = try CompareSheetData.load([CompareSpec(path: a, step: 20), CompareSpec(path: a)])
        let three = try CompareSheetData.load([CompareSpec(path: a, step: 20), CompareSpec(path: a), CompareSpec(path: b)])
        #expect(three.columns.map(\.step) == [20, 40, 30] && three.mixesRuns && !two.mixesRuns)
        let probes = try RunData(path: a).probeLatents
        #expect(three.columns.allSatisfy { $0.data.latents == probes }, "every column draws the first run's probes")
        #expect(three.columns[0].recordedAgreement == "matches its diagnostics.csv row")
        let imageTwo = try ViewsTests.roundTrip(CompareSheet.render(two, panelSize: 150), name: "diag-compare-2.png")
        let imageThree = try ViewsTests.roundTrip(CompareSheet.render(three, panelSize: 150), name: "diag-compare-3.png")
        let step = CompareSheet.layout(columns: 3, panelSize: 150).cells[0][2].x - CompareSheet.layout(columns: 3, panelSize: 150).cells[0][1].x
        #expect(imageThree.width - imageTwo.width == Int(step) && imageThree.height == imageTwo.height)
        #expect(imageTwo.width == CompareSheet.layout(columns: 2, panelSize: 150).width)

        let table = three.table
        let r = try #require(table.names.firstIndex(of: "tear_mass"))
        let values = three.columns.map { $0.data.report.value(of: "tear_mass") }
        #expect(table.delta(row: r, column: 2) == (values[2] ?? .nan) - (values[0] ?? .nan))
        #expect(table.text.contains("ΔB−A") && table.text.contains("ΔC−A") && table.text.contains("tear_mass"))
        let csv = table.csv.split(separator: "\n")
        #expect(csv[0].hasPrefix("metric,A spiral/tiny@20,B spiral/tiny@40,delta B spiral/tiny@40,C ") && csv[0].contains(",delta C "))
        #expect(csv.count == table.names.count + 1 && csv[r + 1].split(separator: ",", omittingEmptySubsequences: false).count == 6)
    }

    @Test("compare refuses snapshots of different problems, naming both")
    func compareRefuses() throws {
        let a = try #require(ViewsTinyRun.path), ring = try #require(DiagnosticTinyRuns.ring8)
        do {
            _ = try CompareSheetData.load([CompareSpec(path: a), CompareSpec(path: ring)])
            Issue.record("expected a refusal")
        } catch {
            let message = "\(error)"
            #expect(message.contains(a) && message.contains(ring) && message.contains("(spiral)") && message.contains("(ring8)")
                    && !message.contains("\n"), "\(message)")
        }
    }

    @Test("compare morph: (M − 1)·K + 1 frames and a manifest `ganlab video` can read")
    func compareMorph() throws {
        let a = try #require(ViewsTinyRun.path)
        let sheet = try CompareSheetData.load([CompareSpec(path: a, step: 20), CompareSpec(path: a, step: 40)])
        let folder = try Oracle.outputDirectory().appendingPathComponent("compare-morph/frames/compare").path
        let result = try CompareSheet.renderMorph(sheet, into: folder, framesPerStep: 3, size: 96, threads: 1)
        let manifest = try FrameManifest.read(from: result.manifestPath)
        #expect(manifest.count == 4 && manifest.frames.map(\.fraction) == [0, 1.0 / 3, 2.0 / 3, 1])
        #expect(manifest.parameters["sequence"] == "compare" && manifest.frames.last?.step == 40)
        for i in 0..<4 { #expect(FileManager.default.fileExists(atPath: folder + "/" + FrameManifest.fileName(i))) }
    }

    @Test("RUN@STEP arguments", arguments: [
        ("output/spiral/a@4000", "output/spiral/a", 4000 as Int?),
        ("output/spiral/a", "output/spiral/a", nil),
        ("runs/me@home", "runs/me@home", nil),
        ("@12", "@12", nil),
    ])
    func specs(text: String, path: String, step: Int?) {
        #expect(CompareSpec(parsing: text) == CompareSpec(path: path, step: step))
    }
}
