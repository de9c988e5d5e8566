import SnapshotModel
import AccessEngine
import AccessPolicy

/// A grant declared by exact name, or a declared membership, is not in the database; or a
/// declared grant matches no object at all (information: the policy may be stale, or a
/// deployment did not apply it). A glob grant is an allowance, so objects it matches without
/// the grant are not reported.
struct MissingGrantCheck: AuditCheck {
    static let description = CheckDescription(
        id: "missing-grant",
        summary: "A declared grant or membership is missing from the database (information).",
        defaultSeverity: .info,
        triggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  app: {kind: service, login: true, grants: [{table: public.tickets, privileges: [SELECT, UPDATE]}]}\n",
            snapshot: SnapshotBuilder().role("app", login: true).table("public.tickets", columns: ["id"]).grant([.select], on: "public.tickets", to: "app").build(),
            expect: "[{principal: app, severity: info, at: policy.yaml:7}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  app: {kind: service, login: true, grants: [{table: public.tickets, privileges: [SELECT]}]}\n",
            snapshot: SnapshotBuilder().role("app", login: true).table("public.tickets", columns: ["id"]).grant([.select], on: "public.tickets", to: "app").build())])

    func findings(in context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for declaration in context.policy.roles {
            let grantee: Grantee
            if declaration.name == AclEntry.publicGrantee {
                grantee = .publicRole
            } else if let role = context.graph.roleIndex[declaration.name] {
                grantee = .role(role)
            } else {
                continue
            }
            for grant in declaration.grants {
                var missing: [String] = []
                // A glob declares what may be held (a ceiling), not that every match holds it:
                // only objects named exactly are expected to carry the grant.
                let exactPatterns = grant.target.patterns.filter { !$0.isGlob }
                let exactObjects = context.graph.names.objects(of: grant.target.kind, matchingAny: exactPatterns)
                // Without a glob (every grant `init` writes), the exact matches are all the matches.
                let matched = exactPatterns.count == grant.target.patterns.count
                    ? exactObjects.count : context.graph.names.objects(matching: grant.target).count
                for object in exactObjects.map({ context.graph.objects[$0] }) {
                    for privilege in grant.privileges {
                        let acls: [(String, [GrantBundle])] = grant.columns.map { columns in
                            object.columns.filter { columns.contains($0.name) }.map { ("\(object.name).\($0.name)", $0.acl + object.acl) }
                        } ?? [(object.name, object.acl)]
                        for (name, acl) in acls where !acl.contains(where: { $0.grantee == grantee && $0.privileges.contains(privilege) }) {
                            missing.append("\(privilege.rawValue) on \(name)")
                        }
                    }
                }
                if matched == 0 {
                    findings.append(Self.finding(severity: .info, principal: declaration.name,
                        cause: Cause(.declaration, "grant to \(declaration.name) on \(grant.target.kind.rawValue) \(grant.target.patterns.map(\.text).joined(separator: ", "))"),
                        message: "declared grant to \(declaration.name) matches no \(grant.target.kind.rawValue) in the snapshot",
                        location: grant.location))
                } else if !missing.isEmpty {
                    findings.append(Self.finding(severity: .info, principal: declaration.name,
                        cause: Cause(.declaration, "grant to \(declaration.name) on \(grant.target.kind.rawValue) \(grant.target.patterns.map(\.text).joined(separator: ", "))"),
                        message: "declared but not granted to \(declaration.name): \(missing.prefix(10).joined(separator: "; "))\(missing.count > 10 ? " and \(missing.count - 10) more" : "")",
                        location: grant.location))
                }
            }
            guard case .role(let member) = grantee else { continue }
            for membership in declaration.memberOf {
                let exists = context.graph.roles[member].memberOf.contains { context.roleName(context.graph.edges[$0].role) == membership.role }
                if !exists {
                    findings.append(Self.finding(severity: .info, principal: declaration.name,
                        cause: Cause(.declaration, "membership of \(declaration.name) in \(membership.role)"),
                        message: "declared membership of \(declaration.name) in \(membership.role) is not in the database",
                        location: membership.location))
                }
            }
        }
        return findings
    }
}
