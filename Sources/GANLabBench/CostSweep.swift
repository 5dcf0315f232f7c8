import GANLabCore

/// How the training step's cost grows with width (every hidden layer) and batch: a markdown table
/// of ms per step (and GFLOP/s), one row per width, one column per batch.
public struct CostSweep: Sendable {
    /// The configuration every cell starts from (its depth, optimizers and loss are kept).
    public var base: ExperimentConfig
    /// Seconds per timed repeat of a cell.
    public var secondsPerRepeat: Double
    /// Timed repeats per cell (the median is reported).
    public var repeats: Int
    /// The table's rows: every hidden width of both networks.
    public var widths = [32, 64, 128, 256, 512]
    /// The table's columns: generator batches.
    public var batches = [128, 256, 512, 1024]

    /// A sweep over `base`, timed with these settings.
    public init(base: ExperimentConfig, secondsPerRepeat: Double, repeats: Int) {
        self.base = base
        self.secondsPerRepeat = secondsPerRepeat
        self.repeats = repeats
    }

    /// The markdown table's header and alignment lines.
    public var tableHeader: [String] {
        ["| width | " + batches.map { "batch \($0)" }.joined(separator: " | ") + " |",
         "|---:|" + batches.map { _ in "---:|" }.joined()]
    }

    /// Times every batch at `width` and returns the table's row.
    public func tableLine(width: Int) -> String {
        var row = "| \(width) |"
        for batch in batches {
            let config = TrainingBenchmark.scaled(base, width: width, batch: batch)
            let result = TrainingBenchmark.measure(config: config, secondsPerRepeat: secondsPerRepeat, repeats: repeats)
            row += String(format: " %.3f (%.0f) |", 1000 / result.stepsPerSecond, result.gflops)
        }
        return row
    }
}
