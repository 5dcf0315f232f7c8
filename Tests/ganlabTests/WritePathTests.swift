import Foundation
import GANLabCore
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every command that writes where the user says, pointed at a folder that does not exist yet
/// (created) and at a read-only folder (one plain error line, status 1).
@Suite("Write paths (built binary)", .serialized)
struct WritePathTests {
    /// The commands and their output argument, given the run folder `run` and a destination
    /// folder `dest`.
    static func writers(run: String, dest: String) -> [(name: String, arguments: [String], output: String)] {
        [
            ("render", ["render", run, "--view", "mapping", "--size", "96", "--out", dest + "/m.png"], dest + "/m.png"),
            ("timeline", ["timeline", run, "--size", "200", "--out", dest + "/t.png"], dest + "/t.png"),
            ("compare --out", ["compare", run + "@40", run, "--size", "120", "--grid", "8", "--out", dest + "/c.png"], dest + "/c.png"),
            ("compare --csv", ["compare", run + "@40", run, "--size", "120", "--grid", "8", "--out", dest + "/c2.png",
                               "--csv", dest + "/c2.csv"], dest + "/c2.csv"),
            ("target", ["target", "spiral", "--count", "20", "--out", dest + "/t.csv"], dest + "/t.csv"),
            ("sample", ["sample", run, "--count", "20", "--out", dest + "/s.csv"], dest + "/s.csv"),
            ("cppn", ["cppn", "--width", "4", "--depth", "2", "--size", "32", "--out", dest + "/p.png"], dest + "/p.png"),
            ("run", ["run", CLI.root.path + "/experiments/spiral.yaml", "--set", "train.steps=2", "--set", "generator.hidden=[4]",
                     "--set", "discriminator.hidden=[4]", "--set", "output.probeCount=10", "--set", "output.diagnosticsGrid=0",
                     "--no-render", "--out", dest + "/r"], dest + "/r/config.yaml"),
        ]
    }

    /// A finished tiny run (snapshots at 40 and 80) in a folder every user can read.
    static func tinyRun(in dir: String) throws -> String {
        let file = dir + "/tiny.yaml"
        try tinyYAML.replacingOccurrences(of: "steps: 400", with: "steps: 80").write(toFile: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["run", file, "--out", dir + "/run", "--no-render"])
        guard r.status == 0 else { throw CLI.Unavailable(reason: "the tiny run failed: \(r.stderr)") }
        return dir + "/run"
    }

    @Test("every --out into a missing folder creates the folder and writes the file")
    func missingFolders() throws {
        let dir = temporaryFolder("write-missing")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try Self.tinyRun(in: dir)
        for writer in Self.writers(run: run, dest: dir + "/new/\(UUID().uuidString)/deeper") {
            let r = try CLI.run(writer.arguments)
            #expect(r.status == 0, "\(writer.name): \(r.stderr)")
            #expect(FileManager.default.fileExists(atPath: writer.output), "\(writer.name) did not write \(writer.output)")
        }
    }

    @Test("every --out into a read-only folder fails with status 1 and one plain line naming the path")
    func readOnlyFolders() throws {
        guard let user = CLI.unprivilegedOrSkip() else { return }
        let dir = temporaryFolder("write-readonly")
        let locked = dir + "/locked"
        defer { chmod(locked, 0o755); try? FileManager.default.removeItem(atPath: dir) }
        let run = try Self.tinyRun(in: dir)
        // The run itself stays writable for the user (timeline keeps its events.csv there).
        for name in try FileManager.default.subpathsOfDirectory(atPath: run) + [""] {
            _ = chown(run + "/" + name, user.uid, user.gid)
        }
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
        chmod(locked, 0o555)
        for writer in Self.writers(run: run, dest: locked + "/sub") + Self.writers(run: run, dest: locked) {
            let r = try CLI.run(writer.arguments, wrapper: user.prefix)
            #expect(r.status == 1, "\(writer.name): status \(r.status): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
            #expect(lines.count == 1, "\(writer.name): \(r.stderr)")
            let line = String(lines.first ?? "")
            #expect(line.contains(locked), "\(writer.name) does not name the folder: \(line)")
            #expect(line.lowercased().contains("permission denied"), "\(writer.name): \(line)")
            for dump in ["Error Domain", "UserInfo", "NSCocoaErrorDomain", "NSFilePath"] {
                #expect(!r.stderr.contains(dump), "\(writer.name) prints a Foundation error dump: \(r.stderr)")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: locked).isEmpty, "nothing is left in the read-only folder")
    }

    @Test("an --out whose extension the command does not write is refused with the supported ones, status 2, nothing written")
    func formatByExtension() throws {
        let dir = temporaryFolder("write-format")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try Self.tinyRun(in: dir)
        let cases: [([String], String)] = [
            (["render", run, "--out", dir + "/out/m.jpg"], ".png"),
            (["target", "spiral", "--out", dir + "/out/t.txt"], ".csv"),
            (["compare", run + "@40", run, "--out", dir + "/out/c.pdf"], ".png"),
            (["video", run, "--sequence", "timelapse", "--out", dir + "/out/v.avi"], ".mp4"),
        ]
        for (arguments, supported) in cases {
            let r = try CLI.run(arguments)
            #expect(r.status == 2, "\(arguments): \(r.stderr)")
            #expect(r.stderr.contains(supported), "\(arguments) does not name the supported format: \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"), "a refused --out creates nothing")
        let gif = try CLI.run(["video", run, "--sequence", "timelapse", "--out", dir + "/v.gif"])
        #expect(gif.status == 0, "the format follows the extension: \(gif.stderr)")
    }
}
