import Foundation
import AuditSupport
import SnapshotModel
import AccessEngine
import AccessPolicy
import ServerUsage
import PolicyAudit
import FormatSchemas

/// `access-audit init`: writes a starting policy that declares a snapshot's state faithfully,
/// split into readable files, with comments saying what to review first. Auditing the same
/// snapshot against it gives nothing above `info`; running it twice gives the same bytes.
package struct PolicyGenerator: Sendable {
    /// A file to write: its name and its text.
    package struct File: Sendable, Equatable {
        package var name: String
        package var text: String
    }

    /// Roles per file before a kind's file is split by name prefix.
    package var rolesPerFile = 400
    /// Bytes per file before a file is split in numbered parts (the loader refuses files over
    /// 1 MiB; a single role larger than this keeps a file of its own).
    package var bytesPerFile = 768 * 1024
    /// How long the adoption exceptions (bulk-export roles, expired passwords) last, in days from the export.
    package var reviewWindowDays = 30

    /// What roles used (`init --usage`): grants none of their holders used in the window are
    /// written commented out, to revoke or declare back.
    package var usage: UsageEvidence?

    package init() {}

    package func generate(_ snapshot: Snapshot) -> [File] {
        let graph = AccessGraph(snapshot: snapshot)
        let exportedDay = DayDate(timestamp: snapshot.exportedAt) ?? DayDate(Date(timeIntervalSince1970: 0))
        // Judged only over a window as long as asked: a shorter one leaves every grant declared.
        let judge = usage.flatMap { usage -> UsedGrants? in
            guard let days = usage.windowDays, days >= usage.unusedAfterDays else { return nil }
            return UsedGrants(judge: GrantUse(context: AuditContext(snapshot: snapshot, policy: Policy(), today: exportedDay), usage: usage), windowDays: days)
        }
        let groups = SchemaGroups(graph)
        let future = Self.defaultPrivilegeGrants(snapshot)
        var roles: [(kind: RoleKind, name: String, text: String)] = []
        for (index, node) in graph.roles.enumerated() where !PredefinedRoles.isPredefined(node.name) {
            let kind = Self.guessKind(node.attributes)
            roles.append((kind, node.name, roleText(index, kind: kind, graph: graph, groups: groups, future: future[node.name] ?? [], judge: judge)))
        }
        roles.append((.group, AclEntry.publicGrantee, publicText(graph: graph, groups: groups, future: future[AclEntry.publicGrantee] ?? [])))
        var files = [File(name: "00-settings.yaml", text: settingsText(snapshot, graph: graph))]
        let order: [(RoleKind, String, String)] = [
            (.group, "10-groups", "Group roles: what each carries."),
            (.human, "20-people", "Login roles guessed to be people (kind guessed from attributes and names: review)."),
            (.service, "30-services", "Login roles guessed to be services (kind guessed from the name: review)."),
            (.breakglass, "40-breakglass", "Superusers: break-glass roles. Review first."),
        ]
        for (kind, base, title) in order {
            let members = roles.filter { $0.kind == kind }.sorted { $0.name < $1.name }
            guard !members.isEmpty else { continue }
            let chunks = members.count > rolesPerFile ? Dictionary(grouping: members) { Self.prefix(of: $0.name) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } : [("", members)]
            for (prefix, chunk) in chunks {
                let name = prefix.isEmpty ? base : "\(base)-\(prefix)"
                let head = header(title) + "version: 1\nroles:\n"
                // Then by size, so each file stays within the loader's limit.
                var parts: [String] = []
                var current = ""
                for role in chunk {
                    if !current.isEmpty, head.utf8.count + current.utf8.count + role.text.utf8.count > bytesPerFile {
                        parts.append(current)
                        current = ""
                    }
                    current += role.text
                }
                parts.append(current)
                for (number, part) in parts.enumerated() {
                    files.append(File(name: parts.count == 1 ? "\(name).yaml" : "\(name)-\(number + 1).yaml", text: head + part))
                }
            }
        }
        let exceptions = exceptionsText(graph: graph, snapshot: snapshot, until: exportedDay.adding(days: reviewWindowDays))
        if !exceptions.isEmpty { files.append(File(name: "90-review-exceptions.yaml", text: exceptions)) }
        // The schema beside the files, so editors validate and complete them offline.
        files.append(File(name: "policy.schema.json", text: JSONSchemas.policy))
        return files
    }

    static func guessKind(_ role: SnapshotRole) -> RoleKind {
        if role.superuser { return .breakglass }
        guard role.login else { return .group }
        let name = role.name.lowercased()
        let serviceWords = ["app", "svc", "service", "api", "bot", "etl", "job", "worker", "sync", "replica", "backup", "monitor", "exporter", "report"]
        return serviceWords.contains { name.contains($0) } ? .service : .human
    }

    static func prefix(of name: String) -> String {
        let head = name.split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == "." }).first.map(String.init) ?? name
        let letters = head.prefix { !$0.isNumber }
        return letters.isEmpty ? "other" : String(letters).lowercased()
    }

    private func header(_ title: String) -> String {
        "# yaml-language-server: $schema=policy.schema.json\n# Generated by access-audit init from today's database. \(title)\n"
    }

    // MARK: - Roles

    private func roleText(_ role: RoleIndex, kind: RoleKind, graph: AccessGraph, groups: SchemaGroups, future: [FutureGrant], judge: UsedGrants?) -> String {
        let node = graph.roles[role]
        var out = "  \(YAMLText.scalar(node.name)):\n"
        out += "    kind: \(kind.rawValue)\(kind == .group || kind == .breakglass ? "" : "   # guessed: review")\n"
        if node.attributes.login { out += "    login: true\n" }
        out += "    # owner: ?   # who is accountable for this role? (review)\n"
        let attributes = Self.attributes(node.attributes)
        if !attributes.isEmpty { out += "    attributes: \(YAMLText.list(attributes))   # dangerous attributes: review first\n" }
        let memberships = node.memberOf.map { graph.edges[$0] }.filter { !$0.implicit }
            .sorted { graph.roles[$0.role].name < graph.roles[$1.role].name }
        if !memberships.isEmpty {
            out += "    member_of:\n"
            var seen = Set<String>()
            for edge in memberships where seen.insert(graph.roles[edge.role].name).inserted {
                let name = YAMLText.scalar(graph.roles[edge.role].name)
                var options: [String] = []
                if edge.admin { options.append("admin: true") }
                if !edge.inherit { options.append("inherit: false") }
                if !edge.set { options.append("set: false") }
                let bulk = PredefinedRoles.bulkExport.contains(graph.roles[edge.role].name) ? "   # bulk-export role: review first" : ""
                out += options.isEmpty ? "      - \(name)\(bulk)\n" : "      - {role: \(name), \(options.joined(separator: ", "))}\(bulk)\n"
            }
        }
        out += grantsText(.role(role), graph: graph, groups: groups, future: future, judge: judge)
        out += ownsText(role, graph: graph, groups: groups)
        return out
    }

    private func publicText(graph: AccessGraph, groups: SchemaGroups, future: [FutureGrant]) -> String {
        "  PUBLIC:\n    kind: group\n    # Every role, present and future. Grants to PUBLIC: review first.\n" + grantsText(.publicRole, graph: graph, groups: groups, future: future)
    }

    static func attributes(_ role: SnapshotRole) -> [String] {
        var result: [String] = []
        if role.superuser { result.append("superuser") }
        if role.createrole { result.append("createrole") }
        if role.createdb { result.append("createdb") }
        if role.replication { result.append("replication") }
        if role.bypassrls { result.append("bypassrls") }
        return result
    }

    /// The grantee's grants, collapsed to `schema.*` where it holds a privilege on every
    /// relation (or sequence, function) of a schema, with column grants kept as column lists.
    private func grantsText(_ grantee: Grantee, graph: AccessGraph, groups: SchemaGroups, future: [FutureGrant], judge: UsedGrants? = nil) -> String {
        struct Line: Hashable, Comparable {
            var key: String
            package var object: String
            var columns: [String]?
            var privileges: [Privilege]
            var grantable: Bool
            var note: String
            static func < (a: Line, b: Line) -> Bool {
                (a.key, a.object, (a.columns ?? []).joined(separator: ","), a.grantable ? 1 : 0) < (b.key, b.object, (b.columns ?? []).joined(separator: ","), b.grantable ? 1 : 0)
            }
            /// What a line declares, without its privileges and note: one line each.
            var identity: String { "\(key)|\(object)|\((columns ?? []).joined(separator: ","))|\(grantable)" }
        }
        // privileges per object (table-level, not the owner's own entry) and per column
        var objectPrivileges: [ObjectIndex: (PrivilegeSet, PrivilegeSet)] = [:]
        var columnPrivileges: [ObjectIndex: [Int: (PrivilegeSet, PrivilegeSet)]] = [:]
        for location in graph.grants(of: grantee) {
            let bundle = graph.bundle(at: location)
            if case .role(let role) = grantee, location.column == nil, graph.objects[location.object].owner == role { continue }
            if let column = location.column {
                let current = columnPrivileges[location.object, default: [:]][column] ?? (.empty, .empty)
                columnPrivileges[location.object, default: [:]][column] = (current.0.union(bundle.privileges), current.1.union(bundle.grantable))
            } else {
                let current = objectPrivileges[location.object] ?? (.empty, .empty)
                objectPrivileges[location.object] = (current.0.union(bundle.privileges), current.1.union(bundle.grantable))
            }
        }
        // With usage: what none of the holders used is left out, to be written commented out.
        var unusedLines: [String] = []
        if let judge, case .role = grantee {
            let holders = judge.judge.holders(of: grantee)
            for (object, (privileges, grantable)) in objectPrivileges {
                let unused = PrivilegeSet(privileges.filter { judge.judge.verdict(holders: holders, object: object, privilege: $0).0 == .unused })
                guard !unused.isEmpty else { continue }
                objectPrivileges[object] = (privileges.subtracting(unused), grantable.subtracting(unused))
                unusedLines.append(judge.commentedLine(kind: graph.objects[object].kind, object: graph.objects[object].name, columns: nil, privileges: Array(unused)))
            }
            for (object, columns) in columnPrivileges {
                for (column, (privileges, grantable)) in columns {
                    let unused = PrivilegeSet(privileges.filter { judge.judge.verdict(holders: holders, object: object, privilege: $0).0 == .unused })
                    guard !unused.isEmpty else { continue }
                    columnPrivileges[object]?[column] = (privileges.subtracting(unused), grantable.subtracting(unused))
                    unusedLines.append(judge.commentedLine(
                        kind: .table, object: graph.objects[object].name, columns: [graph.objects[object].columns[column].name], privileges: Array(unused)))
                }
            }
            objectPrivileges = objectPrivileges.filter { !$0.value.0.isEmpty }
            columnPrivileges = columnPrivileges.mapValues { $0.filter { !$0.value.0.isEmpty } }.filter { !$0.value.isEmpty }
        }
        // One line per object (or glob), column list and grant option: a schema-wide glob that
        // default privileges also give is declared once, with both privileges and both notes.
        var lines: [String: Line] = [:]
        func add(_ line: Line) {
            guard var existing = lines[line.identity] else {
                lines[line.identity] = line
                return
            }
            existing.privileges = Array(PrivilegeSet(existing.privileges + line.privileges))
            let note = line.note.drop { $0 == " " || $0 == "#" }
            if !note.isEmpty, !existing.note.contains(note) {
                existing.note = existing.note.isEmpty ? line.note : existing.note + "; " + note
            }
            lines[line.identity] = existing
        }
        // Schema-wide globs: a privilege held (without grant option) on every object of a kind in a schema.
        var covered: [ObjectIndex: PrivilegeSet] = [:]
        // Only schemas where the grantee holds something are candidates.
        let touched = Set(objectPrivileges.keys.compactMap { graph.objects[$0].schema })
        for schema in touched.sorted() {
            for kind in [ObjectKind.table, .sequence, .function] {
                let members = groups.members[SchemaGroups.Key(schema: schema, kind: kind)] ?? []
                guard members.count > 1 else { continue }
                var common = kind.applicablePrivileges
                for member in members { common = common.intersection((objectPrivileges[member]?.0 ?? .empty).subtracting(objectPrivileges[member]?.1 ?? .empty)) }
                guard !common.isEmpty else { continue }
                for member in members { covered[member] = common }
                add(Line(key: kind.rawValue, object: "\(graph.objects[schema].name).*", columns: nil, privileges: Array(common), grantable: false, note: "   # every \(kind.rawValue) of the schema"))
            }
        }
        for (object, (privileges, grantable)) in objectPrivileges.sorted(by: { $0.key < $1.key }) {
            let kind = graph.objects[object].kind
            let rest = privileges.subtracting(covered[object] ?? .empty)
            let plain = rest.subtracting(grantable)
            let note = Self.note(graph.objects[object], grantee: grantee)
            if !plain.isEmpty { add(Line(key: kind.rawValue, object: graph.objects[object].name, columns: nil, privileges: Array(plain), grantable: false, note: note)) }
            let withOption = grantable.intersection(privileges)
            if !withOption.isEmpty { add(Line(key: kind.rawValue, object: graph.objects[object].name, columns: nil, privileges: Array(withOption), grantable: true, note: "   # WITH GRANT OPTION: review first")) }
        }
        // What default privileges will grant on objects created later: only a glob declares it.
        for grant in future {
            add(Line(key: grant.kind.rawValue, object: grant.pattern, columns: nil, privileges: grant.privileges, grantable: false,
                note: "   # default privileges of \(grant.creator): every future \(grant.kind.rawValue); review first"))
        }
        for (object, columns) in columnPrivileges.sorted(by: { $0.key < $1.key }) {
            // Columns with the same privileges share a line.
            var byPrivileges: [[Privilege]: [String]] = [:]
            var byGrantable: [[Privilege]: [String]] = [:]
            for (column, (privileges, grantable)) in columns.sorted(by: { $0.key < $1.key }) {
                let name = graph.objects[object].columns[column].name
                let plain = Array(privileges.subtracting(grantable))
                if !plain.isEmpty { byPrivileges[plain, default: []].append(name) }
                if !grantable.isEmpty { byGrantable[Array(grantable), default: []].append(name) }
            }
            for (privileges, names) in byPrivileges.sorted(by: { $0.value.sorted().lexicographicallyPrecedes($1.value.sorted()) }) {
                add(Line(key: "table", object: graph.objects[object].name, columns: names.sorted(), privileges: privileges, grantable: false, note: ""))
            }
            for (privileges, names) in byGrantable.sorted(by: { $0.value.sorted().lexicographicallyPrecedes($1.value.sorted()) }) {
                add(Line(key: "table", object: graph.objects[object].name, columns: names.sorted(), privileges: privileges, grantable: true, note: "   # WITH GRANT OPTION: review first"))
            }
        }
        guard !lines.isEmpty || !unusedLines.isEmpty else { return "" }
        var out = lines.isEmpty ? "    grants: []\n" : "    grants:\n"
        for line in unusedLines.sorted() { out += line }
        for line in lines.values.sorted() {
            let columns = line.columns.map { ", columns: \(YAMLText.list($0.map(YAMLText.scalar)))" } ?? ""
            let option = line.grantable ? ", with_grant_option: true" : ""
            out += "      - {\(line.key): \(YAMLText.quoted(line.object))\(columns), privileges: \(YAMLText.list(line.privileges.map(\.rawValue)))\(option)}\(line.note)\n"
        }
        return out
    }

    /// The grant verdicts of a usage summary, over a window long enough to judge by.
    struct UsedGrants {
        let judge: GrantUse
        let windowDays: Int

        func commentedLine(kind: ObjectKind, object: String, columns: [String]?, privileges: [Privilege]) -> String {
            let columnList = columns.map { ", columns: \(YAMLText.list($0.map(YAMLText.scalar)))" } ?? ""
            return "      # - {\(kind.rawValue): \(YAMLText.quoted(object))\(columnList), privileges: \(YAMLText.list(privileges.map(\.rawValue)))}"
                + "   # held, not used in the \(windowDays)-day window of the logs: revoke it, or declare it back\n"
        }
    }

    /// A grant that `ALTER DEFAULT PRIVILEGES` will make on future objects.
    struct FutureGrant {
        var kind: ObjectKind
        var pattern: String
        var privileges: [Privilege]
        var creator: String
    }

    /// Default privileges per grantee (the creator's own entry aside), as glob grants.
    static func defaultPrivilegeGrants(_ snapshot: Snapshot) -> [String: [FutureGrant]] {
        var result: [String: [FutureGrant]] = [:]
        for entry in snapshot.defaultPrivileges {
            let kind: ObjectKind
            switch entry.objectType {
            case .tables: kind = .table
            case .sequences: kind = .sequence
            case .functions: kind = .function
            case .schemas: kind = .schema
            case .largeObjects: kind = .largeObject
            case .types: continue
            }
            let pattern = kind == .schema || kind == .largeObject ? "*" : "\(entry.schema ?? "*").*"
            for (grantee, acls) in Dictionary(grouping: entry.acl.filter { $0.grantee != entry.role }, by: \.grantee) {
                let privileges = Array(PrivilegeSet(acls.map(\.privilege)))
                result[grantee, default: []].append(FutureGrant(kind: kind, pattern: pattern, privileges: privileges, creator: entry.role))
            }
        }
        return result
    }

    static func note(_ object: SecurableObject, grantee: Grantee) -> String {
        if object.kind == .function, object.securityDefiner { return "   # SECURITY DEFINER: runs as its owner; review first" }
        if object.isDefinerView { return "   # definer view: reads its base tables as its owner" }
        if grantee == .publicRole, object.kind == .table { return "   # PUBLIC: review first" }
        return ""
    }

    private func ownsText(_ role: RoleIndex, graph: AccessGraph, groups: SchemaGroups) -> String {
        var entries = Set<String>()
        let owned = groups.owned[role] ?? []
        guard !owned.isEmpty else { return "" }
        var done = Set<ObjectIndex>()
        for schema in Set(owned.compactMap { graph.objects[$0].schema }).sorted() {
            for kind in [ObjectKind.table, .sequence, .function] {
                let members = groups.members[SchemaGroups.Key(schema: schema, kind: kind)] ?? []
                guard members.count > 1, members.allSatisfy({ graph.objects[$0].owner == role }) else { continue }
                entries.insert("{\(kind.rawValue): \(YAMLText.quoted("\(graph.objects[schema].name).*"))}")
                done.formUnion(members)
            }
        }
        for object in owned where !done.contains(object) {
            entries.insert("{\(graph.objects[object].kind.rawValue): \(YAMLText.quoted(graph.objects[object].name))}")
        }
        return "    owns:\n" + entries.sorted().map { "      - \($0)\n" }.joined()
    }

    // MARK: - Settings, suggestions, exceptions

    private func settingsText(_ snapshot: Snapshot, graph: AccessGraph) -> String {
        var out = header("Settings and what to review first.")
        out += "#\n# Review first:\n"
        let publicGrants = graph.grants(of: .publicRole).count
        let grantOptions = graph.objects.flatMap { $0.acl + $0.columns.flatMap(\.acl) }.filter { !$0.grantable.isEmpty }.count
        let definers = graph.objects.filter { $0.kind == .function && $0.securityDefiner }.map(\.name)
        let bulk = graph.edges.filter { PredefinedRoles.bulkExport.contains(graph.roles[$0.role].name) }.map { graph.roles[$0.member].name }
        out += "#   - \(publicGrants) grant(s) to PUBLIC (see PUBLIC in 10-groups.yaml)\n"
        out += "#   - \(grantOptions) grant(s) WITH GRANT OPTION\n"
        // Long lists are cut: the files carry every one (`# SECURITY DEFINER: … review first`).
        func list(_ names: [String], none: String) -> String {
            guard !names.isEmpty else { return none }
            let sorted = names.sorted()
            return sorted.prefix(50).joined(separator: ", ") + (sorted.count > 50 ? " and \(sorted.count - 50) more" : "")
        }
        out += "#   - bulk-export roles held by: \(list(bulk, none: "nobody"))\n"
        out += "#   - SECURITY DEFINER functions: \(list(definers, none: "none"))\n"
        out += "#   - every role's accountable owner (none is known from the database)\n"
        out += "version: 1\nsettings:\n  fail_on: low\n"
        if let gap = ReadLoggingGap.first(snapshot, graph: graph) {
            out += "  # Reads of classified columns are not all logged today (\(YAMLText.comment(gap))):\n"
            out += "  # the logging checks report at info. Uncomment once every read is logged, and the gate holds you to it.\n"
            out += "  # read_logging: required\n"
        } else {
            out += "  # Every read is logged today (pgaudit, an attributable log, nobody but superusers can turn it off): keep it so.\n"
            out += "  read_logging: required\n"
        }
        let suggestions = Self.suggestedClasses(graph)
        if !suggestions.isEmpty {
            out += "# Suggested data classes, from column names. Review, then uncomment: classification turns on\n"
            out += "# the checks that matter most (deny rules, PUBLIC grants, definer exposure).\n"
            out += "# data_classes:\n"
            for (name, severity, columns) in suggestions {
                out += "#   \(name):\n#     severity: \(severity.rawValue)\n#     columns:\n"
                for column in columns { out += "#       - \(YAMLText.quoted(column))\n" }
            }
        }
        return out
    }

    /// Columns whose names look like personal data or ticket references.
    static func suggestedClasses(_ graph: AccessGraph) -> [(String, Severity, [String])] {
        let personal = ["email", "e_mail", "phone", "mobile", "full_name", "first_name", "last_name", "surname", "address", "street",
                        "postcode", "zip", "ssn", "social_security", "birth", "dob", "passport", "iban", "card_number", "tax_id"]
        var pii: [String] = []
        var tickets: [String] = []
        for object in graph.objects where object.kind == .table && object.relationKind != .view {
            for column in object.columns {
                let name = column.name.lowercased()
                if name.contains("ticket_number") || name == "ticket_ref" { tickets.append("\(object.name).\(column.name)") }
                else if personal.contains(where: { name.contains($0) }) || (name.hasSuffix("_name") && !name.hasPrefix("display")) {
                    pii.append("\(object.name).\(column.name)")
                }
            }
        }
        var result: [(String, Severity, [String])] = []
        if !pii.isEmpty { result.append(("pii", .critical, collapsed(pii))) }
        if !tickets.isEmpty { result.append(("ticket_refs", .high, collapsed(tickets))) }
        return result
    }

    /// A column name found in more than `perNameLimit` relations is suggested once, as a glob over
    /// every relation (`*.*.email`): on a database with thousands of tables the list would
    /// otherwise outgrow the loader's file limit, and a reviewer decides per name anyway.
    static func collapsed(_ columns: [String], perNameLimit: Int = 5) -> [String] {
        let byName = Dictionary(grouping: columns) { column in String(column.split(separator: ".").last ?? "") }
        var result: [String] = []
        for (name, group) in byName {
            result += group.count > perNameLimit ? ["*.*.\(name)"] : group
        }
        return result.sorted()
    }

    /// Findings a faithful declaration cannot remove: time-boxed so adoption starts green and
    /// they come back (as expired exceptions) if nobody reviews them.
    private func exceptionsText(graph: AccessGraph, snapshot: Snapshot, until: DayDate) -> String {
        var lines: [String] = []
        for edge in graph.edges where PredefinedRoles.bulkExport.contains(graph.roles[edge.role].name) {
            lines.append("  - {rule: bulk-export-role, role: \(YAMLText.scalar(graph.roles[edge.member].name)), reason: 'recorded by access-audit init: is \(graph.roles[edge.role].name) needed?', ticket: INIT-REVIEW, approved_by: access-audit init, expires: \(until)}")
        }
        let exported = DayDate(timestamp: snapshot.exportedAt)
        for node in graph.roles where node.attributes.login {
            guard let validUntil = node.attributes.validUntil, let day = DayDate(timestamp: validUntil), let exported, day < exported else { continue }
            lines.append("  - {rule: expired-role, role: \(YAMLText.scalar(node.name)), reason: 'recorded by access-audit init: password expired, role still has access', ticket: INIT-REVIEW, approved_by: access-audit init, expires: \(until)}")
        }
        guard !lines.isEmpty else { return "" }
        return header("Review these first: time-boxed, they come back when they expire.") + "version: 1\nexceptions:\n" + Set(lines).sorted().joined(separator: "\n") + "\n"
    }
}

/// Objects grouped once per audit: per schema and kind, and per owner.
struct SchemaGroups {
    package struct Key: Hashable {
        var schema: ObjectIndex
        var kind: ObjectKind
    }

    var members: [Key: [ObjectIndex]] = [:]
    var owned: [RoleIndex: [ObjectIndex]] = [:]

    init(_ graph: AccessGraph) {
        for (index, object) in graph.objects.enumerated() {
            owned[object.owner, default: []].append(index)
            guard let schema = object.schema else { continue }
            members[Key(schema: schema, kind: object.kind), default: []].append(index)
        }
    }
}

extension DayDate {
    /// The day `days` later.
    package func adding(days: Int) -> DayDate {
        var date = self
        var remaining = days
        while remaining > 0 {
            let monthLength = DayDate.daysInMonth(date.month, of: date.year)
            if date.day < monthLength {
                date.day += 1
            } else {
                date.day = 1
                if date.month == 12 { date.month = 1; date.year += 1 } else { date.month += 1 }
            }
            remaining -= 1
        }
        return date
    }
}
