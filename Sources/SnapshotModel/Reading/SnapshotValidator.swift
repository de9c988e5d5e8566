import AuditSupport

/// Cross-checks a decoded snapshot: names are unique and every reference resolves.
package struct SnapshotValidator {
    package struct Problem {
        var path: [any CodingKey]
        package var message: String
    }

    let snapshot: Snapshot

    package func problems() -> [Problem] {
        var problems: [Problem] = []
        var roleNames = Set<String>()
        func key(_ name: String) -> any CodingKey { AnyCodingKey(stringValue: name) }
        func index(_ i: Int) -> any CodingKey { AnyCodingKey(intValue: i) ?? AnyCodingKey(stringValue: String(i)) }

        for (i, role) in snapshot.roles.enumerated() {
            if role.name == AclEntry.publicGrantee || !roleNames.insert(role.name).inserted {
                problems.append(Problem(path: [key("roles"), index(i), key("name")], message: "duplicate or reserved role name '\(role.name)'"))
            }
        }
        /// Whether the role exists (a problem is recorded when not).
        @discardableResult
        func checkRole(_ name: String, _ path: @autoclosure () -> [any CodingKey], allowPublic: Bool = false) -> Bool {
            if allowPublic, name == AclEntry.publicGrantee { return true }
            if !roleNames.contains(name) {
                problems.append(Problem(path: path(), message: "role '\(name)' is not in the snapshot's roles"))
                return false
            }
            return true
        }
        func checkACL(_ acl: [AclEntry], _ path: @autoclosure () -> [any CodingKey], kind: ObjectKind) {
            checkACL(acl, path(), applicable: kind.applicablePrivileges, what: "a \(kind.rawValue)")
        }
        func checkACL(_ acl: [AclEntry], _ path: @autoclosure () -> [any CodingKey], applicable: PrivilegeSet, what: String) {
            // An ACL repeats its grantor and each grantee's name row after row: a name equal to
            // the last one found needs no second lookup.
            var knownGrantee: String?, knownGrantor: String?
            for (j, entry) in acl.enumerated() {
                if entry.grantee != knownGrantee, checkRole(entry.grantee, path() + [index(j), key("grantee")], allowPublic: true) {
                    knownGrantee = entry.grantee
                }
                if entry.grantor != knownGrantor, checkRole(entry.grantor, path() + [index(j), key("grantor")]) {
                    knownGrantor = entry.grantor
                }
                if !applicable.contains(entry.privilege) {
                    problems.append(Problem(path: path() + [index(j), key("privilege")], message: "\(entry.privilege.rawValue) does not apply to \(what)"))
                }
            }
        }
        for (i, m) in snapshot.memberships.enumerated() {
            checkRole(m.role, [key("memberships"), index(i), key("role")])
            checkRole(m.member, [key("memberships"), index(i), key("member")])
            if let grantor = m.grantor { checkRole(grantor, [key("memberships"), index(i), key("grantor")]) }
        }
        for (i, db) in snapshot.databases.enumerated() {
            checkRole(db.owner, [key("databases"), index(i), key("owner")])
            checkACL(db.acl, [key("databases"), index(i), key("acl")], kind: .database)
        }
        var schemaNames = Set<String>()
        for (i, schema) in snapshot.schemas.enumerated() {
            if !schemaNames.insert(schema.name).inserted {
                problems.append(Problem(path: [key("schemas"), index(i), key("name")], message: "duplicate schema '\(schema.name)'"))
            }
            checkRole(schema.owner, [key("schemas"), index(i), key("owner")])
            checkACL(schema.acl, [key("schemas"), index(i), key("acl")], kind: .schema)
        }
        // Relations by qualified name; columns are checked per relation (a global set of
        // `schema.table.column` strings cost a string per column at scale).
        var relations: [String: Int] = [:]
        relations.reserveCapacity(snapshot.tables.count)
        for (i, table) in snapshot.tables.enumerated() {
            func path() -> [any CodingKey] { [key("tables"), index(i)] }
            if !schemaNames.contains(table.schema) {
                problems.append(Problem(path: path() + [key("schema")], message: "schema '\(table.schema)' is not in the snapshot's schemas"))
            }
            if relations.updateValue(i, forKey: table.qualifiedName) != nil {
                problems.append(Problem(path: path() + [key("name")], message: "duplicate relation '\(table.qualifiedName)'"))
            }
            checkRole(table.owner, path() + [key("owner")])
            checkACL(table.acl, path() + [key("acl")], kind: .table)
            // Most relations are narrow: compare pairwise, hash only wide ones.
            var wideColumnNames = table.columns.count > 32 ? Set<String>(minimumCapacity: table.columns.count) : nil
            for (j, column) in table.columns.enumerated() {
                let repeated = wideColumnNames != nil
                    ? wideColumnNames?.insert(column.name).inserted == false
                    : table.columns[..<j].contains(where: { $0.name == column.name })
                if repeated {
                    problems.append(Problem(path: path() + [key("columns"), index(j), key("name")], message: "duplicate column '\(column.name)'"))
                }
                checkACL(column.acl, path() + [key("columns"), index(j), key("acl")], kind: .column)
            }
        }
        /// Whether `schema.table.column` names a column of some relation.
        func isColumn(_ qualified: String) -> Bool {
            QualifiedColumnName.firstResolved(qualified) { relation, column in
                relations[relation].flatMap { snapshot.tables[$0].columns.contains { $0.name == column } ? true : nil }
            } ?? false
        }
        for (i, table) in snapshot.tables.enumerated() {
            func path() -> [any CodingKey] { [key("tables"), index(i)] }
            for (j, read) in (table.reads ?? []).enumerated() where !isColumn(read) {
                problems.append(Problem(path: path() + [key("reads"), index(j)], message: "view reads unknown column '\(read)'"))
            }
            for (j, rule) in (table.rules ?? []).enumerated() {
                for (k, read) in rule.reads.enumerated() where !isColumn(read) {
                    problems.append(Problem(path: path() + [key("rules"), index(j), key("reads"), index(k)], message: "rule reads unknown column '\(read)'"))
                }
            }
            for (j, column) in table.columns.enumerated() {
                for (k, read) in (column.reads ?? []).enumerated() where !isColumn(read) {
                    problems.append(Problem(path: path() + [key("columns"), index(j), key("reads"), index(k)], message: "view column reads unknown column '\(read)'"))
                }
            }
        }
        for (i, sequence) in snapshot.sequences.enumerated() {
            checkRole(sequence.owner, [key("sequences"), index(i), key("owner")])
            checkACL(sequence.acl, [key("sequences"), index(i), key("acl")], kind: .sequence)
        }
        for (i, function) in snapshot.functions.enumerated() {
            checkRole(function.owner, [key("functions"), index(i), key("owner")])
            checkACL(function.acl, [key("functions"), index(i), key("acl")], kind: .function)
            for (j, read) in (function.reads ?? []).enumerated() where !isColumn(read) {
                problems.append(Problem(path: [key("functions"), index(i), key("reads"), index(j)], message: "function reads unknown column '\(read)'"))
            }
        }
        // Triggers name functions of the snapshot; built-in trigger functions live in pg_catalog,
        // which the snapshot does not list.
        let signatures = Set(snapshot.functions.map(\.signature))
        for (i, table) in snapshot.tables.enumerated() {
            for (j, trigger) in (table.triggers ?? []).enumerated()
            where !signatures.contains(trigger.function) && !trigger.function.hasPrefix("pg_catalog.") {
                problems.append(Problem(
                    path: [key("tables"), index(i), key("triggers"), index(j), key("function")],
                    message: "trigger calls unknown function '\(trigger.function)'"))
            }
            for (j, parent) in (table.inherits ?? []).enumerated() where relations[parent] == nil {
                problems.append(Problem(
                    path: [key("tables"), index(i), key("inherits"), index(j)], message: "\(table.qualifiedName) inherits from unknown relation '\(parent)'"))
            }
            let columnNames = Set(table.columns.map(\.name))
            for (j, uniqueKey) in (table.uniqueKeys ?? []).enumerated() {
                for (k, column) in uniqueKey.enumerated() where !columnNames.contains(column) {
                    problems.append(Problem(
                        path: [key("tables"), index(i), key("unique_keys"), index(j), index(k)],
                        message: "unique key of \(table.qualifiedName) names unknown column '\(column)'"))
                }
            }
            for (j, expression) in (table.expressions ?? []).enumerated() {
                for (k, called) in expression.calls.enumerated() where !signatures.contains(called) {
                    problems.append(Problem(
                        path: [key("tables"), index(i), key("expressions"), index(j), key("calls"), index(k)],
                        message: "\(expression.text) calls unknown function '\(called)'"))
                }
                for (k, column) in expression.reads.enumerated() where !columnNames.contains(column) {
                    problems.append(Problem(
                        path: [key("tables"), index(i), key("expressions"), index(j), key("reads"), index(k)],
                        message: "\(expression.text) reads unknown column '\(column)' of \(table.qualifiedName)"))
                }
            }
        }
        for (i, function) in snapshot.functions.enumerated() {
            for (j, called) in (function.calls ?? []).enumerated() where !signatures.contains(called) && !called.hasPrefix("pg_catalog.") {
                problems.append(Problem(path: [key("functions"), index(i), key("calls"), index(j)], message: "function calls unknown function '\(called)'"))
            }
            for (j, support) in (function.supportFunctions ?? []).enumerated()
            where !signatures.contains(support) && !support.hasPrefix("pg_catalog.") {
                problems.append(Problem(
                    path: [key("functions"), index(i), key("support_functions"), index(j)], message: "aggregate uses unknown function '\(support)'"))
            }
        }
        for (i, grant) in (snapshot.catalogGrants ?? []).enumerated() {
            if !grant.object.hasPrefix("pg_catalog.") {
                problems.append(Problem(path: [key("catalog_grants"), index(i), key("object")], message: "catalog grant on '\(grant.object)', which is not in pg_catalog"))
            }
            checkACL(grant.acl, [key("catalog_grants"), index(i), key("acl")], kind: grant.kind)
        }
        var parameterNames = Set<String>()
        for (i, parameter) in (snapshot.parameterPrivileges ?? []).enumerated() {
            if !parameterNames.insert(parameter.name).inserted {
                problems.append(Problem(path: [key("parameter_privileges"), index(i), key("name")], message: "duplicate parameter '\(parameter.name)'"))
            }
            checkACL(
                parameter.acl, [key("parameter_privileges"), index(i), key("acl")],
                applicable: SnapshotParameterPrivilege.applicablePrivileges, what: "a parameter")
        }
        if let major = snapshot.serverMajorVersion, major < 15, let first = snapshot.parameterPrivileges?.first {
            problems.append(Problem(
                path: [key("parameter_privileges"), index(0), key("name")],
                message: "parameter privileges on '\(first.name)', but PostgreSQL \(major) has none (they exist from 15)"))
        }
        for (i, group) in (snapshot.largeObjects ?? []).enumerated() {
            checkRole(group.owner, [key("large_objects"), index(i), key("owner")])
            checkACL(group.acl, [key("large_objects"), index(i), key("acl")], kind: .largeObject)
        }
        for (i, server) in (snapshot.foreignServers ?? []).enumerated() {
            checkRole(server.owner, [key("foreign_servers"), index(i), key("owner")])
            checkACL(server.acl, [key("foreign_servers"), index(i), key("acl")], applicable: SnapshotForeignServer.applicablePrivileges, what: "a foreign server")
            for (j, mapping) in server.mappings.enumerated() {
                checkRole(mapping.role, [key("foreign_servers"), index(i), key("mappings"), index(j), key("role")], allowPublic: true)
            }
        }
        if let logging = snapshot.logging {
            var named = Set<String>()
            for (i, setting) in logging.settings.enumerated() where !named.insert(setting.name).inserted {
                problems.append(Problem(path: [key("logging"), key("settings"), index(i), key("name")], message: "duplicate setting '\(setting.name)'"))
            }
            for (i, entry) in logging.overrides.enumerated() {
                if let role = entry.role { checkRole(role, [key("logging"), key("overrides"), index(i), key("role")]) }
                if let database = entry.database, database != snapshot.database {
                    problems.append(Problem(
                        path: [key("logging"), key("overrides"), index(i), key("database")],
                        message: "override for database '\(database)', but the snapshot is of '\(snapshot.database)'"))
                }
            }
        }
        for (i, entry) in snapshot.defaultPrivileges.enumerated() {
            checkRole(entry.role, [key("default_privileges"), index(i), key("role")])
            for (j, acl) in entry.acl.enumerated() {
                checkRole(acl.grantee, [key("default_privileges"), index(i), key("acl"), index(j), key("grantee")], allowPublic: true)
            }
        }
        for (i, policy) in snapshot.rowSecurityPolicies.enumerated() {
            if relations["\(policy.schema).\(policy.table)"] == nil {
                problems.append(Problem(path: [key("row_security_policies"), index(i), key("table")], message: "policy on unknown table '\(policy.schema).\(policy.table)'"))
            }
            for (j, role) in policy.roles.enumerated() {
                checkRole(role, [key("row_security_policies"), index(i), key("roles"), index(j)], allowPublic: true)
            }
            for (j, called) in (policy.functions ?? []).enumerated() where !signatures.contains(called) && !called.hasPrefix("pg_catalog.") {
                problems.append(Problem(path: [key("row_security_policies"), index(i), key("functions"), index(j)], message: "policy calls unknown function '\(called)'"))
            }
        }
        return problems
    }

    package init(snapshot: Snapshot) {
        self.snapshot = snapshot
    }
}
