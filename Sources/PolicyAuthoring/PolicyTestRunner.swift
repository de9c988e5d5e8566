import AuditSupport
import PolicyAudit

/// Runs policy test cases: audits each fixture with the file's policy and compares the findings
/// of the rules the case is about with what it expects, both ways.
package struct PolicyTestRunner: Sendable {
    /// The outcome of one case.
    package struct Outcome: Sendable {
        package var file: String
        package var name: String
        package var missing: [PolicyTestFile.ExpectedFinding]
        package var unexpected: [Finding]
        package var passed: Bool { missing.isEmpty && unexpected.isEmpty }
    }

    package init() {}

    package func run(_ file: PolicyTestFile, filter: NamePattern?) -> [Outcome] {
        file.cases.filter { test in filter.map { $0.matches(test.name) } ?? true }.map { test in
            let findings = Auditor(policy: file.policy, today: test.today).audit(test.snapshot)
            let rules: Set<String>? = test.rules.map(Set.init) ?? test.expected.map { Set($0.map(\.rule)) }
            let compared = findings.filter { finding in
                if let rules { return rules.contains(finding.rule) }
                return finding.severity > .info
            }
            let (missing, unexpected) = ExpectedFinding.compare(test.expected ?? [], with: compared)
            return Outcome(file: file.file, name: test.name, missing: missing, unexpected: unexpected.filter { !$0.suppressed })
        }
    }
}
