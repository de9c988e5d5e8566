import Foundation
import AuditSupport
import SnapshotModel
import ServerUsage

/// A self-describing unit of the audit: an id, what it checks, and the examples that show it
/// firing and not firing (its tests run every example).
package protocol AuditCheck: Sendable {
    /// A static description: id, summary, default severity, examples.
    static var description: CheckDescription { get }
    /// The findings of this check on one audit context.
    func findings(in context: AuditContext) -> [Finding]
}

/// The static description of a check.
package struct CheckDescription: Sendable {
    package var id: String
    package var summary: String
    package var defaultSeverity: Severity
    /// Cases that must produce at least one finding of this check.
    package var triggering: [CheckExample]
    /// Cases that must produce none.
    package var nonTriggering: [CheckExample]
}

/// A small policy and snapshot: one example for a check.
package struct CheckExample: Sendable {
    package var policy: String
    package var snapshot: Snapshot
    package var today: DayDate
    /// What roles used, for checks that judge by it (`unused-access`).
    package var usage: UsageEvidence?

    package init(policy: String, snapshot: Snapshot, today: String = "2026-06-01", usage: UsageEvidence? = nil) {
        self.policy = policy
        self.snapshot = snapshot
        self.usage = usage
        self.today = DayDate(today) ?? DayDate(Date(timeIntervalSince1970: 0))
    }
}
