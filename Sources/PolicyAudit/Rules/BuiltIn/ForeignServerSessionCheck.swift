import SnapshotModel
import AccessEngine

/// A foreign server with a user mapping opens a session on another database (or this one again)
/// as the mapped user: reach that leaves what this snapshot can judge. Reported for every server
/// someone can use; a server pointing back at this database is also followed by the engine (the
/// `foreign_server` capability step), so deny rules count what the mapped user reads.
struct ForeignServerSessionCheck: AuditCheck {
    static let description = CheckDescription(
        id: "foreign-server-session",
        summary: "Roles can open a session elsewhere as a mapped user through a foreign server (USAGE and a user mapping for them or PUBLIC).",
        defaultSeverity: .medium,
        triggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  analyst: {kind: human, login: true}\n",
            snapshot: SnapshotBuilder().role("analyst", login: true)
                .foreignServer("warehouse", usage: ["analyst"], mappings: ["PUBLIC": "etl"]).build(),
            expect: "[{principal: postgres, object: warehouse, severity: medium, at: policy.yaml:1}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  analyst: {kind: human, login: true}\n",
            snapshot: SnapshotBuilder().role("analyst", login: true).role("carol", login: true)
                .foreignServer("warehouse", usage: ["analyst"], mappings: ["carol": "etl"]).build())])

    func findings(in context: AuditContext) -> [Finding] {
        let graph = context.graph
        guard !graph.foreignServers.isEmpty else { return [] }
        // The mapping is the current role's own (or PUBLIC's): a role R's session is R's, and
        // whoever can SET ROLE to R (or become it) opens it too; members inheriting R do not.
        var affected: [Int: [String: AffectedPrincipal]] = [:]
        var users: [Int: Set<String>] = [:]
        for role in graph.roles.indices where !PredefinedRoles.isPredefined(graph.roles[role].name) {
            for session in context.engine.foreignSessions(of: role) {
                users[session.server, default: []].insert(session.user ?? "a user the export could not read")
                let own = AffectedPrincipal(name: graph.roles[role].name, path: AccessPath([.role(graph.roles[role].name)]), mode: .direct)
                affected[session.server, default: [:]][own.name] = affected[session.server]?[own.name] ?? own
                for reacher in context.reach.reachers(of: .role(role)) where reacher.mode != .direct {
                    let principal = context.affected(reacher)
                    affected[session.server, default: [:]][principal.name] = affected[session.server]?[principal.name] ?? principal
                }
            }
        }
        return affected.keys.sorted().map { index in
            let server = graph.foreignServers[index]
            let principals = (affected[index] ?? [:]).values.sorted { $0.name < $1.name }
            let mapped = (users[index] ?? []).sorted().joined(separator: ", ")
            let back = server.loopback ? " (this database again: what the mapped user reads is counted as theirs)" : ""
            return Self.finding(principal: graph.roles[server.owner].name,
                object: server.name, cause: Cause(.grant, "USAGE ON FOREIGN SERVER \(server.name) with a user mapping (\(server.wrapper))"),
                message: "\(principals.count) role(s) can open a session on \(server.target) as \(mapped) through foreign server \(server.name)\(back)",
                affected: principals, location: context.location(ofRole: graph.roles[server.owner].name))
        }
    }
}
