import Foundation
import AuditSupport

/// Runs an audit's checks on the machine's cores. Checks are independent but the engine's
/// caches are not thread-safe, so each extra thread works in its own context built over the
/// same graph and policy (its caches warm separately); the caller's context stays with one
/// thread. Results keep the checks' order, so the output does not depend on scheduling.
package enum ParallelChecks {
    /// One unit of work: a whole check, or one part of a partitioned check.
    private struct Work {
        var check: Int
        var part: Int?
    }

    package static func run(_ checks: [any AuditStep], in context: AuditContext) -> [[Finding]] {
        let threads = min(ProcessInfo.processInfo.activeProcessorCount, checks.count)
        guard threads > 1 else { return checks.map { $0.findings(in: context) } }
        let parts = context.sharedParts
        // Partitioned checks in twice as many parts as threads, queued first (the longest work
        // first leaves no core idle at the end); the others in their order.
        let partCount = 2 * threads
        var queue: [Work] = []
        for (index, check) in checks.enumerated() where check is any PartitionedAuditCheck {
            queue += (0..<partCount).map { Work(check: index, part: $0) }
        }
        for (index, check) in checks.enumerated() where !(check is any PartitionedAuditCheck) {
            queue.append(Work(check: index, part: nil))
        }
        let work = queue
        let next = LockedBox(0)
        // Each worker pulls the next unit until none is left; its results come back with the
        // unit's position, so they are put back in order.
        @Sendable func run(in own: AuditContext) -> [(Int, Result)] {
            var ran: [(Int, Result)] = []
            while let position = next.withLockedValue({ next -> Int? in
                guard next < work.count else { return nil }
                defer { next += 1 }
                return next
            }) {
                let unit = work[position]
                if let part = unit.part, let check = checks[unit.check] as? any PartitionedAuditCheck {
                    ran.append((position, .partial(check.anyPartial(part, of: partCount, in: own))))
                } else {
                    ran.append((position, .findings(checks[unit.check].findings(in: own))))
                }
            }
            return ran
        }
        // The caller's context stays on the caller's thread; every other worker builds its own.
        let (mine, others) = Concurrently.pair(
            { run(in: context) },
            { Concurrently.map(count: threads - 1) { _ in run(in: AuditContext(sharing: parts)) } })
        var results = Array(repeating: [Finding](), count: checks.count)
        var partials = Array(repeating: [any Sendable](), count: checks.count)
        for (position, result) in (mine + others.joined()).sorted(by: { $0.0 < $1.0 }) {
            switch result {
            case .findings(let findings): results[work[position].check] = findings
            case .partial(let partial): partials[work[position].check].append(partial)
            }
        }
        // Parts merged in the caller's context, in part order (the queue holds them in order).
        for (index, check) in checks.enumerated() {
            if let check = check as? any PartitionedAuditCheck { results[index] = check.findings(mergingAny: partials[index], in: context) }
        }
        return results
    }

    private enum Result: Sendable {
        case findings([Finding])
        case partial(any Sendable)
    }
}
