import CBLAS
import Foundation

/// Settings that apply to the whole engine.
public enum Engine {
    /// Sets how many threads the engine's passes run on: sizes `WorkerPool.shared` to `n` parts
    /// (capped at the number of cores) and keeps OpenBLAS at one thread.
    ///
    /// The engine splits each forward pass, backward pass and optimizer update across the pool
    /// itself, each part calling single-threaded kernels, so OpenBLAS is kept at one thread: two
    /// levels of threading would only fight over the cores. Results are bit-identical run to run
    /// at a fixed count.
    public static func setWorkerThreads(_ n: Int) {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        openblas_set_num_threads(1)
        WorkerPool.shared.resize(parts: min(max(1, n), cores))
    }

    /// The engine's current thread count (the parts of `WorkerPool.shared`).
    public static var workerThreads: Int { WorkerPool.shared.parts }
}
