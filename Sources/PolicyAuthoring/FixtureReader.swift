import AuditSupport
import SnapshotModel
import AccessPolicy

/// Reads the terse fixture of a policy test into a snapshot, with SnapshotBuilder's defaults
/// (superuser `postgres`, database `app`, schema `public` with USAGE for PUBLIC). Every role a
/// fixture mentions must be listed under `roles` (or be `postgres` / PUBLIC).
struct FixtureReader {
    func snapshot(_ node: YAMLReader) throws(InputError) -> Snapshot {
        let fields = try node.mapping(allowed: ["database", "roles", "schemas", "tables", "views", "sequences", "functions", "grants", "row_policies"], what: "a fixture")
        var builder = SnapshotBuilder(database: try fields["database"]?.string(what: "database") ?? "app")
        var roles: Set<String> = ["postgres", AclEntry.publicGrantee]
        var memberships: [(String, YAMLReader)] = []
        for entry in try fields["roles"]?.namedEntries(what: "roles").entries ?? [] {
            let role = try entry.value.mapping(
                allowed: ["login", "superuser", "inherit", "createrole", "bypassrls", "replication", "valid_until", "member_of"], what: "role '\(entry.name)'")
            guard roles.insert(entry.name).inserted else { throw InputError(entry.keyLocation, "role '\(entry.name)' is defined twice") }
            builder = builder.role(
                entry.name, login: try role["login"]?.bool(what: "login") ?? false, superuser: try role["superuser"]?.bool(what: "superuser") ?? false,
                inherit: try role["inherit"]?.bool(what: "inherit") ?? true, createrole: try role["createrole"]?.bool(what: "createrole") ?? false,
                bypassrls: try role["bypassrls"]?.bool(what: "bypassrls") ?? false, replication: try role["replication"]?.bool(what: "replication") ?? false,
                validUntil: try role["valid_until"]?.string(what: "valid_until"))
            if let memberOf = role["member_of"] { memberships.append((entry.name, memberOf)) }
        }
        func known(_ name: String, at location: SourceLocation) throws(InputError) -> String {
            guard roles.contains(name) else {
                throw InputError(location, "role '\(name)' is not defined in the fixture's roles", fix: Suggestion.closest(to: name, among: Array(roles)).map { "did you mean '\($0)'?" })
            }
            return name
        }
        for (member, node) in memberships {
            let elements: [YAMLReader] = if case .sequence = node.node { try node.sequence(what: "member_of") } else { [node] }
            for element in elements {
                if case .scalar = element.node {
                    builder = builder.member(member, of: try known(try element.string(what: "member_of"), at: element.location))
                } else {
                    let m = try element.mapping(allowed: ["role", "admin", "inherit", "set"], what: "a member_of entry")
                    let roleNode = try m.required("role", what: "a member_of entry")
                    builder = builder.member(
                        member, of: try known(try roleNode.string(what: "role"), at: roleNode.location), admin: try m["admin"]?.bool(what: "admin") ?? false,
                        inherit: try m["inherit"]?.bool(what: "inherit"), set: try m["set"]?.bool(what: "set"))
                }
            }
        }
        var schemas: Set<String> = ["public"]
        func ensureSchema(_ qualified: String, at location: SourceLocation) throws(InputError) {
            guard let dot = qualified.firstIndex(of: "."), qualified.index(after: dot) < qualified.endIndex else {
                throw InputError(location, "'\(qualified)' must be written schema.name")
            }
            let schema = String(qualified[..<dot])
            if schemas.insert(schema).inserted { builder = builder.schema(schema) }
        }
        for entry in try fields["schemas"]?.namedEntries(what: "schemas").entries ?? [] {
            let schema = try entry.value.mapping(allowed: ["owner"], what: "schema '\(entry.name)'")
            guard schemas.insert(entry.name).inserted else { throw InputError(entry.keyLocation, "schema '\(entry.name)' is defined twice") }
            builder = builder.schema(entry.name, owner: try known(try schema["owner"]?.string(what: "owner") ?? "postgres", at: entry.value.location))
        }
        for entry in try fields["tables"]?.namedEntries(what: "tables").entries ?? [] {
            let table = try entry.value.mapping(allowed: ["owner", "columns", "row_security", "force_row_security"], what: "table '\(entry.name)'")
            try ensureSchema(entry.name, at: entry.keyLocation)
            builder = builder.table(
                entry.name, owner: try known(try table["owner"]?.string(what: "owner") ?? "postgres", at: entry.value.location),
                columns: try table.required("columns", what: "table '\(entry.name)'").strings(what: "columns").map(\.0),
                rowSecurity: try table["row_security"]?.bool(what: "row_security") ?? false,
                forceRowSecurity: try table["force_row_security"]?.bool(what: "force_row_security") ?? false)
        }
        for entry in try fields["views"]?.namedEntries(what: "views").entries ?? [] {
            let view = try entry.value.mapping(allowed: ["owner", "columns", "reads", "security_invoker", "materialized"], what: "view '\(entry.name)'")
            try ensureSchema(entry.name, at: entry.keyLocation)
            builder = builder.view(
                entry.name, owner: try known(try view["owner"]?.string(what: "owner") ?? "postgres", at: entry.value.location),
                columns: try view.required("columns", what: "view '\(entry.name)'").strings(what: "columns").map(\.0),
                reads: try view.required("reads", what: "view '\(entry.name)'").strings(what: "reads").map(\.0),
                securityInvoker: try view["security_invoker"]?.bool(what: "security_invoker") ?? false,
                materialized: try view["materialized"]?.bool(what: "materialized") ?? false)
        }
        for entry in try fields["sequences"]?.namedEntries(what: "sequences").entries ?? [] {
            let sequence = try entry.value.mapping(allowed: ["owner"], what: "sequence '\(entry.name)'")
            try ensureSchema(entry.name, at: entry.keyLocation)
            builder = builder.sequence(entry.name, owner: try known(try sequence["owner"]?.string(what: "owner") ?? "postgres", at: entry.value.location))
        }
        for entry in try fields["functions"]?.namedEntries(what: "functions").entries ?? [] {
            let function = try entry.value.mapping(allowed: ["owner", "arguments", "security_definer", "reads", "public_execute"], what: "function '\(entry.name)'")
            try ensureSchema(entry.name, at: entry.keyLocation)
            builder = builder.function(
                entry.name, arguments: try function["arguments"]?.string(what: "arguments") ?? "",
                owner: try known(try function["owner"]?.string(what: "owner") ?? "postgres", at: entry.value.location),
                securityDefiner: try function["security_definer"]?.bool(what: "security_definer") ?? false,
                reads: try function["reads"]?.strings(what: "reads").map(\.0), publicExecute: try function["public_execute"]?.bool(what: "public_execute") ?? true)
        }
        for element in try fields["grants"]?.sequence(what: "grants") ?? [] {
            let grant = try element.mapping(allowed: PolicyParser.objectKeys + ["columns", "privileges", "to", "with_grant_option"], what: "a fixture grant")
            let targets = try PolicyParser(file: element.file).selectors(grant, what: "a fixture grant", required: true)
            guard targets.count == 1, let target = targets.first, let name = target.patterns.first?.text else {
                throw InputError(element.location, "a fixture grant names exactly one object")
            }
            let columns = try grant["columns"]?.strings(what: "columns").map(\.0)
            let privileges = try PolicyParser(file: element.file).privilegeSet(try grant.required("privileges", what: "a fixture grant"), for: columns == nil ? target.kind : .column)
            let toNode = try grant.required("to", what: "a fixture grant")
            builder = builder.grant(
                Array(privileges), on: name, kind: target.kind, columns: columns, to: try known(try toNode.string(what: "to"), at: toNode.location),
                grantable: try grant["with_grant_option"]?.bool(what: "with_grant_option") ?? false)
        }
        for element in try fields["row_policies"]?.sequence(what: "row_policies") ?? [] {
            let policy = try element.mapping(allowed: ["table", "name", "command", "roles", "permissive"], what: "a row policy")
            let commandText = try policy["command"]?.string(what: "command") ?? "ALL"
            guard let command = SnapshotRowSecurityPolicy.Command(rawValue: commandText.uppercased()) else {
                throw InputError(element.location, "unknown command '\(commandText)' (ALL, SELECT, INSERT, UPDATE, DELETE)")
            }
            var policyRoles: [String] = []
            for (role, at) in try policy["roles"]?.strings(what: "roles") ?? [(AclEntry.publicGrantee, element.location)] { policyRoles.append(try known(role, at: at)) }
            builder = builder.rowPolicy(
                try policy.required("name", what: "a row policy").string(what: "name"), on: try policy.required("table", what: "a row policy").string(what: "table"),
                command: command, roles: policyRoles, permissive: try policy["permissive"]?.bool(what: "permissive") ?? true)
        }
        let snapshot = builder.build()
        let problems = SnapshotValidator(snapshot: snapshot).problems()
        if let first = problems.first { throw InputError(node.location, "fixture is not a valid snapshot: \(first.message)") }
        return snapshot
    }
}
