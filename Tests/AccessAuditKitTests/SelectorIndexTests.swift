@testable import PolicyAudit
import AccessPolicy
import AuditSupport
import PropertyBased
import SnapshotModel
import Testing

/// The selector index answers as the scan it replaces: for any declared grants or `owns`
/// (literal names, globs with and without a literal schema, several patterns, columns,
/// functions by base name) and any object, the grant that explains a privilege is the first in
/// declaration order that does, and a role owns exactly the objects one of its selectors names.
@Suite("Declared grants and ownership looked up by name")
struct SelectorIndexTests {
    static let names = [
        "public.customers", "public.tickets", "public.t1", "support.notes", "public.lookup(integer)", "public.lookup",
        "public.find(text)", "s1.t1", "s10.t1", "s1.notes", "\"a.b\".t1", "public.lookup(s1.kind)",
    ]
    static let patterns = [
        "public.customers", "public.tickets", "public.*", "*.notes", "public.t?", "support.*", "public.lookup",
        "public.lookup(integer)", "public.find(text)", "*", "s1.*", "s1.t*", "s?.t1", "s1*", "support.n?tes", "public.look*",
        "public.*(integer)", "\"a.b\".*", "\"a.*", "public.lookup(s1.*", "s10.t1",
    ]

    /// A selector of `kind` naming one or two random patterns, as policy YAML (`table: 'p'`).
    static func selector(_ kind: String, _ random: inout SplitMix64) -> String {
        func pattern() -> String { patterns[Int(random.next() % UInt64(patterns.count))] }
        return random.next() % 3 == 0 ? "\(kind): ['\(pattern())', '\(pattern())']" : "\(kind): '\(pattern())'"
    }

    /// How many selectors a role declares: past the size below which they are scanned, so the index answers.
    static func indexedCount(_ random: inout SplitMix64) -> Int { SelectorIndex.smallest + 1 + Int(random.next() % 14) }

    @Test func theIndexFindsTheGrantTheScanFinds() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var random = SplitMix64(seed: UInt64(seed))
            func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
            var grants: [String] = []
            for _ in 0..<Self.indexedCount(&random) {
                let kind = pick(["table", "function"])
                let privileges = kind == "table" ? pick(["[SELECT]", "[SELECT, UPDATE]", "[INSERT]"]) : "[EXECUTE]"
                let target = Self.selector(kind, &random)
                let columns = kind == "table" && random.next() % 3 == 0 ? ", columns: [\(pick(["email", "id"]))]" : ""
                grants.append("      - {\(target), privileges: \(privileges)\(columns)}")
            }
            let text = "version: 1\nroles:\n  r:\n    kind: group\n    grants:\n" + (grants.isEmpty ? "      []\n" : grants.joined(separator: "\n") + "\n")
            guard let policy = try? PolicyLoader().parse(text, file: "p.yaml"), let declaration = policy.roles.first else {
                Issue.record("policy did not load:\n\(text)")
                return
            }
            let declared = DeclaredAccess(policy: policy)
            for name in Self.names {
                let kind: ObjectKind = name.contains("(") || name.hasSuffix("lookup") ? .function : .table
                let baseName = String(name.prefix { $0 != "(" })
                for privilege in [Privilege.select, .update, .insert, .execute] {
                    for column in [nil, "email", "id"] as [String?] {
                        let scanned = declaration.grants.first { grant in
                            guard grant.privileges.contains(privilege), grant.target.matches(kind: kind, name: name, baseName: baseName) else { return false }
                            guard let columns = grant.columns else { return true }
                            return column.map { columns.contains($0) } ?? false
                        }
                        let indexed = declared.grants(of: declaration.name)?.explaining(privilege, kind: kind, name: name, baseName: baseName, column: column)
                        #expect(indexed?.location == scanned?.location, "\(name) \(privilege) \(column ?? "-") in\n\(text)")
                    }
                }
            }
        }
    }

    @Test func theIndexFindsTheOwnershipTheScanFinds() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var random = SplitMix64(seed: UInt64(seed))
            let owns = (0..<Self.indexedCount(&random)).map { _ in
                let kind = ["table", "function", "schema"][Int(random.next() % 3)]
                return "      - {\(Self.selector(kind, &random))}"
            }
            let text = "version: 1\nroles:\n  r:\n    kind: group\n    owns:\n" + owns.joined(separator: "\n") + "\n"
            guard let policy = try? PolicyLoader().parse(text, file: "p.yaml"), let declaration = policy.roles.first else {
                Issue.record("policy did not load:\n\(text)")
                return
            }
            let declared = DeclaredAccess(policy: policy)
            for name in Self.names + ["public", "s1", "support"] {
                for kind in [ObjectKind.table, .function, .schema] {
                    let baseName = String(name.prefix { $0 != "(" })
                    let scanned = declaration.owns.contains { $0.matches(kind: kind, name: name, baseName: baseName) }
                    let indexed = declared.declaresOwnership(role: "r", kind: kind, name: name, baseName: baseName)
                    #expect(indexed == scanned, "\(kind) \(name) in\n\(text)")
                }
            }
        }
    }
}
