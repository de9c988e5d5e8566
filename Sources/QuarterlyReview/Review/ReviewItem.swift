import AuditSupport
import SnapshotModel
import AccessEngine
import AccessPolicy
import PolicyAudit

/// How a principal comes to hold an item's access, as the exposure matrix shows it.
package enum ExposureRoute: String, Sendable, CaseIterable, Comparable {
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

    package static func < (lhs: ExposureRoute, rhs: ExposureRoute) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// One thing a reviewer decides on: an **entitlement**, whose decision covers everything it
/// carries. Access in an organisation is given through groups, so the review decides whether
/// this person should be in this group (a membership) and whether this group should have this
/// access (a grant), not every login × relation × privilege their product makes.
///
/// - `membership`: a login role → a role it inherits or may SET ROLE to, its first step
///   towards classified data or a privileged attribute (a longer chain is collapsed to its
///   first step); decided by the login's accountable owner.
/// - `grant`: a group role → a privilege on a relation holding classified columns, or the
///   group's membership of a privileged predefined role; decided by the group's owner.
/// - `direct`: the same, granted to a login role itself or to PUBLIC.
/// - `definer`: a grant on a definer view, a SECURITY DEFINER function, or a write that fires a
///   definer trigger, through which its owner's reads or writes of classified data run.
/// - `attribute`: SUPERUSER, BYPASSRLS, CREATEROLE or REPLICATION held by a role that a login
///   role is or may become.
/// - `ownership`: owning a classified relation (the owner may grant itself anything on it).
/// - `capability`: a step by which a role becomes another or watches rows (ADMIN OPTION,
///   CREATEROLE, redirectable definer code, triggers, replication…).
package struct ReviewItem: Sendable {
    package enum Kind: String, Sendable, CaseIterable {
        case membership, grant, direct, definer, attribute, ownership, capability
    }

    /// Whether the item was seen by the previous review.
    package enum Status: String, Sendable {
        /// There is no previous review to compare with.
        case firstReview = "first review"
        /// Not in the previous review's items.
        case new
        /// In the previous review's items too.
        case standing
    }

    /// Stable: derived from `key` only, so the same entitlement keeps its id from review to review.
    package var id: String
    /// What the entitlement is, unambiguously: `membership|member|role`, `grant|grantee|object|privilege`,
    /// `attribute|role|SUPERUSER`, `ownership|owner|object`, `capability|description`.
    package var key: String
    package var kind: Kind
    /// Who holds the entitlement: the member, the grantee (`PUBLIC` for a grant to PUBLIC), the
    /// attribute's holder, the owner, or the role holding the capability.
    package var principal: String
    /// The accountable owner who decides the item: the member's or grantee's policy `owner`; for
    /// a grant to PUBLIC, the owner of the role that owns the object.
    package var owner: String?
    package var principalKind: RoleKind?
    /// The role (membership), relation, view or function (grants), attribute, or capability.
    package var subject: String
    /// The privilege (SELECT…), `MEMBER`, the attribute's name, `OWNER` or the capability's kind.
    package var privilege: String
    /// Classified columns the entitlement opens (`schema.table.column`), sorted.
    package var columns: [String] = []
    /// Privileges it opens on those columns, in `ReviewItemCollector`'s order.
    package var opens: [String] = []
    /// Data classes reached, most severe first.
    package var classes: [String] = []
    package var severity: Severity
    /// Login roles that hold access through the entitlement (for a membership: its member).
    package var people: Int = 0
    /// For memberships and capabilities: the holders of the grants and attributes it leads to.
    package var leadsTo: [String] = []
    package var routes: Set<ExposureRoute> = []
    /// The most direct mode among the access it carries (usable before latent).
    package var mode: AccessMode
    /// The shortest path of the most direct route through the entitlement: the *why*.
    package var path: AccessPath
    /// Rules of this audit's findings that name the principal on this subject.
    package var findingRules: [String] = []
    /// The day the item was first seen, from the review history (today when new).
    package var firstSeen: DayDate?
    package var status: Status = .firstReview
    /// The decision the previous review recorded, carried forward (never hidden).
    package var previousDecision: ReviewDecision?
    /// When it was last used, from pgaudit's records (`report --usage`); nil without usage.
    package var lastUse: ItemUse?

    /// `member of support`, `SELECT on public.customers (email, phone)`, `SUPERUSER`, `owns public.customers`.
    package var summary: String {
        switch kind {
        case .membership: "member of \(subject)" + opensSummary
        case .grant, .direct, .definer:
            privilege == "MEMBER" ? "member of \(subject)" : "\(privilege) on \(subject)" + opensSummary
        case .attribute: privilege == subject ? privilege : "\(privilege) (as \(subject))"
        case .ownership: "owns \(subject)" + opensSummary
        case .capability: subject + opensSummary
        }
    }

    /// What the entitlement opens: the classified columns (the first few) and privileges.
    package var opensSummary: String {
        guard !columns.isEmpty else { return "" }
        let shown = columns.prefix(Self.summaryColumns).joined(separator: ", ")
        let more = columns.count > Self.summaryColumns ? " and \(columns.count - Self.summaryColumns) more" : ""
        let privileges = opens.isEmpty || (opens == [privilege]) ? "" : opens.joined(separator: ", ") + " on "
        return " (opens \(privileges)\(shown)\(more))"
    }

    static let summaryColumns = 4

    /// The id for a key: `R-` and 12 hex digits of its stable hash.
    package static func id(forKey key: String) -> String { "R-" + Fingerprint.hex128(key).prefix(12) }

    /// Riskiest first: severity, then items with findings, usable before latent, the most people,
    /// new before standing, then principal, subject and privilege.
    package static func riskFirst(_ a: ReviewItem, _ b: ReviewItem) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        if a.findingRules.isEmpty != b.findingRules.isEmpty { return !a.findingRules.isEmpty }
        if a.mode != b.mode { return a.mode < b.mode }
        if a.people != b.people { return a.people > b.people }
        if (a.status == .new) != (b.status == .new) { return a.status == .new }
        return (a.principal, a.subject, a.privilege, a.id) < (b.principal, b.subject, b.privilege, b.id)
    }
}
