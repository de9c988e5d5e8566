import SnapshotModel
import AccessEngine

/// A role has a dangerous attribute (SUPERUSER, BYPASSRLS, CREATEROLE, REPLICATION, CREATEDB)
/// or LOGIN that its declaration does not give it.
struct UndeclaredAttributeCheck: AuditCheck {
    static let description = CheckDescription(
        id: "undeclared-attribute",
        summary: "A role has SUPERUSER, BYPASSRLS, CREATEROLE, REPLICATION, CREATEDB or LOGIN that the policy does not declare.",
        defaultSeverity: .high,
        triggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  root: {kind: human, login: true}\n",
            snapshot: SnapshotBuilder().role("root", login: true, superuser: true).build(),
            expect: "[{principal: root, severity: critical, at: policy.yaml:7}]"),
            CheckExample(
            policy: examplePolicyHeader + "roles:\n  provisioner: {kind: service, login: true}\n",
            snapshot: SnapshotBuilder().role("provisioner", login: true, createrole: true).build(),
            expect: "[{principal: provisioner, severity: high, at: policy.yaml:7}]"),
            CheckExample(
            policy: examplePolicyHeader + "roles:\n  replica: {kind: service, login: true}\n",
            snapshot: SnapshotBuilder().role("replica", login: true, replication: true).build(),
            expect: "[{principal: replica, severity: high, at: policy.yaml:7}]"),
            CheckExample(
            policy: examplePolicyHeader + "roles:\n  dev: {kind: human, login: true}\n",
            snapshot: SnapshotBuilder().role("dev", login: true, createdb: true).build(),
            expect: "[{principal: dev, severity: low, at: policy.yaml:7}]"),
            CheckExample(
            policy: examplePolicyHeader + "roles:\n  readers: {kind: group}\n",
            snapshot: SnapshotBuilder().role("readers", login: true).build(),
            expect: "[{principal: readers, severity: medium, at: policy.yaml:7}]"),
            CheckExample(
            policy: examplePolicyHeader + "roles:\n  ops: {kind: human, login: true}\n",
            snapshot: SnapshotBuilder().role("ops", login: true, bypassrls: true).build(),
            expect: "[{principal: ops, severity: critical, at: policy.yaml:7}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  ops: {kind: human, login: true, attributes: [bypassrls]}\n",
            snapshot: SnapshotBuilder().role("ops", login: true, bypassrls: true).build())],
        otherSeverities: [.critical, .medium, .low])

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
