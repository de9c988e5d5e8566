
import Foundation
import Testing

/// The stronger judge: random organisations on a real server, a canary in every classified
/// column, every login role attacking with every technique the harness knows. Every canary a
/// role gets out must be reported by the audit as that role reaching that column, and every
/// classified column it changes (UPDATE, INSERT, directly or through a definer view) or probes
/// for a value (unique violation, foreign key) as that role writing or probing it (zero misses,
/// on every major). Precision (roles reported that no attack could use) is printed, not gated.
/// `ATTACK_EXTRA_SEEDS=N` adds N fresh seeds per major for a longer sweep.
@Suite("Attacks on a real server as the judge", .serialized)
struct BehaviouralOracleTests {
    static let seeds: [UInt64] = {
        let extra = Int(ProcessInfo.processInfo.environment["ATTACK_EXTRA_SEEDS"] ?? "") ?? 2
        return Array(1...4) + (0..<extra).map { _ in UInt64.random(in: 1_000...1_000_000_000) }
    }()

    @Test(arguments: PostgresServer.supportedMajors)
    func everyCanaryAnAttackGetsOutIsReported(major: Int) async throws {
        let server = try PostgresServer(major: major, settings: ["wal_level=logical", "max_replication_slots=40"])
        defer { server.stop() }
        var attempts = 0, loot = 0, reportedPairs = 0, usedPairs = 0
        var techniques: [String: Int] = [:]
        var misses: [String] = []
        var reviewMisses: [String] = []
        for seed in Self.seeds {
            let scenario = AttackScenario(seed: seed, major: major)
            let outcome = try await AttackHarness(server: server, scenario: scenario).run()
            attempts += outcome.attempts
            loot += Set(outcome.loot.map { "\($0.role)|\($0.table)|\($0.column)" }).count
            techniques.merge(outcome.byTechnique, uniquingKeysWith: +)
            for miss in outcome.misses {
                let audit = miss.kind == "s" ? outcome.reported[[miss.table, miss.column]]?.reached.sorted()
                    : outcome.reportedWrites[AttackHarness.Outcome.writeKey(miss.table, miss.column, miss.kind)]?.sorted()
                misses.append("""
                    PostgreSQL \(major) seed \(seed): \(miss.role) got \(scenario.classified[miss.table].name).\(scenario.classified[miss.table].columns[miss.column]) \
                    by the \(miss.technique) attack; the audit reports \(audit ?? [])
                    scenario:
                    \(scenario.sql.joined(separator: "\n"))
                    """)
            }
            // The quarterly review is judged by the same attacks: every canary a login role got
            // out, and every column it wrote, is in its access-by-login rows.
            for miss in outcome.reviewMisses {
                reviewMisses.append("""
                    PostgreSQL \(major) seed \(seed): \(miss.role) got \(scenario.classified[miss.table].name).\(scenario.classified[miss.table].columns[miss.column]) \
                    (\(miss.kind)) by the \(miss.technique) attack; the review lists no such access for it
                    """)
            }
            // Precision over login roles: reported pairs that some attack confirmed.
            let confirmed = Set(outcome.loot.map { "\($0.role)|\($0.table)|\($0.column)" })
            for (key, verdict) in outcome.reported {
                for role in verdict.reached where scenario.loginRoles.contains(role) {
                    reportedPairs += 1
                    if confirmed.contains("\(role)|\(key[0])|\(key[1])") { usedPairs += 1 }
                }
            }
        }
        let precision = reportedPairs == 0 ? 1 : Double(usedPairs) / Double(reportedPairs)
        print("""
            attacks PostgreSQL \(major): \(Self.seeds.count) seeds \(Self.seeds), \(attempts) attack scripts run, \(loot) canaries got out, \
            \(misses.count) misses (review: \(reviewMisses.count)); by technique \(techniques.sorted { $0.key < $1.key }); precision \(String(format: "%.2f", precision)) (\(usedPairs) of \(reportedPairs) reported login-role/column pairs confirmed by an attack)
            """)
        for miss in misses.prefix(3) { print("attack miss: \(miss)") }
        #expect(loot > 0, "no attack got anything out: the harness itself is broken")
        #expect(misses.isEmpty, "\(misses.count) canaries got out that the audit does not report")
        #expect(reviewMisses.isEmpty, "\(reviewMisses.count) canaries got out that the review does not list: \(reviewMisses.prefix(3))")
    }
}
