import SnapshotModel

/// A principal that reaches something through a cause, with one path and the mode.
package struct Reacher: Sendable {
    package var principal: RoleIndex
    package var path: [PathStep]
    package var mode: AccessMode
    package var note: String?

    package init(principal: RoleIndex, path: [PathStep], mode: AccessMode, note: String? = nil) {
        self.principal = principal
        self.path = path
        self.mode = mode
        self.note = note
    }
}

/// The one thing that, if changed, removes a set of principals' access: an ACL entry, a
/// superuser attribute, or the grant on a definer view or function that exposes the target.
package struct AccessCause: Sendable {
    package enum Kind: Sendable {
        /// An ACL entry (table-level or column-level) on the target itself.
        case grant(object: ObjectIndex, column: Int?, grantee: Grantee)
        /// A role's SUPERUSER attribute.
        case superuser(RoleIndex)
        /// Membership of pg_read_all_data / pg_write_all_data, whose privileges are implicit.
        case predefinedRole(RoleIndex, object: ObjectIndex)
        /// A grant on a definer view that reads the target; `inner` is the cause on the view.
        case view(ObjectIndex, inner: Box)
        /// A grant of EXECUTE on a SECURITY DEFINER function that reads the target.
        case function(ObjectIndex, inner: Box)
        /// A write (`event`) on a relation whose trigger runs a SECURITY DEFINER function (the
        /// first index) that writes the target; `inner` is the cause of the write on the relation.
        case trigger(ObjectIndex, event: Privilege, inner: Box)
        /// Ownership of the object: the owner (and whoever has its privileges) can grant itself
        /// any privilege on it, even one it revoked from itself.
        case ownership(ObjectIndex)
        /// A capability: the inner cause reached through it (ADMIN OPTION, CREATEROLE, redirectable
        /// definer code), or, with no inner cause or a TRIGGER grant as the inner one, data watched
        /// flowing past (trigger, replication, statistics, server files). The step is what to change.
        case capability(CapabilityStep, inner: Box?)
    }

    /// Boxes a nested cause (an enum cannot hold itself directly).
    package final class Box: Sendable {
        package let cause: Kind
        init(_ cause: Kind) { self.cause = cause }
    }

    package var kind: Kind
    package var reachers: [Reacher]
    /// Set on a grant to PUBLIC when the query was asked to summarise them
    /// (`ReachQuery.summarizesPublicGrants`): `reachers` then holds only the most direct login
    /// route, and this many login roles hold the grant. Thousands of routes that differ only by
    /// their first role are not built for a question that needs their count.
    package var summarizedLogins: Int?

    /// The grant at the root of the cause (on the view or function for definer routes).
    package var rootGrant: (object: ObjectIndex, column: Int?, grantee: Grantee)? {
        var current = kind
        while true {
            switch current {
            case .grant(let object, let column, let grantee): return (object, column, grantee)
            case .superuser, .predefinedRole, .ownership: return nil
            case .view(_, let inner), .function(_, let inner), .trigger(_, _, let inner): current = inner.cause
            case .capability(_, let inner):
                guard let inner else { return nil }
                current = inner.cause
            }
        }
    }

    /// The definer view or function the access goes through, if any.
    package var definer: ObjectIndex? {
        var current = kind
        while true {
            switch current {
            case .view(let object, _), .function(let object, _), .trigger(let object, _, _): return object
            case .capability(_, let inner?): current = inner.cause
            default: return nil
            }
        }
    }
}
