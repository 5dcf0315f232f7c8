import ArgumentParser
import Foundation
import GANLabCore

/// Where experiment files are looked up; shared by the commands that take an experiment name.
struct ExperimentOptions: ParsableArguments {
    @Option(name: .customLong("experiments"), help: "Folder holding the experiment files.")
    var folder: String = "experiments"

    /// The library over `folder`.
    var library: ExperimentLibrary { ExperimentLibrary(directory: URL(fileURLWithPath: folder)) }
}

/// Prints an error line to standard error and exits with `code` (2: the user's input is wrong;
/// 1: the run failed).
func fail(_ message: Any, code: Int32) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return ExitCode(code)
}
