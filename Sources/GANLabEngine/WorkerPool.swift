import Foundation
import Synchronization

/// A fixed team of threads that runs one kernel body on every part of a split, fork/join style.
///
/// The engine splits work the same way at every call (rows of a batch, columns of a weight
/// gradient, ranges of a parameter vector), so for a fixed thread count the arithmetic — and
/// therefore every result bit — is the same run to run. The calling thread runs part 0; the
/// workers run parts 1…n−1. Workers spin for a short while after each job (a training step calls
/// `run` a dozen times, microseconds apart) and then sleep on a condition, so an idle pool costs
/// nothing. `run` takes a non-escaping body: no allocation per call.
///
/// A `run` issued while the pool is busy (another thread, or a nested call from inside a body)
/// runs the body once on the calling thread as a single part. The engine's own kernels compute
/// every output element with the same operations in the same order however the work is split,
/// so their results do not depend on the part count.
public final class WorkerPool: @unchecked Sendable {
    /// The engine's pool (its size is set by `Engine.setWorkerThreads`).
    public static let shared = WorkerPool()

    /// Spin iterations before an idle worker goes to sleep (about a millisecond).
    private static let spinLimit = 2_000_000

    /// Spin iterations before a thread waiting inside a job (join, barrier) blocks instead
    /// (tens of microseconds): long enough for ordinary imbalance, short enough that a partner
    /// descheduled by another process does not leave this core spinning for a whole time slice.
    private static let blockAfter = 100_000

    private let generation = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let arrived = Atomic<Int>(0)
    private let barrierRound = Atomic<Int>(0)
    private let condition = NSCondition()
    private var workers: [Thread] = []
    private var body: ((Team) -> Void)?
    private var activeParts = 1

    /// Parts a split uses (1 = everything on the calling thread).
    public private(set) var parts = 1

    /// Most parts a pool runs (`resize` caps its argument here).
    public static let maximumParts = 64

    private init() {}

    /// Sets the number of parts (threads including the caller, at most `maximumParts`); starts
    /// workers on first need.
    /// Waits for a job in flight to finish first.
    public func resize(parts n: Int) {
        while !busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged { sched_yield() }
        defer { busy.store(false, ordering: .releasing) }
        let n = min(max(1, n), Self.maximumParts)
        while workers.count < n - 1 {
            let index = workers.count + 1
            let start = generation.load(ordering: .relaxed)  // no job can start while we hold `busy`
            let thread = Thread { [unowned self] in self.workerLoop(part: index, seen: start) }
            thread.name = "ganlab-worker-\(index)"
            thread.stackSize = 1 << 20
            workers.append(thread)
            thread.start()
        }
        parts = n
    }

    /// Runs `body(team)` on `count` parts (at most `parts`): part 0 on the calling thread, the
    /// others on workers. Returns when every part is done.
    public func run(parts requested: Int, _ body: (Team) -> Void) {
        guard requested > 1, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            body(Team(part: 0, parts: 1, pool: self))
            return
        }
        let count = min(requested, parts)
        guard count > 1 else {
            busy.store(false, ordering: .releasing)
            body(Team(part: 0, parts: 1, pool: self))
            return
        }
        let everyone = workers.count + 1
        withoutActuallyEscaping(body) { escaping in
            self.body = escaping
            activeParts = count
            finished.store(0, ordering: .relaxed)
            generation.add(1, ordering: .sequentiallyConsistent)
            wakeSleepers()
            escaping(Team(part: 0, parts: count, pool: self))
            waitUntil { self.finished.load(ordering: .sequentiallyConsistent) >= everyone - 1 }
            self.body = nil
        }
        busy.store(false, ordering: .releasing)
    }

    /// Waits until every active part has called it; only `Team.barrier` calls it.
    fileprivate func barrier() {
        let count = activeParts
        let round = barrierRound.load(ordering: .acquiring)
        if arrived.add(1, ordering: .acquiringAndReleasing).newValue == count {
            arrived.store(0, ordering: .relaxed)
            barrierRound.store(round + 1, ordering: .sequentiallyConsistent)
            wakeSleepers()
        } else {
            waitUntil { self.barrierRound.load(ordering: .sequentiallyConsistent) != round }
        }
    }

    /// Spins until `done()`, then blocks on the condition until a `wakeSleepers` after it holds.
    /// (The waker changes the state, then reads `sleepers`; the sleeper raises `sleepers`, then
    /// re-reads the state under the lock — with sequentially consistent atomics one of them sees
    /// the other, so no wake-up is lost.)
    @inline(__always)
    private func waitUntil(_ done: () -> Bool) {
        var spins = 0
        while !done() {
            spins += 1
            if spins > Self.blockAfter {
                sleepers.add(1, ordering: .sequentiallyConsistent)
                condition.lock()
                while !done() { condition.wait() }
                condition.unlock()
                sleepers.subtract(1, ordering: .sequentiallyConsistent)
                return
            }
        }
    }

    /// Wakes every thread blocked in `waitUntil` or idle in `workerLoop` (cheap when none is).
    @inline(__always)
    private func wakeSleepers() {
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            condition.lock()
            condition.broadcast()
            condition.unlock()
        }
    }

    private func workerLoop(part: Int, seen start: Int) {
        var seen = start
        while true {
            var spins = 0
            var current = generation.load(ordering: .acquiring)
            while current == seen {
                spins += 1
                if spins > Self.spinLimit {
                    sleepers.add(1, ordering: .sequentiallyConsistent)
                    condition.lock()
                    while generation.load(ordering: .sequentiallyConsistent) == seen { condition.wait() }
                    condition.unlock()
                    sleepers.subtract(1, ordering: .sequentiallyConsistent)
                    spins = 0
                }
                current = generation.load(ordering: .acquiring)
            }
            seen = current
            let count = activeParts
            if part < count, let body { body(Team(part: part, parts: count, pool: self)) }
            finished.add(1, ordering: .sequentiallyConsistent)
            wakeSleepers()
        }
    }
}

/// One part's view of a parallel `run`: which part it is, how many there are, and a barrier.
public struct Team {
    /// This part's index, 0..<parts.
    public let part: Int
    /// Number of parts working on the job.
    public let parts: Int
    fileprivate let pool: WorkerPool

    /// Waits for every part (no-op for a single part). Writes before it are visible after it.
    @inline(__always)
    public func barrier() { if parts > 1 { pool.barrier() } }

    /// This part's share of `count` items, boundaries at multiples of `align`.
    @inline(__always)
    public func share(_ count: Int, align: Int = 1) -> Range<Int> {
        GANLabEngine.share(count, part: part, of: parts, align: align)
    }
}

/// The half-open range of `count` items that part `part` of `parts` handles: equal shares,
/// boundaries rounded down to multiples of `align` (the last part takes the rest).
@inline(__always)
func share(_ count: Int, part: Int, of parts: Int, align: Int = 1) -> Range<Int> {
    guard parts > 1 else { return 0..<count }
    func boundary(_ p: Int) -> Int {
        if p >= parts { return count }
        return min(count, (count * p / parts) / align * align)
    }
    return boundary(part)..<boundary(part + 1)
}
