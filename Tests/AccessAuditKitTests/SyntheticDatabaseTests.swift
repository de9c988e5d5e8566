@testable import AuditSupport
@testable import SnapshotModel
@testable import AccessEngine
@testable import AccessPolicy
@testable import PolicyAudit
@testable import SyntheticSnapshots
import Foundation
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

    @Test func sizeMReadFromJSONOnEveryCoreFindsExactlyTheInjectedViolations() throws {
        // Large enough that the tables are read in two halves, the relations built in two
        // halves and the checks run in parallel (policy files together: PolicyLoaderTests).
        let database = SyntheticDatabase(size: .m, seed: 3)
        #expect(database.snapshot.tables.count > SnapshotParser.parallelThreshold)
        let snapshot = try SnapshotLoader().decode(try JSONEncoder().encode(database.snapshot), file: "m.json")
        #expect(snapshot.tables.map(\.qualifiedName) == database.snapshot.tables.map(\.qualifiedName))
        #expect(snapshot.tables.map(\.acl.count) == database.snapshot.tables.map(\.acl.count))
        let graph = AccessGraph(snapshot: snapshot)
        for (i, table) in snapshot.tables.enumerated() {
            let object = try #require(graph.object(.table, table.qualifiedName))
            #expect(object == graph.objects.count - snapshot.tables.count - snapshot.sequences.count - snapshot.functions.count + i)
        }
        let policy = try PolicyLoader().load(sources: database.policyFiles)
        let findings = Auditor(policy: policy, today: try #require(DayDate("2026-11-22"))).audit(snapshot)
        #expect(findings.filter { $0.severity > .info }.count == database.injectedViolations)
    }
}
