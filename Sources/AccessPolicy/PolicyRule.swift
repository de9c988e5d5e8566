import AuditSupport
import SnapshotModel

/// A guardrail written in the policy's `rules:`.
package struct PolicyRule: Sendable {
    package var id: String
    package var description: String?
    package var severity: Severity
    package var kind: Kind
    /// Principals the rule does not apply to: those any selector matches, and access whose path
    /// passes through a matching role.
    package var except: [PrincipalSelector]
    package var location: SourceLocation

    /// A finding message for this rule: what happened, then the rule's own description.
    package func message(_ text: String) -> String {
        guard let description, !description.isEmpty else { return text }
        return "\(text) — \(description)"
    }

    /// The four rule kinds of policy format v1.
    package enum Kind: Sendable {
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
package struct AccessMatcher: Sendable {
    package var privileges: PrivilegeSet
    package var objects: [ObjectSelector]
    package var dataClasses: [String]
    /// `schema.table.column` patterns (narrows `table` selectors to columns).
    package var columns: [NamePattern]
    package var principals: PrincipalSelector?
    package var location: SourceLocation
}

/// What a `require` rule demands of the objects it selects.
package struct Requirement: Sendable {
    package var objects: [ObjectSelector]
    package var rowSecurity: Bool?
    package var forceRowSecurity: Bool?
    package var noPublicGrant: Bool?
    package var owner: String?
    package var location: SourceLocation
}
