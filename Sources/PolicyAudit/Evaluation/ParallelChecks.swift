import Foundation
import AuditSupport

/// Runs an audit's checks on the machine's cores. Checks are independent but the engine's
/// caches are not thread-safe, so each extra thread works in its own context built over the
/// same graph and policy (its caches warm separately); the caller's context stays with one
/// thread. Results keep the checks' order, so the output does not depend on scheduling.
package enum ParallelChecks {
    package static func run(_ checks: [any AuditCheck], in context: AuditContext) -> [[Finding]] {
        let threads = min(ProcessInfo.processInfo.activeProcessorCount, checks.count)
        guard threads > 1 else { return checks.map { $0.findings(in: context) } }
        let parts = context.sharedParts
        let primary = ConfinedContext(context)
        let queue = CheckQueue(count: checks.count)
        // Each thread pulls the next check until none is left; its findings come back with the
        // check's index, so they are put back in the checks' order.
        let done = Concurrently.map(count: threads) { thread -> [(Int, [Finding])] in
            let own = thread == 0 ? primary.context : AuditContext(sharing: parts)
            var ran: [(Int, [Finding])] = []
            while let index = queue.next() { ran.append((index, checks[index].findings(in: own))) }
            return ran
        }
        var results = Array(repeating: [Finding](), count: checks.count)
        for (index, findings) in done.joined() { results[index] = findings }
        return results
    }
}

/// The caller's context, handed to exactly one worker thread while the caller waits in
/// `concurrentPerform`: never used by two threads at once.
private final class ConfinedContext: @unchecked Sendable {
    let context: AuditContext
    init(_ context: AuditContext) { self.context = context }
}

/// The next check to run, behind a lock.
private final class CheckQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private let count: Int

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.withLock {
            guard nextIndex < count else { return nil }
            defer { nextIndex += 1 }
            return nextIndex
        }
    }
}
