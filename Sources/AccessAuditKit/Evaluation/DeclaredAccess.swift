/// What the policy declares each role may hold, queried against real objects: grants (with
/// globs and column lists), memberships (transitively), ownership and attributes.
public struct DeclaredAccess: Sendable {
    let policy: Policy
    private let roles: [String: RoleDeclaration]

    init(policy: Policy) {
        self.policy = policy
        roles = Dictionary(policy.roles.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func declaration(of role: String) -> RoleDeclaration? { roles[role] }
    public func isDeclared(_ role: String) -> Bool { roles[role] != nil }

    /// The declared grants of `role` that cover `privilege` on the object (and column, if the
    /// actual grant is column-level; a table-level grant is explained only by a table-level one).
    public func explainingGrant(
        role: String, privilege: Privilege, kind: ObjectKind, name: String, baseName: String, column: String?
    ) -> GrantDeclaration? {
        roles[role].flatMap { explainingGrant(in: $0, privilege: privilege, kind: kind, name: name, baseName: baseName, column: column) }
    }

    /// As `explainingGrant(role:…)`, for a declaration already looked up.
    public func explainingGrant(
        in declaration: RoleDeclaration, privilege: Privilege, kind: ObjectKind, name: String, baseName: String, column: String?
    ) -> GrantDeclaration? {
        declaration.grants.first { grant in
            guard grant.privileges.contains(privilege), grant.target.matches(kind: kind, name: name, baseName: baseName) else { return false }
            guard let columns = grant.columns else { return true }
            guard let column else { return false }
            return columns.contains(column)
        }
    }

    public func declaresOwnership(role: String, kind: ObjectKind, name: String, baseName: String) -> Bool {
        roles[role]?.owns.contains { $0.matches(kind: kind, name: name, baseName: baseName) } ?? false
    }

    public func declaredMembership(member: String, role: String) -> MembershipDeclaration? {
        roles[member]?.memberOf.first { $0.role == role }
    }

    /// The roles whose declared privileges `role` has (itself and declared inheriting memberships).
    public func declaredRoles(of role: String) -> [String] {
        var order = [role]
        var seen: Set<String> = [role]
        var head = 0
        while head < order.count {
            let current = order[head]
            head += 1
            for membership in roles[current]?.memberOf ?? [] where membership.inherit != false {
                if seen.insert(membership.role).inserted { order.append(membership.role) }
            }
        }
        return order
    }

    /// Whether the policy lets `principal` SELECT the column directly (a declared grant to it,
    /// a role it declares membership of, or PUBLIC; declared ownership of the table; or a
    /// declared SUPERUSER attribute).
    public func mayRead(principal: String, table: String, column: String) -> Bool {
        if roles[principal]?.attributes.contains(.superuser) == true { return true }
        for role in declaredRoles(of: principal) + [AclEntry.publicGrantee] {
            if explainingGrant(role: role, privilege: .select, kind: .table, name: table, baseName: table, column: column) != nil {
                return true
            }
            if declaresOwnership(role: role, kind: .table, name: table, baseName: table) { return true }
        }
        return false
    }
}
