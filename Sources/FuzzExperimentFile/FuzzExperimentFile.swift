import Foundation
import GANLabCore

// libFuzzer target: arbitrary bytes as the contents of an experiment file, through the same entry
// point `ganlab run FILE.yaml` uses once the file is read (`ExperimentConfig.load(data:file:)`).
//
// Built only with GANLAB_FUZZ=1 (see Package.swift and `make fuzz`). Besides "no crash, no hang,
// no huge allocation", every input must end in one of two ways:
//   - a config that is valid and survives a round trip through `yamlText` unchanged, or
//   - a `ConfigError` whose message is one line starting with the file name.
// A broken invariant stops the fuzzer with the input saved, like a crash.

/// The file name the messages must name.
private let fileName = "fuzz.yaml"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExperimentFile(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    do {
        let config = try ExperimentConfig.load(data: data, file: fileName)
        checkAccepted(config)
    } catch {
        checkRejected(error)
    }
    return 0
}

/// An accepted config validates and reads back equal from the YAML a run folder stores.
private func checkAccepted(_ config: ExperimentConfig) {
    do {
        try config.validate()
        let again = try ExperimentConfig.load(yaml: config.yamlText, file: "resolved.yaml")
        if again != config {
            fatalError("round trip changed the config:\n\(config.yamlText)\nread back as:\n\(again.yamlText)")
        }
    } catch {
        fatalError("an accepted config fails again: \(error)\n\(config.yamlText)")
    }
}

/// A rejection is a one-line message that names the file.
private func checkRejected(_ error: ConfigError) {
    let message = error.description
    if !message.hasPrefix(fileName) {
        fatalError("the message does not start with the file name: \(message)")
    }
    if message.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
        fatalError("the message spans several lines: \(message.debugDescription)")
    }
}
