/// A foreign server (`pg_foreign_server`): USAGE on it with a user mapping for the current role
/// (or PUBLIC) opens a session on another database as the mapped user, through postgres_fdw
/// (a foreign table, in `pg_temp` if need be) or dblink. Where it points and who it maps are
/// exported; mapping options are not (they may hold passwords), except the remote `user` when
/// the exporting role may read it.
package struct SnapshotForeignServer: Sendable, Encodable, Hashable {
    /// A user mapping (`pg_user_mappings`): for a role, or `PUBLIC`.
    package struct Mapping: Sendable, Encodable, Hashable {
        /// The local role, or `PUBLIC`.
        package var role: String
        /// The remote user it connects as; nil when the options were not readable or name none.
        package var user: String?

        package init(role: String, user: String? = nil) {
            self.role = role
            self.user = user
        }
    }

    package var name: String
    package var owner: String
    /// The foreign-data wrapper (`postgres_fdw`, `dblink_fdw`, `file_fdw`, …).
    package var wrapper: String
    package var acl: [AclEntry]
    /// The server's `host` (or `hostaddr`), `port` and `dbname` options; nil when not set
    /// (libpq's defaults: the local socket, the default port, the user's name as database).
    package var host: String?
    package var port: String?
    package var dbname: String?
    package var mappings: [Mapping]

    package init(
        name: String, owner: String, wrapper: String, acl: [AclEntry] = [], host: String? = nil, port: String? = nil,
        dbname: String? = nil, mappings: [Mapping] = []
    ) {
        self.name = name
        self.owner = owner
        self.wrapper = wrapper
        self.acl = acl
        self.host = host
        self.port = port
        self.dbname = dbname
        self.mappings = mappings
    }

    /// The privileges a foreign server's ACL can hold.
    package static let applicablePrivileges = PrivilegeSet([.usage])

    /// Whether it points back at `database` on this server: no host or a local one (a socket
    /// directory, localhost, a loopback address) and that database's name.
    package func isLoopback(to database: String) -> Bool {
        let local = host.map { $0.isEmpty || $0.hasPrefix("/") || $0.hasPrefix("@") || ["localhost", "127.0.0.1", "::1"].contains($0) } ?? true
        return local && dbname == database
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, owner, wrapper, acl, host, port, dbname, mappings }
}
