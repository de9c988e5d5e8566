@testable import SnapshotModel
@testable import AccessEngine
import Testing

@Suite("What a SQL-standard body writes")
struct BodyWritesTests {
    /// `BEGIN ATOMIC UPDATE customers SET email = $2 WHERE id = $1; DELETE FROM tickets; SELECT 1; END`, abridged.
    static let body = SnapshotQueryTree(
        tree: """
            (({QUERY :commandType 2 :resultRelation 1 :rtable ({RANGETBLENTRY :rtekind 0 :relid 100})
               :targetList ({TARGETENTRY :expr {PARAM :paramid 2} :resno 3 :resname email :resjunk false}
                            {TARGETENTRY :expr {VAR :varno 1 :varattno -1} :resno 4 :resname ctid :resjunk true})}
              {QUERY :commandType 4 :resultRelation 1 :rtable ({RANGETBLENTRY :rtekind 0 :relid 200}) :targetList <>}
              {QUERY :commandType 1 :resultRelation 0 :rtable <> :targetList <>}))
            """,
        outputs: [],
        relations: [
            .init(oid: 100, name: "public.customers", columns: ["id", nil, "email"]),
            .init(oid: 200, name: "public.tickets", columns: ["id", "subject"]),
        ])

    @Test func updateTargetsAndDeletedRelationsAreReadAndSelectsAreNot() {
        let writes = BodyWrites.writes(of: Self.body)
        #expect(writes == [
            BodyWrites.Write(relation: "public.customers", privilege: .update, columns: ["email"]),
            BodyWrites.Write(relation: "public.tickets", privilege: .delete, columns: nil),
        ])
    }

    @Test func aDefinerFunctionsCallersWriteWithItsOwnersRightsForwardAndReverse() throws {
        var snapshot = SnapshotBuilder().role("crm").role("mallory", login: true)
            .table("public.customers", columns: ["id", "dropped", "email"]).table("public.tickets", columns: ["id", "subject"])
            .grant([.update], on: "public.customers", to: "crm")
            .function("public.set_email", owner: "crm", securityDefiner: true, reads: [], publicExecute: false)
            .grant([.execute], on: "public.set_email()", kind: .function, to: "mallory").build()
        let function = try #require(snapshot.functions.firstIndex { $0.name == "set_email" })
        snapshot.functions[function].body = Self.body
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        #expect(try engine.entries("mallory", .update, on: "public.customers", column: "email").contains { $0.route == .function })
        // crm may not DELETE tickets: the body's DELETE gives mallory nothing.
        #expect(try engine.entries("mallory", .delete, on: "public.tickets").isEmpty)
        let mallory = try engine.role("mallory")
        let causes = ReachQuery(engine: engine).causes(.update, column: try engine.column("public.customers.email"))
        #expect(causes.contains { $0.reachers.contains { $0.principal == mallory } })
    }
}
