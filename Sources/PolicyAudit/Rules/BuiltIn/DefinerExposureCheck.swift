import SnapshotModel
import AccessEngine

/// A definer view or SECURITY DEFINER function hands classified columns, with its owner's
/// rights, to principals the policy does not let read them, through a grant on the view or
/// function that the policy does not declare (a declared grant on it is an intended channel).
package struct DefinerExposureCheck: AuditCheck {
    /// Grants to PUBLIC counted, not walked role by role (off only to test that it changes nothing).
    var countsPublicGrants = true

    package static let description = CheckDescription(
        id: "definer-exposure",
        summary: "A definer view or SECURITY DEFINER function exposes classified columns to principals the policy does not let read them.",
        defaultSeverity: .high,
        triggering: [CheckExample(
            policy: exampleLowClassHeader + "roles:\n  agent: {kind: human, login: true}\n",
            snapshot: SnapshotBuilder().role("agent", login: true).table("public.customers", columns: ["email"])
                .view("public.contacts", columns: ["email"], reads: ["public.customers.email"])
                .grant([.select], on: "public.contacts", to: "agent").build(),
            expect: "[{principal: agent, object: public.contacts, privilege: SELECT, severity: high, at: policy.yaml:7}]"),
            CheckExample(
            policy: examplePolicyHeader + "roles:\n  agent: {kind: human, login: true}\n",
            snapshot: SnapshotBuilder().role("agent", login: true).table("public.customers", columns: ["email"])
                .view("public.contacts", columns: ["email"], reads: ["public.customers.email"])
                .grant([.select], on: "public.contacts", to: "agent").build(),
            expect: "[{principal: agent, object: public.contacts, privilege: SELECT, severity: critical, at: policy.yaml:7}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  agent: {kind: human, login: true}\n",
            snapshot: SnapshotBuilder().role("agent", login: true).table("public.customers", columns: ["email"])
                .view("public.contacts", columns: ["email"], reads: ["public.customers.email"], securityInvoker: true)
                .grant([.select], on: "public.contacts", to: "agent").build())],
        otherSeverities: [.critical])

    package func findings(in context: AuditContext) -> [Finding] {
        /// A reacher listed by a group: built already, or a role reaching through a grant to
        /// PUBLIC by the road of `representatives[representative]`, built only if sampled.
        enum Listed {
            case built(Reacher)
            case throughPublic(role: RoleIndex, representative: Int, grantOn: ObjectIndex)

            var role: RoleIndex {
                switch self {
                case .built(let reacher): reacher.principal
                case .throughPublic(let role, _, _): role
                }
            }
        }
        struct Group {
            var cause: AccessCause.Kind
            var definer: ObjectIndex
            var columns: [ColumnRef] = []
            /// One reacher per principal (its first path); paths are built only for those listed.
            var listed: [Listed] = []
            var seen: [Bool]
        }
        var groups: [Group] = []
        var groupOfKey: [String: Int] = [:]
        var representatives: [Reacher] = []
        let classified = context.classification.classifiedColumns
        // Each role's declared roles (itself and the roles it declares inheriting), asked per column.
        var declaredRoles: [[String]?] = Array(repeating: nil, count: context.graph.roles.count)
        func mayRead(_ role: RoleIndex, _ readers: inout DeclaredColumnReaders) -> Bool {
            let roles = declaredRoles[role] ?? context.declared.declaredRoles(of: context.roleName(role))
            declaredRoles[role] = roles
            return readers.mayRead(principal: context.roleName(role), declaredRoles: roles)
        }
        // EXECUTE granted to PUBLIC on a definer comes back as one route and a count: PUBLIC
        // reaches every role but superusers and predefined roles, each by the same road.
        let previous = context.reach.summarizesPublicGrants
        context.reach.summarizesPublicGrants = countsPublicGrants ? previous.union([.execute]) : previous.subtracting([.execute])
        defer { context.reach.summarizesPublicGrants = previous }
        let everyone = context.graph.roles.indices.filter {
            !context.graph.roles[$0].attributes.superuser && !PredefinedRoles.isPredefined(context.graph.roles[$0].name)
        }
        for column in classified {
            let table = context.graph.objects[column.object].name
            let columnName = context.graph.objects[column.object].columns[column.column].name
            guard context.reach.hasDefinerReaders(column) else { continue }
            var readers = DeclaredColumnReaders(declared: context.declared, table: table, column: columnName)
            // The roles the policy does not let read the column, asked once per column (every
            // grant to PUBLIC on a definer reading it exposes it to them).
            var unentitled: [RoleIndex]?
            // Only the causes through definers: the column's own grants are not asked for.
            for cause in context.reach.definerReadCauses(column) {
                guard let definer = cause.definer, let root = cause.rootGrant else { continue }
                let grantee = context.granteeName(root.grantee)
                let rootObject = context.graph.objects[root.object]
                // The owner reading through its own view or function gains nothing it lacks.
                if case .role(let role) = root.grantee, role == rootObject.owner { continue }
                let privilege: Privilege = rootObject.kind == .function ? .execute : .select
                let declared = context.declared.explainingGrant(
                    role: grantee, privilege: privilege, kind: rootObject.kind, name: rootObject.name, baseName: rootObject.baseName,
                    column: root.column.map { rootObject.columns[$0].name })
                if declared != nil { continue }
                let key = context.describe(cause.kind, privilege: privilege).description
                // The roles it exposes the column to that the finding does not list yet.
                let exposed: [Listed]
                if cause.summarizedLogins != nil, let representative = cause.reachers.first {
                    // A grant to PUBLIC: every role by the representative's road.
                    let roles = unentitled ?? everyone.filter { !mayRead($0, &readers) }
                    unentitled = roles
                    guard !roles.isEmpty else { continue }
                    representatives.append(representative)
                    exposed = roles.map { .throughPublic(role: $0, representative: representatives.count - 1, grantOn: root.object) }
                } else {
                    exposed = cause.reachers.filter { !mayRead($0.principal, &readers) }.map(Listed.built)
                    guard !exposed.isEmpty else { continue }
                }
                let index = groupOfKey[key] ?? groups.count
                if index == groups.count {
                    groupOfKey[key] = index
                    groups.append(Group(cause: cause.kind, definer: definer, seen: Array(repeating: false, count: context.graph.roles.count)))
                }
                if !groups[index].columns.contains(column) { groups[index].columns.append(column) }
                for listed in exposed where !groups[index].seen[listed.role] {
                    groups[index].seen[listed.role] = true
                    groups[index].listed.append(listed)
                }
            }
        }
        return groups.map { group in
            let definer = context.graph.objects[group.definer]
            let what = definer.kind == .function ? "SECURITY DEFINER function" : "definer view"
            func reacher(_ position: Int) -> Reacher {
                switch group.listed[position] {
                case .built(let reacher): reacher
                case .throughPublic(let role, let representative, let object):
                    context.reach.publicRoute(from: representatives[representative], role: role, grantOn: object)
                }
            }
            let (sample, count) = context.affectedSample(
                count: group.listed.count,
                principal: { group.listed[$0].role },
                pathLength: { position in
                    switch group.listed[position] {
                    case .built(let reacher): reacher.path.count
                    case .throughPublic(_, let representative, _): representatives[representative].path.count
                    }
                },
                reacher: reacher, rule: Self.description.id)
            let affected = sample.sorted { $0.name < $1.name }
            let names = group.columns.map(context.graph.name(of:))
            return Self.finding(severity: context.raised(Self.description.defaultSeverity, columns: group.columns),
                principal: context.causeHolder(group.cause), objectKind: definer.kind, object: definer.name,
                privilege: definer.kind == .function ? .execute : .select,
                cause: context.describe(group.cause, privilege: definer.kind == .function ? .execute : .select),
                message: "\(what) \(definer.name) runs as \(context.roleName(definer.owner)) and exposes \(names.joined(separator: ", ")) to \(count) role(s) the policy does not let read them",
                affected: affected, principalCount: count, location: context.location(ofRole: context.causeHolder(group.cause) ?? ""))
        }
    }
}
