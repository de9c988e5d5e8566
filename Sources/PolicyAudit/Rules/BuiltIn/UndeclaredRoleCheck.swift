import SnapshotModel
import AccessEngine

/// A role exists in the database but the policy does not declare it.
struct UndeclaredRoleCheck: AuditCheck {
    static let description = CheckDescription(
        id: "undeclared-role",
        summary: "A role exists in the database that the policy does not declare (predefined pg_* roles excepted).",
        defaultSeverity: .medium,
        triggering: [CheckExample(
            policy: examplePolicyHeader + "roles: {postgres: {kind: breakglass, login: true}}",
            snapshot: SnapshotBuilder().role("mallory", login: true).table("public.customers", columns: ["email"])
                .grant([.select], on: "public.customers", to: "mallory").build(),
            expect: "[{principal: mallory, severity: critical, at: policy.yaml:1}]"),
            CheckExample(policy: examplePolicyHeader + "roles: {postgres: {kind: breakglass, login: true}}", snapshot: SnapshotBuilder().role("mallory", login: true).build(),
            expect: "[{principal: mallory, severity: medium, at: policy.yaml:1}]")],
        nonTriggering: [CheckExample(policy: examplePolicyHeader + "roles: {postgres: {kind: breakglass, login: true}}", snapshot: SnapshotBuilder().build())],
        otherSeverities: [.critical])

    func findings(in context: AuditContext) -> [Finding] {
        var undeclared: [(role: RoleIndex, severity: Severity, classified: Int)] = []
        let isClassified: (ColumnRef) -> Bool = { context.classification.topClass(of: $0) != nil }
        let roles = context.graph.roles.indices.filter { role in
            !context.declared.isDeclared(context.graph.roles[role].name) && !PredefinedRoles.isPredefined(context.graph.roles[role].name)
        }
        // Roles inheriting the same grants share one set (and one severity, worked out once).
        let (sets, setOfRole) = context.engine.readableColumnSets(of: roles, keeping: isClassified)
        let severities = sets.map { context.raised(Self.description.defaultSeverity, columns: Array($0)) }
        for (role, set) in zip(roles, setOfRole) {
            undeclared.append((role, severities[set], sets[set].count))
        }
        // More than a finding lists (a first run on a large database): one finding per severity,
        // since one change fixes them all — declaring the roles (`access-audit init` writes them).
        if let limit = context.principalSample, undeclared.count > limit, context.samples(rule: Self.description.id) {
            return Dictionary(grouping: undeclared, by: \.severity).sorted { $0.key > $1.key }.map { severity, group in
                let reachers = group.map { Reacher(principal: $0.role, path: [.role(context.roleName($0.role))], mode: .direct) }
                let (affected, count) = context.affectedSample(reachers, rule: Self.description.id)
                let logins = group.filter { context.graph.roles[$0.role].attributes.login }.count
                let reading = group.filter { $0.classified > 0 }.count
                var message = "\(count) roles (\(logins) LOGIN) exist but the policy does not declare them"
                if reading > 0 { message += "; \(reading) of them can read classified columns" }
                message += ". Declare them (`access-audit init` writes today's roles as a starting policy); `--principals all` lists each"
                return Self.finding(severity: severity, principal: nil, cause: Cause(.role, "\(count) undeclared roles"),
                    message: message, affected: affected, principalCount: count, location: context.fallbackLocation)
            }
        }
        return undeclared.map { entry in
            let node = context.graph.roles[entry.role]
            var message = "role '\(node.name)'\(node.attributes.login ? " (LOGIN)" : "") exists but the policy does not declare it"
            if entry.classified > 0 { message += "; it can read \(entry.classified) classified column(s)" }
            return Self.finding(severity: entry.severity, principal: node.name, cause: Cause(.role, "role \(node.name)"),
                message: message, affected: [AffectedPrincipal(name: node.name, path: AccessPath([.role(node.name)]), mode: .direct)],
                location: context.fallbackLocation)
        }
    }
}
