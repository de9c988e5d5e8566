@testable import AccessAuditKit
import Foundation
import PropertyBased
import Testing

/// The review's parts: its digest, its CSV reader, decisions, items and peer comparison.
@Suite("Access review")
struct ReviewTests {
    // MARK: SHA-256

    @Test func sha256MatchesTheFIPSTestVectors() {
        #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: [UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(of: [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func sha256DigestDoesNotDependOnHowTheInputIsSplit() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...400), Gen.int(in: 0...400)) { length, split in
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let cut = min(split, length)
            var hasher = SHA256()
            hasher.update(bytes[..<cut])
            hasher.update(bytes[cut...])
            #expect(hasher.finalizeHex() == SHA256.hex(of: bytes))
        }
    }

    // MARK: CSV

    @Test func csvReaderReadsQuotedFieldsAndKnowsWhereEachFieldStarts() throws {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\nlast,,\n"
        let records = try CSVReader.records(in: text, file: "d.csv")
        #expect(records.map { $0.fields.map(\.text) } == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["last", "", ""]])
        #expect(records.map(\.line) == [1, 2, 5])
        #expect(records[1].fields[2].location.line == 2 && records[1].fields[2].location.column == 21)
    }

    @Test(arguments: [
        ("a,b\nx,y\"z\n", 2, 4, "a quote inside an unquoted field"),
        ("a,b\n\"x\"y,z\n", 2, 4, "text after a quoted field"),
        ("a,b\nx,\"never closed\n", 2, 3, "never closed"),
        ("a,b\rc\n", 1, 4, "carriage return"),
    ])
    func csvReaderRejectsMalformedFieldsAtTheirPosition(text: String, line: Int, column: Int, message: String) {
        #expect {
            _ = try CSVReader.records(in: text, file: "d.csv")
        } throws: { error in
            guard let diagnostic = (error as? InputError)?.diagnostics.first else { return false }
            return diagnostic.location.line == line && diagnostic.location.column == column && diagnostic.message.contains(message)
        }
    }

    @Test func csvFieldsWrittenByTheWriterReadBackUnchanged() async {
        let alphabet = ["a", "b", ",", "\"", "\n", "\r\n", " ", "é", "|"]
        let field = Gen.int(in: 0...(alphabet.count - 1)).array(of: 0...6).map { $0.map { alphabet[$0] }.joined() }
        await propertyCheck(count: 200, input: field.array(of: 1...5)) { fields in
            let text = CSV.row(["h"] + fields.map { _ in "x" }) + CSV.row(["row"] + fields)
            let records = try CSVReader.records(in: text, file: "t.csv")
            #expect(records.last?.fields.map(\.text) == ["row"] + fields)
        }
    }

    // MARK: Decisions

    static let header = "item_id,owner,decision,justification,ticket,reviewer,date\n"

    @Test func decisionsFileReadsEveryVerdictAndCountsUndecidedRows() throws {
        let text = Self.header + """
            R-1,ops,KEEP,needed for support,,jane,2026-08-20
            R-2,ops,revoke,,SEC-1,jane,2026-08-20
            R-3,ops,EXCEPTION,until migration,SEC-2,jane,2026-08-20
            R-4,ops,,,,,

            """
        let decisions = try ReviewDecisions.parse(text, file: "d.csv")
        #expect(decisions.decisions.map(\.verdict) == [.keep, .revoke, .exception])
        #expect(decisions.undecided == 1)
        #expect(decisions.decision(for: "R-2")?.location.line == 3)
    }

    @Test func everyBadDecisionRowIsReportedWithItsLineAndColumn() {
        let text = Self.header + """
            R-1,ops,MAYBE,x,,jane,2026-08-20
            R-2,ops,KEEP,,,jane,2026-08-20
            R-3,ops,EXCEPTION,why,,jane,2026-08-20
            R-4,ops,REVOKE,,,,2026-13-01
            R-4,ops,REVOKE,,,jane,2026-08-20
            R-5,ops
            ,ops,KEEP,x,,jane,2026-08-20

            """
        do {
            _ = try ReviewDecisions.parse(text, file: "d.csv")
            Issue.record("bad rows were accepted")
        } catch {
            let found = error.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" }
            #expect(found.contains { $0.hasPrefix("2:9 ") && $0.contains("MAYBE") })
            #expect(found.contains { $0.hasPrefix("3:14 ") && $0.contains("justification") })
            #expect(found.contains { $0.hasPrefix("4:23 ") && $0.contains("ticket") })
            #expect(found.contains { $0.hasPrefix("5:") && $0.contains("reviewer") })
            #expect(found.contains { $0.hasPrefix("5:") && $0.contains("2026-13-01") })
            #expect(found.contains { $0.hasPrefix("6:1 ") && $0.contains("decided twice") })
            #expect(found.contains { $0.hasPrefix("7:1 ") && $0.contains("2 field(s)") })
            #expect(found.contains { $0.hasPrefix("8:1 ") && $0.contains("item_id is empty") })
        }
    }

    @Test func decisionsHeaderMustHaveTheRequiredColumnsAndNoUnknownOnes() {
        #expect(throws: InputError.self) { try ReviewDecisions.parse("item_id,owner,decison,justification,ticket,reviewer,date\n", file: "d.csv") }
        do {
            _ = try ReviewDecisions.parse("item_id,owner,decison\n", file: "d.csv")
        } catch {
            #expect(error.diagnostics.contains { $0.message.contains("decison") && $0.fix?.contains("decision") == true })
            #expect(error.diagnostics.contains { $0.message.contains("no 'reviewer' column") })
        }
    }

    @Test func decisionNamingAnItemNoReviewListedIsAnError() {
        let text = Self.header + "R-9,ops,KEEP,x,,jane,2026-08-20\n"
        #expect(throws: InputError.self) { try ReviewDecisions.parse(text, file: "d.csv", knownIDs: ["R-1"]) }
    }

    // MARK: Items

    static let classes = """
        version: 1
        data_classes:
          pii: {severity: critical, columns: [public.customers.email]}
        """

    func review(_ snapshot: Snapshot, policy text: String = classes) throws -> AccessReview {
        let policy = try policy(text)
        return AccessReviewBuilder(snapshot: snapshot, policy: policy, today: DayDate("2026-11-22") ?? DayDate(Date()), policyRevision: "test", inputs: []).build()
    }

    @Test func itemsNameEveryRouteToClassifiedDataWithItsPath() throws {
        let snapshot = SnapshotBuilder()
            .role("owner").role("agents").role("ann", login: true).role("ben", login: true).role("cy", login: true, inherit: false)
            .member("ann", of: "agents").member("cy", of: "agents")
            .table("public.customers", owner: "owner", columns: ["id", "email"])
            .view("public.contacts", owner: "owner", columns: ["email"], reads: ["public.customers.email"])
            .grant([.select], on: "public.customers", columns: ["email"], to: "agents")
            .grant([.select], on: "public.contacts", to: "ben")
            .build()
        let review = try review(snapshot)
        let ann = try #require(review.items.first { $0.principal == "ann" && $0.privilege == "SELECT" })
        #expect(ann.routes == [.inherited] && ann.columns == ["email"] && ann.severity == .critical)
        #expect(ann.path.description.contains("ann → agents"))
        let ben = try #require(review.items.first { $0.principal == "ben" })
        #expect(ben.routes == [.view] && ben.path.description.contains("view public.contacts"))
        let cy = try #require(review.items.first { $0.principal == "cy" })
        #expect(cy.routes == [.setRole] && cy.mode == .setRole)
        #expect(ReviewItem.id(forKey: ann.key) == ann.id && ann.id.hasPrefix("R-"))
        #expect(!review.items.contains { $0.principal == "agents" }, "groups are reviewed through their login members")
    }

    @Test func privilegedAttributesAndMembershipsAreItemsForWhoeverCanReachThem() throws {
        let snapshot = SnapshotBuilder()
            .role("root", superuser: true).role("dba", login: true, inherit: false).role("reporter", login: true)
            .role("pg_read_all_data").member("dba", of: "root").member("reporter", of: "pg_read_all_data")
            .table("public.customers", columns: ["email"]).build()
        let review = try review(snapshot)
        #expect(review.privilegedItems.contains { $0.principal == "dba" && $0.privilege == "SUPERUSER" && $0.mode == .setRole })
        #expect(review.privilegedItems.contains { $0.principal == "reporter" && $0.subject == "pg_read_all_data" })
        #expect(review.exposure.routes("reporter", "public.customers.email") == [.privileged])
    }

    @Test func setRoleReachUsesARoleThatHasTheSchemaUsage() throws {
        // r5 may SET ROLE r0 (no USAGE on the schema) or r2 (USAGE, and inherits r0's SELECT):
        // as r2 it reads the table, so the access is real, not latent. Found by the law below.
        let snapshot = SnapshotBuilder()
            .role("r0").role("r2").role("r4").role("r5", login: true)
            .member("r2", of: "r0").member("r4", of: "r2", inherit: false, set: true).member("r5", of: "r4")
            .schema("private").table("private.t", columns: ["c"])
            .grant([.select], on: "private.t", to: "r0").grant([.usage], on: "private", kind: .schema, to: "r2").build()
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        #expect(try engine.entries("r5", .select, on: "private.t").contains { $0.mode == .setRole })
        let review = try review(snapshot, policy: "version: 1\ndata_classes:\n  pii: {severity: high, tables: ['*.*']}\n")
        #expect(review.exposure.routes("r5", "private.t.c") == [.setRole])
    }

    @Test func exposureMatrixAgreesWithTheForwardEngine() async {
        let policyText = "version: 1\ndata_classes:\n  pii: {severity: high, tables: ['*.*']}\n"
        await propertyCheck(count: 120, input: EngineLawTests.seeds) { seed in
            let snapshot = RandomSnapshot.make(seed: UInt64(seed))
            let review = try review(snapshot, policy: policyText)
            let engine = EffectiveAccessEngine(snapshot: snapshot)
            for role in engine.graph.roles.indices where engine.graph.roles[role].attributes.login {
                let name = engine.graph.roles[role].name
                let held = engine.privileges(of: role)
                for object in engine.graph.objects where object.kind == .table && object.relationKind != .view && object.relationKind != .materializedView {
                    for column in object.columns {
                        // Latent access (no schema USAGE) is exposure too: objects bound by OID read it.
                        let forward = held.contains { entry in
                            entry.object == object.name && entry.objectKind == .table && entry.privilege == .select
                                && (entry.column == nil || entry.column == column.name)
                        }
                        let reviewed = !review.exposure.routes(name, "\(object.name).\(column.name)").isEmpty
                        #expect(forward == reviewed, "seed \(seed): \(name) SELECT \(object.name).\(column.name)")
                    }
                }
            }
        }
    }

    // MARK: Peers

    @Test func medianOfEvenAndOddCounts() {
        #expect(PeerComparison.median([3, 1, 2]) == 2)
        #expect(PeerComparison.median([4, 1, 2, 3]) == 2.5)
        #expect(PeerComparison.median([]) == 0)
    }

    @Test func principalReadingMoreThanItsPeersMedianIsAnOutlier() throws {
        let snapshot = SnapshotBuilder()
            .role("agents").role("a1", login: true).role("a2", login: true).role("a3", login: true)
            .member("a1", of: "agents").member("a2", of: "agents").member("a3", of: "agents")
            .table("public.customers", columns: ["name", "email", "phone"])
            .grant([.select], on: "public.customers", columns: ["name"], to: "agents")
            .grant([.select], on: "public.customers", columns: ["email", "phone"], to: "a3")
            .build()
        let review = try review(snapshot, policy: "version: 1\ndata_classes:\n  pii: {severity: high, tables: [public.customers]}\n")
        #expect(review.outliers.count == 1)
        let outlier = try #require(review.outliers.first)
        #expect(outlier.principal == "a3" && outlier.group == "agents" && outlier.count == 3 && outlier.peerMedian == 1)
        #expect(outlier.unusual == ["public.customers.email", "public.customers.phone"])
    }
}
