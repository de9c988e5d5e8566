import SnapshotModel
import AccessPolicy

/// What the policy declares each role may hold, queried against real objects: grants (with
/// globs and column lists), memberships (transitively), ownership and attributes.
package struct DeclaredAccess: Sendable {
    let policy: Policy
    private let roles: [String: RoleDeclaration]

    package init(policy: Policy) {
        self.policy = policy
        roles = Dictionary(policy.roles.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    package func declaration(of role: String) -> RoleDeclaration? { roles[role] }
    package func isDeclared(_ role: String) -> Bool { roles[role] != nil }

    /// The declared grants of `role` that cover `privilege` on the object (and column, if the
    /// actual grant is column-level; a table-level grant is explained only by a table-level one).
    package func explainingGrant(
        role: String, privilege: Privilege, kind: ObjectKind, name: String, baseName: String, column: String?
    ) -> GrantDeclaration? {
        roles[role].flatMap { explainingGrant(in: $0, privilege: privilege, kind: kind, name: name, baseName: baseName, column: column) }
    }

    /// As `explainingGrant(role:…)`, for a declaration already looked up.
    package func explainingGrant(
        in declaration: RoleDeclaration, privilege: Privilege, kind: ObjectKind, name: String, baseName: String, column: String?
    ) -> GrantDeclaration? {
        declaration.grants.first { grant in
            guard grant.privileges.contains(privilege), grant.target.matches(kind: kind, name: name, baseName: baseName) else { return false }
            guard let columns = grant.columns else { return true }
            guard let column else { return false }
            return columns.contains(column)
        }
    }

    package func declaresOwnership(role: String, kind: ObjectKind, name: String, baseName: String) -> Bool {
        roles[role]?.owns.contains { $0.matches(kind: kind, name: name, baseName: baseName) } ?? false
    }

    package func declaredMembership(member: String, role: String) -> MembershipDeclaration? {
        roles[member]?.memberOf.first { $0.role == role }
    }

    /// The roles whose declared privileges `role` has (itself and declared inheriting memberships).
    package func declaredRoles(of role: String) -> [String] {
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
    package func mayRead(principal: String, table: String, column: String) -> Bool {
        var readers = DeclaredColumnReaders(declared: self, table: table, column: column)
        return readers.mayRead(principal: principal, declaredRoles: declaredRoles(of: principal))
    }
}

/// `DeclaredAccess.mayRead` for one column asked of many principals: each declared role's
/// grants are read once for the column (a grant to PUBLIC on a definer function reaches every
/// role; asking each of them from scratch read the same group's grants thousands of times).
package struct DeclaredColumnReaders {
    let declared: DeclaredAccess
    package let table: String
    package let column: String
    private var explains: [String: Bool] = [:]

    package init(declared: DeclaredAccess, table: String, column: String) {
        self.declared = declared
        self.table = table
        self.column = column
    }

    /// As `mayRead(principal:declaredRoles:)`, the principal's declared roles looked up in
    /// `rolesOf` (kept by the caller across columns) and added when missing.
    package mutating func mayRead(principal: String, rolesOf: inout [String: [String]]) -> Bool {
        let roles = rolesOf[principal] ?? declared.declaredRoles(of: principal)
        rolesOf[principal] = roles
        return mayRead(principal: principal, declaredRoles: roles)
    }

    /// Whether the policy lets `principal` SELECT the column; `declaredRoles` is
    /// `declared.declaredRoles(of: principal)` (callers asking for many columns keep it).
    package mutating func mayRead(principal: String, declaredRoles: [String]) -> Bool {
        if declared.declaration(of: principal)?.attributes.contains(.superuser) == true { return true }
        for role in declaredRoles + [AclEntry.publicGrantee] {
            let explained = explains[role] ?? {
                let value = declared.explainingGrant(role: role, privilege: .select, kind: .table, name: table, baseName: table, column: column) != nil
                    || declared.declaresOwnership(role: role, kind: .table, name: table, baseName: table)
                explains[role] = value
                return value
            }()
            if explained { return true }
        }
        return false
    }
}
