import Foundation
import AuditSupport

/// Runs an audit's checks on the machine's cores. Checks are independent but the engine's
/// caches are not thread-safe, so each extra thread works in its own context built over the
/// same graph and policy (its caches warm separately); the caller's context stays with one
/// thread. Results keep the checks' order, so the output does not depend on scheduling.
package enum ParallelChecks {
    package static func run(_ checks: [any AuditStep], in context: AuditContext) -> [[Finding]] {
        let threads = min(ProcessInfo.processInfo.activeProcessorCount, checks.count)
        guard threads > 1 else { return checks.map { $0.findings(in: context) } }
        let parts = context.sharedParts
        let nextCheck = LockedBox(0)
        // Each worker pulls the next check until none is left; its findings come back with the
        // check's index, so they are put back in the checks' order.
        @Sendable func work(in own: AuditContext) -> [(Int, [Finding])] {
            var ran: [(Int, [Finding])] = []
            while let index = nextCheck.withLockedValue({ next -> Int? in
                guard next < checks.count else { return nil }
                defer { next += 1 }
                return next
            }) {
                ran.append((index, checks[index].findings(in: own)))
            }
            return ran
        }
        // The caller's context stays on the caller's thread; every other worker builds its own.
        let (mine, others) = Concurrently.pair(
            { work(in: context) },
            { Concurrently.map(count: threads - 1) { _ in work(in: AuditContext(sharing: parts)) } })
        var results = Array(repeating: [Finding](), count: checks.count)
        for (index, findings) in mine + others.joined() { results[index] = findings }
        return results
    }
}
