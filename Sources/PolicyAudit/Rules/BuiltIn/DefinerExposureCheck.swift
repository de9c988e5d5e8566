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
        struct Group {
            var cause: AccessCause.Kind
            var definer: ObjectIndex
            var columns: [ColumnRef] = []
            /// One reacher per principal (its first path); paths are built only for those listed.
            var reachers: [Reacher] = []
            var seen: Set<RoleIndex> = []
        }
        var groups: [String: Group] = [:]
        var order: [String] = []
        let classified = context.classification.classesOfColumn.keys.sorted { ($0.object, $0.column) < ($1.object, $1.column) }
        var declaredRoles: [String: [String]] = [:]
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
                // The roles it exposes the column to that the finding does not list yet, and
                // whether it exposes the column to anyone at all.
                let newlyExposed: [Reacher]
                let exposesColumn: Bool
                if cause.summarizedLogins != nil, let representative = cause.reachers.first {
                    // A grant to PUBLIC: every role by the representative's road (the first role usually answers).
                    exposesColumn = everyone.contains { !readers.mayRead(principal: context.roleName($0), rolesOf: &declaredRoles) }
                    newlyExposed = !exposesColumn ? [] : everyone.filter { role in
                        groups[key]?.seen.contains(role) != true && !readers.mayRead(principal: context.roleName(role), rolesOf: &declaredRoles)
                    }.map { context.reach.publicRoute(from: representative, role: $0, grantOn: root.object) }
                } else {
                    newlyExposed = cause.reachers.filter { !readers.mayRead(principal: context.roleName($0.principal), rolesOf: &declaredRoles) }
                    exposesColumn = !newlyExposed.isEmpty
                }
                guard exposesColumn else { continue }
                if groups[key] == nil {
                    groups[key] = Group(cause: cause.kind, definer: definer)
                    order.append(key)
                }
                if groups[key]?.columns.contains(column) == false { groups[key]?.columns.append(column) }
                for reacher in newlyExposed where groups[key]?.seen.insert(reacher.principal).inserted == true {
                    groups[key]?.reachers.append(reacher)
                }
            }
        }
        return order.compactMap { key in
            guard let group = groups[key] else { return nil }
            let definer = context.graph.objects[group.definer]
            let what = definer.kind == .function ? "SECURITY DEFINER function" : "definer view"
            let (sample, count) = context.affectedSample(group.reachers, rule: Self.description.id)
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
