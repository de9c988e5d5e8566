import Dispatch

/// One piece of work started on another thread while the caller does its own, then waited
/// for: the review gathers its items while the audit's checks run.
package final class BackgroundWork<Value: Sendable>: Sendable {
    private let finished = DispatchSemaphore(value: 0)
    private let result = LockedBox<Value?>(nil)

    /// Starts `body` at once on a global queue.
    package init(_ body: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async { [self] in
            let value = body()
            result.withLockedValue { $0 = value }
            finished.signal()
        }
    }

    /// The value, once `body` has returned (blocks until then).
    package func wait() -> Value {
        while true {
            if let value = result.withLockedValue({ $0 }) { return value }
            finished.wait()
        }
    }
}
