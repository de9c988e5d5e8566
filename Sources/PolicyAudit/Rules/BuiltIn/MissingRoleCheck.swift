import SnapshotModel

/// A declared role does not exist in the database (information).
struct MissingRoleCheck: AuditCheck {
    static let description = CheckDescription(
        id: "missing-role",
        summary: "A declared role does not exist in the database (information).",
        defaultSeverity: .info,
        triggering: [CheckExample(policy: examplePolicyHeader + "roles:\n  ghost: {kind: human, login: true}\n", snapshot: SnapshotBuilder().build(),
            expect: "[{principal: ghost, severity: info, at: policy.yaml:7}]")],
        nonTriggering: [CheckExample(policy: examplePolicyHeader + "roles:\n  postgres: {kind: breakglass, login: true}\n", snapshot: SnapshotBuilder().build())])

    func findings(in context: AuditContext) -> [Finding] {
        context.policy.roles.compactMap { declaration in
            guard declaration.name != AclEntry.publicGrantee, context.graph.roleIndex[declaration.name] == nil else { return nil }
            return Self.finding(severity: .info, principal: declaration.name,
                cause: Cause(.declaration, "role \(declaration.name)"),
                message: "declared role \(declaration.name) does not exist in the database", location: declaration.location)
        }
    }
}
