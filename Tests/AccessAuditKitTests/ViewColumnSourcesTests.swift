@testable import SnapshotModel
@testable import AccessEngine
import Testing

@Suite("A view column reaches what it is computed from")
struct ViewColumnSourcesTests {
    @Test func nodeTreesAreReadWithEscapesListsAndNulls() throws {
        let tree = try #require(NodeTree(parsing: #"({QUERY :alias\ name a\(b :colnames ("id" "e\ mail") :value <> :constvalue 4 [ 1 0 0 0 ] :ints (i 1 2)})"#))
        let query = try #require(tree.items.first)
        #expect(query.type == "QUERY")
        #expect(query["alias name"]?.text == "a(b")
        #expect(query["colnames"]?.items.compactMap(\.text) == ["id", "e mail"])
        #expect(query["value"]?.isNull == true)
        #expect(query["constvalue"]?.items.count == 7)
        #expect(query["ints"]?.items.compactMap(\.int) == [1, 2])
    }

    @Test func malformedOrTooDeepTreesAreRefused() {
        #expect(NodeTree(parsing: "({QUERY :a 1") == nil)
        #expect(NodeTree(parsing: "({QUERY :a 1})}") == nil)
        #expect(NodeTree(parsing: "({QUERY a 1})") == nil)
        #expect(NodeTree(parsing: String(repeating: "(", count: 5_000) + String(repeating: ")", count: 5_000)) == nil)
    }

    static func variable(_ varno: Int, _ attno: Int, up: Int = 0) -> String {
        "{VAR :varno \(varno) :varattno \(attno) :vartype 25 :varlevelsup \(up) :location -1}"
    }

    static func entry(_ expression: String, junk: Bool = false) -> String {
        "{TARGETENTRY :expr \(expression) :resno 1 :resname x :resjunk \(junk)}"
    }

    /// `SELECT c.id, lower(c.email), row_to_json(c), (SELECT t.subject FROM tickets t WHERE t.cid = c.id), f.x
    ///  FROM customers c, some_function() f`, as PostgreSQL stores it (abridged).
    static let query = SnapshotQueryTree(
        tree: """
            ({QUERY :commandType 1 :setOperations <> :cteList <> :rtable (
              {RANGETBLENTRY :rtekind 0 :relid 100 :relkind r}
              {RANGETBLENTRY :rtekind 3 :functions <>})
             :targetList (
              \(entry(variable(1, 1)))
              \(entry("{FUNCEXPR :funcid 870 :args (\(variable(1, 2)))}"))
              \(entry("{FUNCEXPR :funcid 3155 :args (\(variable(1, 0)))}"))
              \(entry("""
                {SUBLINK :subLinkType 4 :testexpr <> :subselect {QUERY :setOperations <> :cteList <>
                  :rtable ({RANGETBLENTRY :rtekind 0 :relid 200 :relkind r})
                  :targetList (\(entry(variable(1, 3))))
                  :jointree {FROMEXPR :quals {OPEXPR :args (\(variable(1, 2)) \(variable(1, 1, up: 1)))}}}}
                """))
              \(entry(variable(2, 1)))
              \(entry(variable(1, 3), junk: true)))})
            """,
        outputs: ["id", "email", "card", "subject", "x"],
        relations: [
            .init(oid: 100, name: "public.customers", columns: ["id", "email", nil, "phone"]),
            .init(oid: 200, name: "public.tickets", columns: ["id", "cid", "subject"]),
        ])

    @Test func eachOutputIsTracedToItsBaseColumnsAndTheUnfollowableOnesAreLeftOut() {
        let reads = ViewColumnSources.columnReads(of: Self.query)
        #expect(reads["id"] == ["public.customers.id"])
        #expect(reads["email"] == ["public.customers.email"])
        // A whole row: every column that is not dropped.
        #expect(reads["card"] == ["public.customers.email", "public.customers.id", "public.customers.phone"])
        // A scalar subquery returns its output; what it filters on is not returned.
        #expect(reads["subject"] == ["public.tickets.subject"])
        // A function in FROM cannot be followed: the view's whole reads apply.
        #expect(reads["x"] == nil)
    }

    @Test func aColumnGrantOnADefinerViewReachesOnlyItsOwnSources() throws {
        var snapshot = SnapshotBuilder().role("reporting").role("agent", login: true)
            .table("public.customers", columns: ["id", "email", "phone"]).table("public.tickets", columns: ["id", "cid", "subject"])
            .grant([.select], on: "public.customers", to: "reporting").grant([.select], on: "public.tickets", to: "reporting")
            .view("public.contacts", owner: "reporting", columns: ["id", "email", "card", "subject", "x"],
                  reads: ["public.customers.id", "public.customers.email", "public.customers.phone", "public.tickets.subject"])
            .grant([.select], on: "public.contacts", columns: ["id"], to: "agent").build()
        let without = try EffectiveAccessEngine(snapshot: snapshot).privileges(of: EffectiveAccessEngine(snapshot: snapshot).role("agent"))
        #expect(without.contains { $0.object == "public.customers" && $0.column == "email" }, "without the query every column counts")
        let view = try #require(snapshot.tables.firstIndex { $0.qualifiedName == "public.contacts" })
        snapshot.tables[view].query = Self.query
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let reached = Set(try engine.privileges(of: engine.role("agent")).filter { $0.object == "public.customers" }.compactMap(\.column))
        #expect(reached == ["id"])
    }
}
