import SnapshotModel
import AccessEngine

/// `ALTER DEFAULT PRIVILEGES` will grant a privilege on objects created later that the policy
/// does not let the grantee hold on them: access pre-authorised for tables nobody has reviewed.
/// Only a declared grant by glob (`schema.*`) covers future objects.
struct UndeclaredDefaultPrivilegeCheck: AuditCheck {
    static let description = CheckDescription(
        id: "undeclared-default-privilege",
        summary: "Default privileges will grant a privilege on objects created later that no declared glob grant allows.",
        defaultSeverity: .medium,
        triggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  app: {kind: service, login: true, grants: [{table: public.orders, privileges: [SELECT]}]}\n  owner: {kind: group}\n",
            snapshot: Self.example(),
            expect: "[{principal: app, object: public.*, privilege: SELECT, severity: medium, at: policy.yaml:7}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  app: {kind: service, login: true, grants: [{table: 'public.*', privileges: [SELECT]}]}\n  owner: {kind: group}\n",
            snapshot: Self.example())])

    static func example() -> Snapshot {
        var snapshot = SnapshotBuilder().role("owner").role("app", login: true).build()
        snapshot.defaultPrivileges = [SnapshotDefaultPrivilege(
            role: "owner", schema: "public", objectType: .tables, acl: [AclEntry(grantee: "app", grantor: "owner", privilege: .select)])]
        return snapshot
    }

    func findings(in context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for entry in context.snapshot.defaultPrivileges {
            let kind: ObjectKind
            let plural: String
            switch entry.objectType {
            case .tables: (kind, plural) = (.table, "tables")
            case .sequences: (kind, plural) = (.sequence, "sequences")
            case .functions: (kind, plural) = (.function, "functions")
            case .schemas: (kind, plural) = (.schema, "schemas")
            case .largeObjects: (kind, plural) = (.largeObject, "large objects")
            case .types: continue
            }
            // A name only a glob can match: what the next object of this kind will be called.
            let future = kind == .schema || kind == .largeObject ? "(future \(kind.rawValue))" : "\(entry.schema ?? "*").(future \(kind.rawValue))"
            let scope = kind == .schema ? "" : (entry.schema.map { " IN SCHEMA \($0)" } ?? "")
            for acl in entry.acl where acl.grantee != entry.role {
                guard acl.grantee == AclEntry.publicGrantee || context.declared.isDeclared(acl.grantee) else { continue }
                let explained = context.declared.explainingGrant(
                    role: acl.grantee, privilege: acl.privilege, kind: kind, name: future, baseName: future, column: nil)
                guard explained == nil else { continue }
                let grantee: Grantee = acl.grantee == AclEntry.publicGrantee ? .publicRole : context.graph.roleIndex[acl.grantee].map(Grantee.role) ?? .publicRole
                let target = "\(plural) \(entry.role) creates\(entry.schema.map { " in schema \($0)" } ?? "")"
                let step = PathStep.grant(privilege: acl.privilege, object: "future \(target)", column: nil, grantee: acl.grantee, grantors: [entry.role], grantable: acl.grantable)
                let affected = context.reach.reachers(of: grantee).map { reacher in
                    var principal = context.affected(reacher)
                    principal.path.steps.append(step)
                    return principal
                }
                findings.append(Self.finding(principal: acl.grantee, objectKind: kind,
                    object: entry.schema.map { "\($0).*" } ?? "*", privilege: acl.privilege,
                    cause: Cause(.grant, "ALTER DEFAULT PRIVILEGES FOR ROLE \(entry.role)\(scope) GRANT \(acl.privilege.rawValue) ON \(plural.uppercased()) TO \(acl.grantee)"),
                    message: "every new \(kind.rawValue) \(entry.role) creates\(entry.schema.map { " in schema \($0)" } ?? "") will grant \(acl.privilege.rawValue) to \(acl.grantee), which no declared grant on '\(entry.schema ?? "*").*' allows",
                    affected: affected, location: context.location(ofRole: acl.grantee)))
            }
        }
        return findings
    }
}
