@testable import AuditSupport
@testable import SnapshotModel
@testable import AccessEngine
import Foundation
import PropertyBased
import Testing

/// A malformed snapshot is an error with file:line:column; an unknown format version is refused.
@Suite("Snapshot loading is strict")
struct SnapshotLoaderTests {
    func encoded(_ snapshot: Snapshot) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(snapshot), as: UTF8.self)
    }

    func decodeError(_ text: String) -> Diagnostic? {
        do {
            _ = try SnapshotLoader().decode(Data(text.utf8), file: "snap.json")
            return nil
        } catch {
            return error.diagnostics.first
        }
    }

    @Test func aValidSnapshotRoundTrips() throws {
        let snapshot = SnapshotBuilder().role("alice", login: true).table("public.t", columns: ["a"]).build()
        let decoded = try SnapshotLoader().decode(Data(try encoded(snapshot).utf8), file: "snap.json")
        #expect(decoded.roles.map(\.name) == ["postgres", "alice"])
        #expect(decoded.tables.first?.qualifiedName == "public.t")
    }

    @Test func newerFormatVersionIsRefused() throws {
        let text = try encoded(SnapshotBuilder().build()).replacingOccurrences(of: "\"format_version\" : 1", with: "\"format_version\" : 2")
        let error = try #require(decodeError(text))
        #expect(error.message.contains("format_version 2 is not supported"))
    }

    @Test func syntaxErrorCarriesLineAndColumn() throws {
        let error = try #require(decodeError("{\n  \"format_version\": 1,\n  \"roles\": [,]\n}"))
        #expect(error.message == "invalid snapshot at .roles[0]: expected an object, found ','")
        #expect(error.location.line == 3 && error.location.column == 13)
    }

    @Test(arguments: [
        ("\"database\" : \"app\"", "\"database\" : \"app\", \"database\" : \"x\"", "key 'database' appears twice"),
        ("\"database\" : \"app\"", "\"database\" : \"app\", \"d\\u0061tabase\" : \"x\"", "appears twice"),
        ("\"format_version\" : 1", "\"format_version\" : 1.0", "expected an integer, found a number with a fraction"),
        ("\"database\" : \"app\"", "\"database\" : \"post\\qgres\"", "unknown escape"),
        ("\"database\" : \"app\"", "\"database\" : null", "expected a string, found null"),
        ("\"database\" : \"app\",", "", "missing key 'database'"),
        ("\"login\" : false", "\"login\" : falsey", "expected a boolean"),
        ("\"login\" : false", "\"login\" : false, \"l\\u00f6gin\" : true", "unknown key 'lögin'"),
        ("\"login\" : false", "\"login\" : false, \"lögin\" : true", "unknown key 'lögin'"),
        ("\"login\" : false", "\"login\" : false, \"log\tin\" : true", "a control character must be escaped"),
    ])
    func malformedValuesAreErrorsNotGuesses(original: String, replacement: String, message: String) throws {
        let text = try encoded(SnapshotBuilder().role("alice").build()).replacingOccurrences(of: original, with: replacement)
        let error = try #require(decodeError(text))
        #expect(error.message.contains(message), "\(error.message)")
    }

    @Test func textAfterTheDocumentIsAnError() throws {
        let error = try #require(decodeError(try encoded(SnapshotBuilder().build()) + "\n{}"))
        #expect(error.message.contains("unexpected text after the end of the document"))
    }

    @Test func namesWithEscapesAndNonASCIIReadBackExactly() throws {
        let names = ["quote\"d", "back\\slash", "a/b", "tab\there", "line\nbreak", "é", "💥", "\u{1}"]
        var builder = SnapshotBuilder()
        for name in names { builder = builder.role(name) }
        let decoded = try SnapshotLoader().decode(Data(try encoded(builder.build()).utf8), file: "snap.json")
        #expect(Array(decoded.roles.map(\.name).suffix(names.count)) == names)
    }

    @Test func aKeySpelledWithEscapesIsThatKey() throws {
        let text = try encoded(SnapshotBuilder().role("alice").build()).replacingOccurrences(of: "\"login\" : false", with: "\"l\\u006fgin\" : false")
        let decoded = try SnapshotLoader().decode(Data(text.utf8), file: "snap.json")
        #expect(decoded.roles.last?.name == "alice")
    }

    @Test func everyPrivilegeSpellingIsReadAsBytes() {
        for privilege in Privilege.allCases {
            var name = privilege.rawValue
            #expect(name.withUTF8 { SnapshotParser.exactPrivilege($0) } == privilege)
        }
        var lower = "select"
        #expect(lower.withUTF8 { SnapshotParser.exactPrivilege($0) } == nil)
    }

    @Test func privilegeSpellingsOutsideTheExactFormStillRead() throws {
        let text = try encoded(SnapshotBuilder().table("public.t", columns: ["a"]).build())
            .replacingOccurrences(of: "\"SELECT\"", with: "\"select\"").replacingOccurrences(of: "\"INSERT\"", with: "\"\\u0049NSERT\"")
        let decoded = try SnapshotLoader().decode(Data(text.utf8), file: "snap.json")
        #expect(decoded.tables[0].acl.map(\.privilege).contains(.select))
        #expect(decoded.tables[0].acl.map(\.privilege).contains(.insert))
    }

    @Test func manyLongNamesReadBackExactly() throws {
        // Long names are shared by content while reading; thousands of distinct ones, each
        // used twice, must each come back as itself.
        let names = (0..<5_000).map { "a_role_with_a_long_name_\($0)" } + ["x_role_with_a_long_name_1", "a_role_with_a_long_name_1x"]
        var snapshot = SnapshotBuilder().table("public.t", columns: ["a"]).build()
        for name in names {
            snapshot.roles.append(SnapshotRole(name: name))
            snapshot.tables[0].acl.append(AclEntry(grantee: name, grantor: "postgres", privilege: .select))
        }
        let decoded = try SnapshotLoader().decode(Data(try encoded(snapshot).utf8), file: "snap.json")
        #expect(Array(decoded.roles.map(\.name).suffix(names.count)) == names)
        #expect(Array(decoded.tables[0].acl.map(\.grantee).suffix(names.count)) == names)
    }

    @Test func anyEncodedSnapshotReadsBackToTheSameSnapshot() async {
        await propertyCheck(count: 150, input: EngineLawTests.seeds) { seed in
            let snapshot = RandomSnapshot.make(seed: UInt64(seed))
            let text = try encoded(snapshot)
            let decoded = try SnapshotLoader().decode(Data(text.utf8), file: "snap.json")
            #expect(try encoded(decoded) == text, "seed \(seed)")
        }
    }

    /// Parses with the tables read on two threads (threshold 0) or on one.
    func parse(_ text: String, parallel: Bool) -> Result<String, JSONScanner.Failure> {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            do throws(JSONScanner.Failure) {
                let snapshot = try SnapshotParser.parse(UnsafeBufferPointer(buffer), parallelThreshold: parallel ? 0 : Int.max)
                return .success((try? encoded(snapshot)) ?? "")
            } catch {
                return .failure(error)
            }
        }
    }

    @Test func readingTablesOnTwoThreadsGivesTheSameSnapshot() async {
        await propertyCheck(count: 100, input: EngineLawTests.seeds) { seed in
            let text = try encoded(RandomSnapshot.make(seed: UInt64(seed)))
            #expect(try parse(text, parallel: true).get() == parse(text, parallel: false).get())
        }
    }

    @Test func aDamagedSnapshotFailsTheSameWayOnTwoThreads() async {
        // One byte replaced anywhere (the tables are most of the text): the two-thread read
        // must give the same snapshot or exactly the same error (offset, message, path).
        let damage: [UInt8] = Array("{}[],\"\\: x0".utf8)
        await propertyCheck(count: 300, input: EngineLawTests.seeds, Gen.int(in: 0...1_000_000), Gen.int(in: 0...(damage.count - 1))) { seed, position, replacement in
            var bytes = Array(try encoded(RandomSnapshot.make(seed: UInt64(seed))).utf8)
            bytes[position % bytes.count] = damage[replacement]
            let text = String(decoding: bytes, as: UTF8.self)
            switch (parse(text, parallel: true), parse(text, parallel: false)) {
            case (.success(let a), .success(let b)): #expect(a == b)
            case (.failure(let a), .failure(let b)):
                #expect(a.offset == b.offset && a.message == b.message && a.pathText == b.pathText, "\(a.message) vs \(b.message)")
            default: Issue.record("one way read it, the other did not (seed \(seed), byte \(position % bytes.count))")
            }
        }
    }

    @Test func unknownKeyIsAnErrorAtItsPlace() throws {
        let text = try encoded(SnapshotBuilder().table("public.t", columns: ["a"]).build())
            .replacingOccurrences(of: "\"row_security\" : false", with: "\"row_securty\" : false")
        let error = try #require(decodeError(text))
        #expect(error.message.contains("unknown key 'row_securty'"))
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("row_securty") }.map { $0 + 1 }
        #expect(error.location.line == line)
    }

    @Test func wrongTypeIsAnErrorAtItsPlace() throws {
        let text = try encoded(SnapshotBuilder().role("alice").build())
            .replacingOccurrences(of: "\"login\" : false", with: "\"login\" : \"no\"")
        let error = try #require(decodeError(text))
        #expect(error.message.contains("expected a boolean"))
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("\"login\" : \"no\"") }.map { $0 + 1 }
        #expect(error.location.line == line)
    }

    @Test func danglingRoleReferenceIsAnErrorAtItsPlace() throws {
        var snapshot = SnapshotBuilder().table("public.t", columns: ["a"]).build()
        snapshot.tables[0].owner = "ghost"
        let text = try encoded(snapshot)
        let error = try #require(decodeError(text))
        #expect(error.message == "role 'ghost' is not in the snapshot's roles")
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("\"ghost\"") }.map { $0 + 1 }
        #expect(error.location.line == line)
    }

    @Test func everyDanglingNameInAnACLIsReported() throws {
        var snapshot = SnapshotBuilder().role("alice").table("public.t", columns: ["a"]).build()
        snapshot.tables[0].acl += [
            AclEntry(grantee: "", grantor: "postgres", privilege: .select), AclEntry(grantee: "ghost", grantor: "postgres", privilege: .select),
            AclEntry(grantee: "ghost", grantor: "postgres", privilege: .insert), AclEntry(grantee: "alice", grantor: "nobody", privilege: .select),
        ]
        let problems = try #require(decodeProblems(try encoded(snapshot)))
        #expect(problems == [
            "role '' is not in the snapshot's roles", "role 'ghost' is not in the snapshot's roles",
            "role 'ghost' is not in the snapshot's roles", "role 'nobody' is not in the snapshot's roles",
        ])
    }

    @Test func privilegeOnTheWrongKindOfObjectIsAnError() throws {
        let snapshot = SnapshotBuilder().grant([.select], on: "public", kind: .schema, to: "postgres").build()
        let error = try #require(decodeError(try encoded(snapshot)))
        #expect(error.message == "SELECT does not apply to a schema")
    }

    @Test func duplicateColumnIsAnError() throws {
        var snapshot = SnapshotBuilder().table("public.t", columns: ["a", "b"]).build()
        snapshot.tables[0].columns[1].name = "a"
        let error = try #require(decodeError(try encoded(snapshot)))
        #expect(error.message == "duplicate column 'a'")
    }

    @Test func duplicateColumnInAWideTableIsAnError() throws {
        var snapshot = SnapshotBuilder().table("public.t", columns: (0..<40).map { "c\($0)" }).build()
        snapshot.tables[0].columns[39].name = "c7"
        let error = try #require(decodeError(try encoded(snapshot)))
        #expect(error.message == "duplicate column 'c7'")
    }

    @Test func duplicateRelationIsAnError() throws {
        let snapshot = SnapshotBuilder().table("public.t", columns: ["a"]).table("public.t", columns: ["b"]).build()
        let error = try #require(decodeError(try encoded(snapshot)))
        #expect(error.message == "duplicate relation 'public.t'")
    }

    @Test func readsMustNameAnExistingColumn() throws {
        let snapshot = SnapshotBuilder().table("public.t", columns: ["a"])
            .view("public.v", columns: ["a"], reads: ["public.t.a", "public.t.b"])
            .function("public.f", securityDefiner: true, reads: ["public.u.a"]).build()
        let problems = try #require(decodeProblems(try encoded(snapshot)))
        #expect(problems == ["view reads unknown column 'public.t.b'", "function reads unknown column 'public.u.a'"])
    }

    @Test func anExpressionMustCallKnownFunctionsAndReadItsOwnColumns() throws {
        let snapshot = SnapshotBuilder().table("public.t", columns: ["a"]).function("public.f", arguments: "text")
            .expression(.check, "t_check", on: "public.t", calls: ["public.f(text)", "public.g(text)"], reads: ["a", "b"]).build()
        let problems = try #require(decodeProblems(try encoded(snapshot)))
        #expect(problems == ["CHECK constraint t_check calls unknown function 'public.g(text)'", "CHECK constraint t_check reads unknown column 'b' of public.t"])
        let text = try encoded(SnapshotBuilder().table("public.t", columns: ["a"]).function("public.f", arguments: "text")
            .expression(.index, "t_idx", on: "public.t", calls: ["public.f(text)"], reads: ["a"]).build())
        #expect(decodeError(text.replacingOccurrences(of: "\"index\"", with: "\"trigger\""))?.message.contains("expression kind") == true)
    }

    @Test func readsResolveNamesThatHoldDots() throws {
        // Quoted identifiers may hold dots: table "b.c" in schema "a" and its column "e.f".
        let snapshot = SnapshotBuilder().schema("a").table("a.b.c", columns: ["d", "e.f"])
            .view("public.v", columns: ["x", "y"], reads: ["a.b.c.d", "a.b.c.e.f"]).build()
        let text = try encoded(snapshot)
        #expect(decodeProblems(text) == nil)
        let graph = AccessGraph(snapshot: try SnapshotLoader().decode(Data(text.utf8), file: "snap.json"))
        let view = try #require(graph.object(.table, "public.v"))
        #expect(graph.objects[view].reads?.map { graph.name(of: $0) } == ["a.b.c.d", "a.b.c.e.f"])
    }

    @Test func rowSecurityPolicyOnAnUnknownTableIsAnError() throws {
        var snapshot = SnapshotBuilder().table("public.t", columns: ["a"], rowSecurity: true).rowPolicy("p", on: "public.t").build()
        snapshot.rowSecurityPolicies[0].table = "gone"
        let error = try #require(decodeError(try encoded(snapshot)))
        #expect(error.message == "policy on unknown table 'public.gone'")
    }

    func decodeProblems(_ text: String) -> [String]? {
        do {
            _ = try SnapshotLoader().decode(Data(text.utf8), file: "snap.json")
            return nil
        } catch {
            return error.diagnostics.map(\.message)
        }
    }

    @Test func viewWithoutReadsIsRefused() throws {
        var snapshot = SnapshotBuilder().view("public.v", columns: ["a"], reads: []).build()
        snapshot.tables[0].reads = nil
        let error = try #require(decodeError(try encoded(snapshot)))
        #expect(error.message.contains("must list the base columns it reads"))
    }

    @Test func postgres17MaintainPrivilegeDecodesAndIsHonoured() throws {
        // aclexplode() on PostgreSQL 17 reports MAINTAIN (VACUUM, ANALYZE, REINDEX, …) on relations.
        let snapshot = SnapshotBuilder(serverVersion: "17.2").role("ops").table("public.t", columns: ["a"])
            .grant([.maintain], on: "public.t", to: "ops").build()
        let text = try encoded(snapshot)
        #expect(text.contains("\"MAINTAIN\""))
        let engine = EffectiveAccessEngine(snapshot: try SnapshotLoader().decode(Data(text.utf8), file: "pg17.json"))
        let ops = try #require(engine.graph.roleIndex["ops"])
        let table = try #require(engine.graph.object(.table, "public.t"))
        #expect(engine.hasPrivilege(ops, .maintain, on: table))
        #expect(!engine.hasPrivilege(ops, .select, on: table))
    }

    @Test func missingFileIsAnInputError() {
        #expect(throws: InputError.self) { try SnapshotLoader().load(path: "/nonexistent/snapshot.json") }
    }

    @Test func theShippedExampleSnapshotLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let snapshot = try SnapshotLoader().load(path: root.appendingPathComponent("examples/support-db/snapshot.json").path)
        #expect(snapshot.database == "support")
        #expect(snapshot.tables.contains { $0.name == "customers" && $0.rowSecurity })
    }
}
