/// A loaded, merged and cross-checked policy (format version 1): data classes, declared roles,
/// rules and exceptions, each remembering where it was written.
public struct Policy: Sendable {
    public static let formatVersion = 1

    public var settings = PolicySettings()
    public var dataClasses: [DataClass] = []
    public var roles: [RoleDeclaration] = []
    public var rules: [PolicyRule] = []
    public var exceptions: [PolicyException] = []
    /// The files that were merged, in load order.
    public var files: [String] = []

    public init() {}

    public func role(named name: String) -> RoleDeclaration? { roles.first { $0.name == name } }
    public func dataClass(named name: String) -> DataClass? { dataClasses.first { $0.name == name } }
}

/// Policy-wide settings.
public struct PolicySettings: Sendable {
    /// Findings at or above this severity fail the gate.
    public var failOn: Severity = .low
    /// Whether every read of a classified column must be logged (pgaudit). `required`: a read
    /// that would not be logged, a role that can turn logging off and a log that does not name
    /// its user are findings at their own severity (medium) and fail the gate; `not_required`
    /// (the default): the same findings at `info`, listed and never hidden. Opt-in, as every
    /// other requirement of the policy is: a gate that held yesterday's access does not fail
    /// on logging the policy never asked for. `init` writes `required` when every read is logged.
    public var readLogging: ReadLoggingRequirement = .notRequired
    public var location: SourceLocation?
}

/// Whether the policy requires reads of classified columns to be logged.
public enum ReadLoggingRequirement: String, Sendable, CaseIterable {
    case required
    case notRequired = "not_required"
}

/// A class of data (e.g. `pii`): where it lives and how severe unexpected access to it is.
public struct DataClass: Sendable {
    public var name: String
    public var severity: Severity
    public var description: String?
    /// `schema.table.column` patterns.
    public var columns: [NamePattern]
    /// `schema.table` patterns: every column of matching tables.
    public var tables: [NamePattern]
    /// The database's large objects hold this class (ticket attachments, scanned documents).
    public var largeObjects = false
    public var location: SourceLocation
}

/// What a role is for; guides review and rules (`kind: human`).
public enum RoleKind: String, Sendable, CaseIterable {
    case human, service, breakglass, group
}

/// The role attributes a policy can declare.
public enum RoleAttribute: String, Sendable, CaseIterable {
    case superuser, createrole, createdb, replication, bypassrls
}

/// A role the policy says may exist, with everything it may hold.
public struct RoleDeclaration: Sendable {
    public var name: String
    public var kind: RoleKind
    public var login: Bool
    public var owner: String?
    public var description: String?
    public var expires: DayDate?
    public var attributes: Set<RoleAttribute>
    public var memberOf: [MembershipDeclaration]
    public var grants: [GrantDeclaration]
    public var owns: [ObjectSelector]
    public var location: SourceLocation
}

/// A declared membership: this role may be a member of `role`.
public struct MembershipDeclaration: Sendable {
    public var role: String
    public var admin: Bool
    /// nil: either is fine.
    public var inherit: Bool?
    public var set: Bool?
    public var location: SourceLocation
}

/// A declared grant: `privileges` on the objects `target` selects (optionally some columns).
public struct GrantDeclaration: Sendable {
    public var target: ObjectSelector
    public var columns: [String]?
    public var privileges: PrivilegeSet
    public var withGrantOption: Bool
    public var location: SourceLocation
}

/// Objects of one kind by name or glob (`table: public.*`).
public struct ObjectSelector: Sendable {
    public var kind: ObjectKind
    public var patterns: [NamePattern]
    public var location: SourceLocation

    /// Whether the selector names `name` (for functions, with or without the argument list).
    public func matches(kind: ObjectKind, name: String, baseName: String) -> Bool {
        guard kind == self.kind else { return false }
        return patterns.contains { $0.matches(name) || (kind == .function && $0.matches(baseName)) }
    }
}

/// Selects principals: by name or glob, and/or by kind, login and membership (all given criteria must hold).
public struct PrincipalSelector: Sendable {
    public var roles: [NamePattern] = []
    public var kinds: [RoleKind] = []
    public var login: Bool?
    /// Declared memberships (transitively).
    public var memberOf: [String] = []
    public var location: SourceLocation

    public var isEmpty: Bool { roles.isEmpty && kinds.isEmpty && login == nil && memberOf.isEmpty }
}

/// A time-boxed waiver of one rule for some roles.
public struct PolicyException: Sendable {
    public var rule: String
    public var roles: [NamePattern]
    public var objects: [ObjectSelector]
    public var reason: String
    public var ticket: String
    public var approvedBy: String
    public var expires: DayDate
    public var location: SourceLocation
}
