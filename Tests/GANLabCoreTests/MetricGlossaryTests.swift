import Foundation
import Testing
@testable import GANLabCore

@Suite("Metric glossary")
struct MetricGlossaryTests {
    /// The headings of docs/METRICS.md, as section numbers ("4", "4.2", …).
    private static func sections() throws -> Set<String> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/METRICS.md"), encoding: .utf8)
        return Set(text.split(separator: "\n").filter { $0.hasPrefix("#") }.compactMap { line -> String? in
            let words = line.drop { $0 == "#" }.split(separator: " ")
            return words.first.map { $0.hasSuffix(".") ? String($0.dropLast()) : String($0) }
        })
    }

    @Test("every diagnostics.csv column of every built-in problem has a definition citing a section of docs/METRICS.md")
    func everyColumnIsDefined() throws {
        let sections = try Self.sections()
        #expect(sections.contains("4.6") && sections.contains("4"))
        var seen = 0
        for kind in ProblemKind.builtIn {
            let problem = ToyProblem(kind)
            let report = SnapshotDiagnostics.evaluate(problem: problem, generator: problem.oracleMap, sampleCount: 300,
                                                      configuredGrid: 16)
            for column in ["step"] + report.metrics.map(\.name) {
                let entry = try #require(MetricGlossary.entry(column), "\(kind.rawValue): no definition of \(column)")
                #expect(!entry.definition.isEmpty && !entry.sections.isEmpty)
                for section in entry.sections { #expect(sections.contains(section), "\(column) cites §\(section)") }
                seen += 1
            }
        }
        #expect(seen > 100)
        #expect(MetricGlossary.entry("hq_count_mode_12") != nil && MetricGlossary.key("hq_count_mode_12") == "hq_count_mode_j")
        #expect(MetricGlossary.entry("hq_count_mode_j") == MetricGlossary.entry("hq_count_mode_0"))
        #expect(MetricGlossary.entry("hq_count_mode_x") == nil && MetricGlossary.entry("no_such_metric") == nil)
    }

    @Test("the noise floor: the oracle map scores no tear, no fold, every mode; true samples score the documented floor")
    func noiseFloor() {
        // At 64² the spiral oracle has no tear (docs/METRICS.md §4.4); at 32² its arms are too
        // close for the grid and it scores one (tear_mass 1/1024): the floor is the grid's.
        let spiral = NoiseFloor.of(problem: ToyProblem(.spiral), configuredGrid: 64)
        #expect((NoiseFloor.of(problem: ToyProblem(.spiral), configuredGrid: 32)["tear_mass"] ?? 0) > 0)
        #expect(spiral["tear_mass"] == 0 && spiral["folded_fraction"] == 0 && spiral["coverage"] == 1)
        #expect((spiral["negative_space"] ?? 1) < 0.004)
        #expect(spiral["precision_k3"] == ManifoldReference.of(ToyProblem(.spiral)).noiseFloor.precision)
        #expect(NoiseFloor.settings.allSatisfy { spiral[$0] == nil })
        let ring = NoiseFloor.of(problem: ToyProblem(.ring8), configuredGrid: 32)
        #expect(ring["modes_covered"] == 8 && (ring["hq_fraction"] ?? 0) > 0.99 && (ring["reverse_kl"] ?? 1) < 0.01)
        let u2n = NoiseFloor.of(problem: ToyProblem(.uniformToNormal), configuredGrid: 32)
        // The exact map through the run's 2,500 latents: its KS statistics are sampling noise.
        #expect(u2n["folded_fraction"] == 0 && u2n["tear_mass"] == 0 && (u2n["ks_x0"] ?? 1) < 0.05 && (u2n["ks_x1"] ?? 1) < 0.05)
        #expect(NoiseFloor.of(problem: ToyProblem(.spiral), configuredGrid: 0)["tear_mass"] == nil, "no map metrics without a grid")
    }
}
