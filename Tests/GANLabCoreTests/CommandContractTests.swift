import Foundation
import Testing
import GANLabTestSupport
@testable import GANLabCore


/// Writes `text` into a fresh file and returns its path.
private func file(_ text: String, named name: String = "s.csv") throws -> String {
    let path = temporaryFolder("csv") + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

@Suite("Sample files (CSV)")
struct SampleFileTests {
    @Test("quoted, upper-case and plain headers all name x and y; blank lines are skipped; other columns are ignored",
          arguments: ["\"x\",\"y\"", "X,Y", "x,y", " x , y ", "\"z0\",\"X\",\"Y\""])
    func headers(header: String) throws {
        let extra = header.contains("z0") ? "9," : ""
        let path = try file("\(header)\n\(extra)1.5,-2\n\n\(extra)0.25,3e-1\r\n\n")
        #expect(try PointSetCSV.read(path: path) == [1.5, -2, 0.25, 0.3])
    }

    /// A bad file and the words its one-line error must hold.
    struct Bad: CustomStringConvertible, Sendable {
        var name: String
        var text: String?
        var mustContain: [String]
        var description: String { name }
    }

    static let bad: [Bad] = [
        Bad(name: "missing file", text: nil, mustContain: ["no such file"]),
        Bad(name: "empty", text: "", mustContain: ["is empty", "header"]),
        Bad(name: "no x column", text: "a,b\n1,2\n", mustContain: [":1:", "no columns named x and y"]),
        Bad(name: "duplicate column", text: "x,y,X\n1,2,3\n", mustContain: [":1:", "twice"]),
        Bad(name: "NaN", text: "x,y\n1,2\nNaN,3\n", mustContain: [":3:", "only finite numbers"]),
        Bad(name: "infinity", text: "x,y\n1,2\n\n4,inf\n", mustContain: [":4:", "only finite numbers"]),
        Bad(name: "text in a number column", text: "x,y\n1,two\n", mustContain: [":2:", "'two', not a number"]),
        Bad(name: "short row", text: "x,y\n1\n", mustContain: [":2:", "1 fields", "2 columns"]),
        Bad(name: "header only", text: "x,y\n", mustContain: ["no samples"]),
        Bad(name: "unclosed quote", text: "\"x,y\n1,2\n", mustContain: [":1:", "not closed"]),
        Bad(name: "beyond Float", text: "x,y\n1e39,0\n", mustContain: ["32-bit float"]),
    ]

    @Test("a bad sample file is refused with one line naming the file (and the line)", arguments: bad)
    func refused(_ bad: Bad) throws {
        let path = try bad.text.map { try file($0) } ?? temporaryFolder("csv") + "/absent.csv"
        do {
            _ = try PointSetCSV.read(path: path)
            Issue.record("\(bad.name) was accepted")
        } catch let error as InputError {
            #expect(error.description.hasPrefix(path), "\(error)")
            #expect(!error.description.contains("\n"))
            for word in bad.mustContain { #expect(error.description.contains(word), "\(bad.name): \(error)") }
            #expect(ExitStatus.of(error) == .badInput)
        }
    }
}

@Suite("Experiments folder and settings")
struct ExperimentLocationTests {
    @Test("the search order is --experiments, then GANLAB_EXPERIMENTS, then ./experiments, then PREFIX/share/ganlab/experiments")
    func searchOrder() throws {
        let dir = temporaryFolder("locate")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let flag = dir + "/flag", variable = dir + "/variable", project = dir + "/project"
        let prefix = dir + "/prefix", installed = prefix + "/share/ganlab/experiments"
        for folder in [flag, variable, project + "/experiments", installed, prefix + "/bin"] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let binary = prefix + "/bin/ganlab"
        let environment = [ExperimentLibrary.environmentVariable: variable]
        func found(_ flag: String?, _ environment: [String: String], _ here: String) throws -> ExperimentLibrary.Source {
            try ExperimentLibrary.locate(flag: flag, environment: environment, currentFolder: here, executablePath: binary).source
        }
        #expect(try found(flag, environment, project) == .flag)
        #expect(try found(nil, environment, project) == .environment)
        #expect(try found(nil, [:], project) == .currentFolder)
        #expect(try found(nil, [:], dir) == .installed)
        let located = try ExperimentLibrary.locate(flag: nil, environment: [:], currentFolder: dir, executablePath: binary)
        #expect(located.library.directory.standardizedFileURL.path == URL(fileURLWithPath: installed).standardizedFileURL.path)

        try FileManager.default.removeItem(atPath: installed)
        #expect(throws: ConfigError.self) { try found(nil, [:], dir) }
        #expect(throws: ConfigError.self, "a --experiments folder that does not exist is an error, not a fall-through") {
            try found(dir + "/nope", environment, project)
        }
        #expect(throws: ConfigError.self) { try found(nil, [ExperimentLibrary.environmentVariable: dir + "/nope"], project) }
    }

    @Test("the described YAML of every committed experiment names every key with a meaning and loads back to the same config")
    func describedYAML() throws {
        let library = ExperimentLibrary(projectRoot: packageRoot)
        for name in try library.names() {
            let config = try library.load(name)
            let text = config.describedYAMLText
            #expect(try ExperimentConfig.load(yaml: text, file: "\(name)-described.yaml") == config, "\(name)")
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                #expect(line.contains("  # ") && !line.hasSuffix("# "), "\(name): a key without a meaning: \(line)")
            }
            // yamlText leaves out `train.kernels` while it is `auto`; the described text shows it.
            let keys = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.count
            let omitted = config.train.kernels == "auto" ? 1 : 0
            #expect(keys == config.yamlText.split(separator: "\n").filter { !$0.hasPrefix("#") }.count + omitted, "\(name)")
            #expect(text.contains("kernels: ") && !config.yamlText.contains("kernels: auto"), "\(name)")
        }
        var changed = ExperimentConfig()
        changed.train.steps = 123
        #expect(changed.describedYAMLText.contains("steps: 123") && changed.describedYAMLText.contains("default 60000"))
    }
}

@Suite("Exit status and output files")
struct ExitStatusTests {
    @Test("input errors exit 2, runtime failures 1; Foundation file errors read as path and reason")
    func classification() throws {
        #expect(ExitStatus.of(ConfigError(.syntax, location: "a.yaml:1", problem: "bad")) == .badInput)
        #expect(ExitStatus.of(RunError("no run")) == .badInput)
        #expect(ExitStatus.of(StorageError.io(path: "/x", operation: "write", code: 13)) == .failure)
        #expect(ExitStatus.of(CommandFailure("ffmpeg failed")) == .failure)
        let dir = temporaryFolder("exit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            try "x".write(toFile: dir + "/missing/f.csv", atomically: true, encoding: .utf8)
            Issue.record("writing into a missing folder succeeded")
        } catch {
            let message = ExitStatus.message(for: error)
            #expect(!message.contains("Error Domain") && !message.contains("UserInfo"), "\(message)")
            #expect(message.contains(dir + "/missing"), "\(message)")
        }
    }

    @Test("OutputFile.prepare creates missing folders and refuses an extension the command does not write")
    func outputFile() throws {
        let dir = temporaryFolder("out")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try OutputFile.prepare(dir + "/a/b/c.PNG", formats: ["png"])
        #expect(FileManager.default.fileExists(atPath: dir + "/a/b"))
        #expect(throws: InputError.self) { try OutputFile.prepare(dir + "/d/m.jpg", formats: ["png"]) }
        #expect(throws: InputError.self) { try OutputFile.prepare(dir + "/d/noext", formats: ["png", "csv"]) }
        #expect(!FileManager.default.fileExists(atPath: dir + "/d"), "a refused name creates nothing")
    }
}
