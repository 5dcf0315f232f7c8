import Foundation
import Testing
import GANLabTestSupport

@testable import GANLabCore

/// Committed trained snapshots for the grid-convergence checks of docs/METRICS.md §4.4, made by
/// `make tear-fixtures` (Tests/Fixtures/tears/README.md says how).
enum TearFixtures {
    /// The fixtures: file name (in Tests/Fixtures/tears) and what it is.
    static let names = ["spiral", "eight-gaussians", "ring8", "grid25"]

    static func path(_ name: String) -> String {
        packageRoot.appendingPathComponent("Tests/Fixtures/tears/\(name).snap").path
    }

    /// A trained snapshot without its optimizer state: Adam's moments are dropped and both optimizers
    /// recorded as SGD, so the file keeps only the two networks (a third of the size). Map
    /// geometry reads only G.
    static func stripped(_ snapshot: Snapshot) -> Snapshot {
        var s = snapshot
        s.generator.firstMoment = []
        s.generator.secondMoment = []
        s.discriminator.firstMoment = []
        s.discriminator.secondMoment = []
        s.config.train.generatorOptimizer.kind = .sgd
        s.config.train.discriminatorOptimizer.kind = .sgd
        return s
    }
}

@Suite("Tears: fixtures")
struct TearFixtureMaker {
    /// Writes the fixtures from the runs in $GANLAB_TEAR_FIXTURE_RUNS (one folder per name), when set.
    @Test("make the tear fixtures from trained runs", .enabled(if: ProcessInfo.processInfo.environment["GANLAB_TEAR_FIXTURE_RUNS"] != nil))
    func make() throws {
        let runs = try #require(ProcessInfo.processInfo.environment["GANLAB_TEAR_FIXTURE_RUNS"])
        for name in TearFixtures.names {
            let snapshot = try RunDirectory(path: "\(runs)/\(name)").loadSnapshot()
            let stripped = TearFixtures.stripped(snapshot)
            #expect(stripped.shapeProblem == nil)
            try Data(stripped.encoded()).write(to: URL(fileURLWithPath: TearFixtures.path(name)))
        }
    }
}

@Suite("Tears: convergence under grid refinement")
struct TearConvergenceTests {
    /// The map-geometry numbers that must settle, by name. `lipschitz` (a maximum over grid points,
    /// which a finer grid can raise by finding a narrower peak) and `components_mode_j` (counts)
    /// are not among them; the mass-weighted σ_max quantiles stand for the stretch.
    static func numbers(_ s: GeometrySummary) -> [String: Double] {
        var values = ["tear_mass": s.tearMass, "tear_length": s.tearLength, "folded_fraction": s.foldedFraction,
                      "sigma_max_median": s.largestSingularValue.median, "sigma_max_p95": s.largestSingularValue.p95]
        if let off = s.negativeSpaceLatentMass { values["latent_mass_negative_space"] = off }
        for (j, m) in (s.latentMassPerMode ?? []).enumerated() { values["latent_mass_mode_\(j)"] = m }
        return values
    }

    /// Relative change above `relative` and absolute change above `absolute` (docs/METRICS.md §4.4).
    static func moved(_ a: Double, _ b: Double, relative: Double, absolute: Double) -> Bool {
        abs(a - b) > max(relative * max(abs(a), abs(b)), absolute)
    }

    @Test("every map-geometry metric moves < 2 % (or 0.005) from 256² to 512² and < 5 % from 128² to 256²",
          arguments: TearFixtures.names)
    func converges(name: String) throws {
        let snapshot = try Snapshot.read(from: TearFixtures.path(name))
        let problem = ToyProblem(snapshot.config.problem)
        let map = snapshot.makeGenerator().latentMap
        let measured = [128, 256, 512].map {
            Self.numbers(GeometrySummary(planes: MapGeometry.measurePlanes(problem: problem, map: map, gridSize: $0)))
        }
        for (key, fine) in measured[2] {
            let mid = try #require(measured[1][key]), coarse = try #require(measured[0][key])
            #expect(!Self.moved(mid, fine, relative: 0.02, absolute: 0.005), "\(name) \(key): 256² \(mid), 512² \(fine)")
            #expect(!Self.moved(coarse, mid, relative: 0.05, absolute: 0.005), "\(name) \(key): 128² \(coarse), 256² \(mid)")
        }
    }

    @Test("the fixtures are trained maps with tears where the problem has them")
    func fixturesHaveTears() throws {
        for name in ["spiral", "eight-gaussians", "ring8"] {
            let snapshot = try Snapshot.read(from: TearFixtures.path(name))
            let problem = ToyProblem(snapshot.config.problem)
            let summary = GeometrySummary(planes: MapGeometry.measurePlanes(problem: problem, map: snapshot.makeGenerator().latentMap,
                                                                             gridSize: 128))
            #expect(summary.tearMass > 0.01 && summary.tearLength > 0.5, "\(name): \(summary.tearMass), \(summary.tearLength)")
        }
    }
}
