import AuditSupport
import SnapshotModel
import AccessEngine
import PolicyAudit
import Testing

@Suite("Foreign servers open sessions as the mapped user")
struct ForeignServerTests {
    static func base() -> SnapshotBuilder {
        SnapshotBuilder(database: "support").role("reporting", login: true).role("mallory", login: true).role("team").role("carol", login: true)
            .table("public.customers", columns: ["id", "email"]).grant([.select], on: "public.customers", to: "reporting")
    }

    static func reached(_ snapshot: Snapshot, _ name: String) throws -> (mode: AccessMode, path: String)? {
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let entry = try engine.entries(name, .select, on: "public.customers").first
        return entry.map { ($0.mode, $0.path.description) }
    }

    @Test func aServerBackIntoThisDatabaseActsAsTheMappedUser() throws {
        let snapshot = Self.base().foreignServer("back", usage: ["mallory"], database: "support", mappings: ["PUBLIC": "reporting"]).build()
        let reached = try #require(try Self.reached(snapshot, "mallory"))
        #expect(reached.mode == .capability)
        #expect(reached.path.contains("foreign server back") && reached.path.contains("reporting"))
        // The reverse query names the same road.
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let mallory = try engine.role("mallory")
        let reachers = ReachQuery(engine: engine).causes(.select, column: try engine.column("public.customers.email")).flatMap(\.reachers)
        #expect(reachers.contains { $0.principal == mallory && $0.mode == .capability })
    }

    @Test func theMappingIsTheCurrentRolesOwnOrPublicsNeverAnInheritedOne() throws {
        // team's mapping: mallory inherits team but may not SET ROLE to it (no session as
        // reporting: her own mapping is looked up), carol may SET ROLE team.
        var builder = Self.base().member("mallory", of: "team", inherit: true, set: false).foreignServer("back", usage: ["team"], database: "support", mappings: ["team": "reporting"])
        builder = builder.member("carol", of: "team", inherit: false, set: true)
        let snapshot = builder.build()
        #expect(try Self.reached(snapshot, "mallory") == nil)
        #expect(try Self.reached(snapshot, "carol")?.mode == .capability)
    }

    @Test func noUsageOtherDatabasesAndUnreadableUsersAreTold() throws {
        // Without USAGE, or pointing elsewhere: no road into this database.
        #expect(try Self.reached(Self.base().foreignServer("back", database: "support", mappings: ["PUBLIC": "reporting"]).build(), "mallory") == nil)
        #expect(try Self.reached(Self.base().foreignServer("dw", usage: ["mallory"], database: "warehouse", mappings: ["PUBLIC": "reporting"]).build(), "mallory") == nil)
        // A mapping whose remote user was not readable counts as the bootstrap superuser.
        let unreadable = Self.base().foreignServer("back", usage: ["mallory"], database: "support", mappings: ["mallory": nil]).build()
        let reached = try #require(try Self.reached(unreadable, "mallory"))
        #expect(reached.path.contains("could not read"))
    }
}

@Suite("A foreign server into another audited database is followed there")
struct ForeignServerTieTests {
    @Test func theSessionFindingSaysWhatTheMappedUserReadsThereAndTakesItsSeverity() async throws {
        let support = SnapshotBuilder(database: "support").role("analyst", login: true)
            .foreignServer("dw", usage: ["analyst"], database: "warehouse", mappings: ["PUBLIC": "etl"]).build()
        let warehouse = SnapshotBuilder(database: "warehouse").role("etl", login: true)
            .table("public.orders", columns: ["id", "card"]).grant([.select], on: "public.orders", to: "etl").build()
        let policy = try policy("""
            version: 1
            data_classes:
              cards:
                severity: critical
                columns: [public.orders.card]
            """)
        let today = try #require(DayDate("2026-11-29"))
        let alone = Auditor(policy: policy, today: today).audit(support).first { $0.rule == "foreign-server-session" }
        #expect(alone?.severity == .medium)
        let together = Auditor(policy: policy, today: today).audit([support, warehouse])
        let session = try #require(together.first { $0.rule == "foreign-server-session" })
        #expect(session.database == "support")
        #expect(session.severity == .critical)
        #expect(session.message.contains("etl reads 1 classified column(s) there: public.orders.card"))
    }
}
