/// How a principal comes to hold an item's access, as the exposure matrix shows it.
public enum ExposureRoute: String, Sendable, CaseIterable, Comparable {
    /// A grant to the principal itself.
    case direct
    /// A grant to a role the principal inherits from.
    case inherited
    /// A grant to PUBLIC.
    case publicGrant = "public"
    /// Usable after SET ROLE.
    case setRole = "set role"
    /// Through a definer view.
    case view
    /// Through a SECURITY DEFINER function.
    case function
    /// SUPERUSER, or a predefined role such as pg_read_all_data.
    case privileged
    /// Through a capability: a role granted to oneself, ownership, definer code, or rows watched.
    case capability

    public static func < (lhs: ExposureRoute, rhs: ExposureRoute) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// How one classified column of an access item is reached.
public struct ColumnAccess: Sendable {
    public var column: String
    public var mode: AccessMode
    public var routes: Set<ExposureRoute>
    public var path: AccessPath
}

/// One thing a reviewer decides on: a login role's standing access to classified data
/// (one relation and privilege, with the classified columns it reaches), a privileged
/// attribute it holds or can SET ROLE to, or its membership of a privileged predefined role.
public struct ReviewItem: Sendable {
    public enum Kind: String, Sendable {
        /// A privilege on a relation holding classified columns.
        case access
        /// SUPERUSER, BYPASSRLS, CREATEROLE or REPLICATION, held or reachable by SET ROLE.
        case attribute
        /// Membership of pg_read_all_data, pg_write_all_data or a server-file role.
        case membership
    }

    /// Whether the item was seen by the previous review.
    public enum Status: String, Sendable {
        /// There is no previous review to compare with.
        case firstReview = "first review"
        /// Not in the previous review's access.
        case new
        /// In the previous review's access too.
        case standing
    }

    /// Stable: derived from `key` only, so the same access keeps its id from review to review.
    public var id: String
    /// What the item is, unambiguously: kind, principal, subject and privilege.
    public var key: String
    public var kind: Kind
    public var principal: String
    /// The principal's accountable owner (policy `owner`), when one is declared.
    public var owner: String?
    public var principalKind: RoleKind?
    /// The relation, attribute or predefined role.
    public var subject: String
    /// The privilege (SELECT…) or the attribute's name.
    public var privilege: String
    /// Classified columns reached, sorted.
    public var columns: [String] = []
    /// For access items: each column's most direct route and path (what `access.csv` lists).
    public var columnAccess: [ColumnAccess] = []
    /// Data classes reached, most severe first.
    public var classes: [String] = []
    public var severity: Severity
    public var routes: Set<ExposureRoute> = []
    public var mode: AccessMode
    /// The shortest path of the most direct route: the *why*.
    public var path: AccessPath
    /// Rules of this audit's findings that name the principal on this subject.
    public var findingRules: [String] = []
    /// The day the item was first seen, from the review history (today when new).
    public var firstSeen: DayDate?
    public var status: Status = .firstReview
    /// The decision the previous review recorded, carried forward (never hidden).
    public var previousDecision: ReviewDecision?

    /// `SELECT on public.customers (email, phone)`, `SUPERUSER`, `member of pg_read_all_data`.
    public var summary: String {
        switch kind {
        case .access: "\(privilege) on \(subject)" + (columns.isEmpty ? "" : " (\(columns.joined(separator: ", ")))")
        case .attribute: privilege == subject ? privilege : "\(privilege) (as \(subject))"
        case .membership: "member of \(subject)"
        }
    }

    /// The id for a key: `R-` and 12 hex digits of its stable hash.
    public static func id(forKey key: String) -> String { "R-" + Fingerprint.hex128(key).prefix(12) }

    /// Riskiest first: severity, then items with findings, usable before latent, new before
    /// standing, then principal, subject and privilege.
    public static func riskFirst(_ a: ReviewItem, _ b: ReviewItem) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        if a.findingRules.isEmpty != b.findingRules.isEmpty { return !a.findingRules.isEmpty }
        if a.mode != b.mode { return a.mode < b.mode }
        if (a.status == .new) != (b.status == .new) { return a.status == .new }
        return (a.principal, a.subject, a.privilege, a.id) < (b.principal, b.subject, b.privilege, b.id)
    }
}
