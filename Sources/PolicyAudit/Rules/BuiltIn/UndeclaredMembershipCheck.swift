import SnapshotModel
import AccessEngine

/// A membership exists that the member's declaration does not list, or it inherits / allows
/// SET ROLE where the declaration says it must not.
struct UndeclaredMembershipCheck: AuditCheck {
    static let description = CheckDescription(
        id: "undeclared-membership",
        summary: "A role is a member of another role without the policy declaring it (or with inherit/set options the policy forbids).",
        defaultSeverity: .medium,
        triggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  alice: {kind: human, login: true}\n  readers: {kind: group, grants: [{table: public.customers, privileges: [SELECT]}]}\n",
            snapshot: SnapshotBuilder().role("alice", login: true).role("readers").member("alice", of: "readers")
                .table("public.customers", columns: ["email"]).grant([.select], on: "public.customers", to: "readers").build(),
            expect: "[{principal: alice, severity: critical, at: policy.yaml:7}]"),
            CheckExample(
            policy: examplePolicyHeader + "roles:\n  alice: {kind: human, login: true}\n  readers: {kind: group}\n",
            snapshot: SnapshotBuilder().role("alice", login: true).role("readers").member("alice", of: "readers").build(),
            expect: "[{principal: alice, severity: medium, at: policy.yaml:7}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  alice: {kind: human, login: true, member_of: [readers]}\n  readers: {kind: group}\n",
            snapshot: SnapshotBuilder().role("alice", login: true).role("readers").member("alice", of: "readers").build())],
        otherSeverities: [.critical])

    func findings(in context: AuditContext) -> [Finding] {
        context.graph.edges.compactMap { edge in
            guard !edge.implicit else { return nil }
            let member = context.roleName(edge.member)
            let role = context.roleName(edge.role)
            guard context.declared.isDeclared(member), !PredefinedRoles.bulkExport.contains(role) else { return nil }
            let declared = context.declared.declaredMembership(member: member, role: role)
            var problem: String
            if let declared {
                if declared.inherit == false && edge.inherit {
                    problem = "'\(member)' inherits the privileges of '\(role)', but the policy declares the membership with inherit: false"
                } else if declared.set == false && edge.set {
                    problem = "'\(member)' may SET ROLE to '\(role)', but the policy declares the membership with set: false"
                } else {
                    return nil
                }
            } else {
                problem = "'\(member)' is a member of '\(role)' but the policy does not declare it"
            }
            let conferred = context.engine.readableColumns(of: edge.role).keys.filter { context.classification.topClass(of: $0) != nil }
            if !conferred.isEmpty { problem += "; through it \(conferred.count) classified column(s) can be read" }
            let hop: PathStep = edge.inherit ? .role(role) : .setRole(role)
            let affected = context.reach.reachers(of: .role(edge.member)).map { reacher in
                var extended = context.affected(reacher)
                extended.path.steps.append(hop)
                if !edge.inherit, extended.mode == .direct { extended.mode = .setRole }
                return extended
            }
            return Self.finding(severity: context.raised(Self.description.defaultSeverity, columns: Array(conferred)),
                principal: member, cause: Cause(.membership, "GRANT \(role) TO \(member)"), message: problem,
                affected: affected, location: declared?.location ?? context.location(ofRole: member))
        }
    }
}
