/// Runs policy test cases: audits each fixture with the file's policy and compares the findings
/// of the rules the case is about with what it expects, both ways.
public struct PolicyTestRunner: Sendable {
    /// The outcome of one case.
    public struct Outcome: Sendable {
        public var file: String
        public var name: String
        public var missing: [PolicyTestFile.ExpectedFinding]
        public var unexpected: [Finding]
        public var passed: Bool { missing.isEmpty && unexpected.isEmpty }
    }

    public init() {}

    public func run(_ file: PolicyTestFile, filter: NamePattern?) -> [Outcome] {
        file.cases.filter { test in filter.map { $0.matches(test.name) } ?? true }.map { test in
            let findings = Auditor(policy: file.policy, today: test.today).audit(test.snapshot)
            let rules: Set<String>? = test.rules.map(Set.init) ?? test.expected.map { Set($0.map(\.rule)) }
            let compared = findings.filter { finding in
                if let rules { return rules.contains(finding.rule) }
                return finding.severity > .info
            }
            var unmatched = compared
            var missing: [PolicyTestFile.ExpectedFinding] = []
            for expected in test.expected ?? [] {
                if let index = unmatched.firstIndex(where: expected.matches) { unmatched.remove(at: index) } else { missing.append(expected) }
            }
            return Outcome(file: file.file, name: test.name, missing: missing, unexpected: unmatched.filter { !$0.suppressed })
        }
    }
}
