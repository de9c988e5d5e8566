import SnapshotModel
import AccessPolicy

/// What the policy declares each role may hold, queried against real objects: grants (with
/// globs and column lists), memberships (transitively), ownership and attributes.
package struct DeclaredAccess: Sendable {
    let policy: Policy
    private let roles: [String: RoleDeclaration]
    /// Each role's declared grants, ready to be asked (indexed for roles that declare many).
    private let grantsByRole: [String: DeclaredGrants]
    /// Each role's declared ownership, read per object of the snapshot (`init` declares a
    /// superuser's hundreds of schema globs): indexed like grants.
    private let ownedByRole: [String: DeclaredOwnership]

    package init(policy: Policy) {
        self.policy = policy
        roles = Dictionary(policy.roles.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        grantsByRole = roles.mapValues { DeclaredGrants($0.grants) }
        ownedByRole = roles.mapValues { DeclaredOwnership($0.owns) }
    }

    package func declaration(of role: String) -> RoleDeclaration? { roles[role] }
    package func isDeclared(_ role: String) -> Bool { roles.index(forKey: role) != nil }

    /// The grants `role` declares; nil for a role the policy does not declare.
    package func grants(of role: String) -> DeclaredGrants? { grantsByRole[role] }

    /// The declared grants of `role` that cover `privilege` on the object (and column, if the
    /// actual grant is column-level; a table-level grant is explained only by a table-level one).
    package func explainingGrant(
        role: String, privilege: Privilege, kind: ObjectKind, name: String, baseName: String, column: String?
    ) -> GrantDeclaration? {
        grantsByRole[role]?.explaining(privilege, kind: kind, name: name, baseName: baseName, column: column)
    }

    package func declaresOwnership(role: String, kind: ObjectKind, name: String, baseName: String) -> Bool {
        ownedByRole[role]?.includes(kind: kind, name: name, baseName: baseName) ?? false
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

/// One declared role's grants, asked which of them explains a privilege it really holds.
/// Callers asking for many privileges (the over-broad check asks for every privilege of every
/// real grant) keep this value instead of looking the role up, or copying its declaration, each time.
package struct DeclaredGrants: Sendable {
    package let grants: [GrantDeclaration]
    /// Set for roles declaring more than `SelectorIndex.smallest` grants (a role written
    /// by `init` declares thousands of literal grants); a few grants are scanned, cheaper than
    /// hashing the name.
    private let index: SelectorIndex?

    init(_ grants: [GrantDeclaration]) {
        self.grants = grants
        index = grants.count > SelectorIndex.smallest ? SelectorIndex(grants.map(\.target)) : nil
    }

    /// The first declared grant covering `privilege` on the object (and column, if the actual
    /// grant is column-level; a table-level grant is explained only by a table-level one).
    package func explaining(
        _ privilege: Privilege, kind: ObjectKind, name: String, baseName: String, column: String?
    ) -> GrantDeclaration? {
        let grants = grants
        // Read in place: copying a declared grant out of the array costs more than the test.
        func covers(_ position: Int) -> Bool {
            guard grants[position].privileges.contains(privilege),
                  grants[position].target.matches(kind: kind, name: name, baseName: baseName)
            else { return false }
            guard let column else { return grants[position].columns == nil }
            return grants[position].columns?.contains(column) ?? true
        }
        guard let index else { return grants.indices.first(where: covers).map { grants[$0] } }
        return index.first(kind: kind, name: name, baseName: baseName, where: covers).map { grants[$0] }
    }
}

/// One declared role's `owns` selectors, asked whether they name an object.
struct DeclaredOwnership: Sendable {
    private let selectors: [ObjectSelector]
    private let index: SelectorIndex?

    init(_ selectors: [ObjectSelector]) {
        self.selectors = selectors
        index = selectors.count > SelectorIndex.smallest ? SelectorIndex(selectors) : nil
    }

    func includes(kind: ObjectKind, name: String, baseName: String) -> Bool {
        let selectors = selectors
        guard let index else { return selectors.contains { $0.matches(kind: kind, name: name, baseName: baseName) } }
        return index.first(kind: kind, name: name, baseName: baseName) {
            selectors[$0].matches(kind: kind, name: name, baseName: baseName)
        } != nil
    }
}
