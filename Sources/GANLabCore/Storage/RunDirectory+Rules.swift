import Foundation

/// The rules for where a new run goes and when an existing folder may be replaced.
extension RunDirectory {
    /// Whether `name` is a run name that stays one folder deep inside `output/EXPERIMENT/`:
    /// 1–64 ASCII letters, digits, '.', '-' or '_', not starting with '.'.
    public static func isSafeRunName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
    }

    /// The folder of a new run of `experiment` (a name or a path to a `.yaml` file):
    /// `output/EXPERIMENT/NAME`, or `output/EXPERIMENT/yyyyMMdd-HHmmss` when no name is given.
    public static func defaultPath(experiment: String, name: String?, date: Date = Date()) -> String {
        let base = URL(fileURLWithPath: experiment).deletingPathExtension().lastPathComponent
        if let name { return "output/\(base)/\(name)" }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        return "output/\(base)/\(formatter.string(from: date))"
    }

    /// Makes room for a new run at `path`. A missing folder is fine. An existing one is replaced
    /// only with `force`, and only when it holds a run (a `config.yaml`), or nothing but the
    /// temporary file of a run killed while starting; anything else is never deleted.
    public static func clearForNewRun(at path: String, force: Bool) throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: path) else { return }
        let isRun = fm.fileExists(atPath: path + "/config.yaml")
        guard force else {
            throw RunError("\(path) already exists\(isRun ? " and holds a run" : ""); pass --force to replace it, "
                           + "--resume \(path) to continue it, or choose another --out")
        }
        let leftovers = (try? fm.contentsOfDirectory(atPath: path)) ?? [path]
        guard isRun || leftovers.allSatisfy({ $0.hasPrefix(".") && $0.contains(".tmp-") }) else {
            throw RunError("\(path) exists and is not a ganlab run folder; refusing to replace it even with --force")
        }
        do {
            try fm.removeItem(atPath: path)
        } catch {
            throw CommandFailure("cannot replace \(path): \(ExitStatus.message(for: error))")
        }
    }

    /// Checks that `path` holds a run (its `config.yaml`), for commands that continue or read one.
    public static func requireRun(at path: String) throws {
        guard FileManager.default.fileExists(atPath: path + "/config.yaml") else {
            throw RunError("\(path) is not a ganlab run folder (no config.yaml); give the folder `ganlab run` printed, "
                           + "or, if that run was killed before it wrote its config, start it again with --force")
        }
    }
}
