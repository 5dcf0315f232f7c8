import Synchronization

/// A value computed on first use and then kept, safe to reach from several threads (the first
/// caller computes it while the others wait).
final class OnceBox<Value: Sendable>: Sendable {
    private let stored = Mutex<Value?>(nil)

    /// The value, computed by `make` if this is the first use.
    func value(_ make: () -> Value) -> Value {
        stored.withLock { slot in
            if let value = slot { return value }
            let value = make()
            slot = value
            return value
        }
    }
}
