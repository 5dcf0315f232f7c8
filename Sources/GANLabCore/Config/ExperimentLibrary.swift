import Foundation

/// The named experiments: `NAME.yaml` files in an `experiments/` folder.
///
/// Resolves `ganlab run spiral` to `experiments/spiral.yaml`, accepts a path to any `.yaml` file
/// instead, and for an unknown name lists the names that exist and suggests the closest.
public struct ExperimentLibrary: Sendable {
    /// The folder holding the `NAME.yaml` files.
    public let directory: URL

    /// A library over the `.yaml` files in `directory` itself.
    public init(directory: URL) {
        self.directory = directory
    }

    /// A library over `experiments/` inside a project folder (the package root).
    public init(projectRoot: URL) {
        self.directory = projectRoot.appendingPathComponent("experiments", isDirectory: true)
    }

    /// One named experiment, for `ganlab list`.
    public struct Entry: Sendable, Equatable {
        /// The name (file name without `.yaml`).
        public var name: String
        /// The file.
        public var url: URL
        /// The file's `description:` line, or the error that keeps it from loading.
        public var description: String
        /// Why the file does not load, if it does not.
        public var error: ConfigError?
    }

    // MARK: - Listing

    /// The experiment names, sorted.
    public func names() throws(ConfigError) -> [String] {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(
                at: directory.resolvingSymlinksInPath(), includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
        } catch {
            throw ConfigError(.unreadable, location: directory.relativePath,
                              problem: "cannot list the experiments folder (\(error.localizedDescription)); "
                                + "run ganlab from the project folder or pass a path to a .yaml file.")
        }
        return files.filter { $0.pathExtension == "yaml" }
            .map { $0.deletingPathExtension().lastPathComponent }
            .sorted()
    }

    /// Every experiment with its description, sorted by name. Files that fail to load are listed
    /// with their error instead of a description.
    public func entries() throws(ConfigError) -> [Entry] {
        try names().map { name in
            let url = fileURL(name)
            do throws(ConfigError) {
                let config = try ExperimentConfig.load(contentsOf: url)
                return Entry(name: name, url: url, description: config.description, error: nil)
            } catch {
                return Entry(name: name, url: url, description: error.description, error: error)
            }
        }
    }

    // MARK: - Resolving

    /// The file for `nameOrPath`: a path when it contains `/` or ends in `.yaml`/`.yml`
    /// (relative to the current folder), otherwise `directory/NAME.yaml`.
    public func url(for nameOrPath: String) throws(ConfigError) -> URL {
        if ExperimentLibrary.isPath(nameOrPath) { return try ExperimentLibrary.existingFile(nameOrPath) }
        let url = fileURL(nameOrPath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            let known = (try? names()) ?? []
            let list = known.isEmpty ? "none found in \(directory.relativePath)" : known.joined(separator: ", ")
            throw ConfigError(.unknownExperiment, location: "",
                              problem: "unknown experiment '\(nameOrPath)'; "
                                + ConfigError.suggestion(for: nameOrPath, in: known) + "available: \(list).")
        }
        return url
    }

    /// Resolves `nameOrPath` and loads it with `overrides` applied; a file target's path is
    /// then relative to the current folder (`ExperimentConfig.resolvingTarget(relativeTo:)`).
    public func load(_ nameOrPath: String, overrides: [String] = []) throws(ConfigError) -> ExperimentConfig {
        let file = try url(for: nameOrPath)
        return try ExperimentConfig.load(contentsOf: file, overrides: overrides).resolvingTarget(relativeTo: file)
    }

    /// The experiment file at `path` (relative to the current folder), which must exist.
    public static func existingFile(_ path: String) throws(ConfigError) -> URL {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ConfigError(.unknownExperiment, location: path,
                              problem: "no such experiment file; check the path, or give an experiment name "
                                + "without '.yaml' (see `ganlab list`).")
        }
        return url
    }

    /// Whether an argument names a file rather than an experiment.
    public static func isPath(_ argument: String) -> Bool {
        argument.contains("/") || argument.hasSuffix(".yaml") || argument.hasSuffix(".yml")
    }

    private func fileURL(_ name: String) -> URL {
        directory.appendingPathComponent(name + ".yaml", isDirectory: false)
    }
}
