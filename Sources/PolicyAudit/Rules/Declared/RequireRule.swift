import SnapshotModel
import AccessEngine
import AccessPolicy

/// `require`: a property must hold on every matching object: row security enabled (or forced),
/// no grant to PUBLIC, or a given owner. A selector that matches nothing is itself a finding,
/// so a renamed table cannot silently escape the rule.
struct RequireRule: PolicyRuleKind {
    static let description = CheckDescription(
        id: "require",
        summary: "Policy rules of kind require: row security on, no PUBLIC grant, or a given owner, on every matching object.",
        defaultSeverity: .high,
        triggering: [CheckExample(
            policy: examplePolicyHeader + "roles: {}\nrules:\n  - {id: rls, severity: high, require: {row_security: true, tables: [public.customers]}}\n",
            snapshot: SnapshotBuilder().table("public.customers", columns: ["email"]).build(),
            expect: "[{rule: rls, principal: postgres, object: public.customers, severity: high, at: policy.yaml:8}]")],
        nonTriggering: [CheckExample(
            policy: examplePolicyHeader + "roles: {}\nrules:\n  - {id: rls, severity: high, require: {row_security: true, tables: [public.customers]}}\n",
            snapshot: SnapshotBuilder().table("public.customers", columns: ["email"], rowSecurity: true).build())])

    func findings(in context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for rule in context.policy.rules {
            guard case .require(let requirement) = rule.kind else { continue }
            var matched = 0
            let selected = Set(requirement.objects.flatMap { context.graph.names.objects(matching: $0) })
            // A partition or inheritance child named directly is checked against its own row
            // security and ACL, not its parent's: what is required of a table's rows is required
            // of its descendants too (the owner requirement stays the selected objects').
            var covered: [(index: ObjectIndex, parent: ObjectIndex?)] = selected.sorted().map { ($0, nil) }
            if requirement.rowSecurity != nil || requirement.forceRowSecurity != nil || requirement.noPublicGrant == true {
                var seen = selected
                var frontier = selected.sorted()
                while let parent = frontier.popLast() {
                    for child in context.graph.children[parent] ?? [] where seen.insert(child).inserted {
                        covered.append((child, parent))
                        frontier.append(child)
                    }
                }
            }
            for (index, parent) in covered {
                let object = context.graph.objects[index]
                let of = parent.map { ", which inherits from \(context.graph.objects[$0].name) (named directly, its rows answer to its own policies and ACL)" } ?? ""
                if parent == nil { matched += 1 }
                var problems: [(String, Cause, String?)] = []
                let owner = context.roleName(object.owner)
                if let wanted = requirement.rowSecurity, object.kind == .table, object.rowSecurity != wanted {
                    problems.append(("row security is \(object.rowSecurity ? "enabled" : "disabled") on \(object.name)\(of)",
                        Cause(.object, "ALTER TABLE \(object.name) \(wanted ? "ENABLE" : "DISABLE") ROW LEVEL SECURITY"), owner))
                }
                if let wanted = requirement.forceRowSecurity, object.kind == .table, object.forceRowSecurity != wanted {
                    problems.append(("row security is \(object.forceRowSecurity ? "" : "not ")forced on \(object.name)\(of): its owner \(object.forceRowSecurity ? "is filtered" : "bypasses the policies")",
                        Cause(.object, "ALTER TABLE \(object.name) \(wanted ? "" : "NO ")FORCE ROW LEVEL SECURITY"), owner))
                }
                if requirement.noPublicGrant == true {
                    let publicPrivileges = (object.acl + object.columns.flatMap(\.acl)).filter { $0.grantee == .publicRole }.flatMap { Array($0.privileges) }
                    if !publicPrivileges.isEmpty {
                        let names = Set(publicPrivileges.map(\.rawValue)).sorted().joined(separator: ", ")
                        problems.append(("PUBLIC holds \(names) on \(object.name)\(of)", Cause(.grant, "GRANT \(names) ON \(object.name) TO PUBLIC"), AclEntry.publicGrantee))
                    }
                }
                if let wanted = requirement.owner, parent == nil, owner != wanted {
                    problems.append(("\(object.name) is owned by \(owner), not \(wanted)", Cause(.ownership, "\(object.kind.rawValue.uppercased()) \(object.name) OWNER TO \(owner)"), owner))
                }
                for (message, cause, principal) in problems {
                    findings.append(Finding(
                        rule: rule.id, severity: rule.severity, principal: principal, objectKind: object.kind, object: object.name,
                        cause: cause, message: rule.message(message), location: rule.location))
                }
            }
            if matched == 0 {
                findings.append(Finding(
                    rule: rule.id, severity: rule.severity, principal: nil, cause: Cause(.rule, "rule \(rule.id) selects no object"),
                    message: "rule \(rule.id) selects no object in the snapshot (renamed or dropped?); it cannot be verified",
                    location: rule.location))
            }
        }
        return findings
    }
}
