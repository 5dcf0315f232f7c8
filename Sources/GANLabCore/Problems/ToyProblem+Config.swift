import Foundation

// MARK: - The problem of a config

extension ToyProblem {
    /// The problem of a run's config: a built-in problem, or the file target read from the run's
    /// own copy (`RunDirectory.targetPath(for:)`), whose checksum must equal the one the config
    /// recorded. The original file is never read again, so a changed original cannot change a run.
    public init(config: ExperimentConfig, run: RunDirectory) throws {
        guard config.problem.isFileTarget else {
            self.init(config.problem)
            return
        }
        let path = run.targetPath(for: config.problem)
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError("\(path): no such file; the run's copy of its target (\(config.target.file)) is missing. "
                             + "Copy the original back as \(path) (its checksum must be \(config.target.checksum))")
        }
        self.init(file: try FileTarget.read(path: path, kind: config.problem, settings: config.target))
    }

    /// The problem of a config about to start a run, and a file target's bytes for the run to
    /// copy (nil for a built-in problem). The file is `config.target.file` as given (experiment
    /// loaders have made it relative to the current folder, `ExperimentConfig.resolvingTarget`);
    /// its checksum is recorded in `config`, or, when `config` already records one, must match.
    public static func starting(_ config: inout ExperimentConfig) throws -> (problem: ToyProblem, bytes: [UInt8]?) {
        guard config.problem.isFileTarget else { return (ToyProblem(config.problem), nil) }
        let path = config.target.file
        let bytes = try FileTarget.readBytes(path)
        let file = try FileTarget.decode(bytes: bytes, file: path, kind: config.problem, settings: config.target)
        config.target.checksum = file.settings.checksum
        return (ToyProblem(file: file), bytes)
    }
}

extension ExperimentConfig {
    /// The config with a file target's `target.file` as an absolute path, a relative one taken
    /// relative to the folder of the experiment file at `url` (so `data/two-moons.csv` in
    /// `experiments/moons.yaml` reads `experiments/data/two-moons.csv`, from whatever folder and
    /// however the experiments folder was named); unchanged for built-in problems.
    public func resolvingTarget(relativeTo url: URL) -> ExperimentConfig {
        guard problem.isFileTarget else { return self }
        var resolved = self
        resolved.target.file = URL(fileURLWithPath: target.file, relativeTo: url.deletingLastPathComponent())
            .standardizedFileURL.path
        return resolved
    }
}

extension RunDirectory {
    /// `RUN/target.csv` or `RUN/target.png`: the run's copy of a file target.
    public func targetPath(for problem: ProblemKind) -> String {
        path + (problem == .picture ? "/target.png" : "/target.csv")
    }
}
