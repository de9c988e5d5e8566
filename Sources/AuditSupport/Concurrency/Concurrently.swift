import Foundation

/// Independent pieces of work on the machine's cores, results in index order: the one place
/// the loader, the graph and the policy reader fan out.
package enum Concurrently {
    /// `body(i)` for every `i` in `0..<count`, run concurrently; the results in index order.
    package static func map<Value: Sendable>(count: Int, _ body: @Sendable (Int) -> Value) -> [Value] {
        let slots = Slots<Value>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { i in slots.set(i, body(i)) }
        return slots.values
    }

    /// Whether fanning out can pay: more than one core.
    package static var hasSeveralCores: Bool { ProcessInfo.processInfo.activeProcessorCount > 1 }
}

/// One result per index, written by worker threads and read after they finish.
private final class Slots<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Value?]

    init(count: Int) { stored = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) { lock.withLock { stored[index] = value } }
    var values: [Value] { lock.withLock { stored.compactMap { $0 } } }
}
