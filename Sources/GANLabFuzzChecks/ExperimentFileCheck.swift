import Foundation
import GANLabCore

/// The invariants `make fuzz` checks on every input, as ordinary library code.
///
/// The libFuzzer targets (`Sources/Fuzz*`, one per reader of untrusted bytes) are thin shims
/// that stop on the first finding; this target is part of every build, so `make test` compiles the
/// checks and runs them on the seed corpora (Tests/GANLabCoreTests/FuzzChecksTests.swift), and a
/// change to the readers cannot silently break `make fuzz`.
public enum FuzzChecks {}

extension FuzzChecks {
    /// The file name an experiment file's messages must name.
    public static let experimentFileName = "fuzz.yaml"

    /// Bytes as the contents of an experiment file, through the entry point `ganlab run FILE.yaml`
    /// uses once the file is read (`ExperimentConfig.load(data:file:)`). Every input must end in
    /// one of two ways:
    ///   - a config that is valid and survives a round trip through `yamlText` unchanged, or
    ///   - a `ConfigError` whose message is one line starting with the file name.
    /// Returns what went wrong, or nil.
    public static func experimentFile(_ data: Data) -> String? {
        let config: ExperimentConfig
        do {
            config = try ExperimentConfig.load(data: data, file: experimentFileName)
        } catch {
            let message = error.description
            if !message.hasPrefix(experimentFileName) {
                return "the message does not start with the file name: \(message)"
            }
            if message.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
                return "the message spans several lines: \(message.debugDescription)"
            }
            return nil
        }
        // An accepted config validates and reads back equal from the YAML a run folder stores.
        do {
            try config.validate()
            let again = try ExperimentConfig.load(yaml: config.yamlText, file: "resolved.yaml")
            if again != config {
                return "round trip changed the config:\n\(config.yamlText)\nread back as:\n\(again.yamlText)"
            }
        } catch {
            return "an accepted config fails again: \(error)\n\(config.yamlText)"
        }
        return nil
    }
}
