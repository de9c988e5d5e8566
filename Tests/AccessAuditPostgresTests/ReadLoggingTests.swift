import AuditSupport
import SnapshotModel
import AccessPolicy
import ServerUsage
import PolicyAudit
import Foundation
import TestSupport
import Testing

/// pgaudit as the judge of `unlogged-classified-read`: a PostgreSQL 15 server with pgaudit in
/// `shared_preload_libraries`, session and object logging set several ways (server, database,
/// role, an audit role with table and column grants, a role whose log drops LOG records), reads
/// of classified columns run as each role, and the server log searched for the AUDIT record of
/// each read. The audit must call a read unlogged exactly when no AUDIT record carries it.
@Suite("Read logging on a real server with pgaudit", .serialized)
struct ReadLoggingTests {
    static let setup = """
        CREATE ROLE auditor NOLOGIN;
        CREATE ROLE app_owner NOLOGIN;
        CREATE TABLE public.customers (id int PRIMARY KEY, email text, phone text);
        CREATE TABLE public.tickets (id int PRIMARY KEY, ticket_number text);
        INSERT INTO public.customers VALUES (1, 'canary-email@example.com', '+1-555-0100');
        INSERT INTO public.tickets VALUES (1, 'T-CANARY-1');
        ALTER TABLE public.customers OWNER TO app_owner;
        ALTER TABLE public.tickets OWNER TO app_owner;
        -- Object audit: the audit role marks all of tickets and customers.phone, not customers.email.
        GRANT SELECT ON public.tickets TO auditor;
        GRANT SELECT (phone) ON public.customers TO auditor;
        ALTER DATABASE logged SET pgaudit.role = 'auditor';
        CREATE FUNCTION public.lookup_email(int) RETURNS text LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog
          AS 'SELECT email FROM public.customers WHERE id = $1';
        ALTER FUNCTION public.lookup_email(int) OWNER TO app_owner;
        REVOKE EXECUTE ON FUNCTION public.lookup_email(int) FROM PUBLIC;
        -- alice: session READ logging on her sessions.
        CREATE ROLE alice LOGIN; GRANT SELECT ON public.customers, public.tickets TO alice;
        ALTER ROLE alice SET pgaudit.log = 'read, write';
        -- bob: the server's write-only logging; object audit alone.
        CREATE ROLE bob LOGIN; GRANT SELECT ON public.customers, public.tickets TO bob;
        -- carol: a definer function reads for her (object audit cannot see inside).
        CREATE ROLE carol LOGIN; GRANT EXECUTE ON FUNCTION public.lookup_email(int) TO carol;
        -- dave: his sessions' log drops LOG records.
        CREATE ROLE dave LOGIN; GRANT SELECT ON public.tickets TO dave;
        ALTER ROLE dave SET log_min_messages = 'fatal';
        -- erin: the same function with FUNCTION logging: the call is on record.
        CREATE ROLE erin LOGIN; GRANT EXECUTE ON FUNCTION public.lookup_email(int) TO erin;
        ALTER ROLE erin IN DATABASE logged SET pgaudit.log = 'function';
        -- frank: may turn pgaudit off in his own sessions.
        CREATE ROLE frank LOGIN; GRANT SET ON PARAMETER pgaudit.log TO frank;
        """

    static let policy = """
        version: 1
        data_classes:
          pii: {severity: critical, columns: [public.customers.email, public.customers.phone]}
          tickets: {severity: high, columns: [public.tickets.ticket_number]}
        """

    /// One read as one role: the SQL (a marker comment makes its AUDIT record findable) and the
    /// classified column it reads.
    struct Read: Sendable, CustomTestStringConvertible {
        var login: String
        var column: String
        var sql: String
        var testDescription: String { "\(login) reads \(column)" }
    }

    static let reads = [
        Read(login: "alice", column: "public.customers.email", sql: "SELECT email FROM public.customers"),
        Read(login: "alice", column: "public.tickets.ticket_number", sql: "SELECT ticket_number FROM public.tickets"),
        Read(login: "bob", column: "public.customers.email", sql: "SELECT email FROM public.customers"),
        Read(login: "bob", column: "public.customers.phone", sql: "SELECT phone FROM public.customers"),
        Read(login: "bob", column: "public.tickets.ticket_number", sql: "SELECT ticket_number FROM public.tickets"),
        Read(login: "carol", column: "public.customers.email", sql: "SELECT public.lookup_email(1)"),
        Read(login: "dave", column: "public.tickets.ticket_number", sql: "SELECT ticket_number FROM public.tickets"),
        Read(login: "erin", column: "public.customers.email", sql: "SELECT public.lookup_email(1)"),
    ]

    @Test func aReadIsCalledUnloggedExactlyWhenPgauditWritesNoRecordOfIt() async throws {
        let server = try PostgresServer(major: 15, settings: [
            "shared_preload_libraries=pgaudit", "pgaudit.log=write", "log_line_prefix=%m [%p] %u@%d ",
        ])
        defer { server.stop() }
        try server.psql("CREATE DATABASE logged")
        _ = try server.psqlAttempt(Self.setup, database: "logged", user: "postgres")
        let snapshot = try SnapshotLoader().decode(Data(try await export(server, database: "logged").utf8), file: "logged")
        let logging = try #require(snapshot.logging)
        #expect(logging.pgauditLoaded)
        #expect(logging.overrides.contains { $0.role == "dave" && $0.name == "log_min_messages" && $0.value == "fatal" })

        // The audit's verdict, one classified column at a time: which logins' reads are unlogged.
        var unlogged: [String: Set<String>] = [:]
        for column in Set(Self.reads.map(\.column)) {
            let policy = try PolicyLoader().load(sources: [(file: "policy.yaml", text: "version: 1\ndata_classes:\n  c: {severity: high, columns: [\(column)]}\n")])
            let today = try #require(DayDate(timestamp: snapshot.exportedAt))
            let findings = Auditor(policy: policy, today: today, principalLimit: nil).audit(snapshot).filter { $0.rule == "unlogged-classified-read" }
            unlogged[column] = Set(findings.flatMap { $0.affected.map(\.name) })
        }

        // pgaudit's verdict: an AUDIT record carrying the read's marker.
        let log = server.root.appendingPathComponent("server.log")
        for (number, read) in Self.reads.enumerated() {
            let marker = "probe_\(number)_\(read.login)"
            let output = try server.psqlAttempt("\(read.sql) /* \(marker) */;", database: "logged", user: read.login)
            #expect(output.contains("canary") || output.contains("T-CANARY") || output.contains("+1-555"), "\(read.login) could not read: \(output)")
            try await Task.sleep(for: .milliseconds(200))
            let text = try String(contentsOf: log, encoding: .utf8)
            let recorded = text.split(separator: "\n").contains { $0.contains("AUDIT:") && $0.contains(marker) }
            let calledUnlogged = unlogged[read.column]?.contains(read.login) ?? false
            #expect(calledUnlogged == !recorded, "\(read.testDescription): the audit says \(calledUnlogged ? "unlogged" : "logged"), pgaudit \(recorded ? "recorded it" : "wrote nothing")")
            if recorded {
                #expect(text.split(separator: "\n").contains { $0.contains(marker) && $0.contains("\(read.login)@logged") }, "the record does not name \(read.login)@logged")
            }
        }

        // The other two checks on the same server: frank may turn pgaudit off; the prefix names user and database.
        let policy = try PolicyLoader().load(sources: [(file: "policy.yaml", text: Self.policy)])
        let today = try #require(DayDate(timestamp: snapshot.exportedAt))
        let findings = Auditor(policy: policy, today: today, principalLimit: nil).audit(snapshot)
        let disable = findings.filter { $0.rule == "audit-can-be-disabled" }
        #expect(disable.contains { $0.cause.description == "GRANT SET ON PARAMETER pgaudit.log TO frank" && $0.affected.map(\.name) == ["frank"] })
        #expect(findings.allSatisfy { $0.rule != "log-not-attributable" })
        // frank really can: his session turns session logging off.
        let off = try server.psqlAttempt("SET pgaudit.log = 'none'; SHOW pgaudit.log;", database: "logged", user: "frank")
        #expect(off.contains("none") && !off.contains("permission denied"), "\(off)")
        let bobDenied = try server.psqlAttempt("SET pgaudit.log = 'none';", database: "logged", user: "bob")
        #expect(bobDenied.contains("permission denied"), "\(bobDenied)")
    }

    @Test func anExportingRoleThatCannotSeeTheSettingsMakesCoverageUnknownNotLogged() async throws {
        let server = try PostgresServer(major: 15, settings: ["shared_preload_libraries=pgaudit", "pgaudit.log=read"])
        defer { server.stop() }
        try server.psql("CREATE DATABASE logged")
        // The exporting role's own override hides the server's pgaudit.log from it.
        _ = try server.psqlAttempt("""
            CREATE ROLE exporter LOGIN; ALTER ROLE exporter SET pgaudit.log = 'none';
            CREATE ROLE reader LOGIN; CREATE TABLE public.customers (email text); GRANT SELECT ON public.customers TO reader;
            """, database: "logged", user: "postgres")
        let snapshot = try SnapshotLoader().decode(Data(try await export(server, database: "logged", user: "exporter").utf8), file: "logged")
        let policy = try PolicyLoader().load(sources: [(file: "p.yaml", text: "version: 1\nsettings: {read_logging: required}\ndata_classes:\n  pii: {severity: critical, columns: [public.customers.email]}\n")])
        let today = try #require(DayDate(timestamp: snapshot.exportedAt))
        let findings = Auditor(policy: policy, today: today, principalLimit: nil).audit(snapshot).filter { $0.rule == "unlogged-classified-read" }
        let reader = try #require(findings.first { $0.affected.contains { $0.name == "reader" } })
        #expect(reader.message.contains("unknown") && reader.message.contains("hidden behind the exporting session's own override"), "\(reader.message)")
        #expect(reader.severity == .medium)
        // shared_preload_libraries is not visible to it either: exported without a value.
        #expect(snapshot.logging?.settings.contains { $0.name == "shared_preload_libraries" && $0.value == nil } == true)
    }

    /// `usage` on the logs of a real server, written as stderr and csvlog at once, and
    /// `check --usage` on its snapshot: grants that were used are not reported, one use is
    /// enough, and those never used are.
    @Test func usageFromTheServersLogsFindsTheGrantsNobodyUsed() async throws {
        let server = try PostgresServer(major: 15, settings: [
            "shared_preload_libraries=pgaudit", "pgaudit.log=read,write", "pgaudit.log_relation=on", "log_line_prefix=%m [%p] %q%u@%d ",
            "logging_collector=on", "log_destination=stderr,csvlog", "log_directory=\(Self.logDirectory)", "log_filename=pg.log",
        ])
        defer { server.stop() }
        try server.psql("CREATE DATABASE used")
        _ = try server.psqlAttempt("""
            CREATE ROLE agents NOLOGIN;
            CREATE ROLE alice LOGIN IN ROLE agents; CREATE ROLE bob LOGIN IN ROLE agents; CREATE ROLE carol LOGIN;
            CREATE TABLE public.customers (id int, email text); CREATE TABLE public.tickets (id int, status text); CREATE TABLE public."Refunds 2026" (id int);
            INSERT INTO public.tickets VALUES (1, 'open');
            GRANT SELECT ON public.customers TO agents; GRANT SELECT, UPDATE ON public.tickets TO agents;
            GRANT SELECT ON public."Refunds 2026" TO carol;
            """, database: "used", user: "postgres")
        _ = try server.psqlAttempt("SELECT email FROM public.customers;", database: "used", user: "alice")
        _ = try server.psqlAttempt("UPDATE public.tickets SET status = 'closed' WHERE id = 1;", database: "used", user: "bob")
        try server.psql("SELECT pg_catalog.pg_rotate_logfile()")
        try await Task.sleep(for: .milliseconds(500))

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("usage-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let snapshotFile = folder.appendingPathComponent("snapshot.json")
        try await export(server, database: "used").write(to: snapshotFile, atomically: true, encoding: .utf8)
        let logs = server.root.appendingPathComponent("data/\(Self.logDirectory)")
        let tool = try Paths.executable("access-audit")
        var summaries: [[String]] = []
        for (log, extra) in [("pg.log", ["--snapshot", snapshotFile.path]), ("pg.csv", [])] {
            let output = folder.appendingPathComponent("\(log).usage.json")
            let run = try ProcessRunner.run(tool, ["usage", "--log", logs.appendingPathComponent(log).path, "--output", output.path] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            let summary = try UsageSummary.load(path: output.path)
            summaries.append(summary.uses.filter { $0.database == "used" && !$0.object.isEmpty }.map { "\($0.role) \($0.command) \($0.object) \($0.count)" })
        }
        #expect(summaries[0] == summaries[1], "stderr and csvlog disagree: \(summaries)")
        #expect(summaries[0].contains("alice SELECT public.customers 1") && summaries[0].contains("bob UPDATE public.tickets 1"), "\(summaries[0])")

        let policy = folder.appendingPathComponent("policy.yaml")
        try "version: 1\n".write(to: policy, atomically: true, encoding: .utf8)
        let check = try ProcessRunner.run(tool, [
            "check", "--format", "json", "--policies", policy.path, "--snapshot", snapshotFile.path,
            "--usage", folder.appendingPathComponent("pg.log.usage.json").path, "--unused-after", "1d",
        ])
        let findings = (try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]] ?? []
        let unused = findings.filter { $0["rule"] as? String == "unused-access" }.map { "\($0["privilege"] ?? "") \($0["object"] ?? "") \($0["principal"] ?? "")" }
        #expect(Set(unused) == ["SELECT public.tickets agents", "SELECT public.Refunds 2026 carol"], "\(unused)")

        // Logging switched off after the logs were written: a summary that recorded the settings
        // it was collected under (usage --snapshot) is still judged by them; one that did not is
        // judged by today's, under which no use would be logged: unknown, not unused.
        try server.psql("ALTER DATABASE used SET pgaudit.log = 'none'")
        let later = folder.appendingPathComponent("later.json")
        try await export(server, database: "used").write(to: later, atomically: true, encoding: .utf8)
        func unusedFindings(_ usage: String) throws -> [[String: Any]] {
            let run = try ProcessRunner.run(tool, [
                "check", "--format", "json", "--policies", policy.path, "--snapshot", later.path, "--usage", usage, "--unused-after", "1d",
            ])
            let all = (try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]] ?? []
            return all.filter { $0["rule"] as? String == "unused-access" }
        }
        let recorded = try unusedFindings(folder.appendingPathComponent("pg.log.usage.json").path)
        #expect(Set(recorded.map { "\($0["object"] ?? "") \($0["principal"] ?? "")" }) == ["public.tickets agents", "public.Refunds 2026 carol"])
        let unrecorded = try unusedFindings(folder.appendingPathComponent("pg.csv.usage.json").path)
        #expect(unrecorded.count == 1 && unrecorded.first?["severity"] as? String == "info", "\(unrecorded)")
        try server.psql("ALTER DATABASE used RESET pgaudit.log")

        // The review with the same usage: each entitlement's last use, or "not used" where the logs would show it.
        let classes = folder.appendingPathComponent("classes.yaml")
        try """
            version: 1
            data_classes:
              pii: {severity: critical, columns: [public.customers.email]}
              ops: {severity: medium, tables: [public.tickets, public.Refunds 2026]}
            """.write(to: classes, atomically: true, encoding: .utf8)
        let reviewFolder = folder.appendingPathComponent("review")
        let report = try ProcessRunner.run(tool, [
            "report", "--policies", classes.path, "--snapshot", snapshotFile.path, "--output-dir", reviewFolder.path,
            "--usage", folder.appendingPathComponent("pg.log.usage.json").path, "--unused-after", "1d",
        ])
        #expect(report.status == 1, "\(report.stderr)")
        let rows = try CSVReader.records(in: String(contentsOf: reviewFolder.appendingPathComponent("access.csv"), encoding: .utf8), file: "access.csv")
        let header = rows.first?.fields.map(\.text) ?? []
        let keyColumn = try #require(header.firstIndex(of: "key"))
        let lastUsed = try #require(header.firstIndex(of: "last_used"))
        var byKey: [String: String] = [:]
        for row in rows.dropFirst() { byKey[row.fields[keyColumn].text] = row.fields[lastUsed].text }
        #expect(byKey["grant|agents|public.customers|SELECT"]?.contains("day(s) ago") == true, "\(byKey)")
        #expect(byKey["grant|agents|public.tickets|SELECT"] == "not used in the 1-day window", "\(byKey)")
        #expect(byKey["grant|carol|public.Refunds 2026|SELECT"] == "not used in the 1-day window", "\(byKey)")
        #expect(byKey["membership|bob|agents"]?.contains("day(s) ago") == true, "\(byKey)")
        let decisions = try String(contentsOf: reviewFolder.appendingPathComponent("review-decisions.csv"), encoding: .utf8)
        #expect(decisions.split(whereSeparator: \.isNewline).first?.hasSuffix(",last_used,unused_days") == true)
        let manifest = try String(contentsOf: reviewFolder.appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(manifest.contains("\"usage\""))

        // A least-privilege policy from the same usage: what nobody used is written commented out;
        // once it is revoked, the server audits clean against the policy.
        let generated = folder.appendingPathComponent("generated")
        let initRun = try ProcessRunner.run(tool, [
            "init", "--snapshot", snapshotFile.path, "--output", generated.path,
            "--usage", folder.appendingPathComponent("pg.log.usage.json").path, "--unused-after", "1d",
        ])
        #expect(initRun.status == 0, "\(initRun.stderr)")
        let policyText = try FileManager.default.contentsOfDirectory(atPath: generated.path).sorted()
            .map { try String(contentsOf: generated.appendingPathComponent($0), encoding: .utf8) }.joined()
        #expect(policyText.contains("# - {table: 'public.tickets', privileges: [SELECT]}   # held, not used in the 1-day window"), "\(policyText)")
        #expect(policyText.contains("# - {table: 'public.Refunds 2026', privileges: [SELECT]}"))
        #expect(policyText.contains("- {table: 'public.tickets', privileges: [UPDATE]}") && policyText.contains("- {table: 'public.customers', privileges: [SELECT]}"))
        let again = try ProcessRunner.run(tool, ["init", "--snapshot", snapshotFile.path, "--output", generated.path, "--force",
                                                 "--usage", folder.appendingPathComponent("pg.log.usage.json").path, "--unused-after", "1d"])
        let rerun = try FileManager.default.contentsOfDirectory(atPath: generated.path).sorted()
            .map { try String(contentsOf: generated.appendingPathComponent($0), encoding: .utf8) }.joined()
        #expect(again.status == 0 && rerun == policyText, "init --usage differs from run to run")
        _ = try server.psqlAttempt("REVOKE SELECT ON public.tickets FROM agents; REVOKE SELECT ON public.\"Refunds 2026\" FROM carol;", database: "used", user: "postgres")
        let revoked = folder.appendingPathComponent("revoked.json")
        try await export(server, database: "used").write(to: revoked, atomically: true, encoding: .utf8)
        let clean = try ProcessRunner.run(tool, ["check", "--fail-on", "low", "--policies", generated.path, "--snapshot", revoked.path])
        #expect(clean.status == 0, "\(clean.stdout)")

        // Not a log at all, and a stderr log read with the wrong prefix: exit 2 with the file's place.
        let notALog = try ProcessRunner.run(tool, ["usage", "--log", snapshotFile.path])
        #expect(notALog.status == 2 && notALog.stderr.contains("\(snapshotFile.path):1:1"), "\(notALog.stderr)")
        let wrongPrefix = try ProcessRunner.run(tool, ["usage", "--log", logs.appendingPathComponent("pg.log").path, "--log-line-prefix", "%t %u %d "])
        #expect(wrongPrefix.status == 2 && wrongPrefix.stderr.contains("not a PostgreSQL server log"), "\(wrongPrefix.stderr)")
        let unusedWithoutUsage = try ProcessRunner.run(tool, ["check", "--policies", policy.path, "--snapshot", snapshotFile.path, "--unused-after", "30d"])
        #expect(unusedWithoutUsage.status == 2)
    }

    static let logDirectory = "audit-logs"
}
