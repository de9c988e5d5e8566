import AuditSupport
import SnapshotModel

/// Turns one policy file's YAML into a `PolicyFragment`, checking every key and value.
package struct PolicyParser {
    let file: String

    package static let objectKeys = ["database", "schema", "table", "sequence", "function", "large_object"]

    func parse(_ root: YAMLReader) throws(InputError) -> PolicyFragment {
        let top = try root.mapping(allowed: ["version", "settings", "data_classes", "roles", "rules", "exceptions"], what: "a policy file")
        let versionNode = try top.required("version", what: "a policy file")
        let version = try versionNode.int(what: "version")
        guard version == Policy.formatVersion else {
            throw InputError(versionNode.location, "policy format version \(version) is not supported (this build reads version \(Policy.formatVersion))")
        }
        var fragment = PolicyFragment(file: file)
        if let settings = top["settings"] {
            let fields = try settings.mapping(allowed: ["fail_on", "read_logging"], what: "settings")
            var parsed = PolicySettings(location: settings.location)
            if let failOn = fields["fail_on"] { parsed.failOn = try failOn.severity(what: "fail_on") }
            if let node = fields["read_logging"] {
                let text = try node.string(what: "read_logging")
                guard let requirement = ReadLoggingRequirement(rawValue: text) else {
                    throw InputError(node.location, "unknown read_logging '\(text)'", fix: "one of required, not_required")
                }
                parsed.readLogging = requirement
            }
            fragment.settings = parsed
        }
        if let classes = top["data_classes"] {
            for entry in try classes.namedEntries(what: "data_classes").entries {
                fragment.dataClasses.append(try dataClass(entry.name, entry.value, entry.keyLocation))
            }
        }
        if let roles = top["roles"] {
            for entry in try roles.namedEntries(what: "roles").entries {
                fragment.roles.append(try role(entry.name, entry.value, entry.keyLocation))
            }
        }
        if let rules = top["rules"] {
            for element in try rules.sequence(what: "rules") { fragment.rules.append(try rule(element)) }
        }
        if let exceptions = top["exceptions"] {
            for element in try exceptions.sequence(what: "exceptions") { fragment.exceptions.append(try exception(element)) }
        }
        return fragment
    }

    private func dataClass(_ name: String, _ node: YAMLReader, _ location: SourceLocation) throws(InputError) -> DataClass {
        let fields = try node.mapping(allowed: ["severity", "description", "columns", "tables", "large_objects"], what: "data class '\(name)'")
        let severity = try fields.required("severity", what: "data class '\(name)'").severity(what: "severity")
        let columns = try fields["columns"]?.strings(what: "columns") ?? []
        for (column, at) in columns where column.split(separator: ".").count < 3 {
            throw InputError(at, "column '\(column)' must be written schema.table.column")
        }
        let tables = try fields["tables"]?.strings(what: "tables") ?? []
        let largeObjects = try fields["large_objects"]?.bool(what: "large_objects") ?? false
        if columns.isEmpty && tables.isEmpty && !largeObjects {
            throw InputError(location, "data class '\(name)' lists no columns, tables or large objects")
        }
        return DataClass(
            name: name, severity: severity, description: try fields["description"]?.string(what: "description"),
            columns: columns.map { NamePattern($0.0) }, tables: tables.map { NamePattern($0.0) }, largeObjects: largeObjects, location: location)
    }

    private func role(_ name: String, _ node: YAMLReader, _ location: SourceLocation) throws(InputError) -> RoleDeclaration {
        let what = "role '\(name)'"
        let fields = try node.mapping(
            allowed: ["kind", "login", "owner", "description", "expires", "attributes", "member_of", "grants", "owns"], what: what)
        let kindNode = try fields.required("kind", what: what)
        let kindText = try kindNode.string(what: "kind")
        guard let kind = RoleKind(rawValue: kindText) else {
            throw InputError(
                kindNode.location, "unknown role kind '\(kindText)'",
                fix: Suggestion.closest(to: kindText, among: RoleKind.allCases.map(\.rawValue)).map { "did you mean '\($0)'?" }
                    ?? "one of human, service, breakglass, group")
        }
        var attributes = Set<RoleAttribute>()
        for (text, at) in try fields["attributes"]?.strings(what: "attributes") ?? [] {
            guard let attribute = RoleAttribute(rawValue: text.lowercased()) else {
                throw InputError(
                    at, "unknown attribute '\(text)'",
                    fix: Suggestion.closest(to: text, among: RoleAttribute.allCases.map(\.rawValue)).map { "did you mean '\($0)'?" })
            }
            attributes.insert(attribute)
        }
        var memberships: [MembershipDeclaration] = []
        if let memberOf = fields["member_of"] {
            let elements: [YAMLReader] = if case .sequence = memberOf.node { try memberOf.sequence(what: "member_of") } else { [memberOf] }
            for element in elements { memberships.append(try membership(element)) }
        }
        var grants: [GrantDeclaration] = []
        for element in try fields["grants"]?.sequence(what: "grants") ?? [] { grants.append(try grant(element)) }
        var owns: [ObjectSelector] = []
        for element in try fields["owns"]?.sequence(what: "owns") ?? [] {
            let entry = try element.mapping(allowed: Self.objectKeys, what: "an owns entry")
            owns.append(contentsOf: try selectors(entry, what: "an owns entry", required: true))
        }
        return RoleDeclaration(
            name: name, kind: kind, login: try fields["login"]?.bool(what: "login") ?? false,
            owner: try fields["owner"]?.string(what: "owner"), description: try fields["description"]?.string(what: "description"),
            expires: try fields["expires"]?.date(what: "expires"), attributes: attributes, memberOf: memberships,
            grants: grants, owns: owns, location: location)
    }

    private func membership(_ node: YAMLReader) throws(InputError) -> MembershipDeclaration {
        if case .scalar = node.node {
            return MembershipDeclaration(role: try node.string(what: "member_of"), admin: false, location: node.location)
        }
        let fields = try node.mapping(allowed: ["role", "admin", "inherit", "set"], what: "a member_of entry")
        return MembershipDeclaration(
            role: try fields.required("role", what: "a member_of entry").string(what: "role"),
            admin: try fields["admin"]?.bool(what: "admin") ?? false, inherit: try fields["inherit"]?.bool(what: "inherit"),
            set: try fields["set"]?.bool(what: "set"), location: node.location)
    }

    private func grant(_ node: YAMLReader) throws(InputError) -> GrantDeclaration {
        let fields = try node.mapping(allowed: Self.objectKeys + ["columns", "privileges", "with_grant_option"], what: "a grant")
        let targets = try selectors(fields, what: "a grant", required: true)
        guard targets.count == 1, let target = targets.first else {
            throw InputError(node.location, "a grant names exactly one of database, schema, table, sequence, function")
        }
        let columns = try fields["columns"]?.strings(what: "columns").map(\.0)
        if columns != nil, target.kind != .table {
            throw InputError(node.location, "columns can only be granted on a table")
        }
        let privilegeNode = try fields.required("privileges", what: "a grant")
        let kind: ObjectKind = columns == nil ? target.kind : .column
        let privileges = try privilegeSet(privilegeNode, for: kind)
        return GrantDeclaration(
            target: target, columns: columns, privileges: privileges,
            withGrantOption: try fields["with_grant_option"]?.bool(what: "with_grant_option") ?? false, location: node.location)
    }

    /// A privilege by name (any case), or an error at `at` suggesting the closest one.
    package static func privilege(named text: String, at: SourceLocation) throws(InputError) -> Privilege {
        guard let privilege = Privilege(name: text) else {
            throw InputError(
                at, "unknown privilege '\(text)'",
                fix: Suggestion.closest(to: text.uppercased(), among: Privilege.allCases.map(\.rawValue)).map { "did you mean '\($0)'?" })
        }
        return privilege
    }

    /// Privileges that must apply to `kind`; `ALL` expands to all of them.
    package func privilegeSet(_ node: YAMLReader, for kind: ObjectKind) throws(InputError) -> PrivilegeSet {
        var set = PrivilegeSet()
        for (text, at) in try node.strings(what: "privileges") {
            let upper = text.uppercased()
            if upper == "ALL" || upper == "ALL PRIVILEGES" {
                set = set.union(kind.applicablePrivileges)
                continue
            }
            let privilege = try Self.privilege(named: text, at: at)
            guard kind.applicablePrivileges.contains(privilege) else {
                throw InputError(
                    at, "\(privilege.rawValue) does not apply to a \(kind.rawValue)",
                    fix: "a \(kind.rawValue) takes \(kind.applicablePrivileges.map(\.rawValue).joined(separator: ", "))")
            }
            set.insert(privilege)
        }
        return set
    }

    /// The object selectors among `fields` (database/schema/table/sequence/function).
    package func selectors(_ fields: OrderedFields, what: String, required: Bool) throws(InputError) -> [ObjectSelector] {
        var result: [ObjectSelector] = []
        for key in Self.objectKeys {
            guard let value = fields[key], let kind = ObjectKind(rawValue: key) else { continue }
            let names = try value.strings(what: key)
            result.append(ObjectSelector(kind: kind, patterns: names.map { NamePattern($0.0) }, location: value.location))
        }
        if required, result.isEmpty {
            throw InputError(fields.owner.location, "\(what) names none of database, schema, table, sequence, function")
        }
        return result
    }

    private func rule(_ node: YAMLReader) throws(InputError) -> PolicyRule {
        let fields = try node.mapping(allowed: ["id", "description", "severity", "deny", "require", "limit", "separate", "except"], what: "a rule")
        let idNode = try fields.required("id", what: "a rule")
        let id = try idNode.string(what: "id")
        let what = "rule '\(id)'"
        let severity = try fields.required("severity", what: what).severity(what: "severity")
        let kinds = ["deny", "require", "limit", "separate"].filter { fields[$0] != nil }
        guard kinds.count == 1, let kindName = kinds.first, let body = fields[kindName] else {
            throw InputError(node.location, "\(what) needs exactly one of deny, require, limit, separate")
        }
        let kind: PolicyRule.Kind
        switch kindName {
        case "deny":
            kind = .deny(try matcher(body, what: "deny", extra: []))
        case "limit":
            let limitFields = try body.mapping(allowed: [], what: "limit")
            let max = try limitFields.required("max_principals", what: "limit").int(what: "max_principals")
            guard max >= 0 else { throw InputError(body.location, "max_principals must not be negative") }
            kind = .limit(max: max, try matcher(body, what: "limit", extra: ["max_principals"]))
        case "separate":
            let sets = try body.sequence(what: "separate")
            guard sets.count == 2 else { throw InputError(body.location, "separate takes exactly two access sets") }
            kind = .separate(try matcher(sets[0], what: "an access set", extra: []), try matcher(sets[1], what: "an access set", extra: []))
        default:
            kind = .require(try requirement(body))
        }
        var except: [PrincipalSelector] = []
        if let node = fields["except"] {
            if case .sequence = node.node {
                for element in try node.sequence(what: "except") { except.append(try principalSelector(element, what: "an except entry")) }
            } else {
                except.append(try principalSelector(node, what: "except"))
            }
        }
        return PolicyRule(
            id: id, description: try fields["description"]?.string(what: "description"), severity: severity, kind: kind,
            except: except, location: idNode.location)
    }

    private func matcher(_ node: YAMLReader, what: String, extra: [String]) throws(InputError) -> AccessMatcher {
        let fields = try node.mapping(allowed: Self.objectKeys + ["privileges", "data_class", "columns", "principals"] + extra, what: what)
        let objects = try selectors(fields, what: what, required: false)
        let classes = try fields["data_class"]?.strings(what: "data_class") ?? []
        let columns = try fields["columns"]?.strings(what: "columns").map { NamePattern($0.0) } ?? []
        if objects.isEmpty, classes.isEmpty, columns.isEmpty {
            throw InputError(node.location, "\(what) must select objects: data_class, columns, or database/schema/table/sequence/function")
        }
        let privilegeNode = try fields.required("privileges", what: what)
        var privileges = PrivilegeSet()
        let kinds = objects.isEmpty ? [ObjectKind.table] : objects.map(\.kind)
        for kind in kinds { privileges = privileges.union(try privilegeSet(privilegeNode, for: kind)) }
        var principals: PrincipalSelector?
        if let node = fields["principals"] { principals = try principalSelector(node, what: "principals") }
        return AccessMatcher(
            privileges: privileges, objects: objects, dataClasses: classes.map(\.0), columns: columns,
            principals: principals, location: node.location)
    }

    private func requirement(_ node: YAMLReader) throws(InputError) -> Requirement {
        let fields = try node.mapping(
            allowed: Self.objectKeys + ["tables", "row_security", "force_row_security", "no_public_grant", "owner"], what: "require")
        var objects = try selectors(fields, what: "require", required: false)
        if let tables = fields["tables"] {
            objects.append(ObjectSelector(kind: .table, patterns: try tables.strings(what: "tables").map { NamePattern($0.0) }, location: tables.location))
        }
        if objects.isEmpty { throw InputError(node.location, "require must select objects (tables, or database/schema/table/sequence/function)") }
        let requirement = Requirement(
            objects: objects, rowSecurity: try fields["row_security"]?.bool(what: "row_security"),
            forceRowSecurity: try fields["force_row_security"]?.bool(what: "force_row_security"),
            noPublicGrant: try fields["no_public_grant"]?.bool(what: "no_public_grant"),
            owner: try fields["owner"]?.string(what: "owner"), location: node.location)
        if requirement.rowSecurity == nil, requirement.forceRowSecurity == nil, requirement.noPublicGrant == nil, requirement.owner == nil {
            throw InputError(node.location, "require must state a property: row_security, force_row_security, no_public_grant or owner")
        }
        return requirement
    }

    func principalSelector(_ node: YAMLReader, what: String) throws(InputError) -> PrincipalSelector {
        let fields = try node.mapping(allowed: ["roles", "kind", "login", "member_of"], what: what)
        var selector = PrincipalSelector(location: node.location)
        selector.roles = try fields["roles"]?.strings(what: "roles").map { NamePattern($0.0) } ?? []
        for (text, at) in try fields["kind"]?.strings(what: "kind") ?? [] {
            guard let kind = RoleKind(rawValue: text) else {
                throw InputError(at, "unknown role kind '\(text)'", fix: Suggestion.closest(to: text, among: RoleKind.allCases.map(\.rawValue)).map { "did you mean '\($0)'?" })
            }
            selector.kinds.append(kind)
        }
        selector.login = try fields["login"]?.bool(what: "login")
        selector.memberOf = try fields["member_of"]?.strings(what: "member_of").map(\.0) ?? []
        if selector.isEmpty { throw InputError(node.location, "\(what) selects nothing: give roles, kind, login or member_of") }
        return selector
    }

    private func exception(_ node: YAMLReader) throws(InputError) -> PolicyException {
        let fields = try node.mapping(
            allowed: ["rule", "role", "roles", "reason", "ticket", "approved_by", "expires"] + Self.objectKeys, what: "an exception")
        let what = "an exception"
        var roles: [NamePattern] = []
        if let role = fields["role"] { roles.append(NamePattern(try role.string(what: "role"))) }
        if let list = fields["roles"] { roles += try list.strings(what: "roles").map { NamePattern($0.0) } }
        if roles.isEmpty { throw InputError(node.location, "an exception names the role(s) it waives: role or roles") }
        return PolicyException(
            rule: try fields.required("rule", what: what).string(what: "rule"), roles: roles,
            objects: try selectors(fields, what: what, required: false),
            reason: try fields.required("reason", what: what).string(what: "reason"),
            ticket: try fields.required("ticket", what: what).string(what: "ticket"),
            approvedBy: try fields.required("approved_by", what: what).string(what: "approved_by"),
            expires: try fields.required("expires", what: what).date(what: "expires"), location: node.location)
    }

    package init(file: String) {
        self.file = file
    }
}

/// What one policy file declares, before merging.
struct PolicyFragment: Sendable {
    var file: String
    var settings: PolicySettings?
    var dataClasses: [DataClass] = []
    var roles: [RoleDeclaration] = []
    var rules: [PolicyRule] = []
    var exceptions: [PolicyException] = []
}
