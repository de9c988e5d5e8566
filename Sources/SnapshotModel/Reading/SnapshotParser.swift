import AuditSupport

/// Reads snapshot format v1 straight from JSON bytes with `JSONScanner`: every key known,
/// every required key present, every value of its type, enumerations checked. The snapshot
/// types are `Encodable` only; this is their one reader.
package struct SnapshotParser {
    package typealias Failure = JSONScanner.Failure

    /// Arrays with more elements than this are read on two threads.
    package static let parallelThreshold = 2_000

    /// `parallelThreshold` is lowered by tests, to read small snapshots the two-thread way.
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>, parallelThreshold: Int = parallelThreshold) throws(Failure) -> Snapshot {
        var scanner = JSONScanner(bytes: bytes)
        let snapshot = try snapshot(&scanner, parallelThreshold: parallelThreshold)
        try scanner.end()
        return snapshot
    }

    static func required<T>(_ value: T?, _ key: String, objectAt offset: Int) throws(Failure) -> T {
        guard let value else { throw Failure(offset: offset, message: "missing key '\(key)'") }
        return value
    }

    static func unknown(_ key: String, at offset: Int) -> Failure { Failure(offset: offset, message: "unknown key '\(key)'") }

    static func optionalString(_ s: inout JSONScanner) throws(Failure) -> String? { s.null() ? nil : try s.string() }
    static func optionalBool(_ s: inout JSONScanner) throws(Failure) -> Bool? { s.null() ? nil : try s.bool() }
    static func strings(_ s: inout JSONScanner) throws(Failure) -> [String] { try s.array { (s: inout JSONScanner) throws(Failure) in try s.string() } }
    static func optionalStrings(_ s: inout JSONScanner) throws(Failure) -> [String]? { s.null() ? nil : try strings(&s) }
    static func acl(_ s: inout JSONScanner) throws(Failure) -> [AclEntry] { try s.array(aclEntry) }

    static func enumeration<T: RawRepresentable>(_ s: inout JSONScanner, _ type: T.Type, _ what: String) throws(Failure) -> T where T.RawValue == String {
        s.skipWhitespace()
        let offset = s.index
        let text = try s.string()
        guard let value = T(rawValue: text) else { throw Failure(offset: offset, message: "unknown \(what) '\(text)'") }
        return value
    }

    // MARK: The document

    static func snapshot(_ s: inout JSONScanner, parallelThreshold: Int) throws(Failure) -> Snapshot {
        var formatVersion: Int?, serverVersion: String?, serverVersionNum: Int?, database: String?, exportedAt: String?, exportedBy: String?
        var rowCounts: [String: Int]?, roles: [SnapshotRole]?, memberships: [SnapshotMembership]?, databases: [SnapshotDatabase]?
        var schemas: [SnapshotSchema]?, tables: [SnapshotTable]?, sequences: [SnapshotSequence]?, functions: [SnapshotFunction]?
        var defaults: [SnapshotDefaultPrivilege]?, policies: [SnapshotRowSecurityPolicy]?, catalogGrants: [SnapshotCatalogGrant]?
        var parameterPrivileges: [SnapshotParameterPrivilege]?, foreignServers: [SnapshotForeignServer]?
        var largeObjects: [SnapshotLargeObjects]?, largeObjectCompat: Bool?, logging: SnapshotLogging?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "format_version":
                s.skipWhitespace()
                let at = s.index
                let version = try s.integer()
                guard version == Snapshot.currentFormatVersion else {
                    throw Failure(offset: at, message: "snapshot format_version \(version) is not supported (this build reads \(Snapshot.currentFormatVersion))")
                }
                formatVersion = version
            case "server_version": serverVersion = try s.string()
            case "server_version_num": serverVersionNum = s.null() ? nil : try s.integer()
            case "database": database = try s.string()
            case "exported_at": exportedAt = try s.string()
            case "exported_by": exportedBy = try optionalString(&s)
            case "row_counts":
                if s.null() { break }
                var counts: [String: Int] = [:]
                try s.object { (s: inout JSONScanner, name: JSONScanner.Key, _: Int) throws(Failure) in counts[name.text] = try s.integer() }
                rowCounts = counts
            case "roles": roles = try s.array(role)
            case "memberships": memberships = try s.array(membership)
            case "databases": databases = try s.array(Self.database)
            case "schemas": schemas = try s.array(namedObject)
            case "tables": tables = try largeArray(&s, threshold: parallelThreshold, table)
            case "sequences": sequences = try s.array(sequence)
            case "functions": functions = try s.array(function)
            case "default_privileges": defaults = try s.array(defaultPrivilege)
            case "row_security_policies": policies = try s.array(rowSecurityPolicy)
            case "catalog_grants": catalogGrants = s.null() ? nil : try s.array(catalogGrant)
            case "parameter_privileges": parameterPrivileges = s.null() ? nil : try s.array(parameterPrivilege)
            case "foreign_servers": foreignServers = s.null() ? nil : try s.array(foreignServer)
            case "large_objects": largeObjects = s.null() ? nil : try s.array(largeObjectGroup)
            case "lo_compat_privileges": largeObjectCompat = try optionalBool(&s)
            case "logging": logging = s.null() ? nil : try Self.logging(&s)
            default: throw unknown(key.text, at: offset)
            }
        }
        return Snapshot(
            formatVersion: try required(formatVersion, "format_version", objectAt: start),
            serverVersion: try required(serverVersion, "server_version", objectAt: start), serverVersionNum: serverVersionNum,
            database: try required(database, "database", objectAt: start), exportedAt: try required(exportedAt, "exported_at", objectAt: start),
            exportedBy: exportedBy, rowCounts: rowCounts, roles: try required(roles, "roles", objectAt: start),
            memberships: try required(memberships, "memberships", objectAt: start), databases: try required(databases, "databases", objectAt: start),
            schemas: try required(schemas, "schemas", objectAt: start), tables: try required(tables, "tables", objectAt: start),
            sequences: try required(sequences, "sequences", objectAt: start), functions: try required(functions, "functions", objectAt: start),
            defaultPrivileges: try required(defaults, "default_privileges", objectAt: start),
            rowSecurityPolicies: try required(policies, "row_security_policies", objectAt: start), catalogGrants: catalogGrants,
            parameterPrivileges: parameterPrivileges, foreignServers: foreignServers, largeObjects: largeObjects,
            largeObjectCompatPrivileges: largeObjectCompat, logging: logging)
    }

    /// An array read in two halves on two threads when it is large (the tables of a big
    /// snapshot are most of its bytes). A structural pass finds where the halves meet; each half
    /// is read and checked in full. On any error the array is read again the ordinary way, so
    /// the error reported is exactly the one a single pass reports.
    static func largeArray<Element: Sendable>(
        _ s: inout JSONScanner, threshold: Int, _ element: @escaping @Sendable (inout JSONScanner) throws(Failure) -> Element
    ) throws(Failure) -> [Element] {
        guard Concurrently.hasSeveralCores, let (starts, end) = s.elementStarts(), starts.count > threshold else {
            return try s.array(element)
        }
        let middle = starts.count / 2
        let halves = [(from: starts[0], count: middle, last: false, next: starts[middle]), (from: starts[middle], count: starts.count - middle, last: true, next: end)]
        let bytes = UncheckedBytes(s.bytes)
        let results = Concurrently.map(count: 2) { half -> [Element]? in
            var scanner = JSONScanner(bytes: bytes.buffer)
            let read: [Element]? = try? scanner.elements(from: halves[half].from, count: halves[half].count, last: halves[half].last, element)
            // Each half must end exactly where the next begins.
            return scanner.index == halves[half].next || halves[half].last ? read : nil
        }
        guard let first = results[0], let second = results[1] else { return try s.array(element) }
        s.rewind(to: end)
        return first + second
    }

    // MARK: Roles

    static func role(_ s: inout JSONScanner) throws(Failure) -> SnapshotRole {
        var name: String?, superuser: Bool?, inherit: Bool?, createrole: Bool?, createdb: Bool?, login: Bool?
        var replication: Bool?, bypassrls: Bool?, validUntil: String?, connectionLimit: Int?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "name": name = try s.string()
            case "superuser": superuser = try s.bool()
            case "inherit": inherit = try s.bool()
            case "createrole": createrole = try s.bool()
            case "createdb": createdb = try s.bool()
            case "login": login = try s.bool()
            case "replication": replication = try s.bool()
            case "bypassrls": bypassrls = try s.bool()
            case "valid_until": validUntil = try optionalString(&s)
            case "connection_limit": connectionLimit = try s.integer()
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotRole(
            name: try required(name, "name", objectAt: start), superuser: try required(superuser, "superuser", objectAt: start),
            inherit: try required(inherit, "inherit", objectAt: start), createrole: try required(createrole, "createrole", objectAt: start),
            createdb: try required(createdb, "createdb", objectAt: start), login: try required(login, "login", objectAt: start),
            replication: try required(replication, "replication", objectAt: start), bypassrls: try required(bypassrls, "bypassrls", objectAt: start),
            validUntil: validUntil, connectionLimit: connectionLimit)
    }

    static func membership(_ s: inout JSONScanner) throws(Failure) -> SnapshotMembership {
        var role: String?, member: String?, grantor: String?, admin: Bool?, inherit: Bool?, set: Bool?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "role": role = try s.string()
            case "member": member = try s.string()
            case "grantor": grantor = try optionalString(&s)
            case "admin": admin = try s.bool()
            case "inherit": inherit = try optionalBool(&s)
            case "set": set = try optionalBool(&s)
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotMembership(
            role: try required(role, "role", objectAt: start), member: try required(member, "member", objectAt: start), grantor: grantor,
            admin: try required(admin, "admin", objectAt: start), inherit: inherit, set: set)
    }

    // MARK: ACLs and objects

    static func aclEntry(_ s: inout JSONScanner) throws(Failure) -> AclEntry {
        var grantee: String?, grantor: String?, privilege: Privilege?, grantable: Bool?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "grantee": grantee = try s.string()
            case "grantor": grantor = try s.string()
            case "privilege":
                s.skipWhitespace()
                let at = s.index
                if let raw = s.plainASCIIString(), let exact = exactPrivilege(raw) {
                    privilege = exact
                    break
                }
                s.rewind(to: at)
                let name = try s.string()
                guard let parsed = Privilege(name: name) else { throw Failure(offset: at, message: "unknown privilege '\(name)'") }
                privilege = parsed
            case "grantable": grantable = try s.bool()
            default: throw unknown(key.text, at: offset)
            }
        }
        return AclEntry(
            grantee: try required(grantee, "grantee", objectAt: start), grantor: try required(grantor, "grantor", objectAt: start),
            privilege: try required(privilege, "privilege", objectAt: start), grantable: try required(grantable, "grantable", objectAt: start))
    }

    /// `aclexplode()`'s spellings, matched as bytes; anything else goes through `Privilege(name:)`.
    static let privilegeSpellings: [(spelling: StaticString, privilege: Privilege)] = [
        ("SELECT", .select), ("INSERT", .insert), ("UPDATE", .update), ("DELETE", .delete), ("TRUNCATE", .truncate),
        ("REFERENCES", .references), ("TRIGGER", .trigger), ("MAINTAIN", .maintain), ("USAGE", .usage), ("CREATE", .create),
        ("CONNECT", .connect), ("TEMPORARY", .temporary), ("EXECUTE", .execute), ("SET", .set), ("ALTER SYSTEM", .alterSystem),
    ]

    package static func exactPrivilege(_ raw: UnsafeBufferPointer<UInt8>) -> Privilege? {
        privilegeSpellings.first { entry in entry.spelling.withUTF8Buffer { JSONScanner.sameBytes($0, raw) } }?.privilege
    }

    static func namedObject(_ s: inout JSONScanner) throws(Failure) -> SnapshotNamedObject {
        var name: String?, owner: String?, acl: [AclEntry]?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "name": name = try s.string()
            case "owner": owner = try s.string()
            case "acl": acl = try Self.acl(&s)
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotNamedObject(
            name: try required(name, "name", objectAt: start), owner: try required(owner, "owner", objectAt: start),
            acl: try required(acl, "acl", objectAt: start))
    }

    static func queryTree(_ s: inout JSONScanner) throws(Failure) -> SnapshotQueryTree {
        var tree: String?, outputs: [String?]?, relations: [SnapshotQueryTree.Relation]?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "tree": tree = try s.string()
            case "outputs": outputs = try s.array(optionalString)
            case "relations": relations = try s.array(queryRelation)
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotQueryTree(
            tree: try required(tree, "tree", objectAt: start), outputs: try required(outputs, "outputs", objectAt: start),
            relations: try required(relations, "relations", objectAt: start))
    }

    static func queryRelation(_ s: inout JSONScanner) throws(Failure) -> SnapshotQueryTree.Relation {
        var oid: Int?, name: String?, columns: [String?]?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "oid": oid = try s.integer()
            case "name": name = try s.string()
            case "columns": columns = try s.array(optionalString)
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotQueryTree.Relation(
            oid: try required(oid, "oid", objectAt: start), name: try required(name, "name", objectAt: start),
            columns: try required(columns, "columns", objectAt: start))
    }

    static func database(_ s: inout JSONScanner) throws(Failure) -> SnapshotDatabase {
        var name: String?, owner: String?, acl: [AclEntry]?, allowConnections: Bool?, connectionLimit: Int?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "name": name = try s.string()
            case "owner": owner = try s.string()
            case "acl": acl = try Self.acl(&s)
            case "allow_connections": allowConnections = try s.bool()
            case "connection_limit": connectionLimit = try s.integer()
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotDatabase(
            name: try required(name, "name", objectAt: start), owner: try required(owner, "owner", objectAt: start),
            acl: try required(acl, "acl", objectAt: start), allowConnections: allowConnections, connectionLimit: connectionLimit)
    }

    static func table(_ s: inout JSONScanner) throws(Failure) -> SnapshotTable {
        var schema: String?, name: String?, kind: RelationKind?, owner: String?, acl: [AclEntry]?, columns: [SnapshotColumn]?
        var rowSecurity: Bool?, forceRowSecurity: Bool?, securityInvoker: Bool?, reads: [String]?, triggers: [SnapshotTrigger]?
        var rules: [SnapshotRule]?, expressions: [SnapshotExpression]?, inherits: [String]?, updatable: [Privilege]?
        var uniqueKeys: [[String]]?, query: SnapshotQueryTree?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "query": query = s.null() ? nil : try queryTree(&s)
            case "schema": schema = try s.string()
            case "name": name = try s.string()
            case "kind": kind = try enumeration(&s, RelationKind.self, "relation kind")
            case "owner": owner = try s.string()
            case "acl": acl = try Self.acl(&s)
            case "columns": columns = try s.array(column)
            case "row_security": rowSecurity = try s.bool()
            case "force_row_security": forceRowSecurity = try s.bool()
            case "security_invoker": securityInvoker = try optionalBool(&s)
            case "reads": reads = try optionalStrings(&s)
            case "triggers": triggers = s.null() ? nil : try s.array(trigger)
            case "rules": rules = s.null() ? nil : try s.array(rule)
            case "expressions": expressions = s.null() ? nil : try s.array(expression)
            case "inherits": inherits = try optionalStrings(&s)
            case "unique_keys": uniqueKeys = s.null() ? nil : try s.array { (s: inout JSONScanner) throws(Failure) in try strings(&s) }
            case "updatable":
                if s.null() { break }
                updatable = try s.array { (s: inout JSONScanner) throws(Failure) in
                    s.skipWhitespace()
                    let at = s.index
                    let name = try s.string()
                    guard let privilege = Privilege(name: name), [.insert, .update, .delete].contains(privilege) else {
                        throw Failure(offset: at, message: "a view is updatable for INSERT, UPDATE or DELETE, not '\(name)'")
                    }
                    return privilege
                }
            default: throw unknown(key.text, at: offset)
            }
        }
        let relationKind = try required(kind, "kind", objectAt: start)
        if relationKind == .view || relationKind == .materializedView, reads == nil {
            throw Failure(offset: start, message: "a view or materialized view must list the base columns it reads ('reads')")
        }
        return SnapshotTable(
            schema: try required(schema, "schema", objectAt: start), name: try required(name, "name", objectAt: start), kind: relationKind,
            owner: try required(owner, "owner", objectAt: start), acl: try required(acl, "acl", objectAt: start),
            columns: try required(columns, "columns", objectAt: start), rowSecurity: try required(rowSecurity, "row_security", objectAt: start),
            forceRowSecurity: try required(forceRowSecurity, "force_row_security", objectAt: start),
            securityInvoker: securityInvoker ?? false, reads: reads, triggers: triggers, rules: rules,
            expressions: expressions, inherits: inherits, updatable: updatable, uniqueKeys: uniqueKeys, query: query)
    }

    static func rule(_ s: inout JSONScanner) throws(Failure) -> SnapshotRule {
        var name: String?, event: SnapshotRule.Event?, reads: [String]?, enabled: Bool?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "name": name = try s.string()
            case "event": event = try enumeration(&s, SnapshotRule.Event.self, "rule event")
            case "reads": reads = try strings(&s)
            case "enabled": enabled = try s.bool()
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotRule(
            name: try required(name, "name", objectAt: start), event: try required(event, "event", objectAt: start),
            reads: try required(reads, "reads", objectAt: start), enabled: try required(enabled, "enabled", objectAt: start))
    }

    static func expression(_ s: inout JSONScanner) throws(Failure) -> SnapshotExpression {
        var kind: SnapshotExpression.Kind?, name: String?, calls: [String]?, reads: [String]?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "kind": kind = try enumeration(&s, SnapshotExpression.Kind.self, "expression kind")
            case "name": name = try s.string()
            case "calls": calls = try strings(&s)
            case "reads": reads = try strings(&s)
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotExpression(
            kind: try required(kind, "kind", objectAt: start), name: try required(name, "name", objectAt: start),
            calls: try required(calls, "calls", objectAt: start), reads: try required(reads, "reads", objectAt: start))
    }

    static func trigger(_ s: inout JSONScanner) throws(Failure) -> SnapshotTrigger {
        var name: String?, function: String?, events: [SnapshotTrigger.Event]?, enabled: Bool?, timing: SnapshotTrigger.Timing?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "name": name = try s.string()
            case "function": function = try s.string()
            case "events":
                events = try s.array { (s: inout JSONScanner) throws(Failure) in try enumeration(&s, SnapshotTrigger.Event.self, "trigger event") }
            case "enabled": enabled = try s.bool()
            case "timing": timing = s.null() ? nil : try enumeration(&s, SnapshotTrigger.Timing.self, "trigger timing")
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotTrigger(
            name: try required(name, "name", objectAt: start), function: try required(function, "function", objectAt: start),
            events: try required(events, "events", objectAt: start), enabled: try required(enabled, "enabled", objectAt: start),
            timing: timing)
    }

    static func catalogGrant(_ s: inout JSONScanner) throws(Failure) -> SnapshotCatalogGrant {
        var kind: ObjectKind?, object: String?, acl: [AclEntry]?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "kind":
                s.skipWhitespace()
                let at = s.index
                let parsed = try enumeration(&s, ObjectKind.self, "catalog object kind")
                guard parsed == .table || parsed == .function else {
                    throw Failure(offset: at, message: "catalog grants are on tables or functions, not '\(parsed.rawValue)'")
                }
                kind = parsed
            case "object": object = try s.string()
            case "acl": acl = try Self.acl(&s)
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotCatalogGrant(
            kind: try required(kind, "kind", objectAt: start), object: try required(object, "object", objectAt: start),
            acl: try required(acl, "acl", objectAt: start))
    }

    static func parameterPrivilege(_ s: inout JSONScanner) throws(Failure) -> SnapshotParameterPrivilege {
        var name: String?, acl: [AclEntry]?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "name": name = try s.string()
            case "acl": acl = try Self.acl(&s)
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotParameterPrivilege(name: try required(name, "name", objectAt: start), acl: try required(acl, "acl", objectAt: start))
    }

    static func foreignServer(_ s: inout JSONScanner) throws(Failure) -> SnapshotForeignServer {
        var name: String?, owner: String?, wrapper: String?, acl: [AclEntry]?, host: String?, port: String?, dbname: String?
        var mappings: [SnapshotForeignServer.Mapping]?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "name": name = try s.string()
            case "owner": owner = try s.string()
            case "wrapper": wrapper = try s.string()
            case "acl": acl = try Self.acl(&s)
            case "host": host = try optionalString(&s)
            case "port": port = try optionalString(&s)
            case "dbname": dbname = try optionalString(&s)
            case "mappings": mappings = try s.array(userMapping)
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotForeignServer(
            name: try required(name, "name", objectAt: start), owner: try required(owner, "owner", objectAt: start),
            wrapper: try required(wrapper, "wrapper", objectAt: start), acl: try required(acl, "acl", objectAt: start),
            host: host, port: port, dbname: dbname, mappings: try required(mappings, "mappings", objectAt: start))
    }

    static func largeObjectGroup(_ s: inout JSONScanner) throws(Failure) -> SnapshotLargeObjects {
        var owner: String?, acl: [AclEntry]?, count: Int?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "owner": owner = try s.string()
            case "acl": acl = try Self.acl(&s)
            case "count": count = try s.integer()
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotLargeObjects(
            owner: try required(owner, "owner", objectAt: start), acl: try required(acl, "acl", objectAt: start),
            count: try required(count, "count", objectAt: start))
    }

    // MARK: Logging

    static func logging(_ s: inout JSONScanner) throws(Failure) -> SnapshotLogging {
        var loaded: Bool?, extensionVersion: String?, settings: [SnapshotLogging.Setting]?, overrides: [SnapshotLogging.Override]?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "pgaudit_loaded": loaded = try s.bool()
            case "pgaudit_extension": extensionVersion = try optionalString(&s)
            case "settings": settings = try s.array(loggingSetting)
            case "overrides": overrides = try s.array(settingOverride)
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotLogging(
            pgauditLoaded: try required(loaded, "pgaudit_loaded", objectAt: start), pgauditExtension: extensionVersion,
            settings: try required(settings, "settings", objectAt: start), overrides: try required(overrides, "overrides", objectAt: start))
    }

    static func loggingSetting(_ s: inout JSONScanner) throws(Failure) -> SnapshotLogging.Setting {
        var name: String?, value: String?, source: String?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "name": name = try s.string()
            case "value": value = try optionalString(&s)
            case "source": source = try optionalString(&s)
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotLogging.Setting(name: try required(name, "name", objectAt: start), value: value, source: source)
    }

    static func settingOverride(_ s: inout JSONScanner) throws(Failure) -> SnapshotLogging.Override {
        var database: String?, role: String?, name: String?, value: String?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "database": database = try optionalString(&s)
            case "role": role = try optionalString(&s)
            case "name": name = try s.string()
            case "value": value = try s.string()
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotLogging.Override(
            database: database, role: role, name: try required(name, "name", objectAt: start), value: try required(value, "value", objectAt: start))
    }

    static func userMapping(_ s: inout JSONScanner) throws(Failure) -> SnapshotForeignServer.Mapping {
        var role: String?, user: String?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "role": role = try s.string()
            case "user": user = try optionalString(&s)
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotForeignServer.Mapping(role: try required(role, "role", objectAt: start), user: user)
    }

    static func column(_ s: inout JSONScanner) throws(Failure) -> SnapshotColumn {
        var name: String?, acl: [AclEntry]?, reads: [String]?, system: Bool?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "name": name = try s.string()
            case "acl": acl = s.null() ? nil : try Self.acl(&s)
            case "reads": reads = try optionalStrings(&s)
            case "system": system = try optionalBool(&s)
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotColumn(name: try required(name, "name", objectAt: start), acl: acl ?? [], reads: reads, system: system)
    }

    static func sequence(_ s: inout JSONScanner) throws(Failure) -> SnapshotSequence {
        var schema: String?, name: String?, owner: String?, acl: [AclEntry]?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "schema": schema = try s.string()
            case "name": name = try s.string()
            case "owner": owner = try s.string()
            case "acl": acl = try Self.acl(&s)
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotSequence(
            schema: try required(schema, "schema", objectAt: start), name: try required(name, "name", objectAt: start),
            owner: try required(owner, "owner", objectAt: start), acl: try required(acl, "acl", objectAt: start))
    }

    static func function(_ s: inout JSONScanner) throws(Failure) -> SnapshotFunction {
        var schema: String?, name: String?, arguments: String?, owner: String?, definer: Bool?, acl: [AclEntry]?, reads: [String]?
        var language: String?, kind: SnapshotFunction.Kind?, config: [String]?, sqlStandardBody: Bool?, supportFunctions: [String]?
        var calls: [String]?, body: SnapshotQueryTree?, source: String?, returnsTrigger: Bool?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "language": language = try optionalString(&s)
            case "kind": kind = s.null() ? nil : try enumeration(&s, SnapshotFunction.Kind.self, "function kind")
            case "config": config = try optionalStrings(&s)
            case "sql_standard_body": sqlStandardBody = try optionalBool(&s)
            case "support_functions": supportFunctions = try optionalStrings(&s)
            case "calls": calls = try optionalStrings(&s)
            case "body": body = s.null() ? nil : try queryTree(&s)
            case "source": source = try optionalString(&s)
            case "returns_trigger": returnsTrigger = try optionalBool(&s)
            case "schema": schema = try s.string()
            case "name": name = try s.string()
            case "identity_arguments": arguments = try s.string()
            case "owner": owner = try s.string()
            case "security_definer": definer = try s.bool()
            case "acl": acl = try Self.acl(&s)
            case "reads": reads = try optionalStrings(&s)
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotFunction(
            schema: try required(schema, "schema", objectAt: start), name: try required(name, "name", objectAt: start),
            arguments: try required(arguments, "identity_arguments", objectAt: start), owner: try required(owner, "owner", objectAt: start),
            securityDefiner: try required(definer, "security_definer", objectAt: start), acl: try required(acl, "acl", objectAt: start), reads: reads,
            language: language, kind: kind, config: config, sqlStandardBody: sqlStandardBody, supportFunctions: supportFunctions, calls: calls, body: body,
            source: source, returnsTrigger: returnsTrigger)
    }

    static func defaultPrivilege(_ s: inout JSONScanner) throws(Failure) -> SnapshotDefaultPrivilege {
        var role: String?, schema: String?, objectType: SnapshotDefaultPrivilege.ObjectType?, acl: [AclEntry]?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "role": role = try s.string()
            case "schema": schema = try optionalString(&s)
            case "object_type": objectType = try enumeration(&s, SnapshotDefaultPrivilege.ObjectType.self, "object type")
            case "acl": acl = try Self.acl(&s)
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotDefaultPrivilege(
            role: try required(role, "role", objectAt: start), schema: schema, objectType: try required(objectType, "object_type", objectAt: start),
            acl: try required(acl, "acl", objectAt: start))
    }

    static func rowSecurityPolicy(_ s: inout JSONScanner) throws(Failure) -> SnapshotRowSecurityPolicy {
        var schema: String?, table: String?, name: String?, command: SnapshotRowSecurityPolicy.Command?, permissive: Bool?
        var roles: [String]?, using: String?, withCheck: String?, functions: [String]?, settings: [SnapshotPolicySetting]?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "schema": schema = try s.string()
            case "table": table = try s.string()
            case "name": name = try s.string()
            case "command": command = try enumeration(&s, SnapshotRowSecurityPolicy.Command.self, "policy command")
            case "permissive": permissive = try s.bool()
            case "roles": roles = try strings(&s)
            case "using": using = try optionalString(&s)
            case "with_check": withCheck = try optionalString(&s)
            case "functions": functions = try optionalStrings(&s)
            case "settings": settings = try s.array(policySetting)
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotRowSecurityPolicy(
            schema: try required(schema, "schema", objectAt: start), table: try required(table, "table", objectAt: start),
            name: try required(name, "name", objectAt: start), command: try required(command, "command", objectAt: start),
            permissive: try required(permissive, "permissive", objectAt: start), roles: try required(roles, "roles", objectAt: start),
            using: using, withCheck: withCheck, functions: functions, settings: settings)
    }

    static func policySetting(_ s: inout JSONScanner) throws(Failure) -> SnapshotPolicySetting {
        var name: String?, context: String?
        let start = try s.object { (s: inout JSONScanner, key: JSONScanner.Key, offset: Int) throws(Failure) in
            switch key {
            case "name": name = try s.string()
            case "context": context = try optionalString(&s)
            default: throw unknown(key.text, at: offset)
            }
        }
        return SnapshotPolicySetting(name: try required(name, "name", objectAt: start), context: context)
    }
}

/// The snapshot's bytes, shared read-only with the second reading thread while the caller's
/// buffer is alive (the reading completes inside `withUnsafeBytes`).
private struct UncheckedBytes: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
    init(_ buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }
}
