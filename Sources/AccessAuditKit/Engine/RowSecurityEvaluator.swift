/// Works out which rows a role reaches on a relation under row-level security, as
/// `check_enable_rls()` and the policy lookup in `rowsecurity.c` do.
struct RowSecurityEvaluator {
    let graph: AccessGraph
    let cache: MembershipCache

    func scope(of role: RoleIndex, on object: ObjectIndex, for privilege: Privilege) -> RowScope? {
        let relation = graph.objects[object]
        guard relation.kind == .table, relation.relationKind != .view else { return nil }
        guard let command = Self.command(for: privilege) else { return nil }
        guard relation.rowSecurity else { return .allRows }
        let attributes = graph.roles[role].attributes
        if attributes.superuser { return .bypassed(reason: "\(attributes.name) is SUPERUSER") }
        if attributes.bypassrls { return .bypassed(reason: "\(attributes.name) has BYPASSRLS") }
        let privileges = cache.ancestors(of: role, via: .inherit)
        if privileges.contains(relation.owner) && !relation.forceRowSecurity {
            return .bypassed(reason: "owner \(graph.roles[relation.owner].name), row security not forced")
        }
        let applicable = (graph.rowPolicies[object] ?? []).filter { policy in
            (policy.command == .all || policy.command == command)
                && policy.roles.contains { $0.map(privileges.contains) ?? true }
        }
        let permissive = applicable.filter(\.permissive).map(\.name)
        guard !permissive.isEmpty else { return .noRows }
        let restrictive = applicable.filter { !$0.permissive }.map(\.name)
        return .filtered(policies: (permissive + restrictive).sorted())
    }

    static func command(for privilege: Privilege) -> SnapshotRowSecurityPolicy.Command? {
        switch privilege {
        case .select: .select
        case .insert: .insert
        case .update: .update
        case .delete: .delete
        default: nil
        }
    }
}
