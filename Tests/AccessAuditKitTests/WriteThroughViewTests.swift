@testable import SnapshotModel
@testable import AccessEngine
import Testing

/// An auto-updatable view without `security_invoker` writes its base table with its owner's
/// rights: a write granted on the view is a write on the base columns, for `deny` and the
/// rest alike. Attacked on real servers by `CapabilityRoadTests.rowsGoWhereTheAuditSays`.
@Suite("Writes through definer views")
struct WriteThroughViewTests {
    static func snapshot(securityInvoker: Bool = false, ownerMayUpdate: Bool = true, updatable: [Privilege]? = [.insert, .update, .delete]) -> Snapshot {
        var builder = SnapshotBuilder().role("mallory", login: true).role("crm")
            .table("public.customers", columns: ["id", "email"])
            .grant([.select], on: "public.customers", to: "crm")
            .view("public.customer_contacts", owner: "crm", columns: ["id", "email"],
                  reads: ["public.customers.id", "public.customers.email"], securityInvoker: securityInvoker)
            .grant([.update], on: "public.customer_contacts", columns: ["email"], to: "mallory")
        if ownerMayUpdate { builder = builder.grant([.update, .delete], on: "public.customers", to: "crm") }
        var snapshot = builder.build()
        if let i = snapshot.tables.firstIndex(where: { $0.name == "customer_contacts" }) { snapshot.tables[i].updatable = updatable }
        return snapshot
    }

    static func writers(_ snapshot: Snapshot) throws -> (forward: Bool, reverse: Bool) {
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let mallory = try engine.role("mallory")
        let forward = try engine.entries("mallory", .update, on: "public.customers", column: "email").contains { $0.route == .view }
        let reach = ReachQuery(engine: engine)
        let reverse = reach.causes(.update, column: try engine.column("public.customers.email")).contains { cause in
            cause.reachers.contains { $0.principal == mallory }
        }
        return (forward, reverse)
    }

    @Test func anUpdateGrantOnADefinerViewUpdatesTheBaseTable() throws {
        let snapshot = Self.snapshot()
        #expect(try Self.writers(snapshot) == (true, true))
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let entry = try #require(try engine.entries("mallory", .update, on: "public.customers", column: "email").first { $0.route == .view })
        #expect(entry.path.description == "mallory → UPDATE public.customer_contacts.email → view public.customer_contacts (runs as its owner) → crm → UPDATE public.customers")
    }

    @Test func aColumnGrantWritesOnlyTheBaseColumnItIsMadeOf() throws {
        // GRANT UPDATE (id) on the view: with the view's per-column sources known, not email.
        var snapshot = Self.snapshot()
        guard let view = snapshot.tables.firstIndex(where: { $0.name == "customer_contacts" }) else { Issue.record("no view"); return }
        for (i, column) in snapshot.tables[view].columns.enumerated() {
            snapshot.tables[view].columns[i].acl = []
            snapshot.tables[view].columns[i].reads = ["public.customers.\(column.name)"]
        }
        if let id = snapshot.tables[view].columns.firstIndex(where: { $0.name == "id" }) {
            snapshot.tables[view].columns[id].acl = [AclEntry(grantee: "mallory", grantor: "crm", privilege: .update)]
        }
        #expect(try Self.writers(snapshot) == (false, false))
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        #expect(try engine.entries("mallory", .update, on: "public.customers", column: "id").contains { $0.route == .view })
    }

    @Test func noWriteThroughWithoutTheOwnersPrivilegeOrForAnInvokerOrReadOnlyView() throws {
        #expect(try Self.writers(Self.snapshot(securityInvoker: true)) == (false, false))
        #expect(try Self.writers(Self.snapshot(ownerMayUpdate: false)) == (false, false))
        #expect(try Self.writers(Self.snapshot(updatable: nil)) == (false, false))
        #expect(try Self.writers(Self.snapshot(updatable: [.delete])) == (false, false))
    }
}
