import AuditSupport
import SnapshotModel
import AccessEngine

/// A role past its declared `expires` date still exists with LOGIN, memberships or grants; or a
/// LOGIN role's VALID UNTIL has passed while it keeps its privileges.
struct ExpiredRoleCheck: AuditCheck {
    static let description = CheckDescription(
        id: "expired-role",
        summary: "A role past its declared expiry (or its VALID UNTIL) still has access.",
        defaultSeverity: .high,
        triggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  temp: {kind: human, login: true}\n",
            snapshot: SnapshotBuilder().role("temp", login: true, validUntil: "2026-01-01 00:00:00+00").build(), today: "2026-02-01",
            expect: "[{principal: temp, severity: low, at: policy.yaml:7}]"),
            CheckExample(
            policy: examplePolicyHeader + "roles:\n  contractor: {kind: human, login: true, expires: 2026-01-31}\n",
            snapshot: SnapshotBuilder().role("contractor", login: true).build(), today: "2026-02-01",
            expect: "[{principal: contractor, severity: high, at: policy.yaml:7}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  contractor: {kind: human, login: true, expires: 2026-01-31}\n",
            snapshot: SnapshotBuilder().role("contractor", login: true).build(), today: "2026-01-31")],
        otherSeverities: [.low])

    func findings(in context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for (index, node) in context.graph.roles.enumerated() {
            let hasAccess = node.attributes.login || !node.memberOf.isEmpty || !context.graph.grants(of: .role(index)).isEmpty
            guard hasAccess else { continue }
            let affected = [AffectedPrincipal(name: node.name, path: AccessPath([.role(node.name)]), mode: .direct)]
            if let declaration = context.declared.declaration(of: node.name), let expires = declaration.expires, expires < context.today {
                findings.append(Self.finding(principal: node.name,
                    cause: Cause(.role, "role \(node.name) (expired \(expires))"),
                    message: "\(node.name) expired on \(expires) but still has \(node.attributes.login ? "LOGIN" : "access")",
                    affected: affected, location: declaration.location))
            }
            if node.attributes.login, let validUntil = node.attributes.validUntil, let day = DayDate(timestamp: validUntil), day < context.today {
                findings.append(Self.finding(severity: .low, principal: node.name,
                    cause: Cause(.attribute, "ALTER ROLE \(node.name) VALID UNTIL '\(validUntil)'"),
                    message: "\(node.name)'s password expired (VALID UNTIL \(validUntil)) but the role keeps LOGIN and its privileges; non-password authentication still works",
                    affected: affected, location: context.location(ofRole: node.name)))
            }
        }
        return findings
    }
}
