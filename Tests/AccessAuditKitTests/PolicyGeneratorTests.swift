@testable import AccessAuditKit
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

    @Test func suggestedDataClassesComeFromColumnNamesAndStayCommentedOut() throws {
        let snapshot = SnapshotBuilder().table("crm.people", columns: ["id", "email", "last_name", "display_name", "ticket_number"]).build()
        let settings = try #require(PolicyGenerator().generate(snapshot).first { $0.name == "00-settings.yaml" })
        #expect(settings.text.contains("#       - 'crm.people.email'"))
        #expect(settings.text.contains("#       - 'crm.people.last_name'"))
        #expect(!settings.text.contains("crm.people.display_name"))
        #expect(settings.text.contains("#   ticket_refs:"))
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
