import AuditSupport
import SnapshotModel
import AccessEngine
import AccessPolicy
import ServerUsage
import PolicyAudit

/// Assembles an `AccessReview` from a snapshot, the policy, and optionally last review's
/// output folder and its filled decisions.
package struct AccessReviewBuilder {
    /// Days ahead in which an exception counts as expiring.
    package static let expiringWithinDays = 30
    /// The rule id of the review's own finding: a REVOKE decided last time is still present.
    package static let revokeNotDoneRule = "review-revoke-not-done"

    package var snapshot: Snapshot
    package var policy: Policy
    package var today: DayDate
    package var failOn: Severity
    package var previous: PreviousReview?
    package var decisions: ReviewDecisions?
    package var policyRevision: String
    package var inputs: [ReviewManifest.FileDigest]
    /// Receives every login role's access with the items that carry it (`access-by-login.csv`), when set.
    package var loginAccess: ((LoginAccess) -> Void)?
    /// Principals a finding lists with paths (the rest are counted), as `check --principals`; nil lists every one.
    package var principalLimit: Int?
    /// What roles used (`report --usage`): each item's last use, and unused-access findings.
    package var usage: UsageEvidence?

    package init(
        snapshot: Snapshot, policy: Policy, today: DayDate, failOn: Severity? = nil, previous: PreviousReview? = nil,
        decisions: ReviewDecisions? = nil, policyRevision: String, inputs: [ReviewManifest.FileDigest]
    ) {
        self.snapshot = snapshot
        self.policy = policy
        self.today = today
        self.failOn = failOn ?? policy.settings.failOn
        self.previous = previous
        self.decisions = decisions
        self.policyRevision = policyRevision
        self.inputs = inputs
    }

    package func build() -> AccessReview {
        let context = AuditContext(snapshot: snapshot, policy: policy, today: today)
        // The audit runs on its own engine while this thread gathers the items: the two meet
        // only when the items are told which findings name them.
        let parts = context.sharedParts
        var configured = Auditor(policy: policy, today: today, principalLimit: principalLimit)
        configured.usage = usage
        let auditor = configured
        let audit = BackgroundWork { [principalLimit] in
            let findings = auditor.audit(context: AuditContext(sharing: parts))
            return principalLimit.map { limit in findings.map { $0.sampled(to: limit) } } ?? findings
        }
        // A previous review written per login role (format 1) is re-keyed: each decided item is
        // traced to the entitlements that carry it now.
        let rekeying = previous.map { $0.manifest.formatVersion < ReviewManifest.currentFormatVersion } ?? false
        var traced: [String: TracedAccess] = [:]
        if rekeying, let previous {
            for decision in decisions?.decisions ?? [] {
                if let old = previous.items[decision.itemID] { traced[decision.itemID] = Self.tracedAccess(old) }
            }
        }
        let collector = ReviewItemCollector(context: context, traced: Set(traced.values), loginAccess: loginAccess)
        var gathered = collector.gather()
        var findings = audit.wait()
        let collection = collector.finish(&gathered, findings: findings)
        var items = collection.items
        markHistory(&items, rekeying: rekeying)
        if let usage { ReviewUsage(context: context, usage: usage, today: today).annotate(&items) }
        let currentIDs = Set(items.map(\.id))
        let itemsByID = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })

        var revokeChecks: [AccessReview.RevokeCheck] = []
        var rekeyed: [AccessReview.RekeyedDecision] = []
        for decision in decisions?.decisions ?? [] {
            if let access = traced[decision.itemID] {
                let carriers = (collection.traces[access] ?? []).sorted().compactMap { itemsByID[$0] }.sorted(by: ReviewItem.riskFirst)
                let summary = previous?.items[decision.itemID].map(Self.summary) ?? decision.itemID
                if decision.verdict == .revoke {
                    revokeChecks.append(AccessReview.RevokeCheck(decision: decision, summary: summary, verified: carriers.isEmpty))
                    if let carrier = carriers.first { findings.append(revokeNotDone(carrier, decision: decision, oldSummary: summary, carriers: carriers)) }
                } else {
                    rekeyed.append(AccessReview.RekeyedDecision(decision: decision, summary: summary, carriers: carriers.map(\.id)))
                }
                continue
            }
            guard decision.verdict == .revoke else { continue }
            let old = previous?.items[decision.itemID]
            let item = itemsByID[decision.itemID]
            let summary = item.map { "\($0.principal): \($0.summary)" } ?? old.map(Self.summary) ?? decision.itemID
            // Verified at the entitlement: the membership or grant itself must be gone, not only
            // the classified access it carried.
            let granted = old.flatMap { EntitlementPresence.stillGranted($0.key, in: context.graph) } ?? false
            revokeChecks.append(AccessReview.RevokeCheck(decision: decision, summary: summary, verified: item == nil && !granted))
            if let item {
                findings.append(revokeNotDone(item, decision: decision, oldSummary: nil, carriers: [item]))
            } else if granted, let old {
                findings.append(revokeNotDone(old, decision: decision))
            }
        }
        findings.sort(by: Auditor.riskFirst)

        var removed: [AccessReview.RemovedItem] = []
        for (id, old) in previous?.items ?? [:] where !rekeying && !currentIDs.contains(id) {
            removed.append(AccessReview.RemovedItem(id: id, principal: old.principal, summary: Self.summary(old), decision: decisions?.decision(for: id)))
        }
        removed.sort { ($0.principal, $0.summary) < ($1.principal, $1.summary) }

        let previousFingerprints = Set(previous?.findings.keys.map { $0 } ?? [])
        let currentFingerprints = Set(findings.map(\.fingerprint))
        let newFingerprints = previous == nil ? [] : currentFingerprints.subtracting(previousFingerprints)
        let fixed = (previous?.findings.values.map { $0 } ?? []).filter { !currentFingerprints.contains($0.fingerprint) }
            .sorted { ($0.rule, $0.message) < ($1.rule, $1.message) }

        let exceptions = exceptionRegister(findings)
        let expired = expiredRoles(context)
        var overdue = revokeChecks.filter { !$0.verified }.map {
            AccessReview.OverdueItem(what: "REVOKE not carried out: \($0.summary) (\($0.decision.ticket.isEmpty ? $0.decision.itemID : $0.decision.ticket))", since: $0.decision.date.description)
        }
        overdue += exceptions.filter { $0.status == .expired }.map {
            AccessReview.OverdueItem(what: "exception \($0.exception.ticket) for \($0.exception.rule) expired", since: $0.exception.expires.description)
        }
        overdue += expired.map { AccessReview.OverdueItem(what: "role \($0.name): \($0.reason)", since: "") }

        let separateRules = Set(policy.rules.compactMap { rule -> String? in
            if case .separate = rule.kind { return rule.id }
            return nil
        })
        var history = previous?.manifest.history ?? []
        history.append(ReviewManifest.HistoryEntry(
            reviewDate: today.description, snapshotExportedAt: snapshot.exportedAt,
            findings: Dictionary(uniqueKeysWithValues: AuditResult(findings: findings, failOn: failOn, databases: []).counts.map { ($0.key.rawValue, $0.value) }),
            items: items.count))

        return AccessReview(
            attestation: AccessReview.Attestation(
                reviewDate: today, periodStart: previous?.manifest.periodEnd, periodEnd: String(snapshot.exportedAt.prefix(10)),
                database: snapshot.database, serverVersion: snapshot.serverVersion, snapshotExportedAt: snapshot.exportedAt,
                exportedBy: snapshot.exportedBy, policyRevision: policyRevision, toolVersion: ToolInfo.version, inputs: inputs),
            findings: findings, failOn: failOn, newFindingFingerprints: newFingerprints, fixedFindings: fixed, hasPrevious: previous != nil,
            items: items, exposure: collection.exposure, definerFunctions: definerFunctions(context), rowSecurity: rowSecurity(context),
            breakGlass: breakGlass(context),
            separationConflicts: findings.filter { separateRules.contains($0.rule) && !$0.suppressed },
            expiredRoles: expired, unownedLogins: unownedLogins(context), serviceAccounts: serviceAccounts(context, items: items),
            outliers: PeerComparison(context: context, exposure: collection.exposure).outliers(), removedItems: removed,
            revokeChecks: revokeChecks, rekeyed: rekeyed, rekeyedFrom: rekeying ? previous?.manifest.formatVersion : nil, exceptions: exceptions, overdue: overdue, decisions: decisions, history: history,
            rowCounts: rowCounts())
    }

    static func summary(_ item: PreviousReview.Item) -> String {
        switch item.kind {
        case ReviewItem.Kind.membership.rawValue: "\(item.principal): member of \(item.subject)"
        case ReviewItem.Kind.attribute.rawValue, ReviewItem.Kind.capability.rawValue: "\(item.principal): \(item.subject == item.privilege ? item.privilege : "\(item.privilege) (\(item.subject))")"
        case ReviewItem.Kind.ownership.rawValue: "\(item.principal): owns \(item.subject)"
        default: "\(item.principal): \(item.privilege) on \(item.subject)"
        }
    }

    /// What a format-1 item (one login role's access) asks of this review's roads.
    static func tracedAccess(_ old: PreviousReview.Item) -> TracedAccess {
        let target = switch old.kind {
        case "attribute": "attribute|\(old.subject)|\(old.privilege)"
        case "membership": "role|\(old.subject)"
        default: "relation|\(old.subject)|\(old.privilege)"
        }
        return TracedAccess(login: old.principal, target: target)
    }

    /// New, standing or first review; the day first seen; the decision carried forward. Against
    /// a re-keyed previous review every item is in its first review as an entitlement.
    private func markHistory(_ items: inout [ReviewItem], rekeying: Bool) {
        for index in items.indices {
            let id = items[index].id
            if let previous, !rekeying {
                if let old = previous.items[id] {
                    items[index].status = .standing
                    items[index].firstSeen = old.firstSeen ?? DayDate(previous.manifest.reviewDate)
                } else {
                    items[index].status = .new
                    items[index].firstSeen = today
                }
            } else {
                items[index].firstSeen = today
            }
            if let decision = decisions?.decision(for: id), decision.verdict != .revoke {
                items[index].previousDecision = decision
            }
        }
    }

    /// `item` still present (or, for a re-keyed decision on `oldSummary`, still carried by `carriers`).
    private func revokeNotDone(_ item: ReviewItem, decision: ReviewDecision, oldSummary: String?, carriers: [ReviewItem]) -> Finding {
        let by = [decision.reviewer, decision.date.description, decision.ticket].filter { !$0.isEmpty }.joined(separator: ", ")
        let relational = [.grant, .direct, .definer, .ownership].contains(item.kind)
        let message = if let oldSummary {
            "\(oldSummary) is still there, which the last review decided to REVOKE (\(by)); it is now carried by \(carriers.map { "\($0.id) (\($0.principal): \($0.summary))" }.joined(separator: ", "))"
        } else {
            "\(item.principal) still holds \(item.summary), which the last review decided to REVOKE (\(by))"
        }
        return Finding(
            rule: Self.revokeNotDoneRule, severity: .high, principal: item.principal,
            objectKind: relational ? .table : nil, object: relational ? item.subject : nil,
            privilege: Privilege(rawValue: item.privilege),
            cause: Cause(.declaration, "REVOKE decided for \(decision.itemID) (\(by))"),
            message: message,
            affected: [AffectedPrincipal(name: item.principal, path: item.path, mode: item.mode)],
            location: decision.location)
    }

    /// A revoked entitlement still in the catalogs, though it no longer leads to classified data.
    private func revokeNotDone(_ old: PreviousReview.Item, decision: ReviewDecision) -> Finding {
        let by = [decision.reviewer, decision.date.description, decision.ticket].filter { !$0.isEmpty }.joined(separator: ", ")
        return Finding(
            rule: Self.revokeNotDoneRule, severity: .high, principal: old.principal, objectKind: nil, object: nil, privilege: Privilege(rawValue: old.privilege),
            cause: Cause(.declaration, "REVOKE decided for \(old.id) (\(by))"),
            message: "\(Self.summary(old)) is still granted, which the last review decided to REVOKE (\(by)); it leads to no classified data today, but it is not gone",
            affected: [], location: decision.location)
    }

    private func exceptionRegister(_ findings: [Finding]) -> [AccessReview.ExceptionEntry] {
        policy.exceptions.map { exception in
            let daysLeft = today.days(until: exception.expires)
            let status: AccessReview.ExceptionEntry.Status = daysLeft < 0 ? .expired : (daysLeft <= Self.expiringWithinDays ? .expiring : .active)
            let suppressed = findings.filter { finding in
                finding.suppression?.reference == exception.ticket || finding.affected.contains { $0.suppression?.reference == exception.ticket }
            }.count
            return AccessReview.ExceptionEntry(exception: exception, status: status, daysLeft: daysLeft, suppressedFindings: suppressed)
        }.sorted { ($0.exception.expires, $0.exception.ticket) < ($1.exception.expires, $1.exception.ticket) }
    }

    private func expiredRoles(_ context: AuditContext) -> [AccessReview.ExpiredRole] {
        var result: [AccessReview.ExpiredRole] = []
        for node in context.graph.roles where !PredefinedRoles.isPredefined(node.name) {
            var reasons: [String] = []
            if let expires = context.declared.declaration(of: node.name)?.expires, expires < today {
                reasons.append("policy expires \(expires)")
            }
            if let validUntil = node.attributes.validUntil, let day = DayDate(timestamp: validUntil), day < today {
                reasons.append("VALID UNTIL \(day)\(node.attributes.login ? " (password login refused; other authentication methods still work)" : "")")
            }
            if !reasons.isEmpty { result.append(AccessReview.ExpiredRole(name: node.name, reason: reasons.joined(separator: "; "), login: node.attributes.login)) }
        }
        return result
    }

    private func unownedLogins(_ context: AuditContext) -> [String] {
        context.graph.roles.filter { $0.attributes.login && context.declared.declaration(of: $0.name)?.owner == nil }.map(\.name).sorted()
    }

    private func serviceAccounts(_ context: AuditContext, items: [ReviewItem]) -> [AccessReview.ServiceAccount] {
        policy.roles.filter { $0.kind == .service }.map { declaration in
            let own = items.filter { $0.principal == declaration.name }
            return AccessReview.ServiceAccount(
                name: declaration.name, owner: declaration.owner,
                login: context.graph.roleIndex[declaration.name].map { context.graph.roles[$0].attributes.login } ?? false,
                items: own.count, topSeverity: own.map(\.severity).max())
        }.sorted { $0.name < $1.name }
    }

    private func definerFunctions(_ context: AuditContext) -> [AccessReview.DefinerFunction] {
        let graph = context.graph
        return graph.objects.indices.filter { graph.objects[$0].kind == .function && graph.objects[$0].securityDefiner }.map { index in
            let function = graph.objects[index]
            let byPublic = function.acl.contains { $0.grantee == .publicRole && $0.privileges.contains(.execute) }
            // Executable by PUBLIC says it all: every role, not listed one by one.
            let executors = byPublic ? [] : context.reach.causes(.execute, object: index).flatMap { cause -> [Reacher] in
                if case .superuser = cause.kind { return [] }
                return cause.reachers
            }.filter { graph.roles[$0.principal].attributes.login }.map { graph.roles[$0.principal].name }
            return AccessReview.DefinerFunction(
                name: function.name, owner: graph.roles[function.owner].name, ownerIsSuperuser: graph.roles[function.owner].attributes.superuser,
                executableByPublic: byPublic, executors: Array(Set(executors)).sorted(),
                classifiedColumns: context.exposedClassifiedColumns(object: index, column: nil).map { context.targetName($0.object, $0.column) }.sorted())
        }.sorted { $0.name < $1.name }
    }

    /// The policies of classified tables with row security on; a policy on a setting anybody holds
    /// SET on (or any session may set) is no boundary.
    private func rowSecurity(_ context: AuditContext) -> [AccessReview.RowSecurityPolicyEntry] {
        let graph = context.graph
        let grantedSet = Set(graph.parameterGrants.filter { $0.acl.contains { $0.privileges.contains(.set) } }.map(\.name))
        return graph.rowPolicies.filter { graph.objects[$0.key].rowSecurity && !(context.classification.columnsOfTable[$0.key] ?? []).isEmpty }
            .flatMap { table, policies in
                policies.map { policy in
                    AccessReview.RowSecurityPolicyEntry(
                        table: graph.objects[table].name, policy: policy.name, command: policy.command.rawValue,
                        roles: policy.roles.map { $0.map { graph.roles[$0].name } ?? AclEntry.publicGrantee }.sorted(),
                        noBoundary: RowSecurityEvaluator.whyNoBoundary(policy, command: policy.command == .insert ? .insert : .select) {
                            grantedSet.contains($0)
                        })
                }
            }.sorted { ($0.table, $0.policy) < ($1.table, $1.policy) }
    }

    private func breakGlass(_ context: AuditContext) -> [(role: String, reachers: [String])] {
        policy.roles.filter { $0.kind == .breakglass }.map { declaration in
            guard let role = context.graph.roleIndex[declaration.name] else { return (declaration.name, []) }
            let reachers = context.reach.reachers(of: .role(role)).filter { $0.principal != role && context.graph.roles[$0.principal].attributes.login }
            let itself = context.graph.roles[role].attributes.login ? ["\(declaration.name) itself (LOGIN)"] : []
            return (declaration.name, itself + reachers.map { AccessPath($0.path).description }.sorted())
        }.sorted { $0.role < $1.role }
    }

    private func rowCounts() -> [(String, Int)] {
        var counts: [(String, Int)] = [
            ("roles", snapshot.roles.count), ("memberships", snapshot.memberships.count), ("schemas", snapshot.schemas.count),
            ("tables, views and other relations", snapshot.tables.count), ("columns", snapshot.tables.reduce(0) { $0 + $1.columns.count }),
            ("sequences", snapshot.sequences.count), ("functions", snapshot.functions.count),
            ("default privileges", snapshot.defaultPrivileges.count), ("row security policies", snapshot.rowSecurityPolicies.count),
        ]
        if let parameters = snapshot.parameterPrivileges, !parameters.isEmpty { counts.append(("parameters with privileges", parameters.count)) }
        let aclEntries = snapshot.tables.reduce(0) { total, table in
            total + table.acl.count + table.columns.reduce(0) { $0 + $1.acl.count }
        } + snapshot.schemas.reduce(0) { $0 + $1.acl.count } + snapshot.sequences.reduce(0) { $0 + $1.acl.count } + snapshot.functions.reduce(0) { $0 + $1.acl.count }
        counts.append(("ACL entries", aclEntries))
        return counts
    }
}
