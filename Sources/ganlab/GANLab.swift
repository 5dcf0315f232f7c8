import ArgumentParser
import Foundation

/// The `ganlab` command: train GANs on toy problems and look at their maps.
@main
struct GANLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ganlab",
        abstract: "Train small 2-D GANs and see (and measure) how their latent-to-sample map tears and collapses.",
        subcommands: [Run.self, Render.self, Diagnose.self, Frames.self, Video.self, List.self, Target.self, Sample.self, Bench.self, Timeline.self, Compare.self, CPPNCommand.self])

    /// Runs the command; every usage error (bad flag, bad value, failed validation) exits with
    /// status 2, like a bad experiment file, instead of ArgumentParser's 64.
    static func main() {
        // A file-size limit (ulimit -f) must surface as an EFBIG error naming the file, not kill
        // the process with SIGXFSZ half-way through a write.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
