import AuditSupport
import SnapshotModel

/// A loaded, merged and cross-checked policy (format version 1): data classes, declared roles,
/// rules and exceptions, each remembering where it was written.
package struct Policy: Sendable {
    package static let formatVersion = 1

    package var settings = PolicySettings()
    package var dataClasses: [DataClass] = []
    package var roles: [RoleDeclaration] = []
    package var rules: [PolicyRule] = []
    package var exceptions: [PolicyException] = []
    /// The files that were merged, in load order.
    package var files: [String] = []

    package init() {}

    package func role(named name: String) -> RoleDeclaration? { roles.first { $0.name == name } }
    package func dataClass(named name: String) -> DataClass? { dataClasses.first { $0.name == name } }
}

/// Policy-wide settings.
package struct PolicySettings: Sendable {
    /// Findings at or above this severity fail the gate.
    package var failOn: Severity = .low
    /// Whether every read of a classified column must be logged (pgaudit). `required`: a read
    /// that would not be logged, a role that can turn logging off and a log that does not name
    /// its user are findings at their own severity (medium) and fail the gate; `not_required`
    /// (the default): the same findings at `info`, listed and never hidden. Opt-in, as every
    /// other requirement of the policy is: a gate that held yesterday's access does not fail
    /// on logging the policy never asked for. `init` writes `required` when every read is logged.
    package var readLogging: ReadLoggingRequirement = .notRequired
    package var location: SourceLocation?
}

/// Whether the policy requires reads of classified columns to be logged.
package enum ReadLoggingRequirement: String, Sendable, CaseIterable {
    case required
    case notRequired = "not_required"
}

/// A class of data (e.g. `pii`): where it lives and how severe unexpected access to it is.
package struct DataClass: Sendable {
    package var name: String
    package var severity: Severity
    package var description: String?
    /// `schema.table.column` patterns.
    package var columns: [NamePattern]
    /// `schema.table` patterns: every column of matching tables.
    package var tables: [NamePattern]
    /// The database's large objects hold this class (ticket attachments, scanned documents).
    package var largeObjects = false
    package var location: SourceLocation
}

/// What a role is for; guides review and rules (`kind: human`).
package enum RoleKind: String, Sendable, CaseIterable {
    case human, service, breakglass, group
}

/// The role attributes a policy can declare.
package enum RoleAttribute: String, Sendable, CaseIterable {
    case superuser, createrole, createdb, replication, bypassrls
}

/// A role the policy says may exist, with everything it may hold.
package struct RoleDeclaration: Sendable {
    package var name: String
    package var kind: RoleKind
    package var login: Bool
    package var owner: String?
    package var description: String?
    package var expires: DayDate?
    package var attributes: Set<RoleAttribute>
    package var memberOf: [MembershipDeclaration]
    package var grants: [GrantDeclaration]
    package var owns: [ObjectSelector]
    package var location: SourceLocation
}

/// A declared membership: this role may be a member of `role`.
package struct MembershipDeclaration: Sendable {
    package var role: String
    package var admin: Bool
    /// nil: either is fine.
    package var inherit: Bool?
    package var set: Bool?
    package var location: SourceLocation
}

/// A declared grant: `privileges` on the objects `target` selects (optionally some columns).
package struct GrantDeclaration: Sendable {
    package var target: ObjectSelector
    package var columns: [String]?
    package var privileges: PrivilegeSet
    package var withGrantOption: Bool
    package var location: SourceLocation
}

/// Objects of one kind by name or glob (`table: public.*`).
package struct ObjectSelector: Sendable {
    package var kind: ObjectKind
    package var patterns: [NamePattern]
    package var location: SourceLocation

    /// Whether the selector names `name` (for functions, with or without the argument list).
    // Inlinable: declared grants are matched in the audit's hot loops, in another module.
    @inlinable package func matches(kind: ObjectKind, name: String, baseName: String) -> Bool {
        guard kind == self.kind else { return false }
        return patterns.contains { $0.matches(name) || (kind == .function && $0.matches(baseName)) }
    }

    package init(kind: ObjectKind, patterns: [NamePattern], location: SourceLocation) {
        self.kind = kind
        self.patterns = patterns
        self.location = location
    }
}

/// Selects principals: by name or glob, and/or by kind, login and membership (all given criteria must hold).
package struct PrincipalSelector: Sendable {
    package var roles: [NamePattern] = []
    package var kinds: [RoleKind] = []
    package var login: Bool?
    /// Declared memberships (transitively).
    package var memberOf: [String] = []
    package var location: SourceLocation

    package var isEmpty: Bool { roles.isEmpty && kinds.isEmpty && login == nil && memberOf.isEmpty }
}

/// A time-boxed waiver of one rule for some roles.
package struct PolicyException: Sendable {
    package var rule: String
    package var roles: [NamePattern]
    package var objects: [ObjectSelector]
    package var reason: String
    package var ticket: String
    package var approvedBy: String
    package var expires: DayDate
    package var location: SourceLocation
}
