import SnapshotModel
import AccessEngine
import ServerUsage

/// A grant that nobody used while the logs were kept (`check --usage usage.json`): no login role
/// holding it (inheriting it or able to SET ROLE to its grantee) has a pgaudit record of that
/// command on that object in a window at least `--unused-after` long — judged only where every
/// one of those logins' use would have been recorded with the object named (session logging of
/// the class with `pgaudit.log_relation` on, or the audit role's grant on the object; FUNCTION
/// class for EXECUTE). Otherwise the use is unknown, and one info finding says for how many.
/// Grants to PUBLIC and an owner's own entries are not judged (the PUBLIC and ownership checks'
/// concern). Alike grants of one grantee become one finding.
struct UnusedAccessCheck: AuditCheck {
    static let description = CheckDescription(
        id: "unused-access",
        summary: "A grant none of its login roles used in the logged window, where their use would have been logged (check --usage).",
        defaultSeverity: .low,
        triggering: [
            // Classified: raised to the data class's severity.
            CheckExample(policy: examplePolicyHeader + examplePolicy.dropFirst("version: 1\n".count), snapshot: exampleSnapshot, usage: exampleUsage([]),
                expect: "[{principal: agent, object: public.customers, privilege: SELECT, severity: critical, at: policy.yaml:7}]"),
            // Logs shorter than --unused-after: nothing judged, said once.
            CheckExample(policy: examplePolicy, snapshot: exampleSnapshot, usage: exampleUsage([], windowEnd: "2026-01-31 00:00:00 UTC"),
                expect: "[{severity: info, at: policy.yaml:1}]"),
            // A holder whose reads are not logged with the object named: unknown, said once.
            CheckExample(
                policy: examplePolicy,
                snapshot: SnapshotBuilder().role("agent", login: true).table("public.customers", columns: ["email"])
                    .grant([.select], on: "public.customers", to: "agent").logging(pgaudit: true, settings: ["pgaudit.log": "write"]).build(),
                usage: exampleUsage([]),
                expect: "[{severity: info, at: policy.yaml:1}]"),
            CheckExample(policy: examplePolicy, snapshot: exampleSnapshot, usage: exampleUsage([]),
            expect: "[{principal: agent, object: public.customers, privilege: SELECT, severity: low, at: policy.yaml:3}]")],
        nonTriggering: [CheckExample(policy: examplePolicy, snapshot: exampleSnapshot, usage: exampleUsage([UsageSummary.Use(
            role: "agent", database: "app", objectType: "TABLE", object: "public.customers", command: "SELECT", auditClass: "READ", count: 1,
            firstSeen: "2026-02-01 10:00:00 UTC", lastSeen: "2026-02-01 10:00:00 UTC")]))],
        otherSeverities: [.critical, .info])

    /// The examples' agent with SELECT on customers, on a server logging every read with its relation.
    private static let examplePolicy = "version: 1\nroles:\n  agent: {kind: human, login: true, grants: [{table: public.customers, privileges: [SELECT]}]}\n"
    private static let exampleSnapshot = SnapshotBuilder().role("agent", login: true).table("public.customers", columns: ["email"])
        .grant([.select], on: "public.customers", to: "agent")
        .logging(pgaudit: true, settings: ["pgaudit.log": "read", "pgaudit.log_relation": "on"]).build()

    /// Five months of logs with these uses, judged after 90 days.
    private static func exampleUsage(_ uses: [UsageSummary.Use], windowEnd: String = "2026-05-31 00:00:00 UTC") -> UsageEvidence {
        UsageEvidence(
            summary: UsageSummary(
                logLinePrefix: nil, windowStart: "2026-01-01 00:00:00 UTC", windowEnd: windowEnd, uses: uses, sources: [], unattributed: 0),
            unusedAfterDays: 90)
    }

    /// The privileges whose use pgaudit names the object of.
    static let judged: [Privilege] = [.select, .insert, .update, .delete, .execute]

    private struct Group {
        var grantee: RoleIndex
        var privilege: Privilege
        var objects: [ObjectIndex] = []
        var logins: [Reacher] = []
        var seen: Set<RoleIndex> = []
    }

    func findings(in context: AuditContext) -> [Finding] {
        guard let usage = context.usage else { return [] }
        let location = context.policy.settings.location ?? context.fallbackLocation
        guard let days = usage.windowDays else {
            return [Self.finding(severity: .info, principal: nil, cause: Cause(.setting, "usage window unknown"),
                            message: "unused access not judged: the usage summary's logs carry no timestamps (log_line_prefix without %m, %t or %n)", location: location)]
        }
        guard days >= usage.unusedAfterDays else {
            return [Self.finding(severity: .info, principal: nil, cause: Cause(.setting, "usage window too short"),
                            message: "unused access not judged: the logs cover \(days) day(s), fewer than --unused-after \(usage.unusedAfterDays)d", location: location)]
        }
        let graph = context.graph
        let judge = GrantUse(context: context, usage: usage)
        var groups: [String: Group] = [:]
        var order: [String] = []
        var unknownGrants = 0
        var unknownLogins = Set<RoleIndex>()
        for (index, object) in graph.objects.enumerated() where object.kind == .table || object.kind == .function {
            for bundle in object.acl {
                guard case .role(let grantee) = bundle.grantee, grantee != object.owner else { continue }
                let logins = judge.holders(of: bundle.grantee)
                for privilege in Self.judged where bundle.privileges.contains(privilege) {
                    let (verdict, unseen) = judge.verdict(holders: logins, object: index, privilege: privilege)
                    switch verdict {
                    case .used: continue
                    case .unknown:
                        unknownGrants += 1
                        unknownLogins.formUnion(unseen.map(\.principal))
                        continue
                    case .unused: break
                    }
                    let key = "\(grantee)\u{0}\(privilege.rawValue)"
                    if groups[key] == nil {
                        groups[key] = Group(grantee: grantee, privilege: privilege)
                        order.append(key)
                    }
                    groups[key]?.objects.append(index)
                    for login in logins where groups[key]?.seen.insert(login.principal).inserted == true { groups[key]?.logins.append(login) }
                }
            }
        }
        var findings: [Finding] = order.compactMap { key in
            guard let group = groups[key] else { return nil }
            let grantee = context.roleName(group.grantee)
            let names = group.objects.map { graph.objects[$0].name }
            let classified = group.privilege == .execute ? [] : group.objects.flatMap { object in
                graph.objects[object].columns.indices.map { ColumnRef(object: object, column: $0) }
            }.filter { context.classification.classesOfColumn[$0] != nil }
            let (sample, count) = context.affectedSample(group.logins, rule: Self.description.id)
            let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
            let first = graph.objects[group.objects[0]]
            var finding = Self.finding(severity: context.raised(Self.description.defaultSeverity, columns: classified), principal: grantee,
                objectKind: first.kind, object: first.name, privilege: group.privilege,
                cause: Cause(.grant, "GRANT \(group.privilege.rawValue) ON \(shown) TO \(grantee)"),
                message: "\(group.privilege.rawValue) on \(shown) granted to \(grantee) was not used by any of its \(count) login role(s) in the \(days) day(s) the logs cover (\(usage.summary.windowStart ?? "?") – \(usage.summary.windowEnd ?? "?")), where every use would have been logged: revoke it",
                affected: sample.sorted { $0.name < $1.name }, principalCount: count, location: context.location(ofRole: grantee))
            if names.count > 1 { finding.groupedObjects = names }
            return finding
        }
        if unknownGrants > 0 {
            let sample = unknownLogins.map { graph.roles[$0].name }.sorted().prefix(5).joined(separator: ", ")
            findings.append(Self.finding(severity: .info, principal: nil, cause: Cause(.setting, "use not logged for some login roles"),
                message: "\(unknownGrants) grant(s) unused where use is logged, but whether \(unknownLogins.count) login role(s) holding them used them is unknown: their use would not be logged with the object named (\(sample)\(unknownLogins.count > 5 ? ", …" : ""); needs the class in pgaudit.log with pgaudit.log_relation on, or the audit role's grant on the object)",
                location: location))
        }
        return findings
    }
}
