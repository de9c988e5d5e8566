import SnapshotModel

/// Foreign servers as PostgreSQL checks them: USAGE on the server (`has_server_privilege`: its
/// ACL through inherited memberships and PUBLIC; superusers hold it), and the user mapping
/// `GetUserMapping` picks for the current role — its own, else PUBLIC's (never one of a role it
/// is a member of: after SET ROLE the target's mapping counts).
extension EffectiveAccessEngine {
    /// A session a role can open elsewhere through a foreign server.
    package struct ForeignSession: Sendable, Hashable {
        package var server: Int
        /// The remote user; nil when the mapping's options were not readable.
        package var user: String?
        /// Whose mapping: the role's name or `PUBLIC`.
        package var mapping: String
    }

    /// `has_server_privilege(role, server, 'USAGE')`.
    package func hasServerUsage(_ role: RoleIndex, on server: Int) -> Bool {
        if graph.roles[role].attributes.superuser { return true }
        return holds(role, .usage, in: graph.foreignServers[server].acl)
    }

    /// The sessions `role`, as the current user, can open: USAGE on the server and a mapping for
    /// it or for PUBLIC.
    package func foreignSessions(of role: RoleIndex) -> [ForeignSession] {
        graph.foreignServers.indices.compactMap { index in
            let server = graph.foreignServers[index]
            guard hasServerUsage(role, on: index) else { return nil }
            if let own = server.mappings.first(where: { $0.role == role }) {
                return ForeignSession(server: index, user: own.user, mapping: graph.roles[role].name)
            }
            if let everyone = server.mappings.first(where: { $0.role == nil }) {
                return ForeignSession(server: index, user: everyone.user, mapping: AclEntry.publicGrantee)
            }
            return nil
        }
    }
}
