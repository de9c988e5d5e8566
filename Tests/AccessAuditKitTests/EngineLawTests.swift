@testable import AuditSupport
@testable import SnapshotModel
@testable import AccessEngine
@testable import AccessPolicy
import Foundation
import PropertyBased
import Testing

/// Laws the engine must keep on any role graph; inputs are random snapshots from a seed.
@Suite("Engine laws on random role graphs")
struct EngineLawTests {
    static let seeds = Gen.int(in: 0...Int(Int32.max))

    /// ACL-based routes (what `has_*_privilege` sees), usable now or only lacking schema USAGE:
    /// neither SET ROLE nor a capability on the way.
    static func isACLHolding(_ entry: EffectivePrivilege) -> Bool {
        let aclRoute = [AccessRoute.grant, .publicGrant, .superuser, .predefinedRole].contains(entry.route)
        let viaSetRole = entry.path.steps.contains { if case .setRole = $0 { true } else { false } }
        let viaCapability = entry.path.firstCapability != nil
        return aclRoute && !viaSetRole && !viaCapability
            && (entry.mode == .direct || (entry.mode == .latent && entry.note?.hasPrefix("not usable") == true))
    }

    @Test func privilegeChecksAgreeWithTheExplainedRoutes() async {
        await propertyCheck(count: 150, input: Self.seeds) { seed in
            let engine = EffectiveAccessEngine(snapshot: RandomSnapshot.make(seed: UInt64(seed)))
            for role in engine.graph.roles.indices {
                for (index, object) in engine.graph.objects.enumerated() {
                    let routes = engine.explain(role, object: index)
                    for privilege in object.kind.applicablePrivileges {
                        let checked = engine.hasPrivilege(role, privilege, on: index)
                        let listed = routes.contains { $0.privilege == privilege && $0.column == nil && Self.isACLHolding($0) }
                        #expect(checked == listed, "seed \(seed): \(engine.graph.roles[role].name) \(privilege.rawValue) \(object.name)")
                    }
                    for column in object.columns.indices {
                        let ref = ColumnRef(object: index, column: column)
                        let columnRoutes = engine.explain(role, object: index, column: column)
                        for privilege in ObjectKind.column.applicablePrivileges {
                            let checked = engine.hasColumnPrivilege(role, privilege, on: ref)
                            let listed = columnRoutes.contains { $0.privilege == privilege && Self.isACLHolding($0) }
                            #expect(checked == listed, "seed \(seed): \(engine.graph.roles[role].name) \(privilege.rawValue) \(engine.graph.name(of: ref))")
                        }
                    }
                }
            }
        }
    }

    @Test func reverseReachAgreesWithForwardAccessOnEveryColumn() async {
        await propertyCheck(count: 150, input: Self.seeds) { seed in Self.expectReverseEqualsForward(seed: seed) { $0 == .direct } }
    }

    /// The reverse query (what findings are built from) and the forward engine (what
    /// `effective` and `explain` list) find the same principals on every column in every mode,
    /// capabilities and watched rows included.
    @Test func reverseReachAgreesWithForwardAccessInEveryMode() async {
        await propertyCheck(count: 150, input: Self.seeds) { seed in Self.expectReverseEqualsForward(seed: seed) { _ in true } }
    }

    /// On every column of a random snapshot: the principals the reverse query reaches in the
    /// counted modes are exactly those the forward engine lists SELECT for in those modes.
    static func expectReverseEqualsForward(seed: Int, counting counts: (AccessMode) -> Bool) {
        let engine = EffectiveAccessEngine(snapshot: RandomSnapshot.make(seed: UInt64(seed)))
        let reach = ReachQuery(engine: engine)
        let principals = engine.graph.roles.indices.filter { !PredefinedRoles.isPredefined(engine.graph.roles[$0].name) }
        let forward = Dictionary(uniqueKeysWithValues: principals.map { ($0, engine.privileges(of: $0)) })
        for (index, object) in engine.graph.objects.enumerated() where object.kind == .table {
            for column in object.columns.indices {
                let ref = ColumnRef(object: index, column: column)
                let reverse = Set(reach.causes(.select, column: ref).flatMap(\.reachers).filter { counts($0.mode) }.map(\.principal))
                for role in principals {
                    let held = (forward[role] ?? []).contains { entry in
                        entry.object == object.name && entry.objectKind == .table && entry.privilege == .select && counts(entry.mode)
                            && (entry.column == nil || entry.column == object.columns[column].name)
                    }
                    #expect(held == reverse.contains(role), "seed \(seed): \(engine.graph.roles[role].name) SELECT \(engine.graph.name(of: ref)) (forward \(held))")
                }
            }
        }
    }

    /// The path-free column set a check counts with is exactly the readable columns' keys.
    @Test func readableColumnSetIsTheReadableColumnsWithoutPaths() async {
        await propertyCheck(count: 150, input: Self.seeds) { seed in
            let engine = EffectiveAccessEngine(snapshot: RandomSnapshot.make(seed: UInt64(seed)))
            let isEven: (ColumnRef) -> Bool = { column in column.column % 2 == 0 }
            for role in engine.graph.roles.indices {
                let keys = Set(engine.readableColumns(of: role).keys)
                #expect(engine.readableColumnSet(of: role) { _ in true } == keys, "seed \(seed): \(engine.graph.roles[role].name)")
                let even = engine.readableColumnSet(of: role, keeping: isEven)
                #expect(even == keys.filter(isEven), "seed \(seed): \(engine.graph.roles[role].name), filtered")
            }
        }
    }

    /// Sets computed once per distinct inheritance are each role's own: every role of a random
    /// snapshot gets a grantless clone that inherits exactly its groups (and one that is a member
    /// of the role itself), so answers are shared, including with superusers' members, whose
    /// own answers must not be, and definer view owners' members, who read through the views.
    @Test func readableSetsSharedByInheritanceAreEachRolesOwn() async {
        await propertyCheck(count: 150, input: Self.seeds) { seed in
            var snapshot = RandomSnapshot.make(seed: UInt64(seed))
            for role in snapshot.roles.map(\.name) where !role.hasPrefix("pg_") {
                snapshot.roles.append(SnapshotRole(name: "\(role)_member", login: true))
                snapshot.memberships.append(SnapshotMembership(role: role, member: "\(role)_member", inherit: true))
                snapshot.roles.append(SnapshotRole(name: "\(role)_peer", login: true))
                for membership in snapshot.memberships where membership.member == role {
                    snapshot.memberships.append(SnapshotMembership(role: membership.role, member: "\(role)_peer", inherit: membership.inherit))
                }
            }
            let isEven: (ColumnRef) -> Bool = { column in column.column % 2 == 0 }
            let shared = EffectiveAccessEngine(snapshot: snapshot)
            let alone = EffectiveAccessEngine(snapshot: snapshot)
            let roles = Array(shared.graph.roles.indices.reversed())
            let (sets, setOfRole) = shared.readableColumnSets(of: roles, keeping: isEven)
            #expect(sets.count <= roles.count)
            for (role, set) in zip(roles, setOfRole) {
                #expect(sets[set] == alone.readableColumnSet(of: role, keeping: isEven), "seed \(seed): \(alone.graph.roles[role].name)")
            }
        }
    }

    @Test func addingAGrantNeverRemovesAccess() async {
        await propertyCheck(count: 100, input: Self.seeds, Gen.int(in: 0...1000)) { seed, pick in
            var snapshot = RandomSnapshot.make(seed: UInt64(seed))
            let before = EffectiveAccessEngine(snapshot: snapshot)
            let grantee = snapshot.roles[pick % snapshot.roles.count].name
            let table = pick % max(1, snapshot.tables.count)
            guard !snapshot.tables.isEmpty else { return }
            snapshot.tables[table].acl.append(AclEntry(grantee: grantee, grantor: "postgres", privilege: .select))
            let after = EffectiveAccessEngine(snapshot: snapshot)
            for role in before.graph.roles.indices {
                for (index, object) in before.graph.objects.enumerated() {
                    for privilege in object.kind.applicablePrivileges where before.hasPrivilege(role, privilege, on: index) {
                        #expect(after.hasPrivilege(role, privilege, on: index))
                    }
                }
            }
        }
    }

    @Test func membershipIsReflexiveAndUsageImpliesMember() async {
        await propertyCheck(count: 100, input: Self.seeds) { seed in
            let engine = EffectiveAccessEngine(snapshot: RandomSnapshot.make(seed: UInt64(seed)))
            for a in engine.graph.roles.indices {
                #expect(engine.hasRole(a, a, .usage) && engine.hasRole(a, a, .member))
                for b in engine.graph.roles.indices where engine.hasRole(a, b, .usage) || engine.hasRole(a, b, .set) {
                    #expect(engine.hasRole(a, b, .member))
                }
            }
        }
    }
}

/// Laws of the small value types.
@Suite("Value laws")
struct ValueLawTests {
    static let names = Gen.letterOrNumber.string(of: 0...12)

    @Test func aLiteralPatternMatchesExactlyItself() async {
        await propertyCheck(input: Self.names, Self.names) { a, b in
            let pattern = NamePattern(a.replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "?", with: ""))
            #expect(pattern.matches(pattern.text))
            #expect(pattern.matches(b) == (b == pattern.text))
        }
    }

    @Test func aPrefixGlobMatchesExactlyTheNamesWithThatPrefix() async {
        await propertyCheck(input: Self.names, Self.names) { prefix, rest in
            #expect(NamePattern(prefix + "*").matches(prefix + rest))
            #expect(NamePattern("*").matches(rest))
            #expect(NamePattern("*" + rest).matches(prefix + rest))
        }
    }

    /// Names and patterns over a small alphabet, so wildcards, dots and non-ASCII meet often.
    static let globText = Gen.element(of: ["a", "b", ".", "*", "?", "é", "_"]).array(of: 0...8).map { $0.compactMap { $0 }.joined() }

    /// The definition of a glob, by recursion over Characters.
    static func referenceGlob(_ pattern: Substring, _ name: Substring) -> Bool {
        guard let p = pattern.first else { return name.isEmpty }
        if p == "*" { return referenceGlob(pattern.dropFirst(), name) || (!name.isEmpty && referenceGlob(pattern, name.dropFirst())) }
        guard let n = name.first, p == "?" || p == n else { return false }
        return referenceGlob(pattern.dropFirst(), name.dropFirst())
    }

    @Test func globMatchingAgreesWithTheDefinition() async {
        await propertyCheck(input: Self.globText, Self.globText) { pattern, name in
            let literal = name.replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "?", with: "")
            #expect(NamePattern(pattern).matches(literal) == (NamePattern(pattern).isGlob ? Self.referenceGlob(pattern[...], literal[...]) : pattern == literal))
        }
    }

    @Test func matchingAJoinedNameIsMatchingTheJoinedString() async {
        await propertyCheck(input: Self.globText, Self.globText, Self.globText) { pattern, first, second in
            let matcher = NamePattern(pattern)
            #expect(matcher.matches(joining: first, second) == matcher.matches("\(first).\(second)"))
        }
    }

    @Test func aPrivilegeSetListsItsMembersInDeclarationOrder() {
        for raw in 0..<UInt16(1 << Privilege.allCases.count) {
            let set = PrivilegeSet(rawValue: raw)
            #expect(Array(set) == Privilege.allCases.filter { set.contains($0) })
            #expect(PrivilegeSet(Array(set)) == set)
        }
        #expect(Privilege.allCases.sorted() == Privilege.allCases)
        #expect(Severity.allCases.sorted() == Severity.allCases)
    }

    @Test func dayDistanceIsAntisymmetric() async {
        await propertyCheck(input: Gen.int(in: 0...3_000_000), Gen.int(in: 0...3_000_000)) { x, y in
            let a = DayDate(Date(timeIntervalSince1970: Double(x) * 3_600))
            let b = DayDate(Date(timeIntervalSince1970: Double(y) * 3_600))
            #expect(a.days(until: b) == -b.days(until: a))
            #expect((a < b) == (a.days(until: b) > 0))
        }
    }

    @Test func jsonStringsRoundTripThroughFoundation() async throws {
        await propertyCheck(input: Gen.letterOrNumber.string(of: 0...20), Gen.int(in: 0...31)) { text, control in
            // ASCII, control characters, quotes, backslashes and multi-byte UTF-8, in keys too.
            let tricky = text + "\"\\\n" + String(UnicodeScalar(UInt8(control))) + "é日本🔒\u{7f}"
            for pretty in [true, false] {
                let rendered = JSONValue.object([("k", .string(tricky)), (tricky, .array([.number(-1), .bool(true), .null]))]).rendered(pretty: pretty)
                let parsed = try? JSONSerialization.jsonObject(with: Data(rendered.utf8)) as? [String: Any]
                #expect(parsed?["k"] as? String == tricky)
                #expect((parsed?[tricky] as? [Any])?.count == 3)
            }
        }
    }
}

/// The name index finds exactly what scanning every object would.
@Suite("Object name index")
struct ObjectNameIndexTests {
    @Test func indexedSelectionEqualsAFullScan() async {
        let patterns = Gen.element(of: ["public.*", "private.*", "*", "public.o*_t1", "*.v0", "public.f", "public.f(integer)", "p*", "?ublic.*", "nothing"])
        await propertyCheck(count: 200, input: EngineLawTests.seeds, patterns) { seed, chosen in
            let pattern = chosen ?? "*"
            let graph = AccessGraph(snapshot: RandomSnapshot.make(seed: UInt64(seed)))
            for kind in [ObjectKind.table, .function, .schema, .sequence] {
                let selector = ObjectSelector(kind: kind, patterns: [NamePattern(pattern)], location: SourceLocation(file: "t", line: 1, column: 1))
                let scanned = graph.objects.indices.filter { selector.matches(kind: graph.objects[$0].kind, name: graph.objects[$0].name, baseName: graph.objects[$0].baseName) }
                #expect(graph.names.objects(matching: selector) == scanned, "\(pattern) \(kind)")
            }
        }
    }
}
