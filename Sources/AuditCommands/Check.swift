import AuditSupport
import SnapshotModel
import PolicyAudit
import ArgumentParser
import Foundation

/// `access-audit check`: the audit and the gate.
package struct Check: ParsableCommand {
    package init() {}

    package static let configuration = CommandConfiguration(
        abstract: "Audit snapshot(s) against the policy; exit 1 when a finding reaches the threshold.",
        discussion: "Options given here override the --config file (.access-audit.yml). Snapshot paths may end in a '*' glob.")

    @Option(help: "A configuration file (policies, snapshots, fail_on, baseline, format, output); paths in it are relative to it.")
    package var config: String?

    @OptionGroup package var policy: PolicyOptions
    @OptionGroup package var snapshot: SnapshotOptions
    @OptionGroup package var evaluation: EvaluationOptions

    @Option(help: "Output format: text, json, sarif, junit, markdown or github.")
    package var format: OutputFormat?

    @Option(help: "Write the report to this file instead of standard output.")
    package var output: String?

    @Option(name: .customLong("fail-on"), help: "Fail on findings at or above this severity (overrides settings.fail_on): info, low, medium, high, critical.")
    package var failOn: Severity?

    @Option(help: "Suppress findings recorded in this baseline file; fail only on new ones.")
    package var baseline: String?

    @Option(name: .customLong("write-baseline"), help: "Record today's findings (by fingerprint) in this file and exit 0.")
    package var writeBaseline: String?

    @Option(help: ArgumentHelp(
        "Principals listed per finding, riskiest first (not suppressed, login roles, shortest paths): a number, or all. Default 20.",
        discussion: "A finding always says how many principals it reaches; `explain` and `effective --object` list every one."))
    package var principals: PrincipalLimit = .standard

    @OptionGroup package var usage: UsageOptions

    package func run() throws {
        let file = try config.map { path throws(InputError) in try AuditConfiguration.load(path: path) } ?? AuditConfiguration()
        let policyPaths = policy.policies.isEmpty ? file.policies : policy.policies
        var snapshotPaths: [String] = []
        for pattern in snapshot.snapshots.isEmpty ? file.snapshots : snapshot.snapshots { snapshotPaths += try AuditConfiguration.expand(pattern) }
        let (policy, snapshots) = try ParallelLoading.load(
            { [policyPaths] () throws(InputError) in try PolicyOptions(policies: policyPaths).load() },
            { [snapshotPaths] () throws(InputError) in try SnapshotOptions(snapshots: snapshotPaths).load() })
        let today = try evaluation.today()
        // Baselines record and compare every principal; otherwise only the listed ones get paths.
        let usesBaseline = writeBaseline != nil || baseline != nil || file.baseline != nil
        var auditor = Auditor(policy: policy, today: today, principalLimit: usesBaseline ? nil : principals.limit)
        auditor.usage = try usage.load()?.evidence
        var findings = auditor.audit(snapshots)
        if let path = baseline ?? file.baseline, writeBaseline == nil {
            try Baseline.load(path: path).apply(to: &findings, file: (path as NSString).lastPathComponent)
            findings.sort(by: Auditor.riskFirst)
        }
        // The gate and the baseline see every principal; the report lists a sample of each finding's.
        let result = AuditResult(
            findings: principals.apply(to: findings), failOn: failOn ?? file.failOn ?? policy.settings.failOn, databases: snapshots.map(\.database))
        let format = try self.format ?? file.format.map { value throws(InputError) in
            guard let parsed = OutputFormat(rawValue: value) else { throw InputError(SourceLocation(file: config ?? "", line: 1, column: 1), "unknown format \(value)") }
            return parsed
        } ?? .text
        let context = evaluation.reportContext(policy: policy)
        try Terminal.emit(format.render(result, context: context), to: output ?? file.output)
        if let writeBaseline {
            let stamp = ISO8601DateFormatter().string(from: Date())
            try Terminal.emit(Baseline(findings: findings, createdAt: stamp).rendered(), to: writeBaseline)
            Terminal.error("baseline of \(findings.count) finding(s) written to \(writeBaseline)")
            return
        }
        if result.failed { throw GateFailed() }
    }
}
