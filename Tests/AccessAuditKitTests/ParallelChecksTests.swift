@testable import AuditSupport
@testable import SnapshotModel
@testable import AccessPolicy
@testable import PolicyAudit
@testable import SyntheticSnapshots
import Testing

/// Running the checks on several threads (each with its own engine caches) gives exactly the
/// findings of running them one after another in one context.
@Suite("Checks run in parallel as they run in sequence")
struct ParallelChecksTests {
    func rendered(_ findings: [[Finding]]) -> String {
        FindingsJSONRenderer().render(AuditResult(findings: findings.flatMap { $0 }, failOn: .high, databases: ["db"]))
    }

    func expectSameFindings(_ snapshot: Snapshot, _ policy: Policy, today: DayDate) {
        let sequential = Auditor.checks.map { $0.findings(in: AuditContext(snapshot: snapshot, policy: policy, today: today)) }
        let parallel = ParallelChecks.run(Auditor.checks, in: AuditContext(snapshot: snapshot, policy: policy, today: today))
        #expect(parallel.count == Auditor.checks.count)
        #expect(rendered(parallel) == rendered(sequential))
    }

    @Test func everyCheckExampleGivesTheSameFindings() throws {
        for check in Auditor.checks {
            let description = type(of: check).description
            for example in description.triggering + description.nonTriggering {
                expectSameFindings(example.snapshot, try policy(example.policy), today: example.today)
            }
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func syntheticDatabasesGiveTheSameFindings(seed: UInt64) throws {
        let database = SyntheticDatabase(size: .s, seed: seed)
        let loaded = try PolicyLoader().load(sources: database.policyFiles)
        let today = try #require(DayDate("2026-11-22"))
        expectSameFindings(database.snapshot, loaded, today: today)
        #expect(!rendered(ParallelChecks.run(Auditor.checks, in: AuditContext(snapshot: database.snapshot, policy: loaded, today: today))).isEmpty)
    }
}
