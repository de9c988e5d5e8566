import AuditSupport
import SnapshotModel

/// Merges policy fragments and checks that every reference resolves: roles, data classes,
/// rules and exceptions; a name defined twice (in one file or across files) is a conflict.
struct PolicyMerger {
    /// The ids of the checks the audit runs beside the policy's rules: a rule may not take one,
    /// an exception may name one.
    var builtInCheckIDs: [String]

    func merge(_ fragments: [PolicyFragment]) throws(InputError) -> Policy {
        var policy = Policy()
        var diagnostics: [Diagnostic] = []
        var settingsFrom: SourceLocation?
        var classAt: [String: SourceLocation] = [:]
        var roleAt: [String: SourceLocation] = [:]
        var ruleAt: [String: SourceLocation] = [:]
        for fragment in fragments {
            policy.files.append(fragment.file)
            if let settings = fragment.settings {
                if let first = settingsFrom, let here = settings.location {
                    diagnostics.append(Diagnostic(here, "settings are already given at \(first)"))
                } else {
                    policy.settings = settings
                    settingsFrom = settings.location
                }
            }
            for dataClass in fragment.dataClasses {
                if let first = classAt[dataClass.name] {
                    diagnostics.append(Diagnostic(dataClass.location, "data class '\(dataClass.name)' is already defined at \(first)"))
                } else {
                    classAt[dataClass.name] = dataClass.location
                    policy.dataClasses.append(dataClass)
                }
            }
            for role in fragment.roles {
                if let first = roleAt[role.name] {
                    diagnostics.append(Diagnostic(role.location, "role '\(role.name)' is already declared at \(first)"))
                } else {
                    roleAt[role.name] = role.location
                    policy.roles.append(role)
                }
            }
            for rule in fragment.rules {
                if let first = ruleAt[rule.id] {
                    diagnostics.append(Diagnostic(rule.location, "rule '\(rule.id)' is already defined at \(first)"))
                } else if builtInCheckIDs.contains(rule.id) {
                    diagnostics.append(Diagnostic(rule.location, "rule id '\(rule.id)' is the name of a built-in check"))
                } else {
                    ruleAt[rule.id] = rule.location
                    policy.rules.append(rule)
                }
            }
            policy.exceptions += fragment.exceptions
        }
        diagnostics += references(in: policy)
        if !diagnostics.isEmpty { throw InputError(diagnostics) }
        return policy
    }

    private func references(in policy: Policy) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let roleNames = policy.roles.map(\.name)
        let known = Set(roleNames)
        func checkRole(_ name: String, at location: SourceLocation, what: String) {
            guard !known.contains(name), !PredefinedRoles.isPredefined(name), name != AclEntry.publicGrantee else { return }
            diagnostics.append(Diagnostic(
                location, "\(what) refers to undeclared role '\(name)'",
                fix: Suggestion.closest(to: name, among: roleNames).map { "did you mean '\($0)'?" }))
        }
        func checkPatterns(_ patterns: [NamePattern], at location: SourceLocation, what: String) {
            for pattern in patterns where !pattern.isGlob { checkRole(pattern.text, at: location, what: what) }
        }
        func checkSelector(_ selector: PrincipalSelector?, what: String) {
            guard let selector else { return }
            checkPatterns(selector.roles, at: selector.location, what: what)
            for role in selector.memberOf { checkRole(role, at: selector.location, what: what) }
        }
        let classNames = policy.dataClasses.map(\.name)
        func checkMatcher(_ matcher: AccessMatcher, rule: String) {
            for name in matcher.dataClasses where !classNames.contains(name) {
                diagnostics.append(Diagnostic(
                    matcher.location, "rule '\(rule)' refers to undeclared data class '\(name)'",
                    fix: Suggestion.closest(to: name, among: classNames).map { "did you mean '\($0)'?" }))
            }
            checkSelector(matcher.principals, what: "rule '\(rule)'")
        }
        for role in policy.roles {
            for membership in role.memberOf {
                checkRole(membership.role, at: membership.location, what: "role '\(role.name)'")
                if membership.role == role.name {
                    diagnostics.append(Diagnostic(membership.location, "role '\(role.name)' cannot be a member of itself"))
                }
            }
        }
        for rule in policy.rules {
            switch rule.kind {
            case .deny(let matcher), .limit(_, let matcher): checkMatcher(matcher, rule: rule.id)
            case .separate(let a, let b):
                checkMatcher(a, rule: rule.id)
                checkMatcher(b, rule: rule.id)
            case .require(let requirement):
                if let owner = requirement.owner { checkRole(owner, at: requirement.location, what: "rule '\(rule.id)'") }
            }
            for selector in rule.except { checkSelector(selector, what: "rule '\(rule.id)'") }
        }
        let ruleIDs = policy.rules.map(\.id) + builtInCheckIDs
        for exception in policy.exceptions {
            if !ruleIDs.contains(exception.rule) {
                diagnostics.append(Diagnostic(
                    exception.location, "exception refers to unknown rule '\(exception.rule)'",
                    fix: Suggestion.closest(to: exception.rule, among: ruleIDs).map { "did you mean '\($0)'?" }))
            }
            checkPatterns(exception.roles, at: exception.location, what: "exception")
        }
        return diagnostics
    }
}
