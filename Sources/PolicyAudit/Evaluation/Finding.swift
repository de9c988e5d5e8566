import AuditSupport
import SnapshotModel
import AccessEngine

/// One violation: which rule, how severe, what must change (the cause), the principals that
/// reach the access through it (each with one path), and where in the policy it belongs.
package struct Finding: Sendable {
    package var rule: String
    package var severity: Severity
    /// The role the cause is on (the grantee, the member, the attribute holder…), if any.
    package var principal: String?
    package var objectKind: ObjectKind?
    package var object: String?
    package var column: String?
    package var privilege: Privilege?
    package var cause: Cause
    package var message: String
    /// Principals that reach the access through the cause, each with one path; the first is the
    /// example. After `sampled(to:)`, the riskiest of them only.
    package var affected: [AffectedPrincipal]
    /// How many principals reach the access through the cause (all of them, sampled or not).
    package var principalCount: Int
    /// The policy location the finding is about (a declaration, rule or data class; else the
    /// first policy file's first line).
    package var location: SourceLocation
    /// The database the finding is in (set when several snapshots are audited).
    package var database: String? {
        didSet { fingerprint = Fingerprint.of(self) }
    }
    package var fingerprint: String = ""
    package var suppression: Suppression?

    package var suppressed: Bool { suppression != nil }
    /// A finding that gathers alike findings (`FindingGroups`): every object it stands for.
    package var groupedObjects: [String]?
    /// The example path: the first affected principal's.
    package var path: AccessPath? { affected.first?.path }

    package init(
        rule: String, severity: Severity, principal: String?, objectKind: ObjectKind? = nil, object: String? = nil,
        column: String? = nil, privilege: Privilege? = nil, cause: Cause, message: String,
        affected: [AffectedPrincipal] = [], principalCount: Int? = nil, location: SourceLocation
    ) {
        self.rule = rule
        self.severity = severity
        self.principal = principal
        self.objectKind = objectKind
        self.object = object
        self.column = column
        self.privilege = privilege
        self.cause = cause
        self.message = message
        self.affected = affected
        self.principalCount = principalCount ?? affected.count
        self.location = location
        self.fingerprint = Fingerprint.of(self)
    }
}

extension Finding {
    /// The finding with at most `limit` principals listed, riskiest first: those not suppressed,
    /// login roles, shortest paths, then by name. `principalCount` keeps the whole count.
    package func sampled(to limit: Int) -> Finding {
        guard affected.count > limit else { return self }
        var copy = self
        copy.affected = affected.sorted { a, b in
            ((a.suppression != nil) ? 1 : 0, a.login ? 0 : 1, a.path.steps.count, a.name)
                < ((b.suppression != nil) ? 1 : 0, b.login ? 0 : 1, b.path.steps.count, b.name)
        }.prefix(limit).map { $0 }
        return copy
    }
}

/// What must change to fix a finding.
package struct Cause: Sendable, Hashable {
    package enum Kind: String, Sendable, Codable {
        case grant, membership, attribute, ownership, role, view, function, object, rule, exception, declaration, capability, setting
    }

    package var kind: Kind
    /// E.g. `GRANT SELECT ON public.customers TO analytics_export`.
    package var description: String

    package init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}

/// A principal reaching a finding's access, with one path.
package struct AffectedPrincipal: Sendable {
    /// The role reaching the access.
    package var name: String
    /// How it gets there, role by role, ending in the finding's cause.
    package var path: AccessPath
    /// Usable now, after SET ROLE, after acting on a capability, or latent (USAGE missing).
    package var mode: AccessMode
    /// Why the mode is what it is, when that needs saying (which USAGE is missing).
    package var note: String?
    /// Set when an exception waives this principal.
    package var suppression: Suppression?
    /// A login role (listed first when a finding's principals are sampled).
    package var login = false

    package init(name: String, path: AccessPath, mode: AccessMode, note: String? = nil, suppression: Suppression? = nil, login: Bool = false) {
        self.login = login
        self.name = name
        self.path = path
        self.mode = mode
        self.note = note
        self.suppression = suppression
    }
}

/// Why a finding (or one principal of it) does not fail the gate.
package struct Suppression: Sendable, Hashable {
    package enum Kind: String, Sendable, Codable { case exception, baseline }
    package var kind: Kind
    /// The exception's ticket, or the baseline file.
    package var reference: String
}
