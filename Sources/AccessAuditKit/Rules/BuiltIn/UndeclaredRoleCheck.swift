/// A role exists in the database but the policy does not declare it.
struct UndeclaredRoleCheck: AuditCheck {
    static let description = CheckDescription(
        id: "undeclared-role",
        summary: "A role exists in the database that the policy does not declare (predefined pg_* roles excepted).",
        defaultSeverity: .medium,
        triggering: [CheckExample(policy: examplePolicyHeader + "roles: {postgres: {kind: breakglass, login: true}}", snapshot: SnapshotBuilder().role("mallory", login: true).build())],
        nonTriggering: [CheckExample(policy: examplePolicyHeader + "roles: {postgres: {kind: breakglass, login: true}}", snapshot: SnapshotBuilder().build())])

    func findings(in context: AuditContext) -> [Finding] {
        context.graph.roles.indices.compactMap { role in
            let node = context.graph.roles[role]
            guard !context.declared.isDeclared(node.name), !PredefinedRoles.isPredefined(node.name) else { return nil }
            let classified = context.engine.readableColumns(of: role).keys.filter { context.classification.topClass(of: $0) != nil }
            let severity = context.raised(Self.description.defaultSeverity, columns: Array(classified))
            var message = "role '\(node.name)'\(node.attributes.login ? " (LOGIN)" : "") exists but the policy does not declare it"
            if !classified.isEmpty { message += "; it can read \(classified.count) classified column(s)" }
            return Finding(
                rule: Self.description.id, severity: severity, principal: node.name, cause: Cause(.role, "role \(node.name)"),
                message: message, affected: [AffectedPrincipal(name: node.name, path: AccessPath([.role(node.name)]), mode: .direct)],
                location: context.fallbackLocation)
        }
    }
}
