import SnapshotModel

/// How a principal holds a privilege.
package enum AccessMode: String, Sendable, Codable, Comparable {
    /// Usable now, as the principal itself (what `has_*_privilege` answers).
    case direct
    /// Usable after `SET ROLE` to a role the principal may become; reported, never hidden.
    case setRole = "set_role"
    /// Usable after the principal acts on a capability: grants itself a role it administers,
    /// grants itself back what it owns, runs code as a definer, or watches rows through a
    /// trigger, replication or statistics. Reported, never hidden, and counted by `deny`.
    case capability
    /// Held, but not usable by name: the schema's USAGE is missing. Still real: an invoker
    /// view, SQL-standard function body or trigger created by another role binds the relation
    /// by OID and reads it with these rights, so `deny`, `limit`, `separate` and the review count it.
    case latent

    private var rank: Int {
        switch self {
        case .direct: 0
        case .setRole: 1
        case .capability: 2
        case .latent: 3
        }
    }

    package static func < (lhs: AccessMode, rhs: AccessMode) -> Bool { lhs.rank < rhs.rank }
}

/// What ultimately gives the privilege.
package enum AccessRoute: String, Sendable, Codable {
    case grant
    case publicGrant = "public_grant"
    case superuser
    case ownership
    /// Implicit in a predefined role (pg_read_all_data, pg_write_all_data).
    case predefinedRole = "predefined_role"
    case view
    case function
    /// Rows watched flowing past (trigger, replication, statistics, server files), not read by a grant.
    case watch
}

/// Which rows of a relation the privilege reaches under row-level security.
package enum RowScope: Hashable, Sendable {
    /// Row security is off for this table.
    case allRows
    /// Row security is on but this role bypasses it (superuser, BYPASSRLS, or unforced owner).
    case bypassed(reason: String)
    /// Only rows that these permissive policies admit.
    case filtered(policies: [String])
    /// Row security is on and no policy applies: no rows.
    case noRows
    /// Policies apply but do not bound the rows: one admits every row, or reads a setting the
    /// session can change itself (the reasons say which).
    case unbounded(reasons: [String])

    package var text: String {
        switch self {
        case .allRows: "all rows (row security off)"
        case .bypassed(let reason): "all rows (bypasses row security: \(reason))"
        case .filtered(let policies): "rows admitted by policies \(policies.joined(separator: ", "))"
        case .noRows: "no rows (row security on, no policy applies)"
        case .unbounded(let reasons): "any row (row security is no boundary: \(reasons.joined(separator: "; ")))"
        }
    }
}

/// One privilege a principal effectively holds, with the path that gives it.
package struct EffectivePrivilege: Hashable, Sendable {
    package var principal: String
    package var objectKind: ObjectKind
    package var object: String
    /// The column, for column-level access; nil when the privilege covers the whole object.
    package var column: String?
    package var privilege: Privilege
    package var grantable: Bool
    package var mode: AccessMode
    package var route: AccessRoute
    package var path: AccessPath
    package var rowScope: RowScope?
    /// Why the access is latent, when it is.
    package var note: String?
}
