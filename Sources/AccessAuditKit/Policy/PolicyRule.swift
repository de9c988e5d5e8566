/// A guardrail written in the policy's `rules:`.
public struct PolicyRule: Sendable {
    public var id: String
    public var description: String?
    public var severity: Severity
    public var kind: Kind
    /// Principals the rule does not apply to: those any selector matches, and access whose path
    /// passes through a matching role.
    public var except: [PrincipalSelector]
    public var location: SourceLocation

    /// A finding message for this rule: what happened, then the rule's own description.
    public func message(_ text: String) -> String {
        guard let description, !description.isEmpty else { return text }
        return "\(text) — \(description)"
    }

    /// The four rule kinds of policy format v1.
    public enum Kind: Sendable {
        /// Matching effective access is a violation.
        case deny(AccessMatcher)
        /// A property must hold on matching objects.
        case require(Requirement)
        /// At most `max` principals may hold matching access.
        case limit(max: Int, AccessMatcher)
        /// No principal may hold both access sets.
        case separate(AccessMatcher, AccessMatcher)
    }
}

/// Which access a rule is about: privileges on objects (by selector or data class), by which principals.
public struct AccessMatcher: Sendable {
    public var privileges: PrivilegeSet
    public var objects: [ObjectSelector]
    public var dataClasses: [String]
    /// `schema.table.column` patterns (narrows `table` selectors to columns).
    public var columns: [NamePattern]
    public var principals: PrincipalSelector?
    public var location: SourceLocation
}

/// What a `require` rule demands of the objects it selects.
public struct Requirement: Sendable {
    public var objects: [ObjectSelector]
    public var rowSecurity: Bool?
    public var forceRowSecurity: Bool?
    public var noPublicGrant: Bool?
    public var owner: String?
    public var location: SourceLocation
}
