/// A foreign server (`pg_foreign_server`): USAGE on it with a user mapping for the current role
/// (or PUBLIC) opens a session on another database as the mapped user, through postgres_fdw
/// (a foreign table, in `pg_temp` if need be) or dblink. Where it points and who it maps are
/// exported; mapping options are not (they may hold passwords), except the remote `user` when
/// the exporting role may read it.
public struct SnapshotForeignServer: Sendable, Encodable, Hashable {
    /// A user mapping (`pg_user_mappings`): for a role, or `PUBLIC`.
    public struct Mapping: Sendable, Encodable, Hashable {
        /// The local role, or `PUBLIC`.
        public var role: String
        /// The remote user it connects as; nil when the options were not readable or name none.
        public var user: String?

        public init(role: String, user: String? = nil) {
            self.role = role
            self.user = user
        }
    }

    public var name: String
    public var owner: String
    /// The foreign-data wrapper (`postgres_fdw`, `dblink_fdw`, `file_fdw`, …).
    public var wrapper: String
    public var acl: [AclEntry]
    /// The server's `host` (or `hostaddr`), `port` and `dbname` options; nil when not set
    /// (libpq's defaults: the local socket, the default port, the user's name as database).
    public var host: String?
    public var port: String?
    public var dbname: String?
    public var mappings: [Mapping]

    public init(
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
    public static let applicablePrivileges = PrivilegeSet([.usage])

    /// Whether it points back at `database` on this server: no host or a local one (a socket
    /// directory, localhost, a loopback address) and that database's name.
    public func isLoopback(to database: String) -> Bool {
        let local = host.map { $0.isEmpty || $0.hasPrefix("/") || $0.hasPrefix("@") || ["localhost", "127.0.0.1", "::1"].contains($0) } ?? true
        return local && dbname == database
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, owner, wrapper, acl, host, port, dbname, mappings }
}
