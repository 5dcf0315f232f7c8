@testable import GANLabBench
import Foundation
import GANLabCore
import Testing

@Suite("Benchmark harness")
struct BenchTests {
    @Test("FLOPs per step match Benchmarks/torch_reference.py's exact count for spiral512 and u2n")
    func flopsMatchReference() {
        var spiral = ExperimentConfig()
        spiral.problem = .spiral
        spiral.generator.hidden = [512, 512, 512]
        spiral.discriminator.hidden = [512, 512, 512]
        spiral.train.generatorBatch = 512
        spiral.train.realBatch = 256
        spiral.train.fakeBatch = 256
        spiral.train.discriminatorSteps = 1
        // step_flops("spiral512")["exact"] of the reference script.
        #expect(TrainingBenchmark.flopsPerStep(spiral) == referenceFlops(g: [2, 512, 512, 512, 2], d: [2, 512, 512, 512, 1]))
        var u2n = spiral
        u2n.problem = .uniformToNormal
        u2n.generator.hidden = [16, 16, 16, 16]
        #expect(TrainingBenchmark.flopsPerStep(u2n) == referenceFlops(g: [2, 16, 16, 16, 16, 2], d: [2, 512, 512, 512, 1]))
    }

    /// The reference script's `step_flops(...)["exact"]`, transcribed: batch 512, D frozen in the G step.
    private func referenceFlops(g: [Int], d: [Int]) -> Double {
        func gemm(_ dims: [Int], _ batch: Int, inputGrad: Bool, weightGrad: Bool) -> (Int, Int) {
            var fwd = 0, bwd = 0
            for (i, (a, b)) in zip(dims, dims.dropFirst()).enumerated() {
                fwd += 2 * batch * a * b
                if weightGrad { bwd += 2 * batch * a * b }
                if i > 0 || inputGrad { bwd += 2 * batch * a * b }
            }
            return (fwd, bwd)
        }
        let gHalf = gemm(g, 256, inputGrad: false, weightGrad: false).0
        let dStep = gemm(d, 512, inputGrad: false, weightGrad: true), gStep = gemm(g, 512, inputGrad: false, weightGrad: true)
        let dFrozen = gemm(d, 512, inputGrad: true, weightGrad: false)
        return Double(gHalf + dStep.0 + dStep.1 + gStep.0 + gStep.1 + dFrozen.0 + dFrozen.1)
    }

    @Test("the reference cases are named as the script names them and set every hidden width")
    func referenceCases() {
        var spiral = ExperimentConfig()
        spiral.generator.hidden = [8, 8, 8]
        spiral.discriminator.hidden = [8, 8, 8]
        let cases = TrainingBenchmark.referenceCases(spiral: spiral, uniformToNormal: ExperimentConfig(), threads: 3)
        #expect(cases.map(\.name) == TrainingBenchmark.referenceCaseNames)
        #expect(cases[2].config.generator.hidden == [256, 256, 256])
        #expect(cases[2].config.discriminator.hidden == [256, 256, 256])
        #expect(cases.allSatisfy { $0.config.train.threads == 3 })
    }

    @Test("scaled keeps the depth and splits the discriminator's batch in halves")
    func scaled() {
        var base = ExperimentConfig()
        base.generator.hidden = [16, 16]
        base.discriminator.hidden = [16, 16, 16]
        let c = TrainingBenchmark.scaled(base, width: 64, batch: 257)
        #expect(c.generator.hidden == [64, 64])
        #expect(c.discriminator.hidden == [64, 64, 64])
        #expect(c.train.generatorBatch == 257)
        #expect(c.train.realBatch == 128 && c.train.fakeBatch == 129)
    }

    @Test("the speeds are read from the last JSON line of the reference's output")
    func parsesReferenceOutput() {
        let output = """
            spiral64   eager_fused  thr=2 freeze=True steps/s median   300.00
            JSON {"config": "spiral64", "steps_per_s": {"median": 301.5, "all": [300.25, 301.5, 302.0]}}

            """
        #expect(PythonReference.stepsPerSecond(inOutput: output) == [300.25, 301.5, 302.0])
        #expect(PythonReference.measurement(inOutput: output) == .init(stepsPerSecond: [300.25, 301.5, 302.0]))
        #expect(PythonReference.stepsPerSecond(inOutput: "FAILED during warm-up\n") == nil)
        #expect(PythonReference.stepsPerSecond(inOutput: "JSON {\"config\": \"u2n\", \"failed\": \"x\"}\n") == nil)
    }

    @Test("the JAX script's speeds and its compile time are read from its last JSON line")
    func parsesJAXOutput() {
        // The shape of Benchmarks/jax_reference.py's output (fields abridged).
        let output = """
            spiral64   jax-jit      thr=2 cpus=0,1 steps/s median   801.20 (min 790.00 max 812.50)  compile (first call) 1.87s
            JSON {"config": "spiral64", "variant": "jit", "threads": 2, "cpus": [0, 1], "jax": "0.10.2", "compile_s": 1.875, \
            "steps_per_s": {"median": 801.2, "min": 790.0, "max": 812.5, "all": [790.0, 801.2, 812.5]}, "final_loss_d": 0.69}

            """
        let measured = PythonReference.measurement(inOutput: output)
        #expect(measured?.stepsPerSecond == [790.0, 801.2, 812.5])
        #expect(measured?.compileSeconds == 1.875)
        let failed = "FAILED: XlaRuntimeError: boom\nJSON {\"config\": \"spiral64\", \"variant\": \"jit\", \"failed\": \"boom\"}\n"
        #expect(PythonReference.measurement(inOutput: failed) == nil)
    }

    @Test("a missing script makes the reference unavailable with a sentence naming it", arguments: PythonReference.Framework.allCases)
    func missingScript(framework: PythonReference.Framework) {
        let reference = PythonReference(framework: framework, python: "python3", script: "/nonexistent/\(framework.rawValue)_reference.py")
        #expect(!reference.isAvailable)
        guard case .unavailable(let reason) = reference.availability else { return }
        #expect(reason.contains("/nonexistent/\(framework.rawValue)_reference.py"))
        #expect(reason.contains("--\(framework.rawValue)-script"))
    }

    @Test("a framework that does not import is unavailable, with the pip command that installs it")
    func frameworkNotInstalled() throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("ganlab-reference-\(UUID().uuidString).py").path
        try "".write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        let jax = PythonReference(framework: .jax, python: "/nonexistent/python3", script: script)
        guard case .unavailable(let reason) = jax.availability else { Issue.record("JAX should be unavailable"); return }
        #expect(reason == "JAX is not installed for /nonexistent/python3 (pip install jax optax)")
        let torch = PythonReference(framework: .torch, python: "/nonexistent/python3", script: script)
        guard case .unavailable(let torchReason) = torch.availability else { Issue.record("PyTorch should be unavailable"); return }
        #expect(torchReason == "PyTorch is not installed for /nonexistent/python3 (pip install torch)")
    }

    @Test("the comparison's preamble names each reference or says why it is skipped; penalties skip JAX")
    func preambleSaysWhatIsSkipped() {
        let torch = PythonReference(framework: .torch, python: "python3", script: "Benchmarks/torch_reference.py",
                                    availability: .available("2.15.0"))
        let missingJAX = PythonReference(framework: .jax, python: "python3", script: "Benchmarks/jax_reference.py",
                                         availability: .unavailable("JAX is not installed for python3 (pip install jax optax)"))
        let plain = ReferenceComparison(threads: 2, secondsPerRepeat: 1, repeats: 1, rounds: 1, references: [torch, missingJAX])
        #expect(plain.preamble.contains { $0.hasPrefix("PyTorch 2.15.0: Benchmarks/torch_reference.py (") })
        #expect(plain.preamble.contains(
            "JAX reference skipped: JAX is not installed for python3 (pip install jax optax); the ratios to JAX are skipped."))
        #expect(plain.skipReason(.torch) == nil)

        let jax = PythonReference(framework: .jax, python: "python3", script: "Benchmarks/jax_reference.py",
                                  availability: .available("0.10.2 (jaxlib 0.10.2, optax 0.2.8)"))
        let both = ReferenceComparison(threads: 2, secondsPerRepeat: 1, repeats: 1, rounds: 1, references: [torch, jax])
        #expect(both.skipReason(.jax) == nil)
        #expect(both.preamble.contains { $0.hasPrefix("JAX 0.10.2 (jaxlib 0.10.2, optax 0.2.8): Benchmarks/jax_reference.py (") })
        var penalized = both
        penalized.penalty = .r1
        #expect(penalized.skipReason(.torch) == nil)
        let reason = penalized.skipReason(.jax)
        #expect(reason?.contains("--penalty r1 is compared with PyTorch only") == true)
        #expect(penalized.preamble.contains { $0.hasPrefix("JAX reference skipped: ") && $0.hasSuffix("the ratios to JAX are skipped.") })
        if case .failure(let failure) = jax.run(config: "spiral64", threads: 2, repeats: 1, penalty: .r1) {
            #expect(failure.message.contains("no gradient penalties"))
        } else {
            Issue.record("a penalized JAX run should fail without starting the script")
        }
    }

    @Test("a table row shows each framework's steps/s and ratio, or skipped twice")
    func tableRowWithOneFrameworkSkipped() throws {
        let spiral64 = try #require(TrainingBenchmark.referenceCases(spiral: ExperimentConfig(), uniformToNormal: ExperimentConfig(),
                                                                     threads: 2).first)
        var row = ReferenceComparison.Row(reference: spiral64, flopsPerStep: 1e8)
        row.ganlab = [1000, 1200, 1100]
        row.references[.torch] = [400, 440, 420]
        row.roundCeilings = [300]
        row.roundSgemm = [200]
        row.roundPeaks = [400]
        row.load = "1.50"
        let cells = row.tableLine.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        let header = ReferenceComparison.tableHeader[0].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(cells.count == header.count && cells.count == 18)
        #expect(header[14] == "FMA peak GFLOP/s" && header[15] == "% of peak")
        #expect(cells[14] == "400.0" && cells[15] == "28 %")
        #expect(header[5] == "PyTorch steps/s" && header[6] == "ratio to PyTorch")
        #expect(header[7] == "JAX steps/s" && header[8] == "ratio to JAX")
        #expect(cells[0] == "spiral64" && cells[4] == "1100.0")
        #expect(cells[5] == "420.0" && cells[6] == "2.62×")
        #expect(cells[7] == "skipped" && cells[8] == "skipped")
        #expect(cells[9] == "110.0" && cells[10] == "300.0" && cells[11] == "37 %")
        // The bound the FMA peak sets: PyTorch at 1e8 FLOP × 420 steps/s = 42 GFLOP/s, 10.5 % of
        // the peak, so no program passes 400 / 42 = 9.52× PyTorch; JAX did not run.
        let comparison = ReferenceComparison(threads: 2, secondsPerRepeat: 1, repeats: 1, rounds: 1, penalty: .none,
                                             references: [])
        let bounds = comparison.bounds(of: [row]).map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
        #expect(bounds.count == 3 && bounds[0].count == bounds[2].count)
        #expect(bounds[2][0] == "spiral64" && bounds[2][1] == "400.0")
        #expect(bounds[2][2] == "42.0" && bounds[2][3] == "10 %" && bounds[2][4] == "9.52×")
        #expect(bounds[2][5] == "skipped")
        row.references[.jax] = [880]
        let withJAX = row.tableLine.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(withJAX[7] == "880.0" && withJAX[8] == "1.25×")
    }

    /// The reference scripts of this checkout.
    private static let benchmarks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Benchmarks")

    /// The frameworks python3 can import here (the scripts run only for these).
    private static let installed = PythonReference.Framework.allCases.filter {
        PythonReference(framework: $0, python: "python3", script: benchmarks.appendingPathComponent("\($0.rawValue)_reference.py").path).isAvailable
    }

    @Test("each installed framework's script runs a few steps and its speeds are read (skipped when not installed)",
          .enabled(if: !installed.isEmpty, "neither PyTorch nor JAX is installed for python3"))
    func scriptsRun() throws {
        for framework in Self.installed {
            let script = Self.benchmarks.appendingPathComponent("\(framework.rawValue)_reference.py").path
            let reference = PythonReference(framework: framework, python: "python3", script: script)
            switch reference.run(config: "spiral64", threads: 2, repeats: 2, steps: 5, warmup: 1) {
            case .success(let measured):
                #expect(measured.stepsPerSecond.count == 2 && measured.stepsPerSecond.allSatisfy { $0 > 0 }, "\(framework)")
                if framework == .jax { #expect((measured.compileSeconds ?? 0) > 0) }
            case .failure(let failure):
                Issue.record("\(framework.displayName): \(failure.message)")
            }
        }
    }

    @Test("steal ticks come from the aggregate cpu line of /proc/stat")
    func stealTicks() {
        let stat = "cpu  10 1 5 100 2 0 3 7 0 0\ncpu0 5 0 2 50 1 0 1 3 0 0\n"
        let ticks = MachineLoad.StealMeter.ticks(procStat: stat)
        #expect(ticks.steal == 7)
        #expect(ticks.total == 128)
        #expect(MachineLoad.StealMeter.ticks(procStat: "").total == 0)
    }

    @Test("medians: the middle value, the mean of the middle two, and the upper median")
    func medians() {
        #expect(Statistics.median([3, 1, 2]) == 2)
        #expect(Statistics.median([4, 1, 2, 3]) == 2.5)
        #expect(Statistics.median([]) == 0)
        #expect(Statistics.upperMedian([4, 1, 2, 3]) == 3)
    }

    @Test("both ceilings measure a positive speed")
    func ceilings() {
        #expect(Ceiling.sgemm(size: 32, threads: 1, seconds: 0.001, repeats: 2).allSatisfy { $0 > 0 })
        #expect(Ceiling.engineProduct(size: 32, seconds: 0.001, repeats: 2).allSatisfy { $0 > 0 })
    }
}
