import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns Ctrl-C (SIGINT) and SIGTERM into a flag the training loop polls, so a run can write a
/// snapshot and exit cleanly instead of dying mid-step. A second Ctrl-C exits at once.
/// (`@unchecked Sendable`: the signal sources are set once in `init` and never mutated; the flag is atomic.)
final class StopSignal: @unchecked Sendable {
    private let requested: Atomic<Int>
    private let sources: [any DispatchSourceSignal]

    init() {
        requested = Atomic<Int>(0)
        var made: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            made.append(source)
        }
        sources = made
        for source in sources {
            source.setEventHandler { [self] in
                if requested.add(1, ordering: .relaxed).newValue > 1 { _exit(130) }
                let note = "\nstopping: finishing this step and writing a snapshot (Ctrl-C again to quit at once)\n"
                _ = note.withCString { write(2, $0, strlen($0)) }
            }
            source.resume()
        }
    }

    /// True once a stop was requested.
    var isRequested: Bool { requested.load(ordering: .relaxed) > 0 }
}
