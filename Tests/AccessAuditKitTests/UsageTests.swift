@testable import AuditSupport
@testable import SnapshotModel
@testable import AccessPolicy
@testable import ServerUsage
@testable import PolicyAudit
import Foundation
import Testing

/// Reading pgaudit's records from server logs, and judging unused access by them.
@Suite("Usage from server logs")
struct UsageTests {
    func line(_ text: String) -> ArraySlice<UInt8> { Array(text.utf8)[...] }

    @Test func aPrefixReadsBackUserDatabaseAndTimeOfTheLinesItWrote() throws {
        let prefix = LogLinePrefix("%m [%p] %q%u@%d ")
        let match = try #require(prefix.match(line("2026-11-29 11:53:02.141 UTC [7029] alice@support LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,x,<none>")))
        #expect(match.user == "alice" && match.database == "support" && match.timestamp == "2026-11-29 11:53:02.141 UTC" && match.severity == "LOG")
        // A process without a session stops at %q.
        let background = try #require(prefix.match(line("2026-11-29 11:53:00.104 UTC [6990] LOG:  checkpoint starting: time")))
        #expect(background.user == nil && background.severity == "LOG")
        // Names may hold the prefix's own separators; the severity anchors the match.
        let odd = try #require(prefix.match(line("2026-11-29 11:53:02.141 UTC [7029] ops@corp@my db LOG:  AUDIT: x")))
        #expect(odd.user == "ops" && odd.database == "corp@my db" || odd.user == "ops@corp" && odd.database == "my db")
        #expect(prefix.match(line("2026-11-29 11:53:02.141 UTC [7029] alice@support: something else")) == nil)
        #expect(prefix.match(line("this is not a log line")) == nil)
    }

    @Test func commonPrefixesOfManagedServicesAndPaddingMatch() throws {
        let rds = LogLinePrefix("%t:%r:%u@%d:[%p]:")
        let match = try #require(rds.match(line("2026-11-29 11:53:02 UTC:10.0.0.5(52344):alice@support:[7029]:LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,x")))
        #expect(match.user == "alice" && match.database == "support" && match.timestamp == "2026-11-29 11:53:02 UTC")
        let padded = LogLinePrefix("%-10u %d %n ")
        let row = try #require(padded.match(line("bob        support 1732881182.141 ERROR:  permission denied")))
        #expect(row.user == "bob" && row.database == "support" && row.severity == "ERROR")
        #expect(!LogLinePrefix("%m [%p] ").isAttributable && LogLinePrefix("%m %u %d").isAttributable)
        // `%%u` writes the text "%u", not the user.
        #expect(!LogLinePrefix("%m %%u %d ").writes("u") && LogLinePrefix("%m %%u %d ").writes("d"))
    }

    @Test func anAuditRecordKeepsItsQuotedObjectName() throws {
        let record = try #require(AuditRecord(message: line(#"AUDIT: OBJECT,3,1,READ,SELECT,TABLE,"public.""My T""","select x from ""My T"";",<none>"#)))
        #expect(record.auditType == "OBJECT" && record.command == "SELECT" && record.objectName == #"public."My T""#)
        #expect(UsageSummary.unquoted(record.objectName) == "public.My T")
        #expect(AuditRecord(message: line("AUDIT: nothing like a record")) == nil)
        #expect(AuditRecord(message: line("connection authorized: user=alice")) == nil)
    }

    func write(_ text: String, _ name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("usage-\(UUID().uuidString.prefix(8))-\(name)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func collect(_ path: String, prefix: String?) throws -> (UsageSummary, ServerLogReader.Statistics) {
        var collector = UsageCollector()
        let statistics = try ServerLogReader(prefix: prefix.map(LogLinePrefix.init)).read(path: path) { collector.add($0) }
        collector.finish(statistics)
        return (collector.summary(logLinePrefix: prefix), statistics)
    }

    @Test func stderrLogsWithContinuationLinesAndGarbageAreCountedAndLocated() throws {
        let log = """
            2026-01-01 10:00:00.000 UTC [1] LOG:  database system is ready to accept connections
            2026-01-02 10:00:00.000 UTC [2] alice@support LOG:  AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.customers,"select email
            \tfrom public.customers",<not logged>
            a line no server wrote
            2026-01-03 10:00:00.000 UTC [2] alice@support LOG:  AUDIT: SESSION,2,1,READ,SELECT,TABLE,public.customers,"select 1",<not logged>
            2026-01-04 10:00:00.000 UTC [3] bob@support LOG:  AUDIT: OBJECT,1,1,WRITE,UPDATE,TABLE,public.tickets,"update …",<not logged>
            2026-01-05 10:00:00.000 UTC [3] bob@support ERROR:  permission denied for table customers
            """
        let path = try write(log, "postgresql.log")
        let (summary, statistics) = try collect(path, prefix: "%m [%p] %q%u@%d ")
        #expect(statistics.format == .stderr && statistics.entries == 5 && statistics.skipped == 1 && statistics.firstSkipped == ["\(path):4"])
        #expect(summary.windowStart == "2026-01-01 10:00:00.000 UTC" && summary.windowEnd == "2026-01-05 10:00:00.000 UTC")
        let alice = try #require(summary.uses.first { $0.role == "alice" })
        #expect(alice.object == "public.customers" && alice.count == 2 && alice.firstSeen == "2026-01-02 10:00:00.000 UTC" && alice.lastSeen == "2026-01-03 10:00:00.000 UTC")
        #expect(summary.uses.contains { $0.role == "bob" && $0.privilege == .update && $0.object == "public.tickets" })
        // The summary reads back as written.
        let file = try write(summary.jsonText(), "usage.json")
        let loaded = try UsageSummary.load(path: file)
        #expect(loaded.uses == summary.uses && loaded.windowEnd == summary.windowEnd)
    }

    @Test func csvlogRecordsSpanLinesAndATruncatedOneIsSkipped() throws {
        let log = """
            2026-01-02 10:00:00.000 UTC,"alice","support",7029,"[local]",6749,1,"SELECT",2026-01-02 09:59:00 UTC,3/2,0,LOG,00000,"AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.customers,""select email
            from public.customers"",<not logged>",,,,,,,,,"psql","client backend",,0
            2026-01-03 10:00:00.000 UTC,,,6990,,6749,2,,2026-01-01 09:00:00 UTC,,0,LOG,00000,"checkpoint starting: time",,,,,,,,,"","checkpointer",,0
            2026-01-04 10:00:00.000 UTC,"bob","support",7030,"[local]",6750,1,"SELECT",2026-01-04 09:59:00 UTC,3/2,0,LOG,00000,"AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.tickets,""select
            """
        let path = try write(log, "postgresql.csv")
        let (summary, statistics) = try collect(path, prefix: nil)
        #expect(statistics.format == .csvlog && statistics.entries == 2 && statistics.skipped == 1)
        #expect(summary.uses.map(\.role) == ["alice"] && summary.uses.first?.database == "support")
        #expect(summary.windowEnd == "2026-01-03 10:00:00.000 UTC")
    }

    @Test func jsonlogLinesAreRead() throws {
        let log = """
            {"timestamp":"2026-01-02 10:00:00.000 UTC","user":"alice","dbname":"support","pid":7029,"error_severity":"LOG","message":"AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.customers,select 1,<not logged>"}
            {"timestamp":"2026-01-03 10:00:00.000 UTC","pid":6990,"error_severity":"LOG","message":"checkpoint starting: time"}
            """
        let (summary, statistics) = try collect(try write(log, "postgresql.json"), prefix: nil)
        #expect(statistics.format == .jsonlog && statistics.entries == 2 && summary.uses.count == 1 && summary.windowEnd == "2026-01-03 10:00:00.000 UTC")
    }

    @Test func aFileThatIsNotAPostgreSQLLogOrAWrongPrefixIsAnErrorAtItsFirstLine() throws {
        let foreign = try write((1...50).map { "Nov 29 10:00:0\($0 % 10) host sshd[\($0)]: Accepted publickey for root" }.joined(separator: "\n"), "auth.log")
        do {
            _ = try collect(foreign, prefix: "%m [%p] %q%u@%d ")
            Issue.record("a foreign log was read")
        } catch {
            #expect("\(error)".contains("\(foreign):1:1") && "\(error)".contains("not a PostgreSQL server log"))
        }
        let stderrLog = try write("2026-01-02 10:00:00 UTC alice support LOG:  AUDIT: SESSION,1,1,READ,SELECT,,,x,<none>\n", "postgresql.log")
        #expect(throws: InputError.self) { try collect(stderrLog, prefix: "%m [%p] %q%u@%d ") }
        #expect(throws: InputError.self) { try collect("/nonexistent/postgresql.log", prefix: "%m ") }
        #expect(throws: InputError.self) { try collect(FileManager.default.temporaryDirectory.path, prefix: "%m ") }
    }

    @Test func anEmptyLogJustRotatedHoldsNothingAndIsNoError() throws {
        let (summary, statistics) = try collect(try write("", "postgresql-empty.log"), prefix: "%m [%p] ")
        #expect(statistics.entries == 0 && summary.uses.isEmpty && summary.windowStart == nil)
    }

    // MARK: unused access

    static let policy = """
        version: 1
        data_classes:
          pii: {severity: critical, columns: [public.customers.email]}
        roles:
          alice: {kind: human, login: true, member_of: [agents]}
          bob: {kind: human, login: true, member_of: [agents]}
          agents: {kind: group, grants: [{table: public.customers, privileges: [SELECT, UPDATE]}, {table: public.tickets, privileges: [SELECT]}]}

        """

    static func snapshot(_ logging: [String: String], overrides: [SnapshotLogging.Override] = []) -> Snapshot {
        SnapshotBuilder().role("alice", login: true).role("bob", login: true).role("agents")
            .member("alice", of: "agents").member("bob", of: "agents")
            .table("public.customers", columns: ["id", "email"]).table("public.tickets", columns: ["id"])
            .grant([.select, .update], on: "public.customers", to: "agents").grant([.select], on: "public.tickets", to: "agents")
            .logging(pgaudit: true, settings: logging, overrides: overrides).build()
    }

    static func evidence(_ uses: [UsageSummary.Use], days: Int = 90) -> UsageEvidence {
        UsageEvidence(summary: UsageSummary(
            logLinePrefix: nil, windowStart: "2026-01-01 00:00:00 UTC", windowEnd: "2026-03-31 23:00:00 UTC", uses: uses, sources: [], unattributed: 0),
            unusedAfterDays: days)
    }

    static func use(_ role: String, _ command: String, _ object: String) -> UsageSummary.Use {
        UsageSummary.Use(role: role, database: "app", objectType: "TABLE", object: object, command: command, auditClass: "READ", count: 4,
                         firstSeen: "2026-02-01 10:00:00 UTC", lastSeen: "2026-02-03 10:00:00 UTC")
    }

    func unused(_ snapshot: Snapshot, _ evidence: UsageEvidence) throws -> [Finding] {
        let policy = try PolicyLoader().load(sources: [(file: "policy.yaml", text: Self.policy)])
        var auditor = Auditor(policy: policy, today: try #require(DayDate("2026-04-01")))
        auditor.usage = evidence
        return auditor.audit(snapshot).filter { $0.rule == "unused-access" }
    }

    @Test func aGrantNoHolderUsedIsUnusedAndOneUseByAnyHolderKeepsIt() throws {
        let logged = Self.snapshot(["pgaudit.log": "read, write", "pgaudit.log_relation": "on"])
        let findings = try unused(logged, Self.evidence([Self.use("alice", "SELECT", "public.customers")]))
        // SELECT on customers was used (by alice: bob's holding it too is enough); UPDATE on customers and SELECT on tickets were not.
        #expect(findings.count == 2)
        let update = try #require(findings.first { $0.privilege == .update })
        #expect(update.object == "public.customers" && update.severity == .critical && update.principal == "agents" && update.principalCount == 2)
        let tickets = try #require(findings.first { $0.privilege == .select })
        #expect(tickets.object == "public.tickets" && tickets.severity == .low)
    }

    @Test func useThatWouldNotBeLoggedWithItsObjectIsUnknownNotUnused() throws {
        // READ without log_relation: records name no object.
        let unnamed = try unused(Self.snapshot(["pgaudit.log": "read, write"]), Self.evidence([]))
        #expect(unnamed.count == 1 && unnamed[0].severity == .info && unnamed[0].message.contains("unknown"))
        // bob's sessions log nothing: his use is unknown, so no grant he holds is called unused.
        let bobOff = SnapshotLogging.Override(database: nil, role: "bob", name: "pgaudit.log", value: "none")
        let partly = try unused(Self.snapshot(["pgaudit.log": "read, write", "pgaudit.log_relation": "on"], overrides: [bobOff]), Self.evidence([]))
        #expect(partly.allSatisfy { $0.severity == .info } && partly.count == 1)
    }

    @Test func aWindowShorterThanTheThresholdJudgesNothing() throws {
        let logged = Self.snapshot(["pgaudit.log": "read, write", "pgaudit.log_relation": "on"])
        let findings = try unused(logged, Self.evidence([], days: 120))
        #expect(findings.count == 1 && findings[0].severity == .info && findings[0].message.contains("fewer than --unused-after 120d"))
    }
}
