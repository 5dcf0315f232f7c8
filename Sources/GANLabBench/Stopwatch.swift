import Foundation

/// The two clocks the benchmarks read: monotonic wall time and the process's CPU time.
public enum Stopwatch {
    /// Monotonic wall-clock seconds (from an arbitrary origin).
    public static func wallSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// CPU seconds this process has used, over all its threads.
    public static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Runs `body` and returns its result with the process CPU seconds it used (all threads).
    public static func measuringCPU<T>(_ body: () throws -> T) rethrows -> (result: T, cpu: Double) {
        let start = cpuSeconds()
        let result = try body()
        return (result, cpuSeconds() - start)
    }
}
