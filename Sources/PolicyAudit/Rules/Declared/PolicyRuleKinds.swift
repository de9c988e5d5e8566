/// The kinds of rule a policy writes; each runs every rule of its kind in the policy.
enum PolicyRuleKinds {
    static let all: [any PolicyRuleKind] = [DenyRule(), RequireRule(), LimitRule(), SeparateRule()]
}
