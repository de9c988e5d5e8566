@testable import SnapshotModel
@testable import PolicyAudit
import Testing

/// Existence oracles: REFERENCES on a classified column, INSERT or UPDATE on one under a
/// unique index, held by a role the policy does not let read it (probed on real servers by
/// `CapabilityRoadTests.rowsGoWhereTheAuditSays`).
@Suite("Existence oracles")
struct ExistenceOracleTests {
    static let policy = """
        version: 1
        data_classes:
          pii: {severity: critical, columns: [public.customers.email]}
        roles:
          privacy:
            kind: human
            login: true
            grants: [{table: public.customers, privileges: [SELECT, INSERT, REFERENCES]}]
        """

    static func oracles(_ build: (SnapshotBuilder) -> SnapshotBuilder) throws -> [Finding] {
        let base = SnapshotBuilder().role("mallory", login: true).role("privacy", login: true)
            .table("public.customers", columns: ["id", "email"])
        return try audit(Self.policy, build(base).build()).filter { $0.rule == "existence-oracle" }
    }

    @Test func referencesOnAClassifiedColumnIsAProbe() throws {
        let findings = try Self.oracles { $0.grant([.references], on: "public.customers", columns: ["email"], to: "mallory") }
        #expect(findings.count == 1)
        #expect(findings.first?.privilege == .references && findings.first?.severity == .medium)
        #expect(findings.first?.affected.map(\.name) == ["mallory"])
    }

    @Test func insertIsAProbeOnlyUnderAUniqueIndex() throws {
        #expect(try Self.oracles { $0.grant([.insert], on: "public.customers", to: "mallory") }.isEmpty)
        let unique = try Self.oracles { $0.unique(["email"], on: "public.customers").grant([.insert], on: "public.customers", to: "mallory") }
        #expect(unique.map(\.privilege) == [.insert])
    }

    @Test func aRoleThePolicyLetsReadTheColumnIsNoOracle() throws {
        let findings = try Self.oracles {
            $0.unique(["email"], on: "public.customers").grant([.select, .insert, .references], on: "public.customers", to: "privacy")
        }
        #expect(findings.isEmpty)
    }
}
