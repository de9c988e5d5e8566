import SnapshotModel
import AccessPolicy

/// A privilege is granted that no declared grant explains: access broader than the policy
/// allows. Severity is raised to the most severe data class the grant reaches.
struct OverBroadGrantCheck: AuditCheck {
    static let description = CheckDescription(
        id: "over-broad-grant",
        summary: "A grant exists that no declared grant explains (severity raised to the data class it reaches).",
        defaultSeverity: .medium,
        triggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n" + examplePublicRole + "  analyst: {kind: human, login: true}\n",
            snapshot: SnapshotBuilder().role("analyst", login: true).table("public.tickets", columns: ["id"])
                .grant([.select], on: "public.tickets", to: "analyst").build(),
            expect: "[{principal: analyst, object: public.tickets, privilege: SELECT, severity: medium, at: policy.yaml:12}]"),
            CheckExample(
            policy: examplePolicyHeader + "roles:\n" + examplePublicRole + "  analyst: {kind: human, login: true}\n",
            snapshot: SnapshotBuilder().role("analyst", login: true).table("public.customers", columns: ["id", "email"])
                .grant([.select], on: "public.customers", to: "analyst").build(),
            expect: "[{principal: analyst, object: public.customers, privilege: SELECT, severity: critical, at: policy.yaml:12}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n" + examplePublicRole + "  analyst:\n    kind: human\n    login: true\n    grants: [{table: public.customers, columns: [id], privileges: [SELECT]}]\n",
            snapshot: SnapshotBuilder().role("analyst", login: true).table("public.customers", columns: ["id", "email"])
                .grant([.select], on: "public.customers", columns: ["id"], to: "analyst").build())],
        otherSeverities: [.critical])

    func findings(in context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        // Declarations by role index, looked up once rather than per grant.
        let declarations = context.graph.roles.map { context.declared.declaration(of: $0.name) }
        let publicDeclaration = context.declared.declaration(of: AclEntry.publicGrantee)
        for site in context.grantSites where !context.isOwnerEntry(site) {
            let declaration: RoleDeclaration?
            switch site.bundle.grantee {
            case .publicRole: declaration = publicDeclaration
            case .role(let role):
                // Undeclared roles are the undeclared-role check's finding, not one per grant.
                guard let declared = declarations[role] else { continue }
                declaration = declared
            }
            let grantee = context.granteeName(site.bundle.grantee)
            let target = context.graph.objects[site.object]
            let column = site.column.map { target.columns[$0].name }
            for privilege in site.bundle.privileges {
                let explained = declaration.flatMap {
                    context.declared.explainingGrant(
                        in: $0, privilege: privilege, kind: target.kind, name: target.name, baseName: target.baseName, column: column)
                }
                guard explained == nil else { continue }
                let exposed = context.exposedClassifiedColumns(object: site.object, column: site.column)
                let on = column.map { "(\($0)) ON \(target.name)" } ?? "ON \(target.name)"
                var message = "\(grantee) holds \(privilege.rawValue) on \(context.targetName(site.object, site.column)) but no declared grant allows it"
                if !exposed.isEmpty { message += "; it reaches classified data (\(exposed.map(context.graph.name(of:)).joined(separator: ", ")))" }
                let sample = context.affectedSample(by: site, privilege: privilege, rule: Self.description.id)
                findings.append(Self.finding(severity: context.raised(Self.description.defaultSeverity, columns: exposed),
                    principal: grantee, objectKind: target.kind, object: target.name, column: column, privilege: privilege,
                    cause: Cause(.grant, "GRANT \(privilege.rawValue) \(on) TO \(grantee)"), message: message,
                    affected: sample.principals, principalCount: sample.count, location: context.location(ofRole: grantee)))
            }
        }
        return findings
    }
}
