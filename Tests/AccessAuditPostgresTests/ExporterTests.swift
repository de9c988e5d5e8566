import SnapshotModel
import AccessEngine
import Foundation
import SnapshotExport
import Testing

/// The exporter against a real server: the example database, least privilege, the psql route,
/// other server versions' catalog shapes, and every database of a cluster.
@Suite("Exporter on a live PostgreSQL", .serialized, .withPostgres)
struct ExporterTests {
    func supportDatabase() throws -> PostgresServer {
        let server = try WithPostgres.current()
        if (try server.psql("SELECT count(*) FROM pg_database WHERE datname = 'support'")) == "0" {
            try server.psql("CREATE DATABASE support")
            _ = try server.psqlFile(Paths.supportSQL, database: "support")
        }
        return server
    }

    @Test func theShippedExampleSnapshotIsTheExportOfTheSupportDatabaseSQL() async throws {
        let server = try supportDatabase()
        let exported = try await export(server, database: "support")
        let committed = try String(contentsOfFile: Paths.exampleSnapshot, encoding: .utf8)
        let same = try stableJSON(exported).isEqual(to: stableJSON(committed) as! [AnyHashable: Any])
        if !same {
            let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("support-export.json")
            try exported.write(to: fresh, atomically: true, encoding: .utf8)
            Issue.record("examples/support-db/snapshot.json differs from a fresh export of support-db.sql (written to \(fresh.path)); regenerate it")
        }
    }

    @Test func theCapabilitiesExampleSnapshotIsTheExportOfItsSQL() async throws {
        // Its own cluster: the support example's roles (support_owner, …) share its names.
        let server = try PostgresServer(major: 15)
        defer { server.stop() }
        try server.psql("CREATE DATABASE capabilities")
        _ = try server.psqlFile(Paths.packageRoot.appendingPathComponent("examples/capabilities/capabilities.sql").path, database: "capabilities")
        let exported = try await export(server, database: "capabilities")
        let committed = try String(contentsOf: Paths.packageRoot.appendingPathComponent("examples/capabilities/snapshot.json"), encoding: .utf8)
        let same = try stableJSON(exported).isEqual(to: stableJSON(committed) as! [AnyHashable: Any])
        if !same {
            let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("capabilities-export.json")
            try exported.write(to: fresh, atomically: true, encoding: .utf8)
            Issue.record("examples/capabilities/snapshot.json differs from a fresh export of capabilities.sql (written to \(fresh.path)); regenerate it")
        }
        // What the capability steps need is exported, as an ordinary role would read it.
        let snapshot = try SnapshotLoader().decode(Data(exported.utf8), file: "capabilities")
        let helper = try #require(snapshot.functions.first { $0.name == "open_ticket_count" })
        #expect(helper.language == "plpgsql" && helper.sqlStandardBody == false && helper.config == nil && helper.kind == .function)
        #expect(snapshot.tables.allSatisfy { $0.triggers != nil })
        #expect(snapshot.catalogGrants == [])
    }

    @Test func exportReadsTriggersAggregatesPinnedPathsAndChangedCatalogGrants() async throws {
        let server = try WithPostgres.current()
        try server.psql("CREATE DATABASE catalog_roads")
        try server.psql("""
            CREATE ROLE catalog_reader; CREATE TABLE t (id int);
            CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$ BEGIN RETURN NEW; END $$;
            CREATE TRIGGER t_tf BEFORE INSERT OR DELETE ON t FOR EACH ROW EXECUTE FUNCTION tf();
            CREATE TRIGGER t_off AFTER TRUNCATE ON t FOR EACH STATEMENT EXECUTE FUNCTION tf();
            ALTER TABLE t DISABLE TRIGGER t_off;
            CREATE FUNCTION acc(int, int) RETURNS int LANGUAGE sql AS 'SELECT $1 + $2';
            CREATE AGGREGATE total(int) (sfunc = acc, stype = int);
            GRANT SELECT ON pg_catalog.pg_statistic TO catalog_reader;
            GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_file(text) TO catalog_reader;
            """, database: "catalog_roads")
        let snapshot = try SnapshotLoader().decode(Data(try await export(server, database: "catalog_roads").utf8), file: "catalog_roads")
        let triggers = try #require(snapshot.tables.first { $0.name == "t" }?.triggers)
        #expect(triggers.map(\.name) == ["t_off", "t_tf"])
        #expect(triggers.first { $0.name == "t_tf" }.map { $0.function == "public.tf()" && $0.events == [.insert, .delete] && $0.enabled } == true)
        #expect(triggers.first { $0.name == "t_off" }.map { $0.events == [.truncate] && !$0.enabled } == true)
        #expect(snapshot.functions.first { $0.name == "tf" }?.config == ["search_path=public, pg_temp"])
        #expect(snapshot.functions.first { $0.name == "total" }.map { $0.kind == .aggregate && $0.supportFunctions == ["public.acc(integer, integer)"] } == true)
        let grants = try #require(snapshot.catalogGrants)
        #expect(grants.contains { $0.object == "pg_catalog.pg_statistic" && $0.kind == .table && $0.acl.contains { $0.grantee == "catalog_reader" && $0.privilege == .select } })
        #expect(grants.contains { $0.object == "pg_catalog.pg_read_file(text)" && $0.kind == .function && $0.acl.contains { $0.grantee == "catalog_reader" } })
        #expect(grants.count == 2, "only ACLs that differ from initdb's are exported: \(grants.map(\.object))")
    }

    @Test func exportIsAValidSnapshotWithRowCountsAndVersion() async throws {
        let server = try supportDatabase()
        let snapshot = try SnapshotLoader().decode(Data(try await export(server, database: "support").utf8), file: "export")
        #expect(snapshot.database == "support")
        #expect(snapshot.serverVersionNum ?? 0 >= 130000)
        #expect(snapshot.rowCounts?["tables"] == snapshot.tables.count)
        #expect(snapshot.rowCounts?["roles"] == snapshot.roles.count)
        let contacts = try #require(snapshot.tables.first { $0.name == "customer_contacts" })
        #expect(contacts.kind == .view && !contacts.securityInvoker)
        #expect(Set(contacts.reads ?? []) == ["public.customers.id", "public.customers.full_name", "public.customers.email", "public.customers.phone"])
        #expect(snapshot.tables.first { $0.name == "open_tickets" }?.securityInvoker == true)
        let lookup = try #require(snapshot.functions.first { $0.name == "find_customer_by_email" })
        #expect(lookup.securityDefiner && lookup.arguments == "text")
        #expect(lookup.acl.contains { $0.grantee == "PUBLIC" && $0.privilege == .execute })
        #expect(Set(lookup.reads ?? []) == ["public.customers.id", "public.customers.full_name", "public.customers.email"])
        #expect(snapshot.memberships.contains { $0.member == "dba_breakglass" && $0.role == "support_owner" && $0.inherit == false })
        #expect(snapshot.rowSecurityPolicies.contains { $0.name == "agents_by_region" && $0.command == .select && $0.roles == ["tier1_agent"] })
        #expect(snapshot.defaultPrivileges.contains { $0.role == "support_owner" && $0.objectType == .tables })
        #expect(snapshot.tables.first { $0.name == "customers" }?.columns.first { $0.name == "display_name" }?.acl.count == 2)
    }

    @Test func anOrdinaryRoleWithNoGrantsExportsTheSameAsASuperuser() async throws {
        let server = try supportDatabase()
        try server.psql("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'auditor') THEN CREATE ROLE auditor LOGIN; END IF; END $$")
        let asSuperuser = try await export(server, database: "support")
        let asAuditor = try await export(server, database: "support", user: "auditor")
        #expect(try stableJSONWithoutPrivilegedSettings(asSuperuser).isEqual(to: stableJSONWithoutPrivilegedSettings(asAuditor) as! [AnyHashable: Any]))
        // The one value it may not see is exported as unreadable, not guessed.
        let logging = try #require(try SnapshotLoader().decode(Data(asAuditor.utf8), file: "auditor").logging)
        #expect(logging.settings.contains { $0.name == "shared_preload_libraries" && $0.value == nil && $0.source == nil })
        #expect(asAuditor.contains("\"exported_by\" : \"auditor\"") || asAuditor.contains("\"exported_by\": \"auditor\""))
    }

    @Test func whatTheCapabilityAndDataFlowSectionsReadIsReadableByAnOrdinaryRole() async throws {
        let server = try supportDatabase()
        if (try server.psql("SELECT count(*) FROM pg_database WHERE datname = 'dataflow'")) == "0" {
            try server.psql("CREATE DATABASE dataflow")
            try server.psql("""
                DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'auditor') THEN CREATE ROLE auditor LOGIN; END IF; END $$;
                DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flow_owner') THEN CREATE ROLE flow_owner; END IF; END $$;
                GRANT SET ON PARAMETER dataflow_test.knob TO flow_owner;
                CREATE TABLE public.customers (id int, email text) PARTITION BY LIST (id);
                CREATE TABLE public.customers_1 PARTITION OF public.customers FOR VALUES IN (1);
                CREATE FUNCTION public.valid(text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $b$ BEGIN RETURN true; END $b$;
                ALTER FUNCTION public.valid(text) OWNER TO flow_owner;
                CREATE TABLE public.contacts (id int, email text CHECK (public.valid(email)));
                CREATE VIEW public.docs AS SELECT c.id, row_to_json(c)::text AS doc FROM public.contacts c;
                CREATE FUNCTION public.words() RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER
                  BEGIN ATOMIC SELECT word FROM pg_catalog.ts_stat('SELECT pg_catalog.to_tsvector(email) FROM public.contacts'); END;
                CREATE FUNCTION public.set_email(i int, v text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $b$
                BEGIN
                  UPDATE contacts SET email = v WHERE id = i; -- the 'hunter2' comment
                  PERFORM 'hunter2-literal'; /* and 'hunter2' here */
                END $b$;
                CREATE FUNCTION public.queue() RETURNS trigger LANGUAGE plpgsql AS $b$ BEGIN RETURN NEW; END $b$;
                CREATE TRIGGER queue INSTEAD OF INSERT ON public.docs FOR EACH ROW EXECUTE FUNCTION public.queue();
                """, database: "dataflow")
        }
        let asSuperuser = try await export(server, database: "dataflow")
        let asAuditor = try await export(server, database: "dataflow", user: "auditor")
        #expect(try stableJSONWithoutPrivilegedSettings(asSuperuser).isEqual(to: stableJSONWithoutPrivilegedSettings(asAuditor) as! [AnyHashable: Any]))
        let snapshot = try SnapshotLoader().decode(Data(asAuditor.utf8), file: "dataflow")
        let tables = Dictionary(snapshot.tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(tables["customers_1"]?.inherits == ["public.customers"])
        #expect(tables["contacts"]?.expressions?.first?.calls == ["public.valid(text)"])
        #expect(tables["docs"]?.reads == ["public.contacts.email", "public.contacts.id"])
        #expect(tables["docs"]?.updatable == [.update, .insert, .delete])
        #expect(snapshot.functions.first { $0.name == "words" }?.calls?.first?.hasPrefix("pg_catalog.ts_stat(") == true)
        #expect(snapshot.parameterPrivileges?.contains { $0.name == "dataflow_test.knob" && $0.acl.contains { $0.grantee == "flow_owner" } } == true)
        // A definer's text body, its literals and comments blanked; triggers' timing; trigger functions.
        let source = try #require(snapshot.functions.first { $0.name == "set_email" }?.source)
        #expect(source.contains("UPDATE contacts SET email = v WHERE id = i;") && !source.contains("hunter2"), "\(source)")
        #expect(tables["docs"]?.triggers?.first?.timing == .insteadOf)
        #expect(snapshot.functions.first { $0.name == "queue" }?.returnsTrigger == true)
        #expect(snapshot.functions.first { $0.name == "queue" }?.source == nil)
    }

    @Test func thePlainSQLFileGivesTheSameSnapshotAsTheExecutable() async throws {
        let server = try supportDatabase()
        let committed = try String(contentsOfFile: Paths.exportSQL, encoding: .utf8)
        #expect(committed == ExportQuery().psqlScript, "sql/export-snapshot.sql is stale: regenerate with access-audit-export --print-sql")
        let viaPsql = try server.psqlFile(Paths.exportSQL, database: "support")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("exe-\(UUID().uuidString).json")
        let url = "postgres://postgres:\(server.superuserPassword)@127.0.0.1:\(server.port)/support?sslmode=disable"
        _ = try PostgresServer.run(try Paths.executable("access-audit-export").path, ["--url", url, "--output", output.path])
        let viaExecutable = try String(contentsOf: output, encoding: .utf8)
        #expect(try stableJSON(viaPsql).isEqual(to: stableJSON(viaExecutable) as! [AnyHashable: Any]))
    }

    @Test func postgres16MembershipOptionsAreReadWhenTheCatalogHasThem() async throws {
        let server = try supportDatabase()
        // A table shaped like PostgreSQL 16's pg_auth_members, with one membership that inherits
        // although its member is NOINHERIT, and one that may not SET ROLE.
        try server.psql("""
            DROP TABLE IF EXISTS pg16_auth_members;
            CREATE TABLE pg16_auth_members (oid oid, roleid oid, member oid, grantor oid, admin_option bool, inherit_option bool, set_option bool);
            INSERT INTO pg16_auth_members
              SELECT 1, 'support_owner'::regrole, 'dba_breakglass'::regrole, 10, false, true, true UNION ALL
              SELECT 2, 'tier1_agent'::regrole, 'bob'::regrole, 10, true, false, false;
            """, database: "support")
        var exporter = SnapshotExporter()
        exporter.query.membershipsTable = "public.pg16_auth_members"
        let snapshot = try SnapshotLoader().decode(Data(try await exporter.exportJSON(server.settings(database: "support")).utf8), file: "pg16")
        #expect(snapshot.memberships.count == 2)
        let breakglass = try #require(snapshot.memberships.first { $0.member == "dba_breakglass" })
        #expect(breakglass.inherit == true && breakglass.set == true)
        let bob = try #require(snapshot.memberships.first { $0.member == "bob" })
        #expect(bob.inherit == false && bob.set == false && bob.admin)
        // And the engine follows them as PostgreSQL 16 does.
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let dba = try #require(engine.graph.roleIndex["dba_breakglass"])
        let owner = try #require(engine.graph.roleIndex["support_owner"])
        #expect(engine.hasRole(dba, owner, .usage))
        let bobIndex = try #require(engine.graph.roleIndex["bob"])
        let agents = try #require(engine.graph.roleIndex["tier1_agent"])
        #expect(!engine.hasRole(bobIndex, agents, .usage) && !engine.hasRole(bobIndex, agents, .set) && engine.hasRole(bobIndex, agents, .member))
        try server.psql("DROP TABLE pg16_auth_members", database: "support")
    }

    @Test func allDatabasesWritesOneSnapshotPerConnectableDatabase() async throws {
        let server = try supportDatabase()
        try server.psql("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'billing') THEN PERFORM 1; END IF; END $$")
        if (try server.psql("SELECT count(*) FROM pg_database WHERE datname = 'billing'")) == "0" { try server.psql("CREATE DATABASE billing") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("all-\(UUID().uuidString)")
        _ = try PostgresServer.run(try Paths.executable("access-audit-export").path, ["--all-databases", "--output-dir", folder.path], environment: [
            "PGHOST": "127.0.0.1", "PGPORT": String(server.port), "PGUSER": "postgres", "PGPASSWORD": server.superuserPassword,
            "PGDATABASE": "postgres", "PGSSLMODE": "disable", "HOME": folder.path,
        ])
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files.contains("support.json") && files.contains("billing.json") && files.contains("postgres.json"))
        #expect(!files.contains("template0.json"))
        let billing = try SnapshotLoader().load(path: folder.appendingPathComponent("billing.json").path)
        #expect(billing.database == "billing" && billing.databases.map(\.name) == ["billing"])
    }

    @Test func passwordComesFromThePasswordFileAndAnUnsafeFileIsIgnored() async throws {
        let server = try supportDatabase()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(".pgpass")
        try "# comment\n127.0.0.1:\(server.port):*:postgres:\(server.superuserPassword)\n".write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let environment = ["PGHOST": "127.0.0.1", "PGPORT": String(server.port), "PGUSER": "postgres", "PGDATABASE": "support", "PGSSLMODE": "disable"]
        let settings = try ConnectionSettings.resolve(url: nil, environment: environment, home: folder.path)
        #expect(settings.password == server.superuserPassword)
        _ = try SnapshotLoader().decode(Data(try await SnapshotExporter().exportJSON(settings).utf8), file: "pgpass")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        #expect(try ConnectionSettings.resolve(url: nil, environment: environment, home: folder.path).password == nil)
    }

    @Test func aFailedConnectionExitsTwoWithAMessage() throws {
        let server = try WithPostgres.current()
        let url = "postgres://postgres:wrong@127.0.0.1:\(server.port)/support?sslmode=disable"
        do {
            _ = try PostgresServer.run(try Paths.executable("access-audit-export").path, ["--url", url])
            Issue.record("export with a wrong password succeeded")
        } catch {
            #expect("\(error)".contains("failed (2)"))
            #expect("\(error)".contains("cannot connect"))
        }
    }
}

/// TLS, as `sslmode` asks.
@Suite("Exporter over TLS", .serialized, .withPostgresTLS)
struct ExporterTLSTests {
    @Test(arguments: [ConnectionSettings.SSLMode.require, .verifyCA, .verifyFull])
    func exportOverTLS(mode: ConnectionSettings.SSLMode) async throws {
        let server = try WithPostgres.current()
        var settings = server.settings(database: "postgres", overTCP: true)
        settings.sslMode = mode
        settings.sslRootCert = mode == .require ? nil : server.certificatePath
        let sessions = try await SnapshotExporter().exportJSON(settings)
        #expect(sessions.contains("\"database\" : \"postgres\"") || sessions.contains("\"database\": \"postgres\""))
        let ssl = try server.psql("SELECT count(*) FROM pg_stat_ssl WHERE ssl")
        #expect(Int(ssl) != nil)
    }
}

/// Requiring TLS from a server without it fails instead of falling back to plain text.
@Suite("Exporter refuses plain text when TLS is required", .serialized, .withPostgres)
struct ExporterRequiresTLSTests {
    @Test func requireAgainstAServerWithoutTLSFails() async throws {
        let server = try WithPostgres.current()
        var settings = server.settings(database: "postgres", overTCP: true)
        settings.sslMode = .require
        await #expect(throws: SnapshotExporter.Failure.self) { try await SnapshotExporter().exportJSON(settings) }
        settings.sslMode = .prefer
        _ = try await SnapshotExporter().exportJSON(settings)
    }
}
