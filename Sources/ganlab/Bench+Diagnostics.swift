import GANLabBench

extension GANLab.Bench {
    /// The diagnostics timings of `DiagnosticsBenchmark`, one row per problem.
    func benchDiagnostics() {
        DiagnosticsBenchmark.tableHeader(threads: threads).forEach { print($0) }
        for problem in DiagnosticsBenchmark.problems {
            print(DiagnosticsBenchmark.measure(problem: problem, threads: threads, repeats: repeats).tableLine)
        }
        print(DiagnosticsBenchmark.footnote(threads: threads))
    }
}
