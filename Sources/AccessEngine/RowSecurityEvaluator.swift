import SnapshotModel

/// Works out which rows a role reaches on a relation under row-level security, as
/// `check_enable_rls()` and the policy lookup in `rowsecurity.c` do.
package struct RowSecurityEvaluator {
    let graph: AccessGraph
    let cache: MembershipCache

    /// - Parameter canSet: whether the role may SET a `superuser`-context parameter (a SET grant).
    func scope(of role: RoleIndex, on object: ObjectIndex, for privilege: Privilege, canSet: (String) -> Bool) -> RowScope? {
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
        let permissive = applicable.filter(\.permissive)
        guard !permissive.isEmpty else { return .noRows }
        let restrictive = applicable.filter { !$0.permissive }
        let openPermissive = permissive.compactMap { Self.whyNoBoundary($0, command: command, canSet: canSet) }
        let openRestrictive = restrictive.compactMap { Self.whyNoBoundary($0, command: command, canSet: canSet) }
        if !openPermissive.isEmpty && openRestrictive.count == restrictive.count {
            return .unbounded(reasons: openPermissive + openRestrictive)
        }
        return .filtered(policies: (permissive.map(\.name) + restrictive.map(\.name)).sorted())
    }

    /// Why a policy does not limit the rows a session sees, or nil when it does: its expression is
    /// `true`, or it reads a setting the session may change itself (a custom `app.*` setting, any
    /// `user`-context one, or a `superuser`-context one the role was granted SET on). Predicates on
    /// `current_user` and `session_user` are real per-user limits.
    package static func whyNoBoundary(_ policy: RowPolicy, command: SnapshotRowSecurityPolicy.Command, canSet: (String) -> Bool) -> String? {
        let clause = command == .insert ? "WITH CHECK" : "USING"
        let expression = command == .insert ? (policy.withCheck ?? policy.using) : policy.using
        if let expression, isLiteralTrue(expression) {
            return "policy \(policy.name) admits every row (\(clause) true)"
        }
        let settable = policy.settings.filter { setting in
            switch setting.context {
            case nil: setting.name.contains(".")
            case "user": true
            case "superuser": canSet(setting.name)
            default: false
            }
        }.map(\.name)
        guard !settable.isEmpty else { return nil }
        return "policy \(policy.name) reads \(settable.joined(separator: ", ")), which the session can SET itself"
    }

    static func isLiteralTrue(_ expression: String) -> Bool {
        var text = Substring(expression)
        while true {
            text = text.drop { $0.isWhitespace }
            while text.last?.isWhitespace == true { text = text.dropLast() }
            guard text.first == "(", text.last == ")" else { break }
            text = text.dropFirst().dropLast()
        }
        return text.lowercased() == "true"
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
