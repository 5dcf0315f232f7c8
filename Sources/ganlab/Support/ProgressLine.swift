import Foundation
import GANLabCore

/// Training feedback: one updating line on a terminal, a plain line every few seconds otherwise.
struct ProgressLine {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastPlain = Date.distantPast
    private var lastWidth = 0

    /// Shows one progress update.
    mutating func show(_ p: TrainingProgress) {
        let percent = 100 * Double(p.step) / Double(max(p.totalSteps, 1))
        let remaining = Double(p.totalSteps - p.step) / max(p.stepsPerSecond, 1e-9)
        let line = String(format: "step %d/%d (%.1f%%)  %.1f steps/s  ETA %@  D loss %.4f  G loss %.4f",
                          p.step, p.totalSteps, percent, p.stepsPerSecond, Self.duration(remaining),
                          p.latest.discriminatorLoss, p.latest.generatorLoss)
        show(text: line, final: p.step == p.totalSteps)
    }

    /// Shows one line of text (on a terminal in place of the last; otherwise every few seconds,
    /// and always when `final`).
    mutating func show(text line: String, final: Bool = false) {
        if isTerminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
            lastWidth = line.count
        } else if Date().timeIntervalSince(lastPlain) >= 5 || final {
            lastPlain = Date()
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// Ends the updating line so later output starts on a fresh line.
    func finish() {
        if isTerminal && lastWidth > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// "1h02m", "3m07s", "12s".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}
