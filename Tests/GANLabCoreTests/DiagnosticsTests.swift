import Foundation
import GANLabEngine
import Testing
import GANLabTestSupport

@testable import GANLabCore

// MARK: - Helpers

/// A LatentMap from a per-point function of (z₀, z₁).
private func pointMap(_ f: @escaping (Double, Double) -> SIMD2<Double>) -> LatentMap {
    LatentMap { latents, count in
        let d = latents.count / max(count, 1)
        var out = [Float](repeating: 0, count: 2 * count)
        for r in 0..<count {
            let x = f(Double(latents[r * d]), Double(latents[r * d + 1]))
            out[2 * r] = Float(x.x)
            out[2 * r + 1] = Float(x.y)
        }
        return out
    }
}

private func trueSamples(_ kind: ProblemKind, count: Int, seed: UInt64) -> [Float] {
    var rng = RandomSource(seed: seed)
    return ToyProblem(kind).sampleTargets(count: count, using: &rng)
}

private let uniformBox = ToyProblem(.uniformToNormal)

// MARK: - Jacobians

@Suite("Diagnostics: Jacobian")
struct DiagnosticsJacobianTests {
    @Test("det, ‖J‖_F and σ_max of known matrices")
    func knownMatrices() {
        // [[3, 1], [0, 2]]: AᵀA = [[9, 3], [3, 5]], eigenvalues 7 ± √13.
        let a = Jacobian(dz0: SIMD2(3, 0), dz1: SIMD2(1, 2))
        #expect(a.determinant == 6)
        #expect(abs(a.frobeniusNorm - 14.0.squareRoot()) < 1e-15)
        #expect(abs(a.largestSingularValue - (7 + 13.0.squareRoot()).squareRoot()) < 1e-14)
        // A scaled rotation: both singular values are √5.
        let b = Jacobian(dz0: SIMD2(2, 1), dz1: SIMD2(-1, 2))
        #expect(b.determinant == 5)
        #expect(abs(b.largestSingularValue - 5.0.squareRoot()) < 1e-14)
        // A mirror has det −1 and σ_max 1.
        let c = Jacobian(dz0: SIMD2(-1, 0), dz1: SIMD2(0, 1))
        #expect(c.determinant == -1 && c.largestSingularValue == 1)
    }

    @Test("a linear map's Jacobian is recovered exactly", arguments: [
        JacobianMethod.gridDifferences, .centralDifferences(step: JacobianMethod.specStep),
    ])
    func linearMap(method: JacobianMethod) {
        // G(z) = A·z + b with A = [[1.5, −0.5], [0.25, 2]]: det 3.125, ‖A‖_F² = 6.5625.
        let map = pointMap { z0, z1 in SIMD2(1.5 * z0 - 0.5 * z1 + 0.1, 0.25 * z0 + 2 * z1 - 0.2) }
        let grid = LatentCellGrid(size: 16, lower: -1, upper: 1, measure: .uniform)
        let g = MapGeometry.measure(problem: uniformBox, map: map, grid: grid, jacobian: method)
        let sigma = ((6.5625 + (6.5625 * 6.5625 - 4 * 3.125 * 3.125).squareRoot()) / 2).squareRoot()
        let tolerance = method == .gridDifferences ? 1e-5 : 2e-3
        for J in g.jacobians {
            #expect(abs(J.determinant - 3.125) < tolerance * 3.125)
            #expect(abs(J.frobeniusNorm - 6.5625.squareRoot()) < tolerance * 3)
            #expect(abs(J.largestSingularValue - sigma) < tolerance * 3)
        }
        #expect(abs(g.lipschitz - sigma) < tolerance * 3)
        #expect(g.tearEdges.isEmpty && g.foldedFraction == 0 && g.majorityOrientation == 1)
    }
}

extension DiagnosticsJacobianTests {
    @Test("eight-gaussians planes keep their one-hot component under both Jacobian methods")
    func eightGaussiansPlane() {
        let problem = ToyProblem(.eightGaussians)
        let grid = LatentCellGrid(problem: problem, size: 12)
        for method in [JacobianMethod.gridDifferences, .centralDifferences(step: 1e-3)] {
            let g = MapGeometry.measure(problem: problem, map: problem.oracleMap, grid: grid, component: 5, jacobian: method)
            // f = μ₅ + 0.2·n: J = 0.2·I, and every point lands in mode 5.
            #expect(g.jacobians.allSatisfy { abs($0.determinant - 0.04) < 1e-4 && abs($0.largestSingularValue - 0.2) < 1e-3 })
            #expect(g.values.allSatisfy { problem.mixture?.assign($0).mode == 5 })
        }
    }
}

// MARK: - Map geometry on known maps

@Suite("Diagnostics: map geometry")
struct DiagnosticsGeometryTests {
    @Test("every oracle has zero tear mass and zero folded fraction, at every grid", arguments: [64, 128, 256])
    func oraclesIntact(size: Int) {
        for kind in ProblemKind.builtIn {
            let problem = ToyProblem(kind)
            let planes = MapGeometry.measurePlanes(problem: problem, map: problem.oracleMap, gridSize: size)
            #expect(planes.count == (kind == .eightGaussians ? 8 : 1))
            for plane in planes {
                if kind == .ring8 || kind == .ring8PacGAN {
                    // All eight sector rays meet at the origin, where the oracle is singular: the grid
                    // points next to it land far out in the modes' tails. What they carry stays
                    // below 0.2 % of the mass.
                    #expect(plane.foldedFraction < 0.01 && plane.tearMass < 0.002, "\(kind) \(size)²: tear mass \(plane.tearMass)")
                } else {
                    #expect(plane.foldedFraction == 0 && plane.tearMass == 0, "\(kind) \(size)²: tear mass \(plane.tearMass)")
                }
            }
            // The smooth oracles have no tear at all; ring8 and grid25 tear along lines of zero mass.
            if [.uniformToNormal, .eightGaussians, .spiral].contains(kind) {
                #expect(planes.allSatisfy { $0.tearEdges.isEmpty && $0.tearLength == 0 }, "\(kind) \(size)²")
            }
        }
    }

    @Test("the spiral oracle's anisotropic stretch is not a tear")
    func spiralOracleIntact() {
        let problem = ToyProblem(.spiral)
        let g = MapGeometry.measure(problem: problem, map: problem.oracleMap, grid: LatentCellGrid(problem: problem))
        #expect(g.tearEdges.isEmpty && g.tearMass == 0 && g.tearLength == 0)
        #expect(g.foldedFraction == 0)
        // Its z₀ edges stretch ~100 × more than its z₁ edges (3π·r versus 0.05).
        #expect(g.medianStretch.x > 50 * g.medianStretch.y)
    }

    @Test("a planted cut along z₀ = 0.3: zero mass, and a tear length that matches the cut to 2 %",
          arguments: [128, 256, 512])
    func plantedCut(size: Int) throws {
        // ring8 target: z₀ < 0.3 lands on mode 0, z₀ > 0.3 on mode 4, both well inside 6σ.
        let problem = ToyProblem(.ring8)
        let centres = try #require(problem.mixture?.centres)
        let sigma = try #require(problem.mixture?.sigma)
        let map = pointMap { z0, z1 in (z0 > 0.3 ? centres[4] : centres[0]) + 0.5 * sigma * SIMD2(z0, z1) }
        let grid = LatentCellGrid(problem: problem, size: size)
        let g = MapGeometry.measure(problem: problem, map: map, grid: grid)
        #expect(g.tearMass == 0)
        #expect(g.tearEdges.count == size && g.tearEdges.allSatisfy { $0.direction == .z0 })
        // The cut's weighted length: ∫ exp(−(0.3² + z₁²)/2) dz₁ over the box's [−3, 3].
        let cut = exp(-0.045) * (2 * Double.pi).squareRoot() * (1 - 2 * normalCDF(-3))
        #expect(abs(g.tearLength - cut) < 0.02 * cut, "\(size)²: \(g.tearLength) vs \(cut)")
        // Differences never straddle the cut: the map is affine on each side.
        #expect(g.jacobians.allSatisfy { abs($0.determinant - 0.25 * sigma * sigma) < 1e-6 })
        #expect(g.foldedFraction == 0)
    }

    @Test("a stretched strip across the gap: its mass and length, weighted by the Gaussian prior")
    func stretchedStrip() throws {
        // ring8 target; z₀ < 0 lands on mode 0, z₀ > 0.5 on mode 4, and the strip 0 < z₀ < 0.5 is
        // stretched straight across the gap (σ_max = ‖μ₄ − μ₀‖/0.5 = 8, against 0.003 on the modes).
        let problem = ToyProblem(.ring8)
        let centres = try #require(problem.mixture?.centres)
        let a = centres[0], b = centres[4]
        let map = pointMap { z0, z1 in
            let t = min(max(z0 / 0.5, 0), 1)
            return a + t * (b - a) + 0.003 * SIMD2(z0, z1)
        }
        let g = MapGeometry.measure(problem: problem, map: map, grid: LatentCellGrid(problem: problem, size: 256))
        // Off the target where the image is farther than 6σ = 0.12 from both centres: 0.03 < t < 0.97.
        let lo = 0.5 * 0.03, hi = 0.5 * 0.97
        let expected = (normalCDF(hi) - normalCDF(lo)) / (1 - 2 * normalCDF(-3))
        #expect(abs(g.tearMass - expected) < 0.02 * expected, "\(g.tearMass) vs \(expected)")
        // Half its boundary: the lines z₀ = lo and z₀ = hi, each ∫ exp(−(z₀² + z₁²)/2) dz₁ over [−3, 3].
        let line = { (z0: Double) in exp(-z0 * z0 / 2) * (2 * Double.pi).squareRoot() * (1 - 2 * normalCDF(-3)) }
        let length = (line(lo) + line(hi)) / 2
        #expect(abs(g.tearLength - length) < 0.02 * length, "\(g.tearLength) vs \(length)")
        #expect(g.tearEdges.isEmpty)
        // Parked mass is not a tear: the same strip without the stretch (t fixed at ½) is off target, untorn.
        let parked = pointMap { z0, z1 in a + 0.5 * (b - a) + 0.003 * SIMD2(z0, z1) }
        let p = MapGeometry.measure(problem: problem, map: parked, grid: LatentCellGrid(problem: problem, size: 64))
        #expect(p.tearMass == 0 && p.tears.offTargetMass == 1)
    }

    @Test("a global mirror is not a fold")
    func mirror() {
        let map = pointMap { z0, z1 in SIMD2(-z0, z1) }
        for measure in [LatentCellGrid.Measure.uniform, .gaussian] {
            let grid = LatentCellGrid(size: 32, lower: -1, upper: 1, measure: measure)
            let g = MapGeometry.measure(problem: uniformBox, map: map, grid: grid)
            #expect(g.foldedFraction == 0 && g.majorityOrientation == -1 && g.tearEdges.isEmpty)
        }
    }

    @Test("a map folded along z₀ = a reports the folded mass", arguments: [-0.5, -0.3])
    func foldUniform(a: Double) {
        // G(z) = (|z₀ − a|, z₁): det J = sign(z₀ − a), so the minority z₀ < a has mass (a + 1)/2.
        let map = pointMap { z0, z1 in SIMD2(abs(z0 - a), z1) }
        let grid = LatentCellGrid(size: 64, lower: -1, upper: 1, measure: .uniform)
        for method in [JacobianMethod.gridDifferences, .centralDifferences(step: 1e-3)] {
            let g = MapGeometry.measure(problem: uniformBox, map: map, grid: grid, jacobian: method)
            #expect(abs(g.foldedFraction - (a + 1) / 2) <= 1.0 / 64 + 1e-12, "\(method): \(g.foldedFraction)")
            #expect(g.isFolded && g.majorityOrientation == 1)
        }
    }

    @Test("folded mass under a Gaussian prior is a Φ difference")
    func foldGaussian() {
        // G(z) = (|z₀ − 0.5|, z₁): the minority z₀ > 0.5 has mass (Φ(3) − Φ(0.5))/(Φ(3) − Φ(−3)).
        let map = pointMap { z0, z1 in SIMD2(abs(z0 - 0.5), z1) }
        let grid = LatentCellGrid(size: 64, lower: -3, upper: 3, measure: .gaussian)
        let g = MapGeometry.measure(problem: uniformBox, map: map, grid: grid)
        let expected = (normalCDF(3) - normalCDF(0.5)) / (normalCDF(3) - normalCDF(-3))
        let oneColumn = normalPDF(0.5) * grid.spacing
        #expect(abs(g.foldedFraction - expected) <= oneColumn, "\(g.foldedFraction) vs \(expected)")
        #expect(g.majorityOrientation == -1)
    }

    @Test("the ring8 oracle tears only along its sector rays and near the origin")
    func ring8OracleTears() throws {
        let problem = ToyProblem(.ring8)
        let g = MapGeometry.measure(problem: problem, map: problem.oracleMap, grid: LatentCellGrid(problem: problem, size: 64))
        #expect(!g.tearEdges.isEmpty)
        func sector(_ z: SIMD2<Double>) -> Int {
            var angle = atan2(z.y, z.x)
            if angle < 0 { angle += 2 * Double.pi }
            return min(Int(angle * 8 / (2 * Double.pi)), 7)
        }
        for edge in g.tearEdges {
            let a = g.grid.latent(edge.i, edge.j)
            let b = edge.direction == .z0 ? g.grid.latent(edge.i + 1, edge.j) : g.grid.latent(edge.i, edge.j + 1)
            let nearOrigin = min((a * a).sum(), (b * b).sum()).squareRoot() < 4 * g.grid.spacing
            let onRay = sector(a) != sector(b) || abs(abs(a.x) - abs(a.y)) < 1e-9 || abs(abs(b.x) - abs(b.y)) < 1e-9
            #expect(nearOrigin || onRay, "tear edge at \(a) → \(b)")
        }
        let partition = try #require(g.partition)
        #expect(partition.componentsPerMode == [Int](repeating: 1, count: 8))
        let masses = partition.massPerMode
        // A grid point exactly on a sector ray belongs to the sector that starts there (sectors are
        // half-open), and the grid's diagonals lie on four of the rays: on 64², sectors that own a
        // diagonal get 0.132 of the mass and the others 0.118 (the difference shrinks like 1/n).
        #expect(masses.count == 8 && (masses.max() ?? 1) - (masses.min() ?? 0) < 0.02, "\(masses)")
    }
}

// MARK: - Mode partition

@Suite("Diagnostics: mode partition")
struct DiagnosticsPartitionTests {
    @Test("eight-gaussians oracle: each plane is its own mode, tails beyond 3σ are negative space")
    func eightGaussiansOracle() {
        let problem = ToyProblem(.eightGaussians)
        let planes = MapGeometry.measurePlanes(problem: problem, map: problem.oracleMap, gridSize: 48)
        let summary = GeometrySummary(planes: planes)
        // P(|n| > 3, n in the box)/P(box) = (e^{−4.5} − (1 − (1 − 2Φ(−3))²))/(1 − 2Φ(−3))² ≈ 0.0057.
        let box = pow(1 - 2 * normalCDF(-3), 2)
        let expected = (exp(-4.5) - (1 - box)) / box
        let negative = summary.negativeSpaceLatentMass ?? 1
        #expect(abs(negative - expected) < 0.002, "\(negative) vs \(expected)")
        #expect(summary.componentsPerMode == [Int](repeating: 1, count: 8))
        for (k, plane) in planes.enumerated() {
            let labels = Set(plane.partition?.labels ?? [])
            #expect(labels == [k, ModePartition.negativeSpace])
            // The four corners beyond radius 3 are separate pieces of negative space.
            #expect(plane.partition?.negativeSpaceComponents == 4)
        }
        for mass in summary.latentMassPerMode ?? [] {
            #expect(abs(mass - (1 - expected) / 8) < 0.001)
        }
    }

    @Test("collapse and a split mode are counted")
    func collapseAndSplit() throws {
        let problem = ToyProblem(.ring8)
        let centres = try #require(problem.mixture?.centres)
        // |z₀| > 1 → mode 0 (two separate stripes), otherwise mode 4.
        let map = pointMap { z0, z1 in (abs(z0) > 1 ? centres[0] : centres[4]) + 0.001 * SIMD2(z0, z1) }
        let g = MapGeometry.measure(problem: problem, map: map, grid: LatentCellGrid(problem: problem, size: 60))
        let partition = try #require(g.partition)
        #expect(partition.componentsPerMode == [2, 0, 0, 0, 1, 0, 0, 0])
        let outer = 2 * (normalCDF(-1) - normalCDF(-3)) / (1 - 2 * normalCDF(-3))
        #expect(abs(partition.massPerMode[0] - outer) < 1e-9)
        #expect(abs(partition.massPerMode[4] - (1 - outer)) < 1e-9)
        #expect(partition.negativeSpaceMass == 0)
        // Both switches jump between modes 4 apart: 2·2·… far beyond 6σ, with a chord through the centre.
        #expect(g.tearEdges.count == 2 * 60)
    }
}

// MARK: - Sample metrics

@Suite("Diagnostics: sample metrics")
struct DiagnosticsSampleTests {
    @Test("ring8 true samples: 8/8 modes, HQ ≈ 98.9 %, small reverse KL", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func ring8TrueSamples(seed: UInt64) throws {
        let problem = ToyProblem(.ring8)
        let m = try #require(SampleMetrics.measure(problem: problem, points: trueSamples(.ring8, count: 2_500, seed: seed)).mixture)
        #expect(m.modesCovered == 8 && m.strictModesCovered == 8)
        #expect(abs(m.hqFraction - (1 - exp(-4.5))) < 0.006, "HQ \(m.hqFraction)")
        #expect(m.reverseKL < 0.01, "reverse KL \(m.reverseKL)")
        #expect(m.negativeSpace == 0)
        #expect(m.hqCountPerMode.reduce(0, +) == Int((m.hqFraction * 2_500).rounded()))
        #expect(m.countPerMode.reduce(0, +) == 2_500)
    }

    @Test("eight-gaussians true samples: negative space at t = 3 is 1 − HQ ≈ 1.1 %")
    func eightGaussiansTrueSamples() throws {
        let problem = ToyProblem(.eightGaussians)
        let m = try #require(SampleMetrics.measure(problem: problem, points: trueSamples(.eightGaussians, count: 10_000, seed: 3)).mixture)
        #expect(m.negativeSpaceThreshold == 3)
        #expect(abs(m.negativeSpace - (1 - m.hqFraction)) < 1e-12)
        #expect(abs(m.negativeSpace - exp(-4.5)) < 0.004)
        #expect(m.modesCovered == 8)
    }

    @Test("all mass on 4 of 8 modes: reverse KL = log 2")
    func collapseOntoFour() throws {
        let problem = ToyProblem(.ring8)
        let centres = try #require(problem.mixture?.centres)
        var points: [SIMD2<Double>] = []
        for k in [0, 2, 4, 6] {
            for r in 0..<100 { points.append(centres[k] + 0.02 * SIMD2(cos(Double(r)), sin(Double(r)))) }
        }
        let m = try #require(SampleMetrics.measure(problem: problem, points: points).mixture)
        #expect(abs(m.reverseKL - log(2)) < 1e-3)
        #expect(m.modesCovered == 4 && m.coveredModes == [0, 2, 4, 6] && m.strictModesCovered == 4)
        #expect(m.hqFraction == 1 && m.negativeSpace == 0)
    }

    @Test("no high-quality sample: reverse KL is log K; non-finite samples are negative space")
    func nothingOnTarget() throws {
        let problem = ToyProblem(.grid25)
        let points: [SIMD2<Double>] = [SIMD2(1, 1), SIMD2(-3, 1), SIMD2(.nan, 0), SIMD2(.infinity, 1)]
        let m = try #require(SampleMetrics.measure(problem: problem, points: points).mixture)
        #expect(m.reverseKL == log(25))
        #expect(m.hqFraction == 0 && m.modesCovered == 0 && m.negativeSpace == 1)
        #expect(m.countPerMode.reduce(0, +) == 2)
    }

    @Test("KS statistic against hand-computed values")
    func ksReference() {
        #expect(NormalityMetrics.ksStatistic([0.5]) { $0 } == 0.5)
        #expect(NormalityMetrics.ksStatistic([0.25, 0.75]) { $0 } == 0.25)
        #expect(abs(NormalityMetrics.ksStatistic([0.1, 0.2, 0.3]) { $0 } - 0.7) < 1e-15)
        #expect(NormalityMetrics.ksStatistic([0, .nan]) { min(max($0, 0), 1) } == 0.5)
        #expect(abs(NormalityMetrics.ksThreshold(sampleCount: 2_500) - 0.02716) < 1e-12)
    }

    @Test("uniform-to-normal true samples pass KS", arguments: [1, 2, 3] as [UInt64])
    func normalTrueSamples(seed: UInt64) throws {
        let points = trueSamples(.uniformToNormal, count: 2_500, seed: seed)
        let n = try #require(SampleMetrics.measure(problem: ToyProblem(.uniformToNormal), points: points).normality)
        #expect(n.marginalsPass, "KS \(n.ksX0), \(n.ksX1) vs \(n.ksThreshold)")
        #expect(n.radialKS < n.ksThreshold && n.angularKS < n.ksThreshold)
    }

    @Test("uniform-to-normal true samples have 1 % tails; a truncated normal has none")
    func normalTails() throws {
        let problem = ToyProblem(.uniformToNormal)
        let points = pairs(trueSamples(.uniformToNormal, count: 20_000, seed: 11))
        let n = try #require(SampleMetrics.measure(problem: problem, points: points).normality)
        for tail in [n.radialTailMass, n.tailMassX0, n.tailMassX1] {
            #expect(abs(tail - 0.01) < 0.003, "tail \(tail)")
        }
        let truncated = points.map { SIMD2(min(max($0.x, -2.5), 2.5), min(max($0.y, -2.5), 2.5)) }
        let t = try #require(SampleMetrics.measure(problem: problem, points: truncated).normality)
        #expect(t.marginalsPass && t.tailMassX0 == 0 && t.tailMassX1 == 0)
    }
}

// MARK: - Spiral

@Suite("Diagnostics: spiral")
struct DiagnosticsSpiralTests {
    @Test("τ is calibrated once, to the documented value")
    func tau() {
        let tau = SpiralReference.shared.tau
        #expect(abs(tau - 0.012782) < 1e-5, "τ = \(tau)")
        #expect(SpiralReference.shared.points.count == SpiralReference.referenceCount)
        #expect(Set(SpiralReference.shared.bins) == Set(0..<20))
    }

    @Test("nearest-neighbour buckets agree with brute force")
    func bucketsMatchBruteForce() {
        var rng = RandomSource(seed: 5)
        let points = (0..<500).map { _ in SIMD2(rng.nextUniform(-1, 1), rng.nextUniform(-0.5, 0.5)) }
        let buckets = PointBuckets(points: points, side: 8)
        for _ in 0..<300 {
            let q = SIMD2(rng.nextUniform(-4, 4), rng.nextUniform(-4, 4))
            let brute = points.map { (($0 - q) * ($0 - q)).sum().squareRoot() }.min() ?? .infinity
            #expect(buckets.nearest(to: q).distance == brute)
        }
        #expect(buckets.nearest(to: SIMD2(.nan, 0)).index == -1)
    }

    @Test("spiral true samples: negative space ≈ 0.1 %, 20/20 bins")
    func spiralTrueSamples() throws {
        let s = try #require(SampleMetrics.measure(problem: ToyProblem(.spiral), points: trueSamples(.spiral, count: 20_000, seed: 4)).spiral)
        #expect(s.negativeSpace < 0.003, "negative space \(s.negativeSpace)")
        #expect(s.coveredBins == 20 && s.coverage == 1)
    }

    @Test("samples from half the θ range cover about half the bins")
    func halfRange() throws {
        let problem = ToyProblem(.spiral)
        var rng = RandomSource(seed: 8)
        let points = (0..<5_000).map { _ in
            problem.oracle(-rng.nextUnitDouble(), 2 * rng.nextUnitDouble() - 1, component: 0)
        }
        let s = try #require(SampleMetrics.measure(problem: problem, points: points).spiral)
        #expect(s.coveredBins == 10 || s.coveredBins == 11, "covered \(s.coveredBins)")
        #expect(s.countPerBin[0..<10].allSatisfy { $0 > 0 } && s.countPerBin[12...].allSatisfy { $0 == 0 })
    }
}

// MARK: - Reports

@Suite("Diagnostics: reports")
struct DiagnosticsReportTests {
    @Test("Jaccard distance between covered-mode sets")
    func jaccard() {
        #expect(Diagnostics.jaccardDistance([0, 1, 2], [1, 2, 3]) == 0.5)
        #expect(Diagnostics.jaccardDistance([], []) == 0)
        #expect(Diagnostics.jaccardDistance([0, 1], [2]) == 1)
        #expect(Diagnostics.jaccardDistance([4, 5], [4, 5]) == 0)
    }

    @Test("evaluate fills the metrics that apply, deterministically, with stable unique names",
          arguments: ProblemKind.builtIn)
    func evaluate(kind: ProblemKind) throws {
        let problem = ToyProblem(kind)
        var rng = RandomSource(seed: 9)
        let net = MLP(layerSizes: [problem.latentDimension, 8, 2], hidden: Activation(.leakyReLU),
                      output: Activation(.identity), maxBatch: 512)
        net.initialize(Initializer(.glorotUniform), using: &rng)
        let a = Diagnostics.evaluate(problem: problem, generator: net.latentMap, sampleCount: 300, gridSize: 16, seed: 4)
        let b = Diagnostics.evaluate(problem: problem, generator: net.latentMap, sampleCount: 300, gridSize: 16, seed: 4)
        #expect(a == b)
        #expect((a.samples.mixture != nil) == (problem.mixture != nil))
        #expect((a.samples.spiral != nil) == (kind == .spiral))
        #expect((a.samples.normality != nil) == (kind == .uniformToNormal))
        let geometry = try #require(a.geometry)
        #expect(geometry.planeCount == (kind == .eightGaussians ? 8 : 1) && geometry.gridSize == 16)
        let names = a.metrics.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(a.csvHeader.split(separator: ",").count == a.csvRow.split(separator: ",").count)
        #expect(a.value(of: "samples") == 300)
        let decoded = try JSONDecoder().decode(DiagnosticsReport.self, from: JSONEncoder().encode(a))
        #expect(decoded == a)
        // Samples-only reports keep the sample columns, in the same order.
        let samplesOnly = Diagnostics.evaluateSamples(problem: problem, points: trueSamples(kind, count: 200, seed: 1))
        #expect(samplesOnly.geometry == nil)
        #expect(Array(names.prefix(samplesOnly.metrics.count)) == samplesOnly.metrics.map(\.name))
    }

    @Test("the oracle as a generator scores as perfect on ring8")
    func oracleReport() throws {
        let problem = ToyProblem(.ring8)
        let report = Diagnostics.evaluate(problem: problem, generator: problem.oracleMap, gridSize: 32, seed: 2)
        let m = try #require(report.samples.mixture)
        #expect(m.modesCovered == 8 && m.reverseKL < 0.01)
        #expect(Diagnostics.modeHopping(from: report, to: report) == 0)
        #expect(report.value(of: "modes_covered") == 8)
    }
}

@Suite("Exact Jacobian in the map geometry")
struct ExactJacobianTests {
    @Test("a network's map geometry uses its exact Jacobian by default, agreeing with central differences (h = 1e-3) and not moving with the grid",
          arguments: [ProblemKind.spiral, .eightGaussians])
    func exactAgreesWithDifferences(problem: ProblemKind) throws {
        let dir = temporaryFolder("exact-j")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var config = tinyConfig(problem, steps: 60)
        config.generator.activation = ActivationKind.tanh
        let session = try TrainingSession.create(config: config, configYAML: config.yamlText, at: dir + "/run")
        _ = try session.train()
        let map = session.trainer.generator.latentMap
        let toy = ToyProblem(problem)
        #expect(JacobianMethod.preferred(for: map) == .exact)
        #expect(JacobianMethod.preferred(for: toy.oracleMap) == .gridDifferences)
        let grid = LatentCellGrid(problem: toy, size: 24)
        let component = problem == .eightGaussians ? 3 : nil
        let exact = MapGeometry.measure(problem: toy, map: map, grid: grid, component: component)
        let central = MapGeometry.measure(problem: toy, map: map, grid: grid, component: component,
                                          jacobian: .centralDifferences(step: 1e-3))
        #expect(exact.jacobianMethod == JacobianMethod.exact)
        #expect(exact.values == central.values, "the same grid values either way")
        let scale: Double = exact.jacobians.map { (j: Jacobian) -> Double in j.frobeniusNorm }.max() ?? 1
        func distance(_ u: SIMD2<Double>, _ v: SIMD2<Double>) -> Double {
            let d: SIMD2<Double> = u - v
            return (d * d).sum().squareRoot()
        }
        var worst = 0.0
        for (a, b) in zip(exact.jacobians, central.jacobians) {
            let e0: Double = distance(a.dz0, b.dz0), e1: Double = distance(a.dz1, b.dz1)
            worst = max(worst, max(e0, e1) / scale)
        }
        #expect(worst < 2e-2, "exact and central Jacobians differ by \(worst) of the largest ‖J‖")
        // At the shared points of a grid and its refinement the exact J is the same number.
        let coarse = MapGeometry.measure(problem: toy, map: map, grid: LatentCellGrid(problem: toy, size: 8), component: component)
        let fine = MapGeometry.measure(problem: toy, map: map, grid: LatentCellGrid(problem: toy, size: 24), component: component)
        // Cell centres of the 8² grid are centres of the 24² grid at (3i + 1, 3j + 1).
        for j in 0..<8 {
            for i in 0..<8 {
                let a: Jacobian = coarse.jacobians[j * 8 + i]
                let b: Jacobian = fine.jacobians[(3 * j + 1) * 24 + 3 * i + 1]
                let gap: Double = abs(a.determinant - b.determinant)
                #expect(gap <= 1e-5 * max(1, abs(a.determinant)))
            }
        }
    }
}
