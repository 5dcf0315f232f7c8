import ArgumentParser
import Foundation
import GANLabCore
import GANLabEngine

/// The `ganlab` command: train GANs on toy problems and look at their maps.
@main
struct GANLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ganlab",
        abstract: "Train small 2-D GANs and see (and measure) how their latent-to-sample map tears and collapses.",
        discussion: """
            Experiments are found in: \(ExperimentLibrary.searchOrder).
            \(ExitStatus.contract)
            """,
        version: versionText,
        subcommands: [Run.self, Config.self, Render.self, Diagnose.self, Frames.self, Video.self, List.self, Target.self,
                      Sample.self, Bench.self, Timeline.self, Compare.self, CPPNCommand.self, Sweep.self, Report.self])

    /// `ganlab --version`: the version and how this binary multiplies (AVX2 or AVX-512 tiles).
    static var versionText: String {
        let build = GEMM.tileLanes == 16 ? "AVX-512 build" : "portable AVX2 build"
        return "ganlab \(GANLabVersion.current), \(build) (\(GEMM.tileLanes)-lane product tiles)"
    }

    /// Parses and runs a subcommand under one exit-status contract (`ExitStatus`): usage errors and
    /// bad input exit 2, runtime failures 1, each as one line on standard error.
    static func main() {
        // A file-size limit (ulimit -f) must surface as an EFBIG error naming the file, not kill
        // the process with SIGXFSZ half-way through a write.
        signal(SIGXFSZ, SIG_IGN)
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitForParseError(error)
        }
        do {
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let error where error is CleanExit || error is ValidationError || isArgumentParserError(error) {
            // Help and version requests, and usage errors found while running, are ArgumentParser's.
            exitForParseError(error)
        } catch {
            FileHandle.standardError.write(Data("error: \(ExitStatus.message(for: error))\n".utf8))
            Foundation.exit(ExitStatus.of(error).rawValue)
        }
        Foundation.exit(ExitStatus.done.rawValue)
    }

    /// Whether `error` is one of ArgumentParser's own (its help command throws an internal type).
    private static func isArgumentParserError(_ error: any Error) -> Bool {
        String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }

    /// ArgumentParser's own errors: help and version exit 0, every usage error exits 2 (not 64).
    private static func exitForParseError(_ error: any Error) -> Never {
        let code = exitCode(for: error)
        if code == .success { exit(withError: error) }
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(ExitStatus.badInput.rawValue)
    }
}
