import GANLabBench

extension GANLab.Bench {
    /// The diagnostics timings of `DiagnosticsBenchmark`, one row per problem.
    func benchDiagnostics() {
        let ceiling = Statistics.upperMedian(Ceiling.sgemm(threads: threads, seconds: 0.3, repeats: 3))
        DiagnosticsBenchmark.tableHeader(threads: threads).forEach { print($0) }
        for (side, budget) in DiagnosticsBenchmark.grids {
            for problem in DiagnosticsBenchmark.problems {
                var row = DiagnosticsBenchmark.measure(problem: problem, configuredGrid: side, budget: budget,
                                                       threads: threads, repeats: repeats)
                row.ceiling = ceiling
                print(row.tableLine)
            }
        }
        print(DiagnosticsBenchmark.footnote(threads: threads, ceiling: ceiling))
    }
}
