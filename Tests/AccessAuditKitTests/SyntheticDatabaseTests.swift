@testable import AccessAuditKit
import Testing

/// The synthetic database behind the benchmark: deterministic, at its size, and the audit finds
/// exactly the violations it injects.
@Suite("Synthetic databases for benchmarks")
struct SyntheticDatabaseTests {
    @Test func sizeSIsDeterministicAndTheAuditFindsExactlyTheInjectedViolations() throws {
        let first = SyntheticDatabase(size: .s, seed: 7)
        let second = SyntheticDatabase(size: .s, seed: 7)
        #expect(first.policy == second.policy)
        #expect(first.snapshot.roles.map(\.name) == second.snapshot.roles.map(\.name))
        #expect((9_000...11_000).contains(first.privilegeRows))
        let policy = try PolicyLoader().load(sources: [(file: "synthetic.yaml", text: first.policy)])
        let findings = Auditor(policy: policy, today: try #require(DayDate("2026-11-22"))).audit(first.snapshot)
        let serious = findings.filter { $0.severity > .info }
        #expect(serious.count == first.injectedViolations)
        #expect(serious.allSatisfy { $0.rule == "over-broad-grant" && $0.privilege == .truncate })
        #expect(first.injectedViolations > 0)
    }
}
