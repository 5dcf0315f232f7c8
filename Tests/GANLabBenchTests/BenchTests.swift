import GANLabBench
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
        #expect(TorchReference.stepsPerSecond(inOutput: output) == [300.25, 301.5, 302.0])
        #expect(TorchReference.stepsPerSecond(inOutput: "FAILED during warm-up\n") == nil)
        #expect(TorchReference.stepsPerSecond(inOutput: "JSON {\"config\": \"u2n\", \"failed\": \"x\"}\n") == nil)
    }

    @Test("a missing script makes the reference unavailable with a sentence naming it")
    func missingScript() {
        let torch = TorchReference(python: "python3", script: "/nonexistent/torch_reference.py")
        #expect(!torch.isAvailable)
        guard case .unavailable(let reason) = torch.availability else { return }
        #expect(reason.contains("/nonexistent/torch_reference.py"))
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
