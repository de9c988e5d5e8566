import SnapshotModel
import AccessEngine

/// An object is owned by a role whose declaration does not list it in `owns`. Owners can alter,
/// drop and re-grant anything on their objects, and bypass unforced row security.
struct UndeclaredOwnershipCheck: AuditCheck {
    static let description = CheckDescription(
        id: "undeclared-ownership",
        summary: "A role owns an object its declaration does not list in owns (severity raised to the data class inside).",
        defaultSeverity: .medium,
        triggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  app: {kind: service, login: true}\n",
            snapshot: SnapshotBuilder().role("app", login: true).table("public.tickets", owner: "app", columns: ["id"]).build(),
            expect: "[{principal: app, object: public.tickets, severity: medium, at: policy.yaml:7}]"),
            CheckExample(
            policy: examplePolicyHeader + "roles:\n  app: {kind: service, login: true}\n",
            snapshot: SnapshotBuilder().role("app", login: true).table("public.customers", owner: "app", columns: ["email"]).build(),
            expect: "[{principal: app, object: public.customers, severity: critical, at: policy.yaml:7}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles:\n  app: {kind: service, login: true, owns: [{table: 'public.*'}]}\n",
            snapshot: SnapshotBuilder().role("app", login: true).table("public.customers", owner: "app", columns: ["email"]).build())],
        otherSeverities: [.critical])

    func findings(in context: AuditContext) -> [Finding] {
        context.graph.objects.indices.compactMap { index in
            // Fields read in place: most objects are declared, and copying each one shows in profiles.
            let owner = context.roleName(context.graph.objects[index].owner)
            guard context.declared.isDeclared(owner), !PredefinedRoles.isPredefined(owner) else { return nil }
            let kind = context.graph.objects[index].kind
            let name = context.graph.objects[index].name
            guard !context.declared.declaresOwnership(role: owner, kind: kind, name: name, baseName: context.graph.objects[index].baseName)
            else { return nil }
            let object = context.graph.objects[index]
            let exposed = object.kind == .table ? (context.classification.columnsOfTable[index] ?? []) : []
            let affected = context.reach.reachers(of: .role(object.owner)).map { reacher in
                var principal = context.affected(reacher)
                principal.path.steps.append(.ownership(object: object.name))
                return principal
            }
            return Self.finding(severity: context.raised(Self.description.defaultSeverity, columns: exposed),
                principal: owner, objectKind: object.kind, object: object.name,
                cause: Cause(.ownership, "\(object.kind.rawValue.uppercased()) \(object.name) OWNER TO \(owner)"),
                message: "\(owner) owns \(object.kind.rawValue) \(object.name) but its declaration does not list it in owns",
                affected: affected, location: context.location(ofRole: owner))
        }
    }
}
