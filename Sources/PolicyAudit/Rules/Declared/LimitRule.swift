import SnapshotModel
import AccessPolicy

/// `limit`: at most `max_principals` principals may hold the matching access.
struct LimitRule: PolicyRuleKind {
    static let description = CheckDescription(
        id: "limit",
        summary: "Policy rules of kind limit: at most N principals may hold the matching access.",
        defaultSeverity: .high,
        triggering: [CheckExample(
            policy: examplePolicyHeader + """
                roles: {}
                rules:
                  - {id: few-pii-readers, severity: high, limit: {max_principals: 1, privileges: [SELECT], data_class: pii, principals: {login: true}}}
                """,
            snapshot: SnapshotBuilder().role("a", login: true).role("b", login: true).table("public.customers", columns: ["email"])
                .grant([.select], on: "public.customers", to: "a").grant([.select], on: "public.customers", to: "b").build(),
            expect: "[{rule: few-pii-readers, severity: high, at: policy.yaml:8}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + """
                roles: {}
                rules:
                  - {id: few-pii-readers, severity: high, limit: {max_principals: 2, privileges: [SELECT], data_class: pii, principals: {login: true}}}
                """,
            snapshot: SnapshotBuilder().role("a", login: true).table("public.customers", columns: ["email"])
                .grant([.select], on: "public.customers", to: "a").build())])

    func findings(in context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for rule in context.policy.rules {
            guard case .limit(let max, let matcher) = rule.kind else { continue }
            var holders: [String: AffectedPrincipal] = [:]
            for access in context.matchedAccess(matcher, except: rule.except) {
                // Access latent for lack of schema USAGE counts: invoker views, SQL-standard bodies
                // and triggers bind by OID, so another role's object reads it with these rights.
                for reacher in access.reachers {
                    let name = context.roleName(reacher.principal)
                    if holders[name] == nil { holders[name] = context.affected(reacher) }
                }
            }
            guard holders.count > max else { continue }
            let affected = holders.values.sorted { $0.name < $1.name }
            findings.append(Finding(
                rule: rule.id, severity: rule.severity, principal: nil, cause: Cause(.rule, "rule \(rule.id) allows \(max)"),
                message: rule.message("\(affected.count) principals hold the access, at most \(max) may: \(affected.map(\.name).joined(separator: ", "))"),
                affected: affected, location: rule.location))
        }
        return findings
    }
}
