import Foundation

/// Independent pieces of work on the machine's cores, results in index order: the one way the
/// package fans out (the loader, the graph, the policy reader, the checks, several databases).
///
/// The concurrency model: synchronous fan-out on GCD's threads, never inside Swift concurrency's
/// cooperative pool (the work is CPU-bound and would block it); inputs shared read-only (values,
/// or classes built once and then only read); anything mutable — an engine's caches, an audit
/// context — owned by one worker; the only shared mutable state is a `LockedBox`.
package enum Concurrently {
    /// `body(i)` for every `i` in `0..<count`, run concurrently; the results in index order.
    package static func map<Value: Sendable>(count: Int, _ body: @Sendable (Int) -> Value) -> [Value] {
        let slots = LockedBox([Value?](repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { i in
            let value = body(i)
            slots.withLockedValue { $0[i] = value }
        }
        return slots.withLockedValue { $0.compactMap { $0 } }
    }

    /// `first()` and `second()` at the same time (the second on another thread); both results.
    package static func pair<A: Sendable, B: Sendable>(_ first: () -> A, _ second: @escaping @Sendable () -> B) -> (A, B) {
        let other = BackgroundWork(second)
        let mine = first()
        return (mine, other.wait())
    }

    /// Whether fanning out can pay: more than one core.
    package static var hasSeveralCores: Bool { ProcessInfo.processInfo.activeProcessorCount > 1 }
}
