import Foundation
import AuditSupport
import SnapshotModel
import ServerUsage

/// A self-describing unit of the audit: an id, what it checks, and the examples that show it
/// firing and not firing (its tests run every example). Either a built-in check or a policy
/// rule kind; the auditor runs both.
package protocol AuditStep: Sendable {
    /// A static description: id, summary, default severity, examples.
    static var description: CheckDescription { get }
    /// The findings of this step on one audit context.
    func findings(in context: AuditContext) -> [Finding]
}

/// A check that runs without being written in the policy (`BuiltInChecks`): its findings carry
/// its own id, which exceptions may name.
protocol AuditCheck: AuditStep {}

/// A kind of rule the policy writes (`deny`, `require`, `limit`, `separate`; `PolicyRuleKinds`):
/// its findings carry the id of the policy's rule.
protocol PolicyRuleKind: AuditStep {}

extension AuditCheck {
    /// A finding of this check: its id, and its default severity unless the branch that found it
    /// says otherwise (the one way checks build findings).
    static func finding(
        severity: Severity? = nil, principal: String?, objectKind: ObjectKind? = nil, object: String? = nil,
        column: String? = nil, privilege: Privilege? = nil, cause: Cause, message: String,
        affected: [AffectedPrincipal] = [], principalCount: Int? = nil, location: SourceLocation
    ) -> Finding {
        Finding(
            rule: description.id, severity: severity ?? description.defaultSeverity, principal: principal, objectKind: objectKind,
            object: object, column: column, privilege: privilege, cause: cause, message: message, affected: affected,
            principalCount: principalCount, location: location)
    }
}

/// The static description of a check.
package struct CheckDescription: Sendable {
    package var id: String
    package var summary: String
    package var defaultSeverity: Severity
    /// Cases that produce findings: exactly the ones each states.
    package var triggering: [CheckExample]
    /// Cases that produce none.
    package var nonTriggering: [CheckExample]
    /// The severities its branches give besides the default (a raised data class, an attribute
    /// table's rows): the triggering examples must show every one.
    package var otherSeverities: [Severity] = []

    /// Every severity a finding of this check can have.
    package var severities: [Severity] { [defaultSeverity] + otherSeverities }
}

/// A small policy and snapshot: one example for a check, with the findings it must produce.
package struct CheckExample: Sendable {
    package var policy: String
    package var snapshot: Snapshot
    package var today: DayDate
    /// What roles used, for checks that judge by it (`unused-access`).
    package var usage: UsageEvidence?
    /// Exactly the findings this example produces, in the terse dialect of `*.test.yaml`
    /// (`[{principal: ops, severity: critical, at: policy.yaml:6}]`; `rule` defaults to the
    /// check's id); `[]` for a non-triggering example.
    package var expect: String
    /// Where the example is written, so a failing example names its own line.
    package var fileID: String
    package var filePath: String
    package var line: Int

    package init(
        policy: String, snapshot: Snapshot, today: String = "2026-06-01", usage: UsageEvidence? = nil, expect: String = "[]",
        fileID: String = #fileID, filePath: String = #filePath, line: Int = #line
    ) {
        self.policy = policy
        self.snapshot = snapshot
        self.usage = usage
        self.today = DayDate(today) ?? DayDate(Date(timeIntervalSince1970: 0))
        self.expect = expect
        self.fileID = fileID
        self.filePath = filePath
        self.line = line
    }
}
