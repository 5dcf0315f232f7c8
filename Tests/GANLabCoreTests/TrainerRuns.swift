import GANLabEngine

@testable import GANLabCore

/// Training runs the remedy tests compare byte for byte.
enum TrainerRuns {
    /// Snapshot bytes after `steps` steps: two independent runs of `config`, and a third that
    /// stops half-way, goes through a snapshot and resumes.
    static func twiceAndResumed(_ config: ExperimentConfig, steps: Int = 6) throws
        -> (first: [UInt8], second: [UInt8], resumed: [UInt8]) {
        func trained(_ trainer: GANTrainer, _ count: Int) throws -> GANTrainer {
            for _ in 0..<count { try trainer.trainStep() }
            return trainer
        }
        let first = try trained(GANTrainer(config: config), steps).snapshot().encoded()
        let second = try trained(GANTrainer(config: config), steps).snapshot().encoded()
        let halfway = try trained(GANTrainer(config: config), steps / 2).snapshot().encoded()
        let resumed = try trained(GANTrainer(snapshot: try Snapshot(decoding: halfway, path: "memory")), steps - steps / 2)
        return (first, second, resumed.snapshot().encoded())
    }
}
