@testable import AuditSupport
@testable import SnapshotModel
@testable import AccessPolicy
@testable import PolicyAudit
@testable import PolicyAuthoring
import Foundation
import Testing

/// `init`: the generated policy declares today's state, so auditing the same snapshot finds
/// nothing above info; and it is byte-identical from run to run.
@Suite("A starting policy from today's database")
struct PolicyGeneratorTests {
    func audit(_ snapshot: Snapshot) throws -> [Finding] {
        let files = PolicyGenerator().generate(snapshot)
        let policy = try PolicyLoader().load(sources: files.filter { $0.name.hasSuffix(".yaml") }.map { (file: $0.name, text: $0.text) })
        return Auditor(policy: policy, today: try #require(DayDate(timestamp: snapshot.exportedAt))).audit(snapshot)
    }

    @Test func theExampleAuditedAgainstItsGeneratedPolicyHasNothingAboveInfo() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let snapshot = try SnapshotLoader().load(path: root.appendingPathComponent("examples/support-db/snapshot.json").path)
        let findings = try audit(snapshot).filter { $0.severity > .info && !$0.suppressed }
        #expect(findings.isEmpty, "\(findings.map { "\($0.rule): \($0.message)" })")
        #expect(PolicyGenerator().generate(snapshot) == PolicyGenerator().generate(snapshot))
    }

    @Test func aGeneratedFiveThousandRoleSnapshotAuditsCleanAgainstItsGeneratedPolicy() throws {
        let snapshot = Self.largeSnapshot(roles: 5_000, tables: 300)
        let files = PolicyGenerator().generate(snapshot)
        #expect(files.count > 4)  // split by kind and, past 400 roles, by name prefix
        let findings = try audit(snapshot).filter { $0.severity > .info && !$0.suppressed }
        #expect(findings.isEmpty, "\(findings.prefix(5).map { "\($0.rule): \($0.message)" })")
    }

    @Test func schemaWideGrantsCollapseToGlobsAndColumnGrantsKeepTheirColumns() throws {
        let snapshot = SnapshotBuilder().role("reader").role("agent").table("public.a", columns: ["x"]).table("public.b", columns: ["x", "note", "y"])
            .grant([.select], on: "public.a", to: "reader").grant([.select], on: "public.b", to: "reader")
            .grant([.select], on: "public.b", columns: ["note", "y"], to: "agent").build()
        let text = PolicyGenerator().generate(snapshot).map(\.text).joined()
        #expect(text.contains("- {table: 'public.*', privileges: [SELECT]}"))
        // `y` is a YAML 1.1 boolean: it stays quoted so the strict loader reads it as a name.
        #expect(text.contains("- {table: 'public.b', columns: [note, 'y'], privileges: [SELECT]}"))
    }

    @Test func aGlobThatDefaultPrivilegesAlsoGiveIsDeclaredOnceAndTheSameEveryRun() throws {
        var snapshot = SnapshotBuilder().schema("support").role("owner").role("agents").table("support.a", owner: "owner", columns: ["x"])
            .table("support.b", owner: "owner", columns: ["x"])
            .grant([.select], on: "support.a", to: "agents").grant([.select], on: "support.b", to: "agents").build()
        snapshot.defaultPrivileges = [
            SnapshotDefaultPrivilege(role: "owner", schema: "support", objectType: .tables, acl: [
                AclEntry(grantee: "agents", grantor: "owner", privilege: .select), AclEntry(grantee: "agents", grantor: "owner", privilege: .insert),
            ])
        ]
        let files = PolicyGenerator().generate(snapshot)
        let text = files.map(\.text).joined()
        #expect(text.components(separatedBy: "{table: 'support.*', privileges").count == 2, "\(text)")
        #expect(text.contains("{table: 'support.*', privileges: [SELECT, INSERT]}   # every table of the schema; default privileges of owner"))
        #expect(files == PolicyGenerator().generate(snapshot))
        let findings = try audit(snapshot).filter { $0.severity > .info && !$0.suppressed }
        #expect(findings.isEmpty, "\(findings.map { "\($0.rule): \($0.message)" })")
    }

    @Test func filesOverTheSizeBudgetAreSplitInPartsAndEachRoleIsDeclaredOnce() throws {
        let snapshot = Self.largeSnapshot(roles: 1_200, tables: 120)
        var generator = PolicyGenerator()
        generator.bytesPerFile = 16 * 1024
        let files = generator.generate(snapshot).filter { $0.name.hasSuffix(".yaml") }
        #expect(files.contains { $0.name.hasSuffix("-2.yaml") })
        for file in files where file.name != "00-settings.yaml" {
            // A file over the budget holds one role alone.
            let declared = file.text.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") && $0.hasSuffix(":") }
            #expect(file.text.utf8.count <= generator.bytesPerFile || declared.count == 1, "\(file.name): \(file.text.utf8.count) bytes")
        }
        let names = files.flatMap { $0.text.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") && $0.hasSuffix(":") } }
        #expect(Set(names).count == names.count, "a role declared twice")
        #expect(generator.generate(snapshot) == generator.generate(snapshot))
        let policy = try PolicyLoader().load(sources: files.map { (file: $0.name, text: $0.text) })
        let findings = Auditor(policy: policy, today: try #require(DayDate(timestamp: snapshot.exportedAt))).audit(snapshot)
            .filter { $0.severity > .info && !$0.suppressed }
        #expect(findings.isEmpty, "\(findings.prefix(5).map { "\($0.rule): \($0.message)" })")
    }

    @Test func suggestedDataClassesComeFromColumnNamesAndStayCommentedOut() throws {
        let snapshot = SnapshotBuilder().table("crm.people", columns: ["id", "email", "last_name", "display_name", "ticket_number"]).build()
        let settings = try #require(PolicyGenerator().generate(snapshot).first { $0.name == "00-settings.yaml" })
        #expect(settings.text.contains("#       - 'crm.people.email'"))
        #expect(settings.text.contains("#       - 'crm.people.last_name'"))
        #expect(!settings.text.contains("crm.people.display_name"))
        #expect(settings.text.contains("#   ticket_refs:"))
    }

    @Test func aColumnNameInManyRelationsIsSuggestedOnceAsAGlob() throws {
        var builder = SnapshotBuilder()
        for i in 0..<8 { builder = builder.table("tenant\(i).people", columns: ["id", "email"]) }
        let settings = try #require(PolicyGenerator().generate(builder.table("crm.people", columns: ["phone"]).build()).first { $0.name == "00-settings.yaml" })
        #expect(settings.text.contains("#       - '*.*.email'"))
        #expect(!settings.text.contains("tenant0.people.email"))
        #expect(settings.text.contains("#       - 'crm.people.phone'"))
    }

    /// Deterministic: nested groups, people, services, a superuser, column grants, ownership.
    static func largeSnapshot(roles: Int, tables: Int) -> Snapshot {
        var rng = SplitMix64(seed: 42)
        var builder = SnapshotBuilder().schema("sales").schema("support")
        let groups = (0..<max(10, roles / 50)).map { "team\($0)_group" }
        for group in groups { builder = builder.role(group) }
        for (i, group) in groups.enumerated() where i > 0 { builder = builder.member(group, of: groups[Int.random(in: 0..<i, using: &rng)]) }
        for i in 0..<(roles - groups.count) {
            let name = i % 10 == 0 ? "svc\(i)_app" : "\(["ana", "bo", "cy", "di"][i % 4])\(i)"
            builder = builder.role(name, login: true, superuser: i == 7, inherit: i % 13 != 0)
            builder = builder.member(name, of: groups[Int.random(in: 0..<groups.count, using: &rng)])
        }
        for t in 0..<tables {
            let schema = ["public", "sales", "support"][t % 3]
            let table = "\(schema).t\(t)"
            builder = builder.table(table, owner: t % 5 == 0 ? groups[0] : "postgres", columns: ["id", "email", "note"])
            builder = builder.grant([.select], on: table, to: groups[Int.random(in: 0..<groups.count, using: &rng)])
            if t % 4 == 0 { builder = builder.grant([.update], on: table, columns: ["note"], to: groups[Int.random(in: 0..<groups.count, using: &rng)]) }
            if t % 9 == 0 { builder = builder.grant([.insert], on: table, to: "PUBLIC") }
        }
        return builder.build()
    }
}
