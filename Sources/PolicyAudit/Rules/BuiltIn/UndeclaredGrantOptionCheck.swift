import SnapshotModel

/// A grant carries WITH GRANT OPTION (the grantee may pass it on) that the policy does not declare.
struct UndeclaredGrantOptionCheck: AuditCheck {
    static let description = CheckDescription(
        id: "undeclared-grant-option",
        summary: "A grant carries WITH GRANT OPTION that the policy does not declare.",
        defaultSeverity: .high,
        triggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  app: {kind: service, login: true, grants: [{table: public.customers, privileges: [SELECT]}]}\n",
            snapshot: SnapshotBuilder().role("app", login: true).table("public.customers", columns: ["email"])
                .grant([.select], on: "public.customers", to: "app", grantable: true).build(),
            expect: "[{principal: app, object: public.customers, privilege: SELECT, severity: critical, at: policy.yaml:7}]"),
            CheckExample(
            policy: examplePolicyHeader + "roles:\n  app: {kind: service, login: true, grants: [{table: public.tickets, privileges: [SELECT]}]}\n",
            snapshot: SnapshotBuilder().role("app", login: true).table("public.tickets", columns: ["id"])
                .grant([.select], on: "public.tickets", to: "app", grantable: true).build(),
            expect: "[{principal: app, object: public.tickets, privilege: SELECT, severity: high, at: policy.yaml:7}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  app: {kind: service, login: true, grants: [{table: public.tickets, privileges: [SELECT], with_grant_option: true}]}\n",
            snapshot: SnapshotBuilder().role("app", login: true).table("public.tickets", columns: ["id"])
                .grant([.select], on: "public.tickets", to: "app", grantable: true).build())],
        otherSeverities: [.critical])

    func findings(in context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for site in context.grantSites where !site.grantable.isEmpty && !context.isOwnerEntry(site) {
            let grantee = context.granteeName(site.grantee)
            if grantee != AclEntry.publicGrantee, !context.declared.isDeclared(grantee) { continue }
            let target = context.graph.objects[site.object]
            let column = site.column.map { target.columns[$0].name }
            for privilege in site.grantable {
                let explained = context.declared.explainingGrant(
                    role: grantee, privilege: privilege, kind: target.kind, name: target.name, baseName: target.baseName, column: column)
                guard explained?.withGrantOption != true else { continue }
                let exposed = context.exposedClassifiedColumns(object: site.object, column: site.column)
                let sample = context.affectedSample(by: site, privilege: privilege, rule: Self.description.id)
                findings.append(Self.finding(severity: context.raised(Self.description.defaultSeverity, columns: exposed),
                    principal: grantee, objectKind: target.kind, object: target.name, column: column, privilege: privilege,
                    cause: Cause(.grant, "GRANT \(privilege.rawValue) ON \(context.targetName(site.object, site.column)) TO \(grantee) WITH GRANT OPTION"),
                    message: "\(grantee) may grant \(privilege.rawValue) on \(context.targetName(site.object, site.column)) to any role; the policy does not declare with_grant_option",
                    affected: sample.principals, principalCount: sample.count, location: explained?.location ?? context.location(ofRole: grantee)))
            }
        }
        return findings
    }
}
