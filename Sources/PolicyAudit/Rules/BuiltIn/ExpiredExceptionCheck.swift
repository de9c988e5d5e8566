import SnapshotModel

/// An exception is past its expiry date: it suppresses nothing any more, and says so.
struct ExpiredExceptionCheck: AuditCheck {
    static let description = CheckDescription(
        id: "expired-exception",
        summary: "An exception is past its expiry date (it no longer suppresses anything).",
        defaultSeverity: .medium,
        triggering: [CheckExample(
            policy: examplePolicyHeader + "roles: {}\nexceptions:\n  - {rule: over-broad-grant, role: PUBLIC, reason: migration, ticket: SEC-1, approved_by: ciso, expires: 2026-01-01}\n",
            snapshot: SnapshotBuilder().build(), today: "2026-01-02",
            expect: "[{principal: PUBLIC, severity: medium, at: policy.yaml:8}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles: {}\nexceptions:\n  - {rule: over-broad-grant, role: PUBLIC, reason: migration, ticket: SEC-1, approved_by: ciso, expires: 2026-01-01}\n",
            snapshot: SnapshotBuilder().build(), today: "2026-01-01")])

    func findings(in context: AuditContext) -> [Finding] {
        context.policy.exceptions.filter { $0.expires < context.today }.map { exception in
            Self.finding(principal: exception.roles.map(\.text).joined(separator: ", "),
                cause: Cause(.exception, "exception \(exception.ticket) for rule \(exception.rule)"),
                message: "exception \(exception.ticket) (rule \(exception.rule), approved by \(exception.approvedBy)) expired on \(exception.expires) and no longer suppresses anything",
                location: exception.location)
        }
    }
}
