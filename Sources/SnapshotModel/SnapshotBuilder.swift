/// Builds small snapshots tersely, for examples, tests and policy test fixtures.
///
/// It starts with a superuser `postgres`, a database `app` (PUBLIC may CONNECT and use TEMP) and
/// a schema `public` owned by `postgres` on which PUBLIC has USAGE, as a fresh cluster has.
package struct SnapshotBuilder: Sendable {
    package private(set) var snapshot: Snapshot

    package init(database: String = "app", serverVersion: String = "15.0") {
        snapshot = Snapshot(serverVersion: serverVersion, database: database)
        snapshot.roles = [SnapshotRole(name: "postgres", superuser: true, createrole: true, createdb: true, login: true, replication: true, bypassrls: true)]
        snapshot.databases = [SnapshotDatabase(name: database, owner: "postgres", acl: [
            AclEntry(grantee: "postgres", grantor: "postgres", privilege: .create),
            AclEntry(grantee: "postgres", grantor: "postgres", privilege: .connect),
            AclEntry(grantee: "postgres", grantor: "postgres", privilege: .temporary),
            AclEntry(grantee: AclEntry.publicGrantee, grantor: "postgres", privilege: .connect),
            AclEntry(grantee: AclEntry.publicGrantee, grantor: "postgres", privilege: .temporary),
        ])]
        snapshot.schemas = [SnapshotSchema(name: "public", owner: "postgres", acl: [
            AclEntry(grantee: "postgres", grantor: "postgres", privilege: .usage),
            AclEntry(grantee: "postgres", grantor: "postgres", privilege: .create),
            AclEntry(grantee: AclEntry.publicGrantee, grantor: "postgres", privilege: .usage),
        ])]
    }

    /// Continues building from an existing snapshot.
    package init(snapshot: Snapshot) { self.snapshot = snapshot }

    package func build() -> Snapshot { snapshot }

    /// Adds a role.
    package func role(
        _ name: String, login: Bool = false, superuser: Bool = false, inherit: Bool = true, createrole: Bool = false,
        createdb: Bool = false, bypassrls: Bool = false, replication: Bool = false, validUntil: String? = nil
    ) -> SnapshotBuilder {
        var copy = self
        copy.snapshot.roles.append(SnapshotRole(
            name: name, superuser: superuser, inherit: inherit, createrole: createrole, createdb: createdb, login: login,
            replication: replication, bypassrls: bypassrls, validUntil: validUntil))
        return copy
    }

    /// Makes `member` a member of `role`.
    package func member(_ member: String, of role: String, admin: Bool = false, inherit: Bool? = nil, set: Bool? = nil) -> SnapshotBuilder {
        var copy = self
        copy.snapshot.memberships.append(SnapshotMembership(role: role, member: member, grantor: "postgres", admin: admin, inherit: inherit, set: set))
        return copy
    }

    /// Adds a schema; its owner holds USAGE and CREATE.
    package func schema(_ name: String, owner: String = "postgres") -> SnapshotBuilder {
        var copy = self
        copy.snapshot.schemas.append(SnapshotSchema(name: name, owner: owner, acl: Self.ownerACL(owner, [.usage, .create])))
        return copy
    }

    /// Adds a table `schema.name`; its owner holds every table privilege, as `acldefault` gives.
    package func table(_ qualified: String, owner: String = "postgres", columns: [String], rowSecurity: Bool = false, forceRowSecurity: Bool = false) -> SnapshotBuilder {
        var copy = self
        let (schema, name) = Self.split(qualified)
        copy.snapshot.tables.append(SnapshotTable(
            schema: schema, name: name, kind: .table, owner: owner,
            acl: Self.ownerACL(owner, Array(ObjectKind.table.applicablePrivileges.subtracting(PrivilegeSet([.maintain])))),
            columns: columns.map { SnapshotColumn(name: $0) }, rowSecurity: rowSecurity, forceRowSecurity: forceRowSecurity))
        return copy
    }

    /// Adds a view reading `reads` (`schema.table.column`); a definer view unless
    /// `securityInvoker`; a materialized view when `materialized`.
    package func view(_ qualified: String, owner: String = "postgres", columns: [String], reads: [String], securityInvoker: Bool = false, materialized: Bool = false) -> SnapshotBuilder {
        var copy = self
        let (schema, name) = Self.split(qualified)
        copy.snapshot.tables.append(SnapshotTable(
            schema: schema, name: name, kind: materialized ? .materializedView : .view, owner: owner,
            acl: Self.ownerACL(owner, Array(ObjectKind.table.applicablePrivileges.subtracting(PrivilegeSet([.maintain])))),
            columns: columns.map { SnapshotColumn(name: $0) }, securityInvoker: securityInvoker, reads: reads))
        return copy
    }

    /// Adds a function; PUBLIC may EXECUTE it unless `publicExecute` is false (PostgreSQL's default is true).
    package func function(_ qualified: String, arguments: String = "", owner: String = "postgres", securityDefiner: Bool = false, reads: [String]? = nil, publicExecute: Bool = true) -> SnapshotBuilder {
        var copy = self
        let (schema, name) = Self.split(qualified)
        var acl = Self.ownerACL(owner, [.execute])
        if publicExecute { acl.append(AclEntry(grantee: AclEntry.publicGrantee, grantor: owner, privilege: .execute)) }
        copy.snapshot.functions.append(SnapshotFunction(schema: schema, name: name, arguments: arguments, owner: owner, securityDefiner: securityDefiner, acl: acl, reads: reads))
        return copy
    }

    /// Describes the body of an added function: language, pinned settings (`search_path=…`),
    /// SQL-standard body, kind and (aggregates) support functions.
    package func body(
        of signature: String, language: String? = nil, config: [String]? = nil, sqlStandardBody: Bool? = nil,
        kind: SnapshotFunction.Kind? = nil, supportFunctions: [String]? = nil, calls: [String]? = nil, source: String? = nil,
        returnsTrigger: Bool? = nil
    ) -> SnapshotBuilder {
        var copy = self
        if let i = copy.snapshot.functions.firstIndex(where: { $0.signature == signature || $0.qualifiedName == signature }) {
            copy.snapshot.functions[i].language = language
            copy.snapshot.functions[i].config = config
            copy.snapshot.functions[i].sqlStandardBody = sqlStandardBody
            copy.snapshot.functions[i].kind = kind
            copy.snapshot.functions[i].supportFunctions = supportFunctions
            copy.snapshot.functions[i].calls = calls
            copy.snapshot.functions[i].source = source
            copy.snapshot.functions[i].returnsTrigger = returnsTrigger
        }
        return copy
    }

    /// Adds a trigger on a relation that runs `function` (a signature) on `events`.
    package func trigger(
        _ name: String, on qualified: String, function: String, events: [SnapshotTrigger.Event], timing: SnapshotTrigger.Timing? = nil
    ) -> SnapshotBuilder {
        var copy = self
        if let i = copy.snapshot.tables.firstIndex(where: { $0.qualifiedName == qualified }) {
            copy.snapshot.tables[i].triggers = (copy.snapshot.tables[i].triggers ?? [])
                + [SnapshotTrigger(name: name, function: function, events: events, timing: timing)]
        }
        return copy
    }

    /// Adds an expression of a relation's own (default, generated column, CHECK, index) that
    /// calls `calls` with the columns `reads`.
    package func expression(
        _ kind: SnapshotExpression.Kind, _ name: String, on qualified: String, calls: [String], reads: [String]
    ) -> SnapshotBuilder {
        var copy = self
        if let i = copy.snapshot.tables.firstIndex(where: { $0.qualifiedName == qualified }) {
            copy.snapshot.tables[i].expressions = (copy.snapshot.tables[i].expressions ?? [])
                + [SnapshotExpression(kind: kind, name: name, calls: calls, reads: reads)]
        }
        return copy
    }

    /// Adds a unique index (or UNIQUE constraint, or primary key) over `columns` of a relation.
    package func unique(_ columns: [String], on qualified: String) -> SnapshotBuilder {
        var copy = self
        if let i = copy.snapshot.tables.firstIndex(where: { $0.qualifiedName == qualified }) {
            copy.snapshot.tables[i].uniqueKeys = (copy.snapshot.tables[i].uniqueKeys ?? []) + [columns]
        }
        return copy
    }

    /// Makes `child` inherit from `parent` (a partition, or INHERITS).
    package func inherits(_ child: String, from parent: String) -> SnapshotBuilder {
        var copy = self
        if let i = copy.snapshot.tables.firstIndex(where: { $0.qualifiedName == child }) {
            copy.snapshot.tables[i].inherits = (copy.snapshot.tables[i].inherits ?? []) + [parent]
        }
        return copy
    }

    /// Adds a rewrite rule on a relation, fired by `event`, whose actions read `reads`.
    package func rule(_ name: String, on qualified: String, event: SnapshotRule.Event, reads: [String]) -> SnapshotBuilder {
        var copy = self
        if let i = copy.snapshot.tables.firstIndex(where: { $0.qualifiedName == qualified }) {
            copy.snapshot.tables[i].rules = (copy.snapshot.tables[i].rules ?? []) + [SnapshotRule(name: name, event: event, reads: reads)]
        }
        return copy
    }

    /// Grants a privilege on a pg_catalog object (`pg_catalog.pg_statistic`, a function signature).
    package func catalogGrant(_ privilege: Privilege, on object: String, kind: ObjectKind = .table, to grantee: String) -> SnapshotBuilder {
        var copy = self
        let entry = AclEntry(grantee: grantee, grantor: "postgres", privilege: privilege)
        var grants = copy.snapshot.catalogGrants ?? []
        if let i = grants.firstIndex(where: { $0.object == object }) { grants[i].acl.append(entry) } else { grants.append(SnapshotCatalogGrant(kind: kind, object: object, acl: [entry])) }
        copy.snapshot.catalogGrants = grants
        return copy
    }

    /// Grants SET or ALTER SYSTEM on a configuration parameter (PostgreSQL 15+).
    /// Adds a foreign server owned by `owner` (USAGE to `usage`) with user mappings for `mappings`
    /// (role → remote user); `database` makes it point back at the snapshot's own database.
    package func foreignServer(
        _ name: String, owner: String = "postgres", usage: [String] = [], database: String? = nil, mappings: [String: String?] = [:]
    ) -> SnapshotBuilder {
        var copy = self
        copy.snapshot.foreignServers = (copy.snapshot.foreignServers ?? []) + [SnapshotForeignServer(
            name: name, owner: owner, wrapper: "postgres_fdw",
            acl: Self.ownerACL(owner, [.usage]) + usage.map { AclEntry(grantee: $0, grantor: owner, privilege: .usage) },
            dbname: database, mappings: mappings.keys.sorted().map { SnapshotForeignServer.Mapping(role: $0, user: mappings[$0] ?? nil) })]
        return copy
    }

    /// Sets what decides read logging: pgaudit loaded or not, server settings (name → value, as
    /// a configuration file sets them; the other watched settings at PostgreSQL's defaults) and
    /// overrides (`ALTER ROLE … SET`: database nil for every database, role nil for every role).
    package func logging(
        pgaudit: Bool, settings: [String: String] = [:], overrides: [SnapshotLogging.Override] = []
    ) -> SnapshotBuilder {
        var copy = self
        var values: [String: String] = [
            "shared_preload_libraries": pgaudit ? "pgaudit" : "", "log_min_messages": "warning", "log_line_prefix": "%m [%p] %q%u@%d ",
            "log_destination": "stderr", "logging_collector": "off",
        ]
        if pgaudit {
            values.merge(["pgaudit.log": "none", "pgaudit.role": "", "pgaudit.log_catalog": "on", "pgaudit.log_relation": "off"]) { $1 }
        }
        values.merge(settings) { $1 }
        copy.snapshot.logging = SnapshotLogging(
            pgauditLoaded: pgaudit,
            settings: values.keys.sorted().map { SnapshotLogging.Setting(name: $0, value: values[$0], source: settings[$0] == nil ? "default" : "configuration file") },
            overrides: overrides)
        return copy
    }

    package func parameterGrant(_ privilege: Privilege, on parameter: String, to grantee: String, grantable: Bool = false) -> SnapshotBuilder {
        var copy = self
        let entry = AclEntry(grantee: grantee, grantor: "postgres", privilege: privilege, grantable: grantable)
        var parameters = copy.snapshot.parameterPrivileges ?? []
        if let i = parameters.firstIndex(where: { $0.name == parameter }) {
            parameters[i].acl.append(entry)
        } else {
            parameters.append(SnapshotParameterPrivilege(name: parameter, acl: [entry]))
        }
        copy.snapshot.parameterPrivileges = parameters
        return copy
    }

    /// Adds a sequence owned by `owner`.
    package func sequence(_ qualified: String, owner: String = "postgres") -> SnapshotBuilder {
        var copy = self
        let (schema, name) = Self.split(qualified)
        copy.snapshot.sequences.append(SnapshotSequence(schema: schema, name: name, owner: owner, acl: Self.ownerACL(owner, [.usage, .select, .update])))
        return copy
    }

    /// Grants privileges on a relation (or some of its columns), sequence, function, schema or
    /// database named by `on` (`kind` picks which).
    package func grant(_ privileges: [Privilege], on name: String, kind: ObjectKind = .table, columns: [String]? = nil, to grantee: String, grantable: Bool = false, grantor: String = "postgres") -> SnapshotBuilder {
        var copy = self
        let entries = privileges.map { AclEntry(grantee: grantee, grantor: grantor, privilege: $0, grantable: grantable) }
        switch kind {
        case .table, .column:
            if let i = copy.snapshot.tables.firstIndex(where: { $0.qualifiedName == name }) {
                if let columns {
                    for c in copy.snapshot.tables[i].columns.indices where columns.contains(copy.snapshot.tables[i].columns[c].name) {
                        copy.snapshot.tables[i].columns[c].acl += entries
                    }
                } else {
                    copy.snapshot.tables[i].acl += entries
                }
            }
        case .schema:
            if let i = copy.snapshot.schemas.firstIndex(where: { $0.name == name }) { copy.snapshot.schemas[i].acl += entries }
        case .database:
            if let i = copy.snapshot.databases.firstIndex(where: { $0.name == name }) { copy.snapshot.databases[i].acl += entries }
        case .sequence:
            if let i = copy.snapshot.sequences.firstIndex(where: { $0.qualifiedName == name }) { copy.snapshot.sequences[i].acl += entries }
        case .function:
            if let i = copy.snapshot.functions.firstIndex(where: { $0.qualifiedName == name || $0.signature == name }) { copy.snapshot.functions[i].acl += entries }
        case .largeObject:
            if let i = copy.snapshot.largeObjects?.firstIndex(where: { $0.owner == name }) { copy.snapshot.largeObjects?[i].acl += entries }
        }
        return copy
    }

    /// Adds `count` large objects owned by `owner` (its own SELECT and UPDATE in their ACL).
    package func largeObjects(owner: String = "postgres", count: Int = 1) -> SnapshotBuilder {
        var copy = self
        copy.snapshot.largeObjects = (copy.snapshot.largeObjects ?? [])
            + [SnapshotLargeObjects(owner: owner, acl: Self.ownerACL(owner, [.select, .update]), count: count)]
        return copy
    }

    /// Removes every grant to `grantee` on a schema (e.g. PUBLIC's USAGE on `public`).
    package func revokeSchema(_ schema: String, from grantee: String) -> SnapshotBuilder {
        var copy = self
        if let i = copy.snapshot.schemas.firstIndex(where: { $0.name == schema }) { copy.snapshot.schemas[i].acl.removeAll { $0.grantee == grantee } }
        return copy
    }

    /// Adds a row-level security policy.
    package func rowPolicy(
        _ name: String, on qualified: String, command: SnapshotRowSecurityPolicy.Command = .all, roles: [String] = [AclEntry.publicGrantee],
        permissive: Bool = true, functions: [String]? = nil, using: String = "(agent = CURRENT_USER)", settings: [SnapshotPolicySetting]? = nil
    ) -> SnapshotBuilder {
        var copy = self
        let (schema, table) = Self.split(qualified)
        copy.snapshot.rowSecurityPolicies.append(SnapshotRowSecurityPolicy(
            schema: schema, table: table, name: name, command: command, permissive: permissive, roles: roles, using: using,
            functions: functions, settings: settings))
        return copy
    }

    static func ownerACL(_ owner: String, _ privileges: [Privilege]) -> [AclEntry] {
        privileges.map { AclEntry(grantee: owner, grantor: owner, privilege: $0) }
    }

    static func split(_ qualified: String) -> (String, String) {
        guard let dot = qualified.firstIndex(of: ".") else { return ("public", qualified) }
        return (String(qualified[..<dot]), String(qualified[qualified.index(after: dot)...]))
    }
}
