import ArgumentParser
import Foundation
import GANLabCore
import GANLabEngine

/// `ganlab bench` options for the comparison with the PyTorch reference and the cost sweep.
struct TrainingComparisonOptions: ParsableArguments {
    @Flag(help: "Measure the sgemm ceiling, then time ganlab and the PyTorch reference alternately on spiral64/128/256/512 and u2n.")
    var compareTorch = false

    @Flag(help: "Time the training step over hidden widths 32-512 and batches 128-1024 (how cost grows).")
    var sweep = false

    @Option(help: "The PyTorch reference script (a relative path is taken from the current folder).")
    var torchScript = "../shared/bench/torch_reference.py"

    @Option(help: "Python interpreter that runs the reference.")
    var python = "python3"

    @Option(help: "Rounds per configuration; each round times ganlab, then PyTorch.")
    var rounds = 3

    @Option(help: "Comma-separated subset of spiral64,spiral128,spiral256,spiral512,u2n.")
    var configs = "spiral64,spiral128,spiral256,spiral512,u2n"

    static let caseNames = ["spiral64", "spiral128", "spiral256", "spiral512", "u2n"]

    var selectedCases: [String] { configs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func validate() throws {
        guard (1...20).contains(rounds) else { throw ValidationError("--rounds must be between 1 and 20.") }
        for name in selectedCases where !Self.caseNames.contains(name) {
            throw ValidationError("--configs: unknown configuration '\(name)'; use any of \(Self.caseNames.joined(separator: ",")).")
        }
    }
}

extension GANLab.Bench {
    /// The comparison of `make bench`: ceiling, then ganlab and PyTorch alternately, then the table.
    func compareWithTorch(_ options: TrainingComparisonOptions) throws {
        let library = ExperimentLibrary(directory: URL(fileURLWithPath: experimentsFolder))
        let cases = TrainingBenchmark.referenceCases(
            spiral: try library.load("spiral-article", overrides: []),
            uniformToNormal: try library.load("uniform-to-normal-article", overrides: []),
            threads: threads
        ).filter { options.selectedCases.contains($0.name) }
        let torch = TorchReference(python: options.python, script: options.torchScript)
        print("machine: \(MachineLoad.cpuModel), \(ProcessInfo.processInfo.activeProcessorCount) cores; \(GEMM.blasDescription)")
        print(GEMM.engineDescription)
        print("threads: \(threads) (ganlab and PyTorch); load average before: \(MachineLoad.loadAverage)")
        switch torch.availability {
        case .available(let version): print("PyTorch \(version): \(torch.script) (variant eager_fused)")
        case .unavailable(let reason): print("PyTorch reference skipped: \(reason); the ratios are skipped.")
        }
        // The ceiling is measured in every round, next to the training it is compared with: this
        // VM's speed drifts by ±10 % over minutes, and a fraction of a ceiling measured at another
        // time would mostly measure the drift.
        print("ceiling: the faster of OpenBLAS sgemm (512³, \(threads) threads) and the engine's own 512³ product "
              + "(\(threads) threads), both measured in every round just before ganlab is timed; each row is compared "
              + "with the median over its own rounds (and, in the sgemm columns, with OpenBLAS alone)")
        print("")
        print("| config | G hidden | D hidden | GFLOP/step | ganlab steps/s | PyTorch steps/s | ratio | ganlab GFLOP/s | ceiling GFLOP/s | % of ceiling | sgemm GFLOP/s | % of sgemm | load | steal |")
        print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        var allCeilings: [Double] = [], allSgemm: [Double] = [], allEngine: [Double] = []
        for c in cases {
            let steal = MachineLoad.StealMeter()
            var ours: [Double] = [], theirs: [Double] = [], ceilings: [Double] = [], sgemms: [Double] = []
            var failure: String?
            for _ in 0..<options.rounds {
                let sgemm = GEMM.measureCeiling(size: 512, threads: threads, seconds: seconds / 4, repeats: 3)
                let engine = GEMM.measureEngineCeiling(size: 512, seconds: seconds / 4, repeats: 3)
                ceilings.append(max(median(sgemm), median(engine)))
                sgemms.append(median(sgemm))
                allSgemm += sgemm
                allEngine += engine
                ours += TrainingBenchmark.measure(config: c.config, secondsPerRepeat: seconds, repeats: repeats).allStepsPerSecond
                if case .available = torch.availability {
                    switch torch.run(config: c.name, threads: threads, repeats: repeats) {
                    case .success(let speeds): theirs += speeds
                    case .failure(let error): failure = error.message
                    }
                }
            }
            let flops = TrainingBenchmark.flopsPerStep(c.config)
            let mine = median(ours), reference = theirs.isEmpty ? nil : median(theirs)
            let gflops = flops * mine / 1e9
            let ceiling = median(ceilings), sgemmCeiling = median(sgemms)
            allCeilings += ceilings
            print("| \(c.name) | \(c.config.generator.hidden.map(String.init).joined(separator: "·")) "
                  + "| \(c.config.discriminator.hidden.map(String.init).joined(separator: "·")) "
                  + String(format: "| %.3f | %.1f | ", flops / 1e9, mine)
                  + (reference.map { String(format: "%.1f | %.2f× | ", $0, mine / $0) } ?? "skipped | skipped | ")
                  + String(format: "%.1f | %.1f | %.0f %% | %.1f | %.0f %% | ", gflops, ceiling, 100 * gflops / ceiling,
                           sgemmCeiling, 100 * gflops / sgemmCeiling)
                  + (MachineLoad.loadAverage.split(separator: " ").first.map(String.init) ?? "?")
                  + String(format: " | %.1f %% |", steal.percent))
            if let failure { print("  (PyTorch failed on \(c.name): \(failure))") }
        }
        print("")
        print("Medians over \(options.rounds) alternating rounds of \(repeats) repeats each. "
              + String(format: "Ceiling over all rounds: median %.1f, range %.1f–%.1f GFLOP/s ",
                       median(allCeilings), allCeilings.min() ?? 0, allCeilings.max() ?? 0)
              + String(format: "(OpenBLAS sgemm median %.1f, range %.1f–%.1f; engine product median %.1f, range %.1f–%.1f). ",
                       median(allSgemm), allSgemm.min() ?? 0, allSgemm.max() ?? 0,
                       median(allEngine), allEngine.min() ?? 0, allEngine.max() ?? 0)
              + "load average after: \(MachineLoad.loadAverage)")
    }

    /// How the step's cost grows with width (every hidden layer) and batch, spiral-article otherwise.
    func sweepCost() throws {
        let library = ExperimentLibrary(directory: URL(fileURLWithPath: experimentsFolder))
        var base = try library.load("spiral-article", overrides: [])
        base.train.threads = threads
        let widths = [32, 64, 128, 256, 512], batches = [128, 256, 512, 1024]
        print("ms per training step (GFLOP/s), spiral-article with every hidden width set; load average before: \(MachineLoad.loadAverage)")
        print("| width | " + batches.map { "batch \($0)" }.joined(separator: " | ") + " |")
        print("|---:|" + batches.map { _ in "---:|" }.joined())
        for width in widths {
            var row = "| \(width) |"
            for batch in batches {
                let config = TrainingBenchmark.scaled(base, width: width, batch: batch)
                let result = TrainingBenchmark.measure(config: config, secondsPerRepeat: min(seconds, 1), repeats: repeats)
                row += String(format: " %.3f (%.0f) |", 1000 / result.stepsPerSecond, result.gflops)
            }
            print(row)
        }
        print("load average after: \(MachineLoad.loadAverage)")
    }

    private func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

/// Runs `torch_reference.py` in a child process and reads its final `JSON {...}` line.
struct TorchReference {
    enum Availability { case available(String), unavailable(String) }
    struct Failure: Error { var message: String }

    let python: String
    let script: String
    let availability: Availability

    init(python: String, script: String) {
        self.python = python
        self.script = script
        if !FileManager.default.fileExists(atPath: script) {
            availability = .unavailable("\(script) is not there (run from the repository, next to ../shared, or pass --torch-script)")
        } else {
            switch Self.execute(python, ["-c", "import torch; print(torch.__version__)"]) {
            case .success(let out): availability = .available(out.trimmingCharacters(in: .whitespacesAndNewlines))
            case .failure: availability = .unavailable("PyTorch is not installed for \(python) (pip install torch)")
            }
        }
    }

    /// Steps per second of every timed repeat of one configuration.
    func run(config: String, threads: Int, repeats: Int) -> Result<[Double], Failure> {
        let args = [script, "--config", config, "--variant", "eager_fused", "--threads", "\(threads)", "--repeats", "\(max(repeats, 1))"]
        switch Self.execute(python, args) {
        case .failure(let f): return .failure(f)
        case .success(let out):
            guard let line = out.split(separator: "\n").last(where: { $0.hasPrefix("JSON ") }),
                  let json = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(5).utf8)) as? [String: Any],
                  let speeds = json["steps_per_s"] as? [String: Any], let all = speeds["all"] as? [Double]
            else { return .failure(Failure(message: "no JSON line in the reference's output")) }
            return .success(all)
        }
    }

    private static func execute(_ python: String, _ arguments: [String]) -> Result<String, Failure> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return .failure(Failure(message: "cannot start \(python): \(error)")) }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            return .failure(Failure(message: "exit status \(process.terminationStatus): \(text.suffix(300))"))
        }
        return .success(text)
    }
}

/// What the machine is and how busy it is (Linux /proc; placeholders elsewhere).
enum MachineLoad {
    /// The CPU's model name.
    static var cpuModel: String {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let line = info.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.flatMap { $0.split(separator: ":", maxSplits: 1).last }.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
    }

    /// The 1-, 5- and 15-minute load averages.
    static var loadAverage: String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "? ? ?"
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// Share of CPU time the hypervisor took (steal) since creation.
    struct StealMeter {
        private let start = StealMeter.ticks()

        var percent: Double {
            let now = StealMeter.ticks()
            let total = now.total - start.total
            return total > 0 ? 100 * Double(now.steal - start.steal) / Double(total) : 0
        }

        private static func ticks() -> (steal: Int, total: Int) {
            let text = (try? String(contentsOfFile: "/proc/stat", encoding: .utf8)) ?? ""
            let fields = text.split(separator: "\n").first?.split(separator: " ").dropFirst().compactMap { Int($0) } ?? []
            guard fields.count >= 8 else { return (0, 0) }
            return (fields[7], fields.reduce(0, +))
        }
    }
}
