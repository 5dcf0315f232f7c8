import Foundation
import GANLabEngine

/// The kernel plan of a run's networks (`train.kernels`, docs/PERFORMANCE.md).
extension ExperimentConfig {
    /// The environment variable that makes `auto` mean `fixed` (tests, and any run that must
    /// multiply the same way on every machine of one build).
    public static let kernelsEnvironmentKey = "GANLAB_KERNELS"

    /// Every dense layer shape of G and D, with the most rows a training pass puts through it.
    public var kernelNeeds: [KernelPlanner.Need] {
        let t = train
        let gBatch = max(t.fakeBatch, t.generatorBatch)
        let dBatch = max(t.realBatch + t.fakeBatch, t.generatorBatch) / discriminator.packing
        func needs(_ sizes: [Int], _ batch: Int) -> [KernelPlanner.Need] {
            zip(sizes, sizes.dropFirst()).map { KernelPlanner.Need(KernelPlan.Shape($0, $1), batch: batch) }
        }
        return needs(GANTrainer.generatorSizes(self), gBatch) + needs(GANTrainer.discriminatorSizes(self), dBatch)
    }

    /// `train.kernels` as a plan; `auto` (not resolved yet) reads as the fixed rule.
    public var kernelPlan: KernelPlan {
        guard train.kernels != "auto" else { return .fixed }
        return (try? KernelPlan(parsing: train.kernels)) ?? .fixed
    }

    /// This config with `train.kernels: auto` replaced by the plan for its networks on this
    /// machine at `train.threads` threads (measured, or read from the planner's cache), and what
    /// the planner did; `fixed` instead when `GANLAB_KERNELS=fixed` is set. Any other value is
    /// returned as it is. Sets the engine's threads to `train.threads`.
    public func resolvingKernels() -> (config: ExperimentConfig, outcome: KernelPlanner.Outcome?) {
        guard train.kernels == "auto" else { return (self, nil) }
        var resolved = self
        if ProcessInfo.processInfo.environment[Self.kernelsEnvironmentKey] == "fixed" {
            resolved.train.kernels = "fixed"
            return (resolved, nil)
        }
        Engine.setWorkerThreads(train.threads)
        let outcome = KernelPlanner.plan(for: kernelNeeds)
        resolved.train.kernels = outcome.plan.description
        return (resolved, outcome)
    }
}
