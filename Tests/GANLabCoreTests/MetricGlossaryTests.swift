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
}
