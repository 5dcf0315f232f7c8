import Testing

@testable import GANLabCore

@Suite("Measurement grids")
struct MeasurementGridTests {
    @Test("marching squares: the level set of x² + y² lies on the circle, each cell crossing once")
    func marchingSquares() {
        let grid = ScalarGrid.evaluating(extent: 1, size: 41) { points, count in
            (0..<count).map { points[2 * $0] * points[2 * $0] + points[2 * $0 + 1] * points[2 * $0 + 1] }
        }
        let segments = grid.contourSegments(level: 0.25)
        #expect(segments.count >= 4 * 20)
        for i in stride(from: 0, to: segments.count, by: 2) {
            let r = (segments[i] * segments[i] + segments[i + 1] * segments[i + 1]).squareRoot()
            #expect(abs(r - 0.5) < 0.01)
        }
        #expect(abs(grid.interpolated(x: 0.3, y: -0.4) - 0.25) < 0.002)
    }

    @Test("equal-mass lattice for Gaussian latents: every grid cell holds the same mass")
    func equalMassLattice() {
        let c = LatentGrid.nodeCoordinates(prior: .gaussian, extent: 3, cells: 6, subdivisions: 3)
        #expect(c.count == 19 && c.first == -3 && c.last == 3)
        let lines = stride(from: 0, to: c.count, by: 3).map { c[$0] }
        let masses = LatentGrid.intervalMass(prior: .gaussian, coordinates: lines)
        for m in masses { #expect(abs(m - masses[0]) < 1e-9) }
        #expect(abs(LatentGrid.fractionalIndex(of: c[7], in: c) - 7) < 1e-12)
    }

    @Test("histogram: counts, outside share and support shares")
    func histogram() {
        let h = Histogram2D(points: [0.1, 0.1, 0.1, 0.12, -0.9, 0.9, 5, 5, .nan, 0], extent: 1, bins: 4)
        #expect(h.total == 5 && h.count(i: 2, j: 2) == 2 && h.count(i: 0, j: 3) == 1)
        #expect(abs(h.shareOutside - 0.4) < 1e-12)
        let other = Histogram2D(points: [0.1, 0.1], extent: 1, bins: 4)
        #expect(abs(h.share(outsideSupportOf: other) - 0.2) < 1e-12)
        #expect(abs(h.density(i: 2, j: 2) - 2 / (5 * 0.25)) < 1e-12)
    }

    @Test("map diagnostics data measures what a run's diagnostics.csv records, without a canvas")
    func mapDiagnosticsMatchSnapshotDiagnostics() {
        let problem = ToyProblem(.spiral)
        let latents: [Float] = [0.5, -0.25, -0.75, 0.5]
        let data = MapDiagnosticsData.evaluating(problem: problem, map: problem.oracleMap, gridSize: 24, sampleCount: 300,
                                                 latents: latents, target: [], title: "oracle")
        let report = SnapshotDiagnostics.evaluate(problem: problem, generator: problem.oracleMap, sampleCount: 300,
                                                  configuredGrid: 24)
        #expect(data.report.csvRow == report.csvRow)
        #expect(data.planes.count == 1 && data.gridSize == 24 && data.points.count == 4)
        #expect(data.points == problem.oracleMap(latents, 2))
    }
}
