@testable import AuditSupport
@testable import SnapshotModel
@testable import AccessEngine
@testable import PolicyAudit
@testable import QuarterlyReview
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

    @Test func itemsAreEntitlementsEachCarryingWhatItOpensWithItsPath() throws {
        let snapshot = SnapshotBuilder()
            .role("owner").role("agents").role("ann", login: true).role("ben", login: true).role("cy", login: true, inherit: false)
            .member("ann", of: "agents").member("cy", of: "agents")
            .table("public.customers", owner: "owner", columns: ["id", "email"])
            .view("public.contacts", owner: "owner", columns: ["email"], reads: ["public.customers.email"])
            .grant([.select], on: "public.customers", columns: ["email"], to: "agents")
            .grant([.select], on: "public.contacts", to: "ben")
            .build()
        let review = try review(snapshot)
        // The group's grant: one item for both people who use it, decided by the group's owner.
        let grant = try #require(review.items.first { $0.key == "grant|agents|public.customers|SELECT" })
        #expect(grant.kind == .grant && grant.principal == "agents" && grant.columns == ["public.customers.email"])
        #expect(grant.severity == .critical && grant.people == 2 && grant.routes == [.inherited, .setRole])
        // Each person's membership: what it opens, and the holder it leads to.
        let ann = try #require(review.items.first { $0.key == "membership|ann|agents" })
        #expect(ann.kind == .membership && ann.people == 1 && ann.leadsTo == ["agents"] && ann.opens == ["SELECT"])
        #expect(ann.columns == ["public.customers.email"] && ann.severity == .critical && ann.mode == .direct)
        #expect(ann.path.description == "ann → agents → SELECT public.customers.email")
        let cy = try #require(review.items.first { $0.key == "membership|cy|agents" })
        #expect(cy.mode == .setRole && cy.routes == [.setRole])
        // A grant on a definer view to a login role: access through definer code, an item of its own.
        let ben = try #require(review.items.first { $0.principal == "ben" })
        #expect(ben.kind == .definer && ben.subject == "public.contacts" && ben.path.description.contains("view public.contacts"))
        #expect(ReviewItem.id(forKey: ann.key) == ann.id && ann.id.hasPrefix("R-"))
        #expect(review.items.filter { $0.principal != "postgres" }.count == 4, "\(review.items.map { "\($0.key) \($0.path)" })")
    }

    @Test func privilegedAttributesAndMembershipsAreItemsOfTheirHolders() throws {
        let snapshot = SnapshotBuilder()
            .role("root", superuser: true).role("dba", login: true, inherit: false).role("reporter", login: true)
            .role("readers").role("carl", login: true)
            .role("pg_read_all_data").member("dba", of: "root").member("reporter", of: "pg_read_all_data")
            .member("readers", of: "pg_read_all_data").member("carl", of: "readers")
            .table("public.customers", columns: ["email"]).build()
        let review = try review(snapshot)
        // SUPERUSER is the holder's attribute; the login that may SET ROLE to it has a membership.
        let superuser = try #require(review.privilegedItems.first { $0.key == "attribute|root|SUPERUSER" })
        #expect(superuser.kind == .attribute && superuser.people == 1 && superuser.severity == .critical)
        let dba = try #require(review.items.first { $0.key == "membership|dba|root" })
        #expect(dba.mode == .setRole && dba.leadsTo == ["root"] && dba.severity == .critical)
        // A login's own membership of pg_read_all_data is one item; a group's is a grant item,
        // reached by its members' memberships.
        let reporter = try #require(review.privilegedItems.first { $0.key == "membership|reporter|pg_read_all_data" })
        #expect(reporter.kind == .membership && reporter.columns == ["public.customers.email"])
        let readers = try #require(review.privilegedItems.first { $0.key == "membership|readers|pg_read_all_data" })
        #expect(readers.kind == .grant && readers.people == 1 && readers.owner == nil)
        #expect(review.items.contains { $0.key == "membership|carl|readers" && $0.leadsTo == ["readers"] })
        #expect(review.exposure.routes("reporter", "public.customers.email") == [.privileged])
    }

    @Test func aCapabilityOnTheWayIsAnItemOfItsHolderWithThePeopleWhoCanTakeIt() throws {
        // mallory may grant herself agents (ADMIN OPTION, no inheritance, no SET ROLE).
        let snapshot = SnapshotBuilder()
            .role("agents").role("mallory", login: true).role("ann", login: true)
            .member("ann", of: "agents").member("mallory", of: "agents", admin: true, inherit: false, set: false)
            .table("public.customers", columns: ["id", "email"])
            .grant([.select], on: "public.customers", columns: ["email"], to: "agents")
            .build()
        let review = try review(snapshot)
        let capability = try #require(review.items.first { $0.kind == .capability && $0.principal == "mallory" }, "\(review.items.map(\.key))")
        #expect(capability.people == 1 && capability.mode == .capability && capability.leadsTo == ["agents"])
        #expect(capability.columns == ["public.customers.email"] && capability.severity == .critical)
        let grant = try #require(review.items.first { $0.key == "grant|agents|public.customers|SELECT" })
        #expect(grant.people == 2, "ann by membership, mallory by the capability")
    }

    @Test func aCapabilityThatBecomesAPredefinedRoleIsNoMembership() throws {
        // Before PostgreSQL 16 CREATEROLE grants any role: clerk, SET ROLE to hr (CREATEROLE),
        // can grant itself pg_read_all_data. Neither is a member: the item is the capability.
        let snapshot = SnapshotBuilder(serverVersion: "15.0")
            .role("hr", createrole: true).role("clerk", login: true).role("pg_read_all_data")
            .member("clerk", of: "hr", inherit: false, set: true)
            .table("public.customers", columns: ["email"]).build()
        let review = try review(snapshot)
        #expect(!review.items.contains { $0.key.hasPrefix("membership|hr|pg_read_all_data") || $0.key == "membership|clerk|pg_read_all_data" },
                "\(review.items.map(\.key))")
        let capability = try #require(review.items.first { $0.kind == .capability && $0.principal == "hr" && $0.subject.contains("pg_read_all_data") },
                                      "\(review.items.map(\.key))")
        #expect(capability.severity == .critical && capability.people == 1)
        #expect(review.items.contains { $0.key == "membership|clerk|hr" })
    }

    @Test func grantsToPublicAreDecidedByTheObjectOwnersOwnerAndOwnersOwnEntriesAreOwnership() throws {
        let snapshot = SnapshotBuilder()
            .role("crm").role("ann", login: true).role("carl", login: true)
            .table("public.customers", owner: "crm", columns: ["email"])
            .grant([.insert], on: "public.customers", to: "PUBLIC")
            .grant([.select, .insert, .update, .delete, .truncate], on: "public.customers", to: "crm", grantor: "crm")
            .member("carl", of: "crm")
            .build()
        let policy = """
            version: 1
            roles:
              crm: {kind: group, owner: crm-team@example.com}
            data_classes:
              pii: {severity: critical, columns: [public.customers.email]}
            """
        let review = try review(snapshot, policy: policy)
        let toPublic = try #require(review.items.first { $0.key == "grant|PUBLIC|public.customers|INSERT" })
        #expect(toPublic.kind == .direct && toPublic.people == 2 && toPublic.owner == "crm-team@example.com")
        #expect(toPublic.routes == [.publicGrant])
        let ownership = try #require(review.items.first { $0.key == "ownership|crm|public.customers" })
        #expect(ownership.kind == .ownership && ownership.opens == ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"])
        #expect(!review.items.contains { $0.key.hasPrefix("grant|crm|") }, "the owner's own ACL entries are not grants to decide one by one")
        #expect(review.worksheets.map(\.owner) == ["crm-team@example.com", AccessReview.noOwner])
    }

    // MARK: Quarter to quarter

    static let agentsSnapshot = SnapshotBuilder()
        .role("agents").role("ann", login: true).role("ben", login: true).member("ann", of: "agents").member("ben", of: "agents")
        .table("public.customers", columns: ["id", "email"])
        .grant([.select], on: "public.customers", to: "agents")

    func previous(format: Int, items: [PreviousReview.Item]) -> PreviousReview {
        var manifest = ReviewManifest(
            toolVersion: "t", reviewDate: "2026-08-20", periodStart: nil, periodEnd: "2026-08-19", database: "support", serverVersion: "16.2",
            snapshotExportedAt: "2026-08-19T09:00:00Z", policyRevision: "q1", inputs: [], outputs: [], counts: [:], history: [])
        manifest.formatVersion = format
        return PreviousReview(folder: "q1", manifest: manifest, items: Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0) }), findings: [:],
                              manifestDigest: ReviewManifest.FileDigest(role: "previous-manifest", path: "q1/manifest.json", bytes: 0, sha256: ""))
    }

    func decision(_ id: String, _ verdict: ReviewDecision.Verdict, line: Int) -> ReviewDecision {
        ReviewDecision(itemID: id, owner: "", verdict: verdict, justification: "j", ticket: "SEC-\(line)", reviewer: "jane", date: DayDate("2026-08-25") ?? DayDate(Date()),
                       location: SourceLocation(file: "decisions.csv", line: line, column: 1))
    }

    func secondReview(_ snapshot: Snapshot, previous: PreviousReview, decisions: [ReviewDecision]) throws -> AccessReview {
        AccessReviewBuilder(
            snapshot: snapshot, policy: try policy(Self.classes), today: DayDate("2026-11-22") ?? DayDate(Date()), previous: previous,
            decisions: ReviewDecisions(decisions: decisions), policyRevision: "q2", inputs: []
        ).build()
    }

    @Test func revokedMembershipIsVerifiedAtTheEntitlementNotAtWhatItCarries() throws {
        // Last quarter ann's membership of agents was decided REVOKE. Now agents lost its grant:
        // the membership carries nothing classified, so it is no item, but it is still there.
        let membership = PreviousReview.Item(id: ReviewItem.id(forKey: "membership|ann|agents"), kind: "membership", principal: "ann",
                                             subject: "agents", privilege: "MEMBER", key: "membership|ann|agents")
        let stillMember = SnapshotBuilder()
            .role("agents").role("ann", login: true).member("ann", of: "agents").table("public.customers", columns: ["id", "email"]).build()
        let review = try secondReview(stillMember, previous: previous(format: 2, items: [membership]), decisions: [decision(membership.id, .revoke, line: 2)])
        #expect(!review.items.contains { $0.id == membership.id })
        #expect(review.revokeChecks.map(\.verified) == [false], "the membership itself was not revoked")
        #expect(review.findings.contains { $0.rule == AccessReviewBuilder.revokeNotDoneRule && $0.principal == "ann" && $0.location.line == 2 })

        let gone = SnapshotBuilder().role("agents").role("ann", login: true).table("public.customers", columns: ["id", "email"]).build()
        let verified = try secondReview(gone, previous: previous(format: 2, items: [membership]), decisions: [decision(membership.id, .revoke, line: 2)])
        #expect(verified.revokeChecks.map(\.verified) == [true])
        #expect(!verified.findings.contains { $0.rule == AccessReviewBuilder.revokeNotDoneRule })
    }

    @Test func previousReviewOfLoginItemsIsReKeyedToTheEntitlementsThatCarryItsDecisions() throws {
        // A format-1 review listed ann's and ben's SELECT on customers as two items.
        let annSelect = PreviousReview.Item(id: "R-0000000000a1", kind: "access", principal: "ann", subject: "public.customers", privilege: "SELECT")
        let benSelect = PreviousReview.Item(id: "R-0000000000b1", kind: "access", principal: "ben", subject: "public.customers", privilege: "SELECT")
        let old = previous(format: 1, items: [annSelect, benSelect])
        let review = try secondReview(Self.agentsSnapshot.build(), previous: old, decisions: [
            decision(annSelect.id, .keep, line: 2), decision(benSelect.id, .revoke, line: 3),
        ])
        #expect(review.rekeyedFrom == 1)
        // KEEP is not carried over: the entitlements carrying ann's access need decisions of their own.
        let kept = try #require(review.rekeyed.first)
        #expect(kept.decision.itemID == annSelect.id)
        #expect(Set(kept.carriers) == [ReviewItem.id(forKey: "membership|ann|agents"), ReviewItem.id(forKey: "grant|agents|public.customers|SELECT")])
        #expect(review.items.allSatisfy { $0.previousDecision == nil && $0.status == .firstReview })
        // ben still reads the table: the REVOKE was not done, and the finding names what carries it now.
        #expect(review.revokeChecks.map(\.verified) == [false])
        let notDone = try #require(review.findings.first { $0.rule == AccessReviewBuilder.revokeNotDoneRule })
        #expect(notDone.message.contains("ben: SELECT on public.customers is still there") && notDone.message.contains(ReviewItem.id(forKey: "membership|ben|agents")))
        #expect(review.removedItems.isEmpty, "re-keyed items are not reported as removed")

        // Once ben leaves the group, the re-keyed REVOKE is verified.
        let left = SnapshotBuilder()
            .role("agents").role("ann", login: true).role("ben", login: true).member("ann", of: "agents")
            .table("public.customers", columns: ["id", "email"]).grant([.select], on: "public.customers", to: "agents").build()
        let after = try secondReview(left, previous: old, decisions: [decision(benSelect.id, .revoke, line: 3)])
        #expect(after.revokeChecks.map(\.verified) == [true])
    }

    /// The shortcuts the review takes on a large database (writes granted to PUBLIC counted, not
    /// listed; a cause met again on another column not walked again) change nothing: the items
    /// equal those of the walk that lists every login's every column.
    @Test func countingShortcutsGiveTheItemsOfTheFullWalk() async {
        let policyText = "version: 1\ndata_classes:\n  pii: {severity: high, tables: ['*.*']}\n"
        await propertyCheck(count: 80, input: EngineLawTests.seeds) { seed in
            let snapshot = RandomSnapshot.make(seed: UInt64(seed))
            let policy = try policy(policyText)
            let today = DayDate("2026-11-22") ?? DayDate(Date())
            let short = ReviewItemCollector(context: AuditContext(snapshot: snapshot, policy: policy, today: today)).collect(findings: [])
            let full = ReviewItemCollector(context: AuditContext(snapshot: snapshot, policy: policy, today: today), loginAccess: { _ in }).collect(findings: [])
            func describe(_ items: [ReviewItem]) -> [String] {
                items.map { item in
                    [item.key, item.kind.rawValue, item.owner ?? "-", item.columns.joined(separator: ","), item.opens.joined(separator: ","),
                     item.classes.joined(separator: ","), item.severity.rawValue, String(item.people), item.leadsTo.joined(separator: ","),
                     item.routes.sorted().map(\.rawValue).joined(separator: ","), item.mode.rawValue, item.path.description].joined(separator: " | ")
                }
            }
            let (a, b) = (describe(short.items), describe(full.items))
            #expect(a == b, "seed \(seed): only with shortcuts \(Set(a).subtracting(b).sorted()); only in the full walk \(Set(b).subtracting(a).sorted())")
        }
    }

    /// Every login's access to a classified column is traced (access-by-login) to items the
    /// review lists: the end item opens that column, the membership is the login's own and
    /// leads to the end's holder. And the review has no more items than memberships, ACL
    /// entries, owners and attributes can make.
    @Test func everyLoginAccessIsCarriedByListedEntitlements() async {
        let policyText = "version: 1\ndata_classes:\n  pii: {severity: high, tables: ['*.*']}\n"
        await propertyCheck(count: 80, input: EngineLawTests.seeds) { seed in
            let snapshot = RandomSnapshot.make(seed: UInt64(seed))
            let policy = try policy(policyText)
            var rows: [LoginAccess] = []
            var builder = AccessReviewBuilder(snapshot: snapshot, policy: policy, today: DayDate("2026-11-22") ?? DayDate(Date()), policyRevision: "t", inputs: [])
            builder.loginAccess = { rows.append($0) }
            let review = builder.build()
            let byID = Dictionary(review.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for row in rows {
                let column = "\(row.relation).\(row.column)"
                guard let end = byID[row.item] else {
                    Issue.record("seed \(seed): \(row.login) \(row.privilege) \(column) is carried by \(row.item), which the review does not list")
                    continue
                }
                #expect(end.columns.contains(column) && end.opens.contains(row.privilege), "seed \(seed): \(end.key) opens \(row.privilege) \(column); it opens \(end.opens) \(end.columns); path \(row.path)")
                if let first = row.membershipItem {
                    let membership = byID[first]
                    #expect(membership?.principal == row.login && membership?.columns.contains(column) == true,
                            "seed \(seed): \(row.login)'s first step \(membership?.key ?? first)")
                }
            }
            // Every SELECT the forward engine sees for a login is among the rows.
            let engine = EffectiveAccessEngine(snapshot: snapshot)
            let traced = Set(rows.filter { $0.privilege == "SELECT" }.map { "\($0.login)|\($0.relation).\($0.column)" })
            for role in engine.graph.roles.indices where engine.graph.roles[role].attributes.login {
                for entry in engine.privileges(of: role) where entry.objectKind == .table && entry.privilege == .select {
                    guard let object = engine.graph.object(.table, entry.object) else { continue }
                    let node = engine.graph.objects[object]
                    guard node.relationKind != .view, node.relationKind != .materializedView else { continue }
                    for column in node.columns where entry.column == nil || entry.column == column.name {
                        let key = "\(engine.graph.roles[role].name)|\(entry.object).\(column.name)"
                        #expect(traced.contains(key), "seed \(seed): \(key) not traced to an item")
                    }
                }
            }
            // Items follow the entitlements, not people × objects.
            let loginEdges = snapshot.memberships.filter { membership in snapshot.roles.contains { $0.name == membership.member && $0.login } }.count
            let predefined = ReviewItemCollector.privilegedRoles.count * snapshot.roles.count
            #expect(review.items.filter { $0.kind == .membership }.count <= loginEdges + predefined, "seed \(seed)")
            var aclEntries = 0
            for table in snapshot.tables {
                aclEntries += table.acl.count
                for column in table.columns { aclEntries += column.acl.count }
            }
            for function in snapshot.functions { aclEntries += function.acl.count }
            for objects in snapshot.largeObjects ?? [] { aclEntries += objects.acl.count }
            #expect(review.items.filter { [.grant, .direct, .definer].contains($0.kind) }.count <= aclEntries + predefined, "seed \(seed)")
        }
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

    @Test func medianWithoutOneCountIsTheMedianOfTheOthers() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...40).array(of: 1...30)) { counts in
            let sorted = counts.sorted()
            for (position, value) in counts.enumerated() {
                var others = counts
                others.remove(at: position)
                #expect(PeerComparison.median(sorted, without: value) == PeerComparison.median(others), "\(counts) without \(value)")
            }
        }
    }

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
