/// Whether a login role can open a session in the snapshot's database at all: nothing in a
/// database is usable by a role that cannot connect to it (`CheckMyDatabase` and
/// `InitializeSessionUserId` in PostgreSQL's `postinit.c`/`miscinit.c`).
extension EffectiveAccessEngine {
    /// Why `role` cannot connect to the snapshot's database, or nil when it can. Only login roles
    /// connect; a role reached by SET ROLE needs no CONNECT of its own, so non-login roles get nil.
    /// Superusers pass CONNECT and both connection limits, but not `datallowconn = false`.
    package func connectionBlock(of role: RoleIndex) -> String? {
        let attributes = graph.roles[role].attributes
        guard attributes.login, let database = graph.currentDatabase else { return nil }
        let name = graph.objects[database.object].name
        if !database.allowConnections { return "database \(name) accepts no connections (datallowconn is false)" }
        if attributes.superuser { return nil }
        if attributes.connectionLimit == 0 { return "\(attributes.name) may open no session (CONNECTION LIMIT 0)" }
        if database.connectionLimit == 0 { return "database \(name) admits superusers only (CONNECTION LIMIT 0)" }
        if !hasPrivilege(role, .connect, on: database.object) {
            return "\(attributes.name) lacks CONNECT on database \(name) (directly, through a role it inherits, and from PUBLIC)"
        }
        return nil
    }

    /// The note a latent privilege carries when its principal cannot connect.
    static func connectionNote(_ block: String) -> String {
        "cannot connect: \(block); usable only after that changes"
    }
}
