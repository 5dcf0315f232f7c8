/// A file written where the user asked (`--out`, `--csv`): its format follows its extension, and
/// missing folders on its way are created.
public enum OutputFile {
    /// Checks that `path` ends in one of `formats` (lower-case extensions without the dot, case
    /// ignored) and creates its parent folders. `option` names the flag in the message.
    ///
    /// An unsupported extension is bad input (`InputError`, nothing created); a folder that
    /// cannot be created is a `StorageError.io` naming it and the system's reason.
    public static func prepare(_ path: String, formats: [String], option: String = "--out") throws {
        try checkFormat(path, formats: formats, option: option)
        if let slash = path.lastIndex(of: "/") {
            let folder = String(path[..<slash])
            if !folder.isEmpty { try makeDirectories(folder) }
        }
    }

    /// Checks only that `path` ends in one of `formats` (nothing is created), so a command can
    /// refuse a name before doing its work.
    public static func checkFormat(_ path: String, formats: [String], option: String = "--out") throws {
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        let dot = name.lastIndex(of: ".")
        let ext = dot.map { String(name[name.index(after: $0)...]).lowercased() } ?? ""
        guard formats.contains(ext) else {
            let supported = formats.map { "." + $0 }.joined(separator: ", ")
            let found = ext.isEmpty ? "has no extension" : "asks for .\(ext)"
            throw InputError("\(option) \(path) \(found); this command writes \(supported): end the name with "
                             + (formats.count == 1 ? "\(supported)" : "one of them"))
        }
    }
}
