import Synchronization

/// A value shared between threads behind a lock (the shape of NIO's `NIOLockedValueBox`): the
/// one box the package uses for state that worker threads write — results by index, the next
/// piece of work, a result handed back from another thread.
package final class LockedBox<Value>: Sendable {
    private let mutex: Mutex<Value>

    package init(_ value: sending Value) { mutex = Mutex(value) }

    /// Runs `body` with the value, holding the lock.
    package func withLockedValue<Result>(_ body: (inout sending Value) throws -> sending Result) rethrows -> sending Result {
        try mutex.withLock(body)
    }
}
