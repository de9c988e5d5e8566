import SnapshotModel
import AccessEngine

/// A role has a dangerous attribute (SUPERUSER, BYPASSRLS, CREATEROLE, REPLICATION, CREATEDB)
/// or LOGIN that its declaration does not give it.
struct UndeclaredAttributeCheck: AuditCheck {
    static let description = CheckDescription(
        id: "undeclared-attribute",
        summary: "A role has SUPERUSER, BYPASSRLS, CREATEROLE, REPLICATION, CREATEDB or LOGIN that the policy does not declare.",
        defaultSeverity: .high,
        triggering: [
            // One example per row of the table below, each with the severity of its row.
            example("root", SnapshotBuilder().role("root", login: true, superuser: true), severity: "critical"),
            example("ops", SnapshotBuilder().role("ops", login: true, bypassrls: true), severity: "critical"),
            example("provisioner", SnapshotBuilder().role("provisioner", login: true, createrole: true), severity: "high"),
            example("replica", SnapshotBuilder().role("replica", login: true, replication: true), severity: "high"),
            example("dev", SnapshotBuilder().role("dev", login: true, createdb: true), severity: "low"),
            example("readers", SnapshotBuilder().role("readers", login: true), login: false, severity: "medium"),
        ],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  ops: {kind: human, login: true, attributes: [bypassrls]}\n",
            snapshot: SnapshotBuilder().role("ops", login: true, bypassrls: true).build())],
        otherSeverities: [.critical, .medium, .low])

    /// `name` declared with no attribute (a login role unless `login` is false) and the snapshot's
    /// `role`: one finding on the declaration, of `severity`; located at the caller's line.
    private static func example(
        _ name: String, _ role: SnapshotBuilder, login: Bool = true, severity: String,
        fileID: String = #fileID, filePath: String = #filePath, line: Int = #line
    ) -> CheckExample {
        CheckExample(
            policy: examplePolicyHeader + "roles:\n  \(name): {kind: \(login ? "human" : "group")\(login ? ", login: true" : "")}\n", snapshot: role.build(),
            expect: "[{principal: \(name), severity: \(severity), at: policy.yaml:7}]", fileID: fileID, filePath: filePath, line: line)
    }

    func findings(in context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for node in context.graph.roles {
            guard let declaration = context.declared.declaration(of: node.name) else { continue }
            let actual = node.attributes
            let checks: [(Bool, Bool, String, Severity)] = [
                (actual.superuser, declaration.attributes.contains(.superuser), "SUPERUSER", .critical),
                (actual.bypassrls, declaration.attributes.contains(.bypassrls), "BYPASSRLS", .critical),
                (actual.createrole, declaration.attributes.contains(.createrole), "CREATEROLE", .high),
                (actual.replication, declaration.attributes.contains(.replication), "REPLICATION", .high),
                (actual.createdb, declaration.attributes.contains(.createdb), "CREATEDB", .low),
                (actual.login, declaration.login, "LOGIN", .medium),
            ]
            for (has, declared, attribute, severity) in checks where has && !declared {
                findings.append(Self.finding(severity: severity, principal: node.name,
                    cause: Cause(.attribute, "ALTER ROLE \(node.name) \(attribute)"),
                    message: "\(node.name) has \(attribute) but its declaration does not give it",
                    affected: [AffectedPrincipal(name: node.name, path: AccessPath([.role(node.name)]), mode: .direct)],
                    location: declaration.location))
            }
        }
        return findings
    }
}
