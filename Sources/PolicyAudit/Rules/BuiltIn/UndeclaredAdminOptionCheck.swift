import SnapshotModel
import AccessEngine

/// A membership carries ADMIN OPTION (the member may grant the role to others) that the policy does not declare.
struct UndeclaredAdminOptionCheck: AuditCheck {
    static let description = CheckDescription(
        id: "undeclared-admin-option",
        summary: "A membership has ADMIN OPTION that the policy does not declare.",
        defaultSeverity: .high,
        triggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  lead: {kind: human, login: true, member_of: [agents]}\n  agents: {kind: group}\n",
            snapshot: SnapshotBuilder().role("lead", login: true).role("agents").member("lead", of: "agents", admin: true).build(),
            expect: "[{principal: lead, severity: high, at: policy.yaml:7}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  lead: {kind: human, login: true, member_of: [{role: agents, admin: true}]}\n  agents: {kind: group}\n",
            snapshot: SnapshotBuilder().role("lead", login: true).role("agents").member("lead", of: "agents", admin: true).build())])

    func findings(in context: AuditContext) -> [Finding] {
        context.graph.edges.compactMap { edge in
            guard !edge.implicit else { return nil }
            guard edge.admin else { return nil }
            let member = context.roleName(edge.member)
            let role = context.roleName(edge.role)
            guard context.declared.isDeclared(member) else { return nil }
            let declared = context.declared.declaredMembership(member: member, role: role)
            guard declared?.admin != true else { return nil }
            return Self.finding(principal: member,
                cause: Cause(.membership, "GRANT \(role) TO \(member) WITH ADMIN OPTION"),
                message: "'\(member)' holds ADMIN OPTION on '\(role)' and can grant it to any role; the policy does not declare that",
                affected: [AffectedPrincipal(name: member, path: AccessPath([.role(member), .role(role)]), mode: .direct)],
                location: declared?.location ?? context.location(ofRole: member))
        }
    }
}
