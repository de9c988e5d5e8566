/// One violation: which rule, how severe, what must change (the cause), the principals that
/// reach the access through it (each with one path), and where in the policy it belongs.
public struct Finding: Sendable {
    public var rule: String
    public var severity: Severity
    /// The role the cause is on (the grantee, the member, the attribute holder…), if any.
    public var principal: String?
    public var objectKind: ObjectKind?
    public var object: String?
    public var column: String?
    public var privilege: Privilege?
    public var cause: Cause
    public var message: String
    /// Principals that reach the access through the cause, each with one path; the first is the
    /// example. After `sampled(to:)`, the riskiest of them only.
    public var affected: [AffectedPrincipal]
    /// How many principals reach the access through the cause (all of them, sampled or not).
    public var principalCount: Int
    /// The policy location the finding is about (a declaration, rule or data class; else the
    /// first policy file's first line).
    public var location: SourceLocation
    /// The database the finding is in (set when several snapshots are audited).
    public var database: String? {
        didSet { fingerprint = Fingerprint.of(self) }
    }
    public var fingerprint: String = ""
    public var suppression: Suppression?

    public var suppressed: Bool { suppression != nil }
    /// A finding that gathers alike findings (`FindingGroups`): every object it stands for.
    public var groupedObjects: [String]?
    /// The example path: the first affected principal's.
    public var path: AccessPath? { affected.first?.path }

    public init(
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
    public func sampled(to limit: Int) -> Finding {
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
public struct Cause: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable {
        case grant, membership, attribute, ownership, role, view, function, object, rule, exception, declaration, capability, setting
    }

    public var kind: Kind
    /// E.g. `GRANT SELECT ON public.customers TO analytics_export`.
    public var description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}

/// A principal reaching a finding's access, with one path.
public struct AffectedPrincipal: Sendable {
    public var name: String
    public var path: AccessPath
    public var mode: AccessMode
    public var note: String?
    /// Set when an exception waives this principal.
    public var suppression: Suppression?
    /// A login role (listed first when a finding's principals are sampled).
    public var login = false
}

/// Why a finding (or one principal of it) does not fail the gate.
public struct Suppression: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable { case exception, baseline }
    public var kind: Kind
    /// The exception's ticket, or the baseline file.
    public var reference: String
}
