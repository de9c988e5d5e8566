@testable import SnapshotModel
@testable import AccessEngine
import Testing

/// A SQL-standard SECURITY DEFINER body reaches what the functions it calls reach: an invoker
/// callee's reads (run with the definer owner's rights), everything the owner can read when a
/// callee's body cannot be read or runs SQL given as text, and what a definer callee reaches
/// with its own owner's rights. The same roads are attacked on real servers by
/// `CapabilityRoadTests.rowsGoWhereTheAuditSays`.
@Suite("Call chains of definer functions")
struct CallChainTests {
    /// `public.customers (id, email, phone)` readable by `reporting`; `public.summary()` a
    /// SQL-standard definer owned by `reporting` reading nothing itself, EXECUTE for mallory only.
    static func base(calls: [String]) -> SnapshotBuilder {
        SnapshotBuilder(serverVersion: "15.4")
            .role("mallory", login: true).role("reporting")
            .table("public.customers", columns: ["id", "email", "phone"])
            .grant([.select], on: "public.customers", to: "reporting")
            .function("public.summary", owner: "reporting", securityDefiner: true, reads: [], publicExecute: false)
            .body(of: "public.summary()", language: "sql", sqlStandardBody: true, calls: calls)
            .grant([.execute], on: "public.summary()", kind: .function, to: "mallory")
    }

    static func reached(_ snapshot: Snapshot) throws -> (forward: Set<String>, reverse: Set<String>) {
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let mallory = try engine.role("mallory")
        let forward = Set(engine.privileges(of: mallory).filter { $0.object == "public.customers" && $0.privilege == .select }.compactMap(\.column))
        let reach = ReachQuery(engine: engine)
        var reverse = Set<String>()
        for column in ["id", "email", "phone"] {
            let ref = try engine.column("public.customers.\(column)")
            if reach.causes(.select, column: ref).contains(where: { $0.reachers.contains { $0.principal == mallory } }) { reverse.insert(column) }
        }
        return (forward, reverse)
    }

    @Test func anInvokerCalleesReadsAreTheDefinersReads() throws {
        let snapshot = Self.base(calls: ["public.lookup()"])
            .function("public.lookup", owner: "postgres", reads: ["public.customers.email"])
            .body(of: "public.lookup()", language: "sql", sqlStandardBody: true, calls: []).build()
        let reached = try Self.reached(snapshot)
        #expect(reached.forward == ["email"] && reached.reverse == ["email"])
    }

    @Test func anUnreadableCalleeOrDynamicSQLMakesTheDefinerOpaque() throws {
        let plpgsql = Self.base(calls: ["public.lookup()"])
            .function("public.lookup", owner: "postgres").body(of: "public.lookup()", language: "plpgsql").build()
        let dynamic = Self.base(calls: ["pg_catalog.query_to_xml(text, boolean, boolean, text)"]).build()
        let harmless = Self.base(calls: ["pg_catalog.lower(text)"]).build()
        for snapshot in [plpgsql, dynamic] {
            let reached = try Self.reached(snapshot)
            #expect(reached.forward == ["id", "email", "phone"] && reached.reverse == ["id", "email", "phone"])
        }
        #expect(try Self.reached(harmless).forward.isEmpty)
    }

    @Test func aDefinerCalleeReachesWithItsOwnOwnersRights() throws {
        // summary's owner cannot read customers; vault (definer, owner dba who can) returns emails.
        let snapshot = SnapshotBuilder(serverVersion: "15.4")
            .role("mallory", login: true).role("reporting").role("dba")
            .table("public.customers", columns: ["id", "email", "phone"])
            .grant([.select], on: "public.customers", to: "dba")
            .function("public.vault", owner: "dba", securityDefiner: true, reads: ["public.customers.email"], publicExecute: false)
            .body(of: "public.vault()", language: "sql", sqlStandardBody: true, calls: [])
            .grant([.execute], on: "public.vault()", kind: .function, to: "reporting")
            .function("public.summary", owner: "reporting", securityDefiner: true, reads: [], publicExecute: false)
            .body(of: "public.summary()", language: "sql", sqlStandardBody: true, calls: ["public.vault()"])
            .grant([.execute], on: "public.summary()", kind: .function, to: "mallory").build()
        let reached = try Self.reached(snapshot)
        #expect(reached.forward == ["email"] && reached.reverse == ["email"])
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let entry = try #require(try engine.entries("mallory", .select, on: "public.customers", column: "email").first)
        #expect(entry.path.description.contains("SECURITY DEFINER public.summary() (runs as its owner) → reporting → SECURITY DEFINER public.vault() (runs as its owner) → dba"))
    }
}
