import Foundation
import GANLabCore
import Testing

/// Runs `binary` with `arguments` in `folder` with `environment` added, and waits.
private func runInstalled(_ binary: String, _ arguments: [String], in folder: String,
                          environment: [String: String] = [:]) throws -> CLI.Result {
    try runProcess(binary, arguments) { p in
        p.currentDirectoryURL = URL(fileURLWithPath: folder)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: ExperimentLibrary.environmentVariable)
        for (key, value) in environment { env[key] = value }
        p.environment = env
    }
}

@Suite("Installed binary (built binary)", .serialized)
struct InstallTests {
    @Test("installed as make install lays it out, ganlab lists and runs experiments from any folder; the search order holds")
    func runsFromAnyFolder() throws {
        let dir = temporaryFolder("install")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let prefix = dir + "/prefix", elsewhere = dir + "/elsewhere"
        let fm = FileManager.default
        for folder in [prefix + "/bin", prefix + "/share/ganlab", elsewhere] {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try fm.copyItem(atPath: CLI.binary.path, toPath: prefix + "/bin/ganlab")
        try fm.copyItem(atPath: CLI.root.path + "/experiments", toPath: prefix + "/share/ganlab/experiments")
        let binary = prefix + "/bin/ganlab"

        let list = try runInstalled(binary, ["list"], in: elsewhere)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("spiral-article") && list.stdout.contains("installed with the binary"), "\(list.stdout)")
        let run = try runInstalled(binary, ["run", "spiral", "--set", "train.steps=3", "--set", "generator.hidden=[4]",
                                           "--set", "discriminator.hidden=[4]", "--set", "output.diagnosticsGrid=0",
                                           "--no-render", "--name", "t"], in: elsewhere)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(fm.fileExists(atPath: elsewhere + "/output/spiral/t/snapshots/step-0000003.snap"))
        let config = try runInstalled(binary, ["config", "ring8", "--set", "train.steps=7"], in: elsewhere)
        #expect(config.status == 0 && config.stdout.contains("steps: 7") && config.stdout.contains("problem: ring8"))

        // GANLAB_EXPERIMENTS wins over the installed folder, and --experiments over both.
        let mine = dir + "/mine"
        try fm.createDirectory(atPath: mine, withIntermediateDirectories: true)
        try "description: only mine\nproblem: ring8\n".write(toFile: mine + "/mine.yaml", atomically: true, encoding: .utf8)
        let byVariable = try runInstalled(binary, ["list"], in: elsewhere, environment: [ExperimentLibrary.environmentVariable: mine])
        #expect(byVariable.stdout.contains("only mine") && !byVariable.stdout.contains("spiral-article"), "\(byVariable.stdout)")
        let byFlag = try runInstalled(binary, ["list", "--experiments", prefix + "/share/ganlab/experiments"], in: elsewhere,
                                      environment: [ExperimentLibrary.environmentVariable: mine])
        #expect(byFlag.stdout.contains("spiral-article") && !byFlag.stdout.contains("only mine"), "\(byFlag.stdout)")

        // Without an installed folder and outside a project there is nothing to list: exit 2, one line.
        try fm.removeItem(atPath: prefix + "/share/ganlab/experiments")
        let none = try runInstalled(binary, ["run", "spiral"], in: elsewhere)
        #expect(none.status == 2 && none.stderr.contains("no experiments folder found"), "\(none.stderr)")
        let help = try runInstalled(binary, ["--help"], in: elsewhere)
        #expect(help.stdout.contains("GANLAB_EXPERIMENTS") && help.stdout.contains("130"), "\(help.stdout)")
        let version = try runInstalled(binary, ["--version"], in: elsewhere)
        #expect(version.status == 0 && version.stdout.hasPrefix("ganlab \(GANLabVersion.current)")
                && version.stdout.contains("build"), "\(version.stdout)")
    }
}
