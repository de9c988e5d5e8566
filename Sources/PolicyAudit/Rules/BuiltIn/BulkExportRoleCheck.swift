import SnapshotModel
import AccessEngine

/// Membership in a predefined role that reads all data or the server's files or runs programs
/// on the server: the insider's dream, so it is flagged whether declared or not.
struct BulkExportRoleCheck: AuditCheck {
    static let description = CheckDescription(
        id: "bulk-export-role",
        summary: "A role is a member of pg_read_all_data, pg_read_server_files, pg_write_server_files or pg_execute_server_program.",
        defaultSeverity: .critical,
        triggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  analyst: {kind: human, login: true, member_of: [pg_read_all_data]}\n",
            snapshot: SnapshotBuilder().role("analyst", login: true).role("pg_read_all_data").member("analyst", of: "pg_read_all_data").build(),
            expect: "[{principal: analyst, severity: critical, at: policy.yaml:7}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  analyst: {kind: human, login: true}\n",
            snapshot: SnapshotBuilder().role("analyst", login: true).role("pg_read_all_data").build())])

    func findings(in context: AuditContext) -> [Finding] {
        context.graph.edges.compactMap { edge in
            guard !edge.implicit else { return nil }
            let role = context.roleName(edge.role)
            guard PredefinedRoles.bulkExport.contains(role) else { return nil }
            let member = context.roleName(edge.member)
            let hop: PathStep = edge.inherit ? .role(role) : .setRole(role)
            let affected = context.reach.reachers(of: .role(edge.member)).map { reacher in
                var principal = context.affected(reacher)
                principal.path.steps.append(hop)
                return principal
            }
            return Self.finding(principal: member,
                cause: Cause(.membership, "GRANT \(role) TO \(member)"),
                message: "\(member) is a member of \(role): \(affected.count) role(s) can bulk-export through it",
                affected: affected, location: context.declared.declaredMembership(member: member, role: role)?.location ?? context.location(ofRole: member))
        }
    }
}
