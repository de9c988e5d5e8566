import AuditSupport
import SnapshotModel
import AccessPolicy
import ServerUsage

/// Runs every check (built-in and the policy's rules) on a snapshot, applies exceptions, and
/// orders the findings riskiest first.
package struct Auditor: Sendable {
    /// Every step, the built-in checks first, then the four policy rule kinds.
    package static let checks: [any AuditStep] = BuiltInChecks.all.map { $0 as any AuditStep } + PolicyRuleKinds.all.map { $0 as any AuditStep }

    package let policy: Policy
    package let today: DayDate
    /// Principals a finding lists with paths (the rest are counted); nil lists every one, as
    /// baselines and the review need.
    package let principalLimit: Int?
    /// What roles used (`check --usage`): turns on `unused-access`.
    package var usage: UsageEvidence?

    package init(policy: Policy, today: DayDate, principalLimit: Int? = nil) {
        self.policy = policy
        self.today = today
        self.principalLimit = principalLimit
    }

    /// The findings on one snapshot.
    package func audit(_ snapshot: Snapshot) -> [Finding] {
        audit(context: AuditContext(snapshot: snapshot, policy: policy, today: today))
    }

    /// The findings in a context the caller keeps (the review reuses its engine).
    package func audit(context: AuditContext) -> [Finding] {
        context.principalSample = principalLimit
        if let usage { context.usage = usage }
        var findings = ParallelChecks.run(Self.checks, in: context).flatMap { $0 }
        for index in findings.indices { applyExceptions(to: &findings[index]) }
        // Bounded output: alike findings one change fixes become one (every one without a bound).
        if principalLimit != nil { findings = FindingGroups.group(findings, over: FindingGroups.alikeBeforeGrouping) }
        return findings.sorted(by: Self.riskFirst)
    }

    /// The findings on several snapshots (one per database), audited in parallel; the result
    /// keeps the snapshots' order, so output is the same however the threads finish.
    /// With more than one snapshot each finding names its database, and a foreign server pointing
    /// at another of them is followed there (`ForeignServerTies`).
    package func audit(_ snapshots: [Snapshot]) -> [Finding] {
        let auditor = self
        let results = snapshots.count > 1 ? Concurrently.map(count: snapshots.count) { auditor.audit(snapshots[$0]) } : snapshots.map(audit)
        guard snapshots.count > 1 else { return results.first ?? [] }
        var named = zip(snapshots, results).flatMap { snapshot, findings in
            findings.map { finding in
                var named = finding
                named.database = snapshot.database
                return named
            }
        }
        ForeignServerTies(snapshots: snapshots, policy: policy, today: today).apply(to: &named)
        return named
    }

    /// Waives principals an unexpired exception names for the finding's rule (the principal
    /// itself or a role on its path); the finding is suppressed when every principal is.
    func applyExceptions(to finding: inout Finding) {
        for exception in policy.exceptions where exception.rule == finding.rule && exception.expires >= today {
            if !exception.objects.isEmpty {
                guard let kind = finding.objectKind, let object = finding.object,
                    exception.objects.contains(where: { $0.matches(kind: kind, name: object, baseName: object) })
                else { continue }
            }
            let suppression = Suppression(kind: .exception, reference: exception.ticket)
            func waived(_ name: String) -> Bool { exception.roles.contains { $0.matches(name) } }
            if finding.affected.isEmpty {
                if let principal = finding.principal, waived(principal) { finding.suppression = suppression }
                continue
            }
            for index in finding.affected.indices where finding.affected[index].suppression == nil {
                let principal = finding.affected[index]
                if waived(principal.name) || principal.path.roles.contains(where: waived) {
                    finding.affected[index].suppression = suppression
                }
            }
            if finding.affected.allSatisfy({ $0.suppression != nil }) { finding.suppression = suppression }
        }
    }

    /// Riskiest first: severity, then rule, object, column, principal, privilege, fingerprint.
    package static func riskFirst(_ a: Finding, _ b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        return (a.rule, a.object ?? "", a.column ?? "", a.principal ?? "", a.privilege?.rawValue ?? "", a.fingerprint)
            < (b.rule, b.object ?? "", b.column ?? "", b.principal ?? "", b.privilege?.rawValue ?? "", b.fingerprint)
    }
}

/// The outcome of `check`: findings and the verdict at a threshold.
package struct AuditResult: Sendable {
    package var findings: [Finding]
    package var failOn: Severity
    /// The snapshots audited (database names), for the header.
    package var databases: [String]

    package init(findings: [Finding], failOn: Severity, databases: [String]) {
        self.findings = findings
        self.failOn = failOn
        self.databases = databases
    }

    /// Unsuppressed findings at or above the threshold.
    package var failing: [Finding] { findings.filter { !$0.suppressed && $0.severity >= failOn } }
    package var failed: Bool { !failing.isEmpty }

    /// Unsuppressed findings per severity.
    package var counts: [Severity: Int] {
        var counts: [Severity: Int] = [:]
        for severity in Severity.allCases { counts[severity] = 0 }
        for finding in findings where !finding.suppressed { counts[finding.severity, default: 0] += 1 }
        return counts
    }

    package var suppressedCount: Int { findings.filter(\.suppressed).count }
}
