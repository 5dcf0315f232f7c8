import Foundation
import GANLabEngine
import GANLabCore

/// Runs one of the Python reference scripts — `Benchmarks/torch_reference.py` (PyTorch) or
/// `Benchmarks/jax_reference.py` (JAX) — in a child process and reads the speeds from its final
/// `JSON {...}` line.
public struct PythonReference: Sendable {
    /// The framework a reference script times.
    public enum Framework: String, Sendable, CaseIterable {
        /// PyTorch, eager modules with fused Adam (`torch_reference.py --variant eager_fused`).
        case torch
        /// JAX, the whole step in one `jax.jit` function with donated buffers (`jax_reference.py`).
        case jax

        /// The framework's name as the tables print it.
        public var displayName: String {
            switch self {
            case .torch: "PyTorch"
            case .jax: "JAX"
            }
        }

        /// The repository's own script for this framework, relative to the package root.
        public var defaultScript: String {
            switch self {
            case .torch: "Benchmarks/torch_reference.py"
            case .jax: "Benchmarks/jax_reference.py"
            }
        }

        /// What to install when the framework is missing.
        public var installCommand: String {
            switch self {
            case .torch: "pip install torch"
            case .jax: "pip install jax optax"
            }
        }

        /// How the script runs the step, for the comparison's preamble.
        public var method: String {
            switch self {
            case .torch: "variant \(PythonReference.torchVariant): eager modules, fused Adam"
            case .jax: "the whole step in one jax.jit function, donated buffers, threads pinned; compile time excluded"
            }
        }

        /// Whether the script can add a gradient penalty to the D loss (`--penalty`).
        public var supportsPenalties: Bool { self == .torch }

        /// Python that prints the framework's version and fails when it is not importable.
        var versionProbe: String {
            switch self {
            case .torch: "import torch; print(torch.__version__)"
            case .jax: "import jax, jaxlib, optax; print(f'{jax.__version__} (jaxlib {jaxlib.__version__}, optax {optax.__version__})')"
            }
        }

        /// Arguments the script takes besides the common ones.
        var extraArguments: [String] {
            switch self {
            case .torch: ["--variant", PythonReference.torchVariant]
            case .jax: []
            }
        }
    }

    /// Whether the reference can run: the framework's version, or why not.
    public enum Availability: Sendable {
        /// The script is there and the framework imports; the associated value is its version.
        case available(String)
        /// A sentence saying what is missing.
        case unavailable(String)
    }

    /// Why a run of the reference gave no speeds.
    public struct Failure: Error, Sendable {
        /// What went wrong, for the user.
        public var message: String
    }

    /// What one run of a reference script measured.
    public struct Measurement: Sendable, Equatable {
        /// Steps per second of every timed repeat (`steps_per_s.all`).
        public var stepsPerSecond: [Double]
        /// Seconds of the first call (tracing and compilation), excluded from the timing; nil when
        /// the script does not report it (the PyTorch script does not compile in its eager variant).
        public var compileSeconds: Double?

        /// A measurement with these values.
        public init(stepsPerSecond: [Double], compileSeconds: Double? = nil) {
            self.stepsPerSecond = stepsPerSecond
            self.compileSeconds = compileSeconds
        }
    }

    /// The PyTorch variant timed: eager modules, fused Adam.
    public static let torchVariant = "eager_fused"

    /// The framework the script times.
    public let framework: Framework
    /// The Python interpreter that runs the script.
    public let python: String
    /// Path of the script.
    public let script: String
    /// Whether the script and the framework are there (checked once, at `init`).
    public let availability: Availability

    /// Checks that `script` exists and that `python` can import the framework.
    public init(framework: Framework, python: String, script: String? = nil) {
        self.framework = framework
        self.python = python
        let script = script ?? framework.defaultScript
        self.script = script
        if !FileManager.default.fileExists(atPath: script) {
            availability = .unavailable("\(script) is not there (run from the repository's root folder, or pass --\(framework.rawValue)-script)")
        } else {
            switch Self.execute(python, ["-c", framework.versionProbe]) {
            case .success(let out): availability = .available(out.trimmingCharacters(in: .whitespacesAndNewlines))
            case .failure:
                availability = .unavailable("\(framework.displayName) is not installed for \(python) (\(framework.installCommand))")
            }
        }
    }

    /// A reference whose availability is already known (tests).
    init(framework: Framework, python: String, script: String, availability: Availability) {
        self.framework = framework
        self.python = python
        self.script = script
        self.availability = availability
    }

    /// Whether `availability` is `.available`.
    public var isAvailable: Bool {
        if case .available = availability { return true }
        return false
    }

    /// Why this reference is left out of a comparison with `penalty`, or nil when it takes part.
    public func skipReason(penalty: GradientPenaltyKind) -> String? {
        if case .unavailable(let reason) = availability { return reason }
        if penalty != .none && !framework.supportsPenalties {
            return "\(script) has no gradient penalties (--penalty \(penalty.rawValue) is compared with PyTorch only)"
        }
        return nil
    }

    /// One run of one configuration (`TrainingBenchmark.referenceCaseNames`): `repeats` timed
    /// repeats of `steps` steps each (0: the script calibrates a repeat to about 3 s) after
    /// `warmup` untimed steps (nil: the script's default), with the gradient penalty `penalty`
    /// of weight `penaltyWeight` added to the D loss unless it is `none`.
    public func run(config: String, threads: Int, repeats: Int, steps: Int = 0, warmup: Int? = nil,
                    penalty: GradientPenaltyKind = .none, penaltyWeight: Double = 10) -> Result<Measurement, Failure> {
        if penalty != .none && !framework.supportsPenalties {
            return .failure(Failure(message: "\(script) has no gradient penalties"))
        }
        var args = [script, "--config", config] + framework.extraArguments
            + ["--threads", "\(threads)", "--repeats", "\(max(repeats, 1))"]
        if steps > 0 { args += ["--steps", "\(steps)"] }
        if let warmup { args += ["--warmup", "\(max(warmup, 0))"] }
        if penalty != .none { args += ["--penalty", penalty.rawValue, "--penalty-weight", "\(penaltyWeight)"] }
        switch Self.execute(python, args) {
        case .failure(let f): return .failure(f)
        case .success(let out):
            guard let measurement = Self.measurement(inOutput: out) else {
                return .failure(Failure(message: "no JSON line with speeds in the reference's output"))
            }
            return .success(measurement)
        }
    }

    /// The `steps_per_s.all` array of the last line that starts with `JSON ` in a script's
    /// output, or nil when there is no such line or it lacks the array.
    public static func stepsPerSecond(inOutput text: String) -> [Double]? {
        measurement(inOutput: text)?.stepsPerSecond
    }

    /// The speeds (`steps_per_s.all`) and the compile time (`compile_s`, when present) of the last
    /// line that starts with `JSON ` in a script's output; nil when there is no such line or it
    /// lacks the speeds.
    public static func measurement(inOutput text: String) -> Measurement? {
        guard let line = text.split(separator: "\n").last(where: { $0.hasPrefix("JSON ") }),
              let json = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(5).utf8)) as? [String: Any],
              let speeds = json["steps_per_s"] as? [String: Any], let all = speeds["all"] as? [Double]
        else { return nil }
        return Measurement(stepsPerSecond: all, compileSeconds: json["compile_s"] as? Double)
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
