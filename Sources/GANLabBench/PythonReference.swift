import Foundation
import GANLabEngine
import GANLabCore

/// Runs the PyTorch reference script (`Benchmarks/torch_reference.py`) in a child process and
/// reads the speeds from its final `JSON {...}` line.
public struct TorchReference: Sendable {
    /// Whether the reference can run: PyTorch's version, or why not.
    public enum Availability: Sendable {
        /// The script is there and PyTorch imports; the associated value is its version.
        case available(String)
        /// A sentence saying what is missing.
        case unavailable(String)
    }

    /// Why a run of the reference gave no speeds.
    public struct Failure: Error, Sendable {
        /// What went wrong, for the user.
        public var message: String
    }

    /// The repository's own reference script, relative to the package root.
    public static let defaultScript = "Benchmarks/torch_reference.py"
    /// The PyTorch variant timed: eager modules, fused Adam.
    public static let variant = "eager_fused"

    /// The Python interpreter that runs the script.
    public let python: String
    /// Path of the script.
    public let script: String
    /// Whether the script and PyTorch are there (checked once, at `init`).
    public let availability: Availability

    /// Checks that `script` exists and that `python` can import PyTorch.
    public init(python: String, script: String) {
        self.python = python
        self.script = script
        if !FileManager.default.fileExists(atPath: script) {
            availability = .unavailable("\(script) is not there (run from the repository's root folder, or pass --torch-script)")
        } else {
            switch Self.execute(python, ["-c", "import torch; print(torch.__version__)"]) {
            case .success(let out): availability = .available(out.trimmingCharacters(in: .whitespacesAndNewlines))
            case .failure: availability = .unavailable("PyTorch is not installed for \(python) (pip install torch)")
            }
        }
    }

    /// Whether `availability` is `.available`.
    public var isAvailable: Bool {
        if case .available = availability { return true }
        return false
    }

    /// Steps per second of every timed repeat of one configuration (`TrainingBenchmark.referenceCaseNames`),
    /// with the gradient penalty `penalty` of weight `penaltyWeight` added to the D loss unless it is `none`.
    public func run(config: String, threads: Int, repeats: Int, penalty: GradientPenaltyKind = .none,
                    penaltyWeight: Double = 10) -> Result<[Double], Failure> {
        var args = [script, "--config", config, "--variant", Self.variant, "--threads", "\(threads)",
                    "--repeats", "\(max(repeats, 1))"]
        if penalty != .none { args += ["--penalty", penalty.rawValue, "--penalty-weight", "\(penaltyWeight)"] }
        switch Self.execute(python, args) {
        case .failure(let f): return .failure(f)
        case .success(let out):
            guard let speeds = Self.stepsPerSecond(inOutput: out) else {
                return .failure(Failure(message: "no JSON line in the reference's output"))
            }
            return .success(speeds)
        }
    }

    /// The `steps_per_s.all` array of the last line that starts with `JSON ` in the script's
    /// output, or nil when there is no such line or it lacks the array.
    public static func stepsPerSecond(inOutput text: String) -> [Double]? {
        guard let line = text.split(separator: "\n").last(where: { $0.hasPrefix("JSON ") }),
              let json = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(5).utf8)) as? [String: Any],
              let speeds = json["steps_per_s"] as? [String: Any], let all = speeds["all"] as? [Double]
        else { return nil }
        return all
    }

    /// Runs `python arguments…` through /usr/bin/env and returns its standard output, or a
    /// failure naming the exit status and the output's tail.
    private static func execute(_ python: String, _ arguments: [String]) -> Result<String, Failure> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return .failure(Failure(message: "cannot start \(python): \(error)")) }
        let data = PipeReading.readToEnd(out.fileHandleForReading)
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            return .failure(Failure(message: "exit status \(process.terminationStatus): \(text.suffix(300))"))
        }
        return .success(text)
    }
}
