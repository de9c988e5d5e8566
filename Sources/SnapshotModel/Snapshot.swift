/// A snapshot of one database's permissions, as written by the exporter (format version 1).
///
/// Every `acl` array is explicit: the exporter resolves a NULL catalog ACL to PostgreSQL's
/// `acldefault()` for the object, so the engine never has to guess built-in defaults.
package struct Snapshot: Sendable, Encodable {
    /// The snapshot format this build reads and writes.
    package static let currentFormatVersion = 1

    package var formatVersion: Int
    package var serverVersion: String
    package var serverVersionNum: Int?
    package var database: String
    package var exportedAt: String
    package var exportedBy: String?
    package var rowCounts: [String: Int]?
    package var roles: [SnapshotRole]
    package var memberships: [SnapshotMembership]
    package var databases: [SnapshotDatabase]
    package var schemas: [SnapshotSchema]
    package var tables: [SnapshotTable]
    package var sequences: [SnapshotSequence]
    package var functions: [SnapshotFunction]
    package var defaultPrivileges: [SnapshotDefaultPrivilege]
    package var rowSecurityPolicies: [SnapshotRowSecurityPolicy]
    /// Grants on `pg_catalog` objects that differ from `initdb`'s; nil when not exported.
    package var catalogGrants: [SnapshotCatalogGrant]?
    /// Parameters with privileges of their own (PostgreSQL 15+); nil when not exported (an
    /// exporter from before they were read), empty before PostgreSQL 15.
    package var parameterPrivileges: [SnapshotParameterPrivilege]?
    /// Foreign servers and their user mappings; nil when not exported.
    package var foreignServers: [SnapshotForeignServer]?
    /// Large objects grouped by owner and ACL; nil when not exported.
    package var largeObjects: [SnapshotLargeObjects]?
    /// `lo_compat_privileges` as the exporting session saw it: on, every role reads and writes
    /// every large object; nil when not exported.
    package var largeObjectCompatPrivileges: Bool?
    /// What decides whether reads are logged (pgaudit and the server's logging); nil when not
    /// exported, and then the audit reports logging coverage as unknown.
    package var logging: SnapshotLogging?

    package init(
        formatVersion: Int = Snapshot.currentFormatVersion, serverVersion: String = "15.0",
        serverVersionNum: Int? = nil, database: String = "postgres", exportedAt: String = "1970-01-01T00:00:00Z",
        exportedBy: String? = nil, rowCounts: [String: Int]? = nil, roles: [SnapshotRole] = [],
        memberships: [SnapshotMembership] = [], databases: [SnapshotDatabase] = [], schemas: [SnapshotSchema] = [],
        tables: [SnapshotTable] = [], sequences: [SnapshotSequence] = [], functions: [SnapshotFunction] = [],
        defaultPrivileges: [SnapshotDefaultPrivilege] = [], rowSecurityPolicies: [SnapshotRowSecurityPolicy] = [],
        catalogGrants: [SnapshotCatalogGrant]? = nil, parameterPrivileges: [SnapshotParameterPrivilege]? = nil,
        foreignServers: [SnapshotForeignServer]? = nil, largeObjects: [SnapshotLargeObjects]? = nil,
        largeObjectCompatPrivileges: Bool? = nil, logging: SnapshotLogging? = nil
    ) {
        self.logging = logging
        self.largeObjects = largeObjects
        self.largeObjectCompatPrivileges = largeObjectCompatPrivileges
        self.foreignServers = foreignServers
        self.catalogGrants = catalogGrants
        self.parameterPrivileges = parameterPrivileges
        self.formatVersion = formatVersion
        self.serverVersion = serverVersion
        self.serverVersionNum = serverVersionNum
        self.database = database
        self.exportedAt = exportedAt
        self.exportedBy = exportedBy
        self.rowCounts = rowCounts
        self.roles = roles
        self.memberships = memberships
        self.databases = databases
        self.schemas = schemas
        self.tables = tables
        self.sequences = sequences
        self.functions = functions
        self.defaultPrivileges = defaultPrivileges
        self.rowSecurityPolicies = rowSecurityPolicies
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case formatVersion = "format_version"
        case serverVersion = "server_version"
        case serverVersionNum = "server_version_num"
        case database
        case exportedAt = "exported_at"
        case exportedBy = "exported_by"
        case rowCounts = "row_counts"
        case roles, memberships, databases, schemas, tables, sequences, functions
        case defaultPrivileges = "default_privileges"
        case rowSecurityPolicies = "row_security_policies"
        case catalogGrants = "catalog_grants"
        case parameterPrivileges = "parameter_privileges"
        case foreignServers = "foreign_servers"
        case largeObjects = "large_objects"
        case largeObjectCompatPrivileges = "lo_compat_privileges"
        case logging
    }

    /// The server's major version (`server_version_num / 10000`), from the number or the
    /// version text; nil when neither says. Semantics that changed between majors follow it.
    package var serverMajorVersion: Int? {
        if let serverVersionNum { return serverVersionNum / 10_000 }
        return serverVersion.split(whereSeparator: { !$0.isNumber }).first.flatMap { Int($0) }
    }
}

/// A role (`pg_roles` row) and its attributes.
package struct SnapshotRole: Sendable, Encodable, Hashable {
    package var name: String
    package var superuser: Bool
    package var inherit: Bool
    package var createrole: Bool
    package var createdb: Bool
    package var login: Bool
    package var replication: Bool
    package var bypassrls: Bool
    /// `rolvaliduntil` as ISO 8601, or nil for "no limit".
    package var validUntil: String?
    /// `rolconnlimit`: -1 for no limit, 0 lets the role open no session (superusers are exempt);
    /// nil when not exported.
    package var connectionLimit: Int?

    package init(
        name: String, superuser: Bool = false, inherit: Bool = true, createrole: Bool = false,
        createdb: Bool = false, login: Bool = false, replication: Bool = false, bypassrls: Bool = false,
        validUntil: String? = nil, connectionLimit: Int? = nil
    ) {
        self.connectionLimit = connectionLimit
        self.name = name
        self.superuser = superuser
        self.inherit = inherit
        self.createrole = createrole
        self.createdb = createdb
        self.login = login
        self.replication = replication
        self.bypassrls = bypassrls
        self.validUntil = validUntil
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, superuser, inherit, createrole, createdb, login, replication, bypassrls
        case validUntil = "valid_until"
        case connectionLimit = "connection_limit"
    }
}

/// One `pg_auth_members` row: `member` is a member of `role`.
///
/// `inherit` and `set` are PostgreSQL 16's per-membership options. Snapshots of older servers
/// carry the member role's `rolinherit` as `inherit` and `true` as `set`, which is exactly how
/// those servers behave; when either is absent the same rule is applied on load.
package struct SnapshotMembership: Sendable, Encodable, Hashable {
    package var role: String
    package var member: String
    package var grantor: String?
    package var admin: Bool
    package var inherit: Bool?
    package var set: Bool?

    package init(role: String, member: String, grantor: String? = nil, admin: Bool = false, inherit: Bool? = nil, set: Bool? = nil) {
        self.role = role
        self.member = member
        self.grantor = grantor
        self.admin = admin
        self.inherit = inherit
        self.set = set
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case role, member, grantor, admin, inherit, set }
}

/// One ACL item as `aclexplode()` returns it; `grantee` is a role name or `PUBLIC`.
package struct AclEntry: Sendable, Encodable, Hashable {
    package static let publicGrantee = "PUBLIC"

    package var grantee: String
    package var grantor: String
    package var privilege: Privilege
    package var grantable: Bool

    package init(grantee: String, grantor: String, privilege: Privilege, grantable: Bool = false) {
        self.grantee = grantee
        self.grantor = grantor
        self.privilege = privilege
        self.grantable = grantable
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case grantee, grantor, privilege, grantable }
}

/// A schema (`pg_namespace`): a name, an owner and an ACL.
package struct SnapshotNamedObject: Sendable, Encodable, Hashable {
    package var name: String
    package var owner: String
    package var acl: [AclEntry]

    package init(name: String, owner: String, acl: [AclEntry] = []) {
        self.name = name
        self.owner = owner
        self.acl = acl
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, owner, acl }
}

/// The database of the snapshot (`pg_database`): its owner, its ACL (CONNECT decides who may
/// use anything in it) and whether it accepts connections at all.
package struct SnapshotDatabase: Sendable, Encodable, Hashable {
    package var name: String
    package var owner: String
    package var acl: [AclEntry]
    /// `datallowconn`; nil when the snapshot does not say (read as true).
    package var allowConnections: Bool?
    /// `datconnlimit`: -1 for no limit, 0 lets no one but superusers in; nil when not exported.
    package var connectionLimit: Int?

    package init(name: String, owner: String, acl: [AclEntry] = [], allowConnections: Bool? = nil, connectionLimit: Int? = nil) {
        self.name = name
        self.owner = owner
        self.acl = acl
        self.allowConnections = allowConnections
        self.connectionLimit = connectionLimit
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, owner, acl
        case allowConnections = "allow_connections"
        case connectionLimit = "connection_limit"
    }
}
/// A schema of the database.
package typealias SnapshotSchema = SnapshotNamedObject
