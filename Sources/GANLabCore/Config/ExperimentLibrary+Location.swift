import Foundation

extension ExperimentLibrary {
    /// Where an experiments folder was found.
    public enum Source: String, Sendable, Equatable {
        /// `--experiments DIR`.
        case flag = "--experiments"
        /// The `GANLAB_EXPERIMENTS` environment variable.
        case environment = "GANLAB_EXPERIMENTS"
        /// `./experiments` in the current folder.
        case currentFolder = "./experiments"
        /// `PREFIX/share/ganlab/experiments` beside the installed binary (`make install`).
        case installed = "installed with the binary"
    }

    /// The environment variable that names an experiments folder.
    public static let environmentVariable = "GANLAB_EXPERIMENTS"

    /// The search order, in words, for `--help` and error messages.
    public static let searchOrder =
        "--experiments DIR, then $GANLAB_EXPERIMENTS, then ./experiments, then PREFIX/share/ganlab/experiments beside the installed binary"

    /// The experiments folder installed with a binary at `executablePath`: `PREFIX/bin/ganlab` →
    /// `PREFIX/share/ganlab/experiments` (symbolic links to the binary are followed first).
    public static func installedFolder(executablePath: String) -> String {
        let binary = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
        return binary.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/ganlab/experiments", isDirectory: true).path
    }

    /// Finds the experiments folder: `flag`, then `environment["GANLAB_EXPERIMENTS"]`, then
    /// `experiments` in `currentFolder`, then the folder installed beside `executablePath`.
    ///
    /// A folder named by the flag or the variable must exist (a typo there is the user's to fix,
    /// not a reason to fall through to another folder); the last two are used only when present.
    public static func locate(
        flag: String?, environment: [String: String], currentFolder: String, executablePath: String?
    ) throws(ConfigError) -> (library: ExperimentLibrary, source: Source) {
        func existing(_ path: String) -> Bool {
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
        }
        func library(_ path: String) -> ExperimentLibrary {
            ExperimentLibrary(directory: URL(fileURLWithPath: path, isDirectory: true))
        }
        if let flag {
            guard existing(flag) else {
                throw ConfigError(.unreadable, location: flag, problem: "no such folder (given with --experiments).")
            }
            return (library(flag), .flag)
        }
        if let variable = environment[environmentVariable], !variable.isEmpty {
            guard existing(variable) else {
                throw ConfigError(.unreadable, location: variable,
                                  problem: "no such folder (named by \(environmentVariable)); fix or unset the variable.")
            }
            return (library(variable), .environment)
        }
        let local = URL(fileURLWithPath: currentFolder, isDirectory: true)
            .appendingPathComponent("experiments", isDirectory: true).path
        if existing(local) { return (ExperimentLibrary(directory: URL(fileURLWithPath: "experiments", isDirectory: true)), .currentFolder) }
        if let executablePath {
            let installed = installedFolder(executablePath: executablePath)
            if existing(installed) { return (library(installed), .installed) }
        }
        throw ConfigError(.unreadable, location: "",
                          problem: "no experiments folder found (looked for \(searchOrder)); "
                            + "pass --experiments DIR, set \(environmentVariable), or run `make install`.")
    }
}
