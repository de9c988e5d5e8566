import Foundation

/// A self-describing unit of the audit: an id, what it checks, and the examples that show it
/// firing and not firing (its tests run every example).
public protocol AuditCheck: Sendable {
    /// A static description: id, summary, default severity, examples.
    static var description: CheckDescription { get }
    /// The findings of this check on one audit context.
    func findings(in context: AuditContext) -> [Finding]
}

/// The static description of a check.
public struct CheckDescription: Sendable {
    public var id: String
    public var summary: String
    public var defaultSeverity: Severity
    /// Cases that must produce at least one finding of this check.
    public var triggering: [CheckExample]
    /// Cases that must produce none.
    public var nonTriggering: [CheckExample]
}

/// A small policy and snapshot: one example for a check.
public struct CheckExample: Sendable {
    public var policy: String
    public var snapshot: Snapshot
    public var today: DayDate
    /// What roles used, for checks that judge by it (`unused-access`).
    public var usage: UsageEvidence?

    public init(policy: String, snapshot: Snapshot, today: String = "2026-06-01", usage: UsageEvidence? = nil) {
        self.policy = policy
        self.snapshot = snapshot
        self.usage = usage
        self.today = DayDate(today) ?? DayDate(Date(timeIntervalSince1970: 0))
    }
}
