import Foundation

/// A folder written where the user asked (`--report DIR`): an existing folder is written into,
/// a missing one is created with the folders on its way.
public enum OutputFolder {
    /// Checks, creating nothing, that `path` can hold the command's files: neither `path` nor a
    /// folder on its way is an existing file. A file there is bad input (`InputError` naming it),
    /// so a command can refuse the path before doing its work. `option` names the flag.
    public static func check(_ path: String, option: String) throws {
        guard !path.isEmpty else { throw InputError("\(option) needs a folder name") }
        let fm = FileManager.default
        var url = URL(fileURLWithPath: path).standardizedFileURL
        while true {
            var isFolder: ObjCBool = false
            if fm.fileExists(atPath: url.path, isDirectory: &isFolder) {
                guard isFolder.boolValue else {
                    let which = url.path == URL(fileURLWithPath: path).standardizedFileURL.path
                        ? "\(path) is a file" : "\(url.path) (on the way to \(path)) is a file"
                    throw InputError("\(option) \(which); give a folder, which is created when missing")
                }
                return
            }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return }
            url = parent
        }
    }
}
