@testable import AccessEngine
@testable import PolicyAudit
import SnapshotModel
import Testing

/// `explain`'s report, rendered in process.
@Suite("explain's report")
struct ExplainRendererTests {
    static let snapshot = SnapshotBuilder().role("alice", login: true).role("readers").member("alice", of: "readers")
        .table("public.customers", columns: ["id", "email"]).grant([.select], on: "public.customers", to: "readers").build()

    func render(_ principal: String, _ object: String, column: String? = nil) throws -> String {
        let engine = EffectiveAccessEngine(snapshot: Self.snapshot)
        let role = try #require(engine.graph.roleIndex[principal])
        let target = try #require(ObjectResolver(graph: engine.graph).resolve(object).first)
        let columnIndex = try column.map { name in try #require(engine.graph.objects[target].columns.firstIndex { $0.name == name }) }
        return ExplainRenderer(engine: engine, database: Self.snapshot.database).render(role: role, object: target, column: columnIndex)
    }

    @Test func aPrivilegeThroughAMembershipSaysYesWithItsPath() throws {
        let text = try render("alice", "public.customers", column: "email")
        #expect(text.hasPrefix("alice on table public.customers.email (database \(Self.snapshot.database)):\n"))
        let lines = text.split(separator: "\n").map(String.init)
        let select = try #require(lines.firstIndex(of: "  SELECT: yes"))
        #expect(lines[select + 1].contains("readers"), "the path names the group that carries it: \(lines[select + 1])")
        #expect(lines.contains { $0.hasPrefix("  UPDATE: no") })
    }

    @Test func aSuperuserIsSaidToPassEveryCheck() throws {
        let text = try render("postgres", "public.customers")
        #expect(text.contains("  postgres is SUPERUSER: every privilege check passes\n"))
    }
}
