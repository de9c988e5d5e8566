@testable import AuditSupport
@testable import SnapshotModel
@testable import AccessEngine
@testable import AccessPolicy
@testable import PolicyAudit
import Foundation
import PropertyBased
import Testing

/// What pgaudit logs in a login's sessions, as PostgreSQL applies settings and pgaudit reads them.
@Suite("Read logging settings per session")
struct SessionLoggingTests {
    static let tokens = ["none", "all", "read", "write", "function", "role", "ddl", "misc", "misc_set"]

    @Test func pgauditLogIsReadLeftToRightWithSubtraction() {
        #expect(AuditLogClasses(pgauditLog: "read, write") == [.read, .write])
        #expect(AuditLogClasses(pgauditLog: "all, -misc") == [.read, .write, .function, .role, .ddl])
        #expect(AuditLogClasses(pgauditLog: "-read, read") == [.read])
        #expect(AuditLogClasses(pgauditLog: "READ") == [.read])
        #expect(AuditLogClasses(pgauditLog: "none") == [])
        #expect(AuditLogClasses(pgauditLog: "") == [])
        #expect(AuditLogClasses(pgauditLog: "reads") == nil)
    }

    /// Law: a value is the left-to-right fold of its tokens, so appending a token applies it to
    /// what came before (`a, t` = `a` then `t`).
    @Test func appendingATokenAppliesItToTheValueBefore() async {
        let count = Self.tokens.count
        // A token by number: the first `count` as they are, the next `count` subtracted.
        func token(_ number: Int) -> String { (number >= count ? "-" : "") + Self.tokens[number % count] }
        let numbers = Gen.int(in: 0...(2 * count - 1))
        await propertyCheck(count: 300, input: numbers, numbers, numbers, numbers) { a, b, c, d in
            let prefix = [token(a), token(b), token(c)]
            let last = token(d)
            guard let before = AuditLogClasses(pgauditLog: prefix.joined(separator: ",")),
                  let alone = AuditLogClasses(pgauditLog: last.hasPrefix("-") ? String(last.dropFirst()) : last),
                  let after = AuditLogClasses(pgauditLog: (prefix + [last]).joined(separator: ", "))
            else {
                Issue.record("a valid value was refused")
                return
            }
            #expect(after == (last.hasPrefix("-") ? before.subtracting(alone) : before.union(alone)))
        }
    }

    @Test func roleInDatabaseBeatsRoleBeatsDatabaseBeatsAllRolesBeatsTheServer() {
        let overrides = [
            SnapshotLogging.Override(database: nil, role: nil, name: "pgaudit.log", value: "ddl"),
            SnapshotLogging.Override(database: "app", role: nil, name: "pgaudit.log", value: "write"),
            SnapshotLogging.Override(database: nil, role: "alice", name: "pgaudit.log", value: "role"),
            SnapshotLogging.Override(database: "app", role: "alice", name: "pgaudit.log", value: "read"),
            SnapshotLogging.Override(database: nil, role: "bob", name: "pgaudit.log", value: "function"),
            SnapshotLogging.Override(database: "other", role: "carol", name: "pgaudit.log", value: "all"),
        ]
        let snapshot = SnapshotBuilder().logging(pgaudit: true, settings: ["pgaudit.log": "misc"], overrides: overrides).build()
        let sessions = SessionLogging(logging: snapshot.logging, database: "app")
        #expect(sessions.setting("pgaudit.log", login: "alice") == .known(value: "read", origin: "ALTER ROLE alice IN DATABASE app SET"))
        #expect(sessions.setting("pgaudit.log", login: "bob").value == "function")
        #expect(sessions.setting("pgaudit.log", login: "carol") == .known(value: "write", origin: "ALTER DATABASE app SET"))
        let withoutDatabase = SessionLogging(logging: snapshot.logging, database: "elsewhere")
        #expect(withoutDatabase.setting("pgaudit.log", login: "carol").value == "ddl")
        let serverOnly = SessionLogging(logging: SnapshotBuilder().logging(pgaudit: true, settings: ["pgaudit.log": "misc"]).build().logging, database: "app")
        #expect(serverOnly.setting("pgaudit.log", login: "carol") == .known(value: "misc", origin: "server setting, configuration file"))
    }

    @Test func aValueTheExporterCouldNotSeeIsUnknownNeverLogged() {
        var snapshot = SnapshotBuilder().logging(pgaudit: true, settings: ["pgaudit.log": "read"]).build()
        let changed = (snapshot.logging?.settings ?? []).map { setting in
            var copy = setting
            if copy.name == "pgaudit.log" { copy.source = "user" }
            if copy.name == "log_min_messages" { copy.value = nil }
            return copy
        }
        snapshot.logging?.settings = changed
        let sessions = SessionLogging(logging: snapshot.logging, database: "app")
        guard case .unknown(let reason) = sessions.readCoverage(login: "alice") else {
            Issue.record("coverage should be unknown")
            return
        }
        #expect(reason.contains("log_min_messages is not visible"))
        #expect(SessionLogging(logging: nil, database: "app").readCoverage(login: "alice") != .pgaudit(classes: .all, classesOrigin: "", auditor: nil, auditorOrigin: ""))
    }

    private static let header = """
        version: 1
        settings: {read_logging: required}
        data_classes:
          pii: {severity: critical, columns: [public.customers.email]}
        roles:
          agent: {kind: human, login: true, grants: [{table: public.customers, privileges: [SELECT]}]}
          auditor: {kind: group, grants: [{table: public.customers, columns: [email], privileges: [SELECT]}]}

        """

    private static func snapshot(_ settings: [String: String], overrides: [SnapshotLogging.Override] = []) -> Snapshot {
        SnapshotBuilder().role("agent", login: true).role("auditor").role("app_owner").table("public.customers", owner: "app_owner", columns: ["id", "email"])
            .grant([.select], on: "public.customers", to: "agent").grant([.select], on: "public.customers", columns: ["email"], to: "auditor")
            .logging(pgaudit: true, settings: settings, overrides: overrides).build()
    }

    @Test func objectAuditOnTheColumnLogsTheReadAndTheOwnersEntryDoesNot() throws {
        let marked = try audit(Self.header, Self.snapshot(["pgaudit.role": "auditor"])).filter { $0.rule == "unlogged-classified-read" }
        #expect(marked.isEmpty)
        // The owner's own ACL entry is no object-audit mark (pgaudit reads a NULL ACL as none).
        let header = Self.header + "  app_owner: {kind: group, owns: [{table: public.customers}]}\n"
        let owner = try audit(header, Self.snapshot(["pgaudit.role": "app_owner"])).filter { $0.rule == "unlogged-classified-read" }
        #expect(owner.count == 1 && owner.first?.affected.map(\.name) == ["agent", "postgres"] && owner.first?.severity == .medium)
        // A superuser audit role has the privileges of every grantee (has_privs_of_role): agent's own entry marks it.
        let superuser = try audit(header, Self.snapshot(["pgaudit.role": "postgres"])).filter { $0.rule == "unlogged-classified-read" }
        #expect(superuser.isEmpty)
    }

    @Test func logMinMessagesFatalForOneRoleDropsItsRecords() throws {
        let override = SnapshotLogging.Override(database: nil, role: "agent", name: "log_min_messages", value: "fatal")
        let findings = try audit(Self.header, Self.snapshot(["pgaudit.log": "read"], overrides: [override])).filter { $0.rule == "unlogged-classified-read" }
        #expect(findings.count == 1 && findings[0].message.contains("log_min_messages = fatal (ALTER ROLE agent SET)"))
    }

    @Test func withoutTheRequirementTheSameGapsAreReportedAtInfo() throws {
        let policy = Self.header.replacingOccurrences(of: "settings: {read_logging: required}\n", with: "")
        let findings = try audit(policy, Self.snapshot([:])).filter { ["unlogged-classified-read", "log-not-attributable"].contains($0.rule) }
        #expect(!findings.isEmpty && findings.allSatisfy { $0.severity == .info })
    }

    @Test func aMisspeltRequirementIsAnErrorWithItsLocation() {
        do {
            _ = try PolicyLoader().load(sources: [(file: "policy.yaml", text: "version: 1\nsettings:\n  read_logging: yes\n")])
            Issue.record("a misspelt read_logging loaded")
        } catch {
            #expect("\(error)".contains("policy.yaml:3:17") && "\(error)".contains("one of required, not_required"))
        }
    }

    @Test func aLoggingSectionNamingAnUnknownRoleOrAnotherDatabaseIsRefusedWithItsPlace() throws {
        let overrides = [
            SnapshotLogging.Override(database: nil, role: "ghost", name: "pgaudit.log", value: "none"),
            SnapshotLogging.Override(database: "elsewhere", role: nil, name: "pgaudit.log", value: "none"),
        ]
        let snapshot = SnapshotBuilder().logging(pgaudit: true, overrides: overrides).build()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(snapshot)
        do {
            _ = try SnapshotLoader().decode(data, file: "snapshot.json")
            Issue.record("a logging section naming an unknown role loaded")
        } catch {
            let text = "\(error)"
            #expect(text.contains("snapshot.json:") && text.contains("ghost") && text.contains("override for database 'elsewhere'"), "\(text)")
        }
    }

    /// Law: the check's shortcut (grants to PUBLIC counted, not walked login by login) names
    /// exactly the login roles the full reverse walk finds reading a classified column, when
    /// nothing is logged (pgaudit not loaded, one gap for every road).
    @Test func theUnloggedFindingNamesEveryLoginTheFullWalkFinds() async {
        await propertyCheck(count: 80, input: EngineLawTests.seeds) { seed in
            let snapshot = SnapshotBuilder(snapshot: RandomSnapshot.make(seed: UInt64(seed))).logging(pgaudit: false).build()
            let text = "version: 1\ndata_classes:\n  pii: {severity: high, tables: ['*.*']}\n"
            guard let policy = try? PolicyLoader().load(sources: [(file: "p.yaml", text: text)]) else {
                Issue.record("policy did not load")
                return
            }
            let context = AuditContext(snapshot: snapshot, policy: policy, today: DayDate("2026-06-01") ?? DayDate(Date()))
            let named = Set(UnloggedClassifiedReadCheck().findings(in: context).flatMap { $0.affected.map(\.name) })
            // The full walk, on a fresh query that summarises nothing.
            let full = ReachQuery(engine: EffectiveAccessEngine(graph: context.graph))
            var readers = Set<String>()
            for column in context.classification.classesOfColumn.keys {
                for cause in full.causes(.select, column: column) {
                    for reacher in cause.reachers where context.graph.roles[reacher.principal].attributes.login {
                        readers.insert(context.graph.roles[reacher.principal].name)
                    }
                }
            }
            #expect(named == readers, "seed \(seed): only named \(named.subtracting(readers).sorted()), only walked \(readers.subtracting(named).sorted())")
        }
    }

    /// A member of one definer's owner is logged inside that definer (pgaudit logs for members)
    /// but not inside another owner's: the second definer's finding still names it, though the
    /// grants to PUBLIC are counted rather than walked.
    @Test func aMemberOfOneDefinersOwnerIsStillUnloggedThroughAnotherOwnersDefiner() throws {
        let snapshot = SnapshotBuilder().role("owner_a").role("owner_b").role("mia", login: true).role("ned", login: true)
            .member("mia", of: "owner_a")
            .table("public.customers", columns: ["id", "email"])
            .grant([.select], on: "public.customers", to: "owner_a").grant([.select], on: "public.customers", to: "owner_b")
            .function("public.f_a", owner: "owner_a", securityDefiner: true, reads: ["public.customers.email"])
            .function("public.f_b", owner: "owner_b", securityDefiner: true, reads: ["public.customers.email"])
            .logging(pgaudit: true, settings: ["pgaudit.log": "write"]).build()
        let findings = try audit(
            "version: 1\ndata_classes:\n  pii: {severity: high, columns: [public.customers.email]}\n", snapshot
        ).filter { $0.rule == "unlogged-classified-read" }
        let insideDefiners = try #require(findings.first { $0.message.contains("SECURITY DEFINER") })
        #expect(Set(insideDefiners.affected.map(\.name)).isSuperset(of: ["mia", "ned"]), "\(insideDefiners.affected.map(\.name))")
    }

    /// Law: definer-exposure counting grants to PUBLIC (EXECUTE on a definer) instead of walking
    /// every role gives the same findings, principals, paths, modes and notes.
    @Test func definerExposureCountingPublicGrantsEqualsTheFullWalk() async {
        await propertyCheck(count: 80, input: EngineLawTests.seeds) { seed in
            let snapshot = RandomSnapshot.make(seed: UInt64(seed))
            let text = "version: 1\ndata_classes:\n  pii: {severity: high, tables: ['*.*']}\nroles:\n  r0: {kind: group}\n"
            guard let policy = try? PolicyLoader().load(sources: [(file: "p.yaml", text: text)]) else { return }
            let today = DayDate("2026-06-01") ?? DayDate(Date())
            func describe(_ check: DefinerExposureCheck) -> [String] {
                check.findings(in: AuditContext(snapshot: snapshot, policy: policy, today: today)).map { finding in
                    "\(finding.message) | \(finding.principalCount) | \(finding.affected.map { "\($0.name) \($0.path.description) \($0.mode.rawValue) \($0.note ?? "")" }.sorted())"
                }
            }
            let counted = describe(DefinerExposureCheck())
            let walked = describe(DefinerExposureCheck(countsPublicGrants: false))
            #expect(counted == walked, "seed \(seed): only counted \(Set(counted).subtracting(walked).sorted()), only walked \(Set(walked).subtracting(counted).sorted())")
        }
    }

    /// Law: a sampled finding lists the riskiest of the principals the full finding lists —
    /// login roles first, then shorter paths, then by name — with the same paths, and counts
    /// them all (the definer check builds the routes of a grant to PUBLIC only for those it lists).
    @Test func aSampledFindingListsTheRiskiestOfTheFullList() async {
        await propertyCheck(count: 80, input: EngineLawTests.seeds) { seed in
            let snapshot = SnapshotBuilder(snapshot: RandomSnapshot.make(seed: UInt64(seed))).logging(pgaudit: false).build()
            let text = "version: 1\ndata_classes:\n  pii: {severity: high, tables: ['*.*']}\nroles:\n  r0: {kind: group}\n"
            guard let policy = try? PolicyLoader().load(sources: [(file: "p.yaml", text: text)]) else { return }
            let today = DayDate("2026-06-01") ?? DayDate(Date())
            let checks: [any AuditCheck] = [DefinerExposureCheck(), UnloggedClassifiedReadCheck()]
            for check in checks {
                let full = check.findings(in: AuditContext(snapshot: snapshot, policy: policy, today: today))
                for limit in [1, 2] {
                    let context = AuditContext(snapshot: snapshot, policy: policy, today: today)
                    context.principalSample = limit
                    let sampled = check.findings(in: context)
                    #expect(sampled.count == full.count, "seed \(seed)")
                    for (one, all) in zip(sampled, full) {
                        #expect(one.principalCount == all.principalCount && all.principalCount == all.affected.count, "seed \(seed): \(one.message)")
                        let riskiest = all.affected.sorted { a, b in
                            (a.login ? 0 : 1, a.path.steps.count, a.name) < (b.login ? 0 : 1, b.path.steps.count, b.name)
                        }.prefix(limit)
                        func listed(_ principals: some Sequence<AffectedPrincipal>) -> [String] {
                            principals.map { "\($0.name) \($0.path) \($0.mode.rawValue) \($0.note ?? "")" }.sorted()
                        }
                        #expect(listed(one.affected) == listed(riskiest), "seed \(seed), limit \(limit): \(one.message)")
                    }
                }
            }
        }
    }

    @Test func aPrefixWritingPercentUAsTextDoesNotNameTheUser() throws {
        let findings = try audit("version: 1\n", SnapshotBuilder().logging(pgaudit: true, settings: ["log_line_prefix": "%m %%u@%d "]).build())
            .filter { $0.rule == "log-not-attributable" }
        #expect(findings.count == 1 && findings[0].message.contains("the user (%u)") && !findings[0].message.contains("the database"))
    }
}
