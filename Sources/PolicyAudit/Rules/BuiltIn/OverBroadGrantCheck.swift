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
        // Declared grants by role index, looked up once rather than per grant (nil: undeclared).
        let declaredGrants = context.graph.roles.map { context.declared.grants(of: $0.name) }
        let publicGrants = context.declared.grants(of: AclEntry.publicGrantee)
        for site in context.grantSites where !context.isOwnerEntry(site) {
            let grants: DeclaredGrants?
            switch site.grantee {
            case .publicRole: grants = publicGrants
            case .role(let role):
                // Undeclared roles are the undeclared-role check's finding, not one per grant.
                guard let declared = declaredGrants[role] else { continue }
                grants = declared
            }
            let grantee = context.granteeName(site.grantee)
            // The object's fields read in place: copying the whole object per grant shows in profiles.
            let kind = context.graph.objects[site.object].kind
            let name = context.graph.objects[site.object].name
            let baseName = context.graph.objects[site.object].baseName
            let column = site.column.map { context.graph.objects[site.object].columns[$0].name }
            for privilege in site.privileges {
                let explained = grants?.explaining(privilege, kind: kind, name: name, baseName: baseName, column: column)
                guard explained == nil else { continue }
                let exposed = context.exposedClassifiedColumns(object: site.object, column: site.column)
                let on = column.map { "(\($0)) ON \(name)" } ?? "ON \(name)"
                var message = "\(grantee) holds \(privilege.rawValue) on \(context.targetName(site.object, site.column)) but no declared grant allows it"
                if !exposed.isEmpty { message += "; it reaches classified data (\(exposed.map(context.graph.name(of:)).joined(separator: ", ")))" }
                let sample = context.affectedSample(by: site, privilege: privilege, rule: Self.description.id)
                findings.append(Self.finding(severity: context.raised(Self.description.defaultSeverity, columns: exposed),
                    principal: grantee, objectKind: kind, object: name, column: column, privilege: privilege,
                    cause: Cause(.grant, "GRANT \(privilege.rawValue) \(on) TO \(grantee)"), message: message,
                    affected: sample.principals, principalCount: sample.count, location: context.location(ofRole: grantee)))
            }
        }
        return findings
    }
}
