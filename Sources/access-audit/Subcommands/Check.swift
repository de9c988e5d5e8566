import AccessAuditKit
import ArgumentParser

/// `access-audit check`: the audit and the gate.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Audit snapshot(s) against the policy; exit 1 when a finding reaches the threshold.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var policy: PolicyOptions
    @OptionGroup var snapshot: SnapshotOptions

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(name: .customLong("fail-on"), help: "Fail on findings at or above this severity (overrides settings.fail_on): info, low, medium, high, critical.")
    var failOn: Severity?

    @Option(name: .customLong("as-of"), help: "Evaluate expiry dates as of this day (YYYY-MM-DD; default today, UTC).")
    var asOf: String?

    func run() throws {
        let policy = try self.policy.load()
        let snapshots = try snapshot.load()
        let auditor = Auditor(policy: policy, today: try auditDate(asOf))
        var findings: [Finding] = []
        for snapshot in snapshots {
            var found = auditor.audit(snapshot)
            if snapshots.count > 1 { for i in found.indices { found[i].database = snapshot.database } }
            findings += found
        }
        let result = AuditResult(findings: findings, failOn: failOn ?? policy.settings.failOn, databases: snapshots.map(\.database))
        let text = switch format {
        case .text: FindingsTextRenderer().render(result)
        case .json: FindingsJSONRenderer().render(result)
        }
        try Terminal.emit(text, to: output)
        if result.failed { throw GateFailed() }
    }
}
