import SnapshotModel
import AccessPolicy

/// `separate`: no principal may hold both access sets (segregation of duties). One finding per
/// principal in conflict, with a path for each side.
struct SeparateRule: PolicyRuleKind {
    static let description = CheckDescription(
        id: "separate",
        summary: "Policy rules of kind separate: no principal may hold both access sets.",
        defaultSeverity: .high,
        triggering: [CheckExample(
            policy: examplePolicyHeader + """
                roles: {}
                rules:
                  - id: refunds-vs-audit
                    severity: high
                    separate:
                      - {privileges: [INSERT], table: public.refunds}
                      - {privileges: [DELETE], table: public.audit_log}
                """,
            snapshot: SnapshotBuilder().role("bob", login: true).table("public.refunds", columns: ["id"]).table("public.audit_log", columns: ["id"])
                .grant([.insert], on: "public.refunds", to: "bob").grant([.delete], on: "public.audit_log", to: "bob").build(),
            expect: "[{rule: refunds-vs-audit, principal: bob, severity: high, at: policy.yaml:8}, {rule: refunds-vs-audit, principal: postgres, severity: high, at: policy.yaml:8}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + """
                roles:
                  postgres: {kind: breakglass, login: true}
                rules:
                  - id: refunds-vs-audit
                    severity: high
                    separate:
                      - {privileges: [INSERT], table: public.refunds}
                      - {privileges: [DELETE], table: public.audit_log}
                    except: {kind: breakglass}
                """,
            snapshot: SnapshotBuilder().role("bob", login: true).role("carol", login: true).table("public.refunds", columns: ["id"]).table("public.audit_log", columns: ["id"])
                .grant([.insert], on: "public.refunds", to: "bob").grant([.delete], on: "public.audit_log", to: "carol").build())])

    func findings(in context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for rule in context.policy.rules {
            guard case .separate(let first, let second) = rule.kind else { continue }
            let a = holders(context.matchedAccess(first, except: rule.except), context)
            let b = holders(context.matchedAccess(second, except: rule.except), context)
            for name in a.keys.sorted() {
                guard let left = a[name], let right = b[name] else { continue }
                findings.append(Finding(
                    rule: rule.id, severity: rule.severity, principal: name,
                    cause: Cause(.rule, "\(name) holds both sides of \(rule.id)"),
                    message: rule.message("\(name) holds both \(left.path) and \(right.path)"),
                    affected: [left, right], location: rule.location))
            }
        }
        return findings
    }

    private func holders(_ access: [MatchedAccess], _ context: AuditContext) -> [String: AffectedPrincipal] {
        var result: [String: AffectedPrincipal] = [:]
        for entry in access {
            // Latent access (no schema USAGE) counts: objects bound by OID read it (see LimitRule).
            for reacher in entry.reachers {
                let name = context.roleName(reacher.principal)
                if result[name] == nil { result[name] = context.affected(reacher) }
            }
        }
        return result
    }
}
