import SnapshotModel
import AccessPolicy

/// `deny`: matching effective access is a violation. One finding per cause (the grant,
/// superuser attribute, definer view or function at the end of the paths), listing every
/// principal that reaches the access through it.
struct DenyRule: PolicyRuleKind {
    static let description = CheckDescription(
        id: "deny",
        summary: "Policy rules of kind deny: matching effective access (direct, via SET ROLE, views or definer functions) is a violation.",
        defaultSeverity: .high,
        triggering: [CheckExample(
            policy: examplePolicyHeader + """
                roles:
                  alice: {kind: human, login: true}
                rules:
                  - {id: no-ticket-deletes, severity: high, deny: {privileges: [DELETE], table: public.tickets}}
                """,
            snapshot: SnapshotBuilder().role("alice", login: true).table("public.tickets", columns: ["id"])
                .grant([.delete], on: "public.tickets", to: "alice").build(),
            expect: "[{rule: no-ticket-deletes, principal: alice, object: public.tickets, privilege: DELETE, severity: high, at: policy.yaml:9}, {rule: no-ticket-deletes, principal: postgres, object: public.tickets, privilege: DELETE, severity: high, at: policy.yaml:9}]"),
            CheckExample(
            policy: examplePolicyHeader + """
                roles:
                  alice: {kind: human, login: true}
                rules:
                  - {id: pii-readers, severity: low, deny: {privileges: [SELECT], data_class: pii}}
                """,
            snapshot: SnapshotBuilder().role("alice", login: true).table("public.customers", columns: ["email"])
                .grant([.select], on: "public.customers", to: "alice").build(),
                expect: "[{rule: pii-readers, principal: alice, object: public.customers, column: email, privilege: SELECT, severity: critical, at: policy.yaml:9}, {rule: pii-readers, principal: postgres, object: public.customers, column: email, privilege: SELECT, severity: critical, at: policy.yaml:9}]"),
            CheckExample(
            policy: examplePolicyHeader + """
                roles:
                  alice: {kind: human, login: true, member_of: [support_lead]}
                  support_lead: {kind: group, member_of: [analytics_export]}
                  analytics_export: {kind: group}
                rules:
                  - {id: pii-readers, severity: critical, deny: {privileges: [SELECT], data_class: pii}, except: {kind: breakglass}}
                """,
            snapshot: SnapshotBuilder().role("alice", login: true).role("support_lead").role("analytics_export")
                .member("alice", of: "support_lead").member("support_lead", of: "analytics_export")
                .table("public.customers", columns: ["id", "email"]).grant([.select], on: "public.customers", to: "analytics_export").build(),
            expect: "[{rule: pii-readers, principal: analytics_export, object: public.customers, column: email, privilege: SELECT, severity: critical, at: policy.yaml:11}, {rule: pii-readers, principal: postgres, object: public.customers, column: email, privilege: SELECT, severity: critical, at: policy.yaml:11}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + """
                roles:
                  postgres: {kind: breakglass, login: true, attributes: [superuser]}
                  alice: {kind: human, login: true}
                rules:
                  - {id: pii-readers, severity: critical, deny: {privileges: [SELECT], data_class: pii}, except: {kind: breakglass}}
                """,
            snapshot: SnapshotBuilder().role("alice", login: true).table("public.customers", columns: ["id", "email"])
                .grant([.select], on: "public.customers", columns: ["id"], to: "alice").build())],
        otherSeverities: [.critical])

    func findings(in context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for rule in context.policy.rules {
            guard case .deny(let matcher) = rule.kind else { continue }
            for access in context.matchedAccess(matcher, except: rule.except) {
                let target = context.targetFields(access)
                let (affected, count) = context.affectedSample(access.reachers, rule: rule.id)
                let first = affected.first.map { " (e.g. \($0.path))" } ?? ""
                findings.append(Finding(
                    rule: rule.id, severity: context.raised(rule.severity, columns: access.columns),
                    principal: context.causeHolder(access.cause), objectKind: target.kind, object: target.object, column: target.column,
                    privilege: access.privilege, cause: access.causeText,
                    message: rule.message("\(count) role(s) can \(access.privilege.rawValue) \(target.text) through \(access.causeText.description)\(first)"),
                    affected: affected, principalCount: count, location: rule.location))
            }
        }
        return findings
    }
}
