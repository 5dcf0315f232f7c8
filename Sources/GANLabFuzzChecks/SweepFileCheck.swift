import Foundation
import GANLabCore

extension FuzzChecks {
    /// The file name a sweep file's messages must name.
    public static let sweepFileName = "fuzz-sweep.yaml"

    /// Bytes as the contents of a sweep file, expanded against the experiments in `library`
    /// (`SweepPlan.parse(data:)`, what `ganlab sweep FILE.yaml` does once the file is read). Every
    /// input must end in one of two ways:
    ///   - a plan whose every run has a valid config that survives a round trip through `yamlText`,
    ///     cell folder names that are distinct and folder-safe, and runs numbered 0…N−1; or
    ///   - a `ConfigError` whose message is one line starting with the file name.
    /// Returns what went wrong, or nil.
    public static func sweepFile(_ data: Data, library: ExperimentLibrary) -> String? {
        let plan: SweepPlan
        do {
            plan = try SweepPlan.parse(data: data, name: "fuzz-sweep", file: sweepFileName, library: library)
        } catch {
            let message = error.description
            if !message.hasPrefix(sweepFileName) { return "the message does not start with the file name: \(message)" }
            if message.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
                return "the message spans several lines: \(message.debugDescription)"
            }
            return nil
        }
        if plan.runs.map(\.index) != Array(plan.runs.indices) { return "runs are not numbered 0…N−1" }
        if Set(plan.cells.map(\.name)).count != plan.cells.count { return "two cells share a folder name" }
        for cell in plan.cells where cell.name.isEmpty || cell.name.hasPrefix(".")
            || !cell.name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) {
            return "cell folder name '\(cell.name)' is not folder-safe"
        }
        for run in plan.runs.prefix(64) {
            do {
                try run.config.validate()
                let again = try ExperimentConfig.load(yaml: run.config.yamlText, file: "resolved.yaml")
                if again != run.config { return "run \(run.index)'s config changed in a round trip" }
            } catch {
                return "run \(run.index)'s accepted config fails again: \(error)"
            }
        }
        return nil
    }
}
