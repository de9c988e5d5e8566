import SnapshotModel

/// PUBLIC (every role, present and future) holds a privilege on classified data, directly or
/// through a definer view or SECURITY DEFINER function.
struct PublicGrantOnClassifiedCheck: AuditCheck {
    static let description = CheckDescription(
        id: "public-grant-on-classified",
        summary: "PUBLIC is granted access to classified data, directly or through a definer view or SECURITY DEFINER function.",
        defaultSeverity: .high,
        triggering: [CheckExample(
            policy: exampleLowClassHeader + "roles: {}\n",
            snapshot: SnapshotBuilder().table("public.customers", columns: ["email"]).grant([.select], on: "public.customers", to: "PUBLIC").build(),
            expect: "[{principal: PUBLIC, object: public.customers, privilege: SELECT, severity: high, at: policy.yaml:3}]"),
            CheckExample(
            policy: examplePolicyHeader + "roles: {}\n",
            snapshot: SnapshotBuilder().table("public.customers", columns: ["email"]).function("public.lookup", securityDefiner: true, reads: ["public.customers.email"]).build(),
            expect: "[{principal: PUBLIC, object: public.lookup(), privilege: EXECUTE, severity: critical, at: policy.yaml:3}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles: {}\n",
            snapshot: SnapshotBuilder().table("public.customers", columns: ["email"])
                .function("public.lookup", securityDefiner: true, reads: ["public.customers.email"], publicExecute: false).build())],
        otherSeverities: [.critical])

    func findings(in context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for site in context.grantSites where site.grantee == .publicRole {
            let exposed = context.exposedClassifiedColumns(object: site.object, column: site.column)
            guard !exposed.isEmpty else { continue }
            let target = context.graph.objects[site.object]
            let column = site.column.map { target.columns[$0].name }
            let classes = Set(exposed.compactMap { context.classification.topClass(of: $0)?.name }).sorted()
            for privilege in site.privileges {
                let sample = context.affectedSample(by: site, privilege: privilege, rule: Self.description.id)
                findings.append(Self.finding(severity: context.raised(Self.description.defaultSeverity, columns: exposed),
                    principal: AclEntry.publicGrantee, objectKind: target.kind, object: target.name, column: column, privilege: privilege,
                    cause: Cause(.grant, "GRANT \(privilege.rawValue) ON \(context.targetName(site.object, site.column)) TO PUBLIC"),
                    message: "PUBLIC holds \(privilege.rawValue) on \(context.targetName(site.object, site.column)), which reaches \(classes.joined(separator: ", ")) data (\(exposed.map(context.graph.name(of:)).joined(separator: ", "))): every role (\(sample.count)) can use it",
                    affected: sample.principals, principalCount: sample.count,
                    location: context.policy.dataClass(named: classes.first ?? "")?.location ?? context.fallbackLocation))
            }
        }
        return findings
    }
}
