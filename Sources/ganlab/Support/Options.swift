import ArgumentParser
import Foundation
import GANLabCore

/// Where experiment files are looked up; shared by the commands that take an experiment name.
struct ExperimentOptions: ParsableArguments {
    @Option(name: .customLong("experiments"),
            help: ArgumentHelp("Folder holding the experiment files (default: \(ExperimentLibrary.searchOrder)).",
                               valueName: "dir"))
    var folder: String?

    /// The experiments folder by the search order, and where it was found.
    func locate() throws -> (library: ExperimentLibrary, source: ExperimentLibrary.Source) {
        try ExperimentLibrary.locate(flag: folder, environment: ProcessInfo.processInfo.environment,
                                     currentFolder: FileManager.default.currentDirectoryPath,
                                     executablePath: Bundle.main.executablePath)
    }

    /// The library by the search order.
    var library: ExperimentLibrary {
        get throws { try locate().library }
    }

    /// Loads an experiment by name (from the located folder) or by path (no folder needed),
    /// with `overrides` applied.
    func load(_ nameOrPath: String, overrides: [String] = []) throws -> ExperimentConfig {
        if ExperimentLibrary.isPath(nameOrPath) {
            let file = try ExperimentLibrary.existingFile(nameOrPath)
            return try ExperimentConfig.load(contentsOf: file, overrides: overrides).resolvingTarget(relativeTo: file)
        }
        return try library.load(nameOrPath, overrides: overrides)
    }
}

/// `--ema`: which of a run's generators a command draws, samples or measures; shared by render,
/// frames, diagnose, sample and compare.
struct GeneratorOptions: ParsableArguments {
    @Flag(name: .customLong("ema"),
          help: "Use θ_EMA, the moving average of G's weights kept by a run trained with train.generatorAverage > 0, instead of the trained weights; titles say which G, file names get -ema.")
    var averaged = false

    /// The generator asked for.
    var weights: GeneratorWeights { averaged ? .averaged : .trained }
}

/// Prints an error line to standard error and returns the exit code to throw (see `ExitStatus`).
func fail(_ message: Any, code: ExitStatus) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return ExitCode(code.rawValue)
}
