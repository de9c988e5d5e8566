import SnapshotModel
import AccessEngine
import Foundation
import TestSupport
import Testing

/// Where access really stops, on every major: what the engine says bounds a role (row-security
/// policies) is compared with what the role gets out of the real server when it tries.
@Suite("Access boundaries on real servers", .serialized, .withPostgresMajors)
struct AccessBoundaryTests {
    /// A fresh database built by `setup` (`{database}` is its name), handed to `body`, dropped
    /// with the roles it created.
    static func withDatabase(_ major: Int, _ setup: String, _ body: (PostgresServer, String) async throws -> Void) async throws {
        let server = try WithPostgresMajors.server(major)
        let database = "boundary_\(UUID().uuidString.prefix(8).lowercased())"
        let setup = setup.replacingOccurrences(of: "{database}", with: database)
        let roles = CapabilityRoadTests.createdRoles(setup)
        try server.psql("CREATE DATABASE \(database)")
        defer {
            _ = try? server.psql("DROP OWNED BY \(roles.joined(separator: ", ")) CASCADE", database: database)
            _ = try? server.psql("DROP DATABASE \(database) WITH (FORCE)")
            for role in roles.reversed() { _ = try? server.psql("DROP ROLE IF EXISTS \(role)") }
        }
        let script = server.root.appendingPathComponent("\(database).sql")
        try setup.write(to: script, atomically: true, encoding: .utf8)
        _ = try server.psqlFile(script.path, database: database)
        try await body(server, database)
    }

    /// The row scope the engine gives `principal`'s `privilege` on `table` (a direct grant).
    static func rowScope(_ snapshot: Snapshot, _ principal: String, _ privilege: Privilege, on table: String) throws -> RowScope? {
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let role = try #require(engine.graph.roles.indices.first { engine.graph.roles[$0].name == principal })
        return engine.privileges(of: role).first { $0.object == table && $0.privilege == privilege && $0.column == nil }?.rowScope
    }

    static let regionalTickets = """
        CREATE ROLE mallory LOGIN;
        CREATE ROLE alice LOGIN;
        CREATE ROLE bob LOGIN;
        CREATE ROLE carol LOGIN;
        CREATE TABLE public.tickets (id int, region text, agent text, email text);
        INSERT INTO public.tickets VALUES (1, 'eu', 'alice', 'a@eu'), (2, 'us', 'bob', 'b@us'), (3, 'apac', 'carol', 'c@apac');
        ALTER TABLE public.tickets ENABLE ROW LEVEL SECURITY;
        GRANT SELECT, INSERT ON public.tickets TO mallory, alice, bob, carol;
        -- A region chosen by the application: a setting any session may SET.
        CREATE POLICY by_region ON public.tickets FOR SELECT TO mallory USING (region = current_setting('app.region', true));
        -- A real per-user limit.
        CREATE POLICY own_tickets ON public.tickets FOR SELECT TO alice USING (agent = current_user);
        -- Admits every row.
        CREATE POLICY everything ON public.tickets FOR SELECT TO bob USING (true);
        CREATE POLICY bob_inserts ON public.tickets FOR INSERT TO bob WITH CHECK (true);
        -- Europe, or everything while debugging: a superuser-context setting carol was granted SET on (15+).
        CREATE POLICY by_log_level ON public.tickets FOR SELECT TO carol
          USING (region = 'eu' OR current_setting('log_min_messages') = 'debug5');
        GRANT SET ON PARAMETER log_min_messages TO carol;
        """

    /// Every region's emails a role reads when it sets the settings its policies read.
    static func emailsReadable(_ server: PostgresServer, _ database: String, as role: String, setting: String, to values: [String]) throws -> Set<String> {
        var seen: Set<String> = []
        for value in values {
            let output = try server.psqlAttempt("SET \(setting) = '\(value)';\nSELECT email FROM public.tickets;", database: database, user: role)
            for email in ["a@eu", "b@us", "c@apac"] where output.contains(email) { seen.insert(email) }
        }
        return seen
    }

    @Test func policiesOnSettingsTheSessionCanChangeAreNoBoundaryAndPerUserPoliciesAre() async throws {
        for major in PostgresServer.supportedMajors {
            try await Self.withDatabase(major, Self.regionalTickets) { server, database in
                let snapshot = try SnapshotLoader().decode(Data(try await export(server, database: database).utf8), file: "boundary")
                let all: Set<String> = ["a@eu", "b@us", "c@apac"]

                // mallory picks her region: every row, one SET at a time.
                #expect(try Self.emailsReadable(server, database, as: "mallory", setting: "app.region", to: ["eu", "us", "apac"]) == all)
                guard case .unbounded(let reasons) = try Self.rowScope(snapshot, "mallory", .select, on: "public.tickets") else {
                    Issue.record("PostgreSQL \(major): mallory's region policy is reported as a boundary"); return
                }
                #expect(reasons.contains { $0.contains("by_region") && $0.contains("app.region") })

                // alice cannot widen her rows by setting anything.
                #expect(try Self.emailsReadable(server, database, as: "alice", setting: "app.region", to: ["eu", "us", "apac"]) == ["a@eu"])
                #expect(try Self.rowScope(snapshot, "alice", .select, on: "public.tickets") == .filtered(policies: ["own_tickets"]))

                // bob's policies admit every row.
                #expect(try Self.emailsReadable(server, database, as: "bob", setting: "app.region", to: ["eu"]) == all)
                guard case .unbounded(let bobReasons) = try Self.rowScope(snapshot, "bob", .select, on: "public.tickets"),
                    case .unbounded = try Self.rowScope(snapshot, "bob", .insert, on: "public.tickets")
                else { Issue.record("PostgreSQL \(major): bob's USING (true) is reported as a boundary"); return }
                #expect(bobReasons.contains { $0.contains("everything") })

                // carol holds SET on a superuser-context setting her policy reads.
                #expect(try Self.emailsReadable(server, database, as: "carol", setting: "log_min_messages", to: ["debug5"]) == all)
                guard case .unbounded = try Self.rowScope(snapshot, "carol", .select, on: "public.tickets") else {
                    Issue.record("PostgreSQL \(major): carol's SET grant on the policy's setting is not seen"); return
                }
            }
        }
    }

    static let connections = """
        CREATE ROLE connectors;
        CREATE ROLE plain LOGIN;
        CREATE ROLE grouped LOGIN;
        CREATE ROLE outsider LOGIN;
        CREATE ROLE capped LOGIN CONNECTION LIMIT 0;
        GRANT connectors TO grouped;
        REVOKE CONNECT ON DATABASE {database} FROM PUBLIC;
        GRANT CONNECT ON DATABASE {database} TO plain, connectors, capped;
        CREATE TABLE public.customers (id int, email text);
        INSERT INTO public.customers VALUES (1, 'cn7connect');
        GRANT SELECT ON public.customers TO plain, grouped, outsider, capped;
        """

    /// Who reads the canary on the server, and how the audit lists each reader.
    static func readersAndModes(_ server: PostgresServer, _ database: String, _ roles: [String]) async throws -> (read: Set<String>, modes: [String: String]) {
        var read: Set<String> = []
        for role in roles {
            let output = (try? server.psqlAttempt("SELECT email FROM public.customers;", database: database, user: role)) ?? ""
            if output.contains("cn7connect") { read.insert(role) }
        }
        let reported = try CapabilityRoadTests.audit(try await export(server, database: database), in: server.root)
        var modes: [String: String] = [:]
        for entry in reported where roles.contains(entry.name) { modes[entry.name] = entry.mode }
        return (read, modes)
    }

    @Test func loginRolesThatCannotConnectHoldTheirAccessLatently() async throws {
        for major in PostgresServer.supportedMajors {
            try await Self.withDatabase(major, Self.connections) { server, database in
                let roles = ["plain", "grouped", "outsider", "capped"]
                let (read, modes) = try await Self.readersAndModes(server, database, roles)
                #expect(read == ["plain", "grouped"], "PostgreSQL \(major): \(read)")
                #expect(modes == ["plain": "direct", "grouped": "direct", "outsider": "latent", "capped": "latent"], "PostgreSQL \(major)")

                // A database that admits superusers only: nobody else gets in, the audit says so.
                try server.psql("ALTER DATABASE \(database) CONNECTION LIMIT 0")
                let (readNow, modesNow) = try await Self.readersAndModes(server, database, roles)
                #expect(readNow.isEmpty, "PostgreSQL \(major): \(readNow)")
                #expect(Set(modesNow.values) == ["latent"] && modesNow.count == roles.count, "PostgreSQL \(major): \(modesNow)")
            }
        }
    }

    /// A definer view whose columns come from different base columns, column by column.
    static let viewColumns = """
        CREATE ROLE reporting;
        CREATE ROLE agent LOGIN;
        CREATE ROLE mallory LOGIN;
        CREATE ROLE auditor LOGIN;
        CREATE ROLE counter LOGIN;
        CREATE TABLE public.customers (id int, email text, phone text, region text);
        CREATE TABLE public.tickets (id int, customer_id int, subject text);
        INSERT INTO public.customers VALUES (1, 'cn7viewcol', '555', 'eu');
        INSERT INTO public.tickets VALUES (10, 1, 'refund');
        GRANT SELECT ON public.customers, public.tickets TO reporting;
        GRANT CREATE ON SCHEMA public TO reporting;
        SET ROLE reporting;
        CREATE VIEW public.customer_contacts AS
          SELECT c.id, lower(c.email) AS email, t.subject, row_to_json(c) AS card,
                 (SELECT count(*) FROM public.tickets x WHERE x.customer_id = c.id) AS open_tickets
          FROM public.customers c JOIN public.tickets t ON t.customer_id = c.id
          WHERE c.email IS NOT NULL;
        RESET ROLE;
        GRANT SELECT (id, subject) ON public.customer_contacts TO agent;
        GRANT SELECT (email) ON public.customer_contacts TO mallory;
        GRANT SELECT (card) ON public.customer_contacts TO auditor;
        GRANT SELECT (open_tickets) ON public.customer_contacts TO counter;
        """

    @Test func aColumnGrantOnADefinerViewReachesOnlyTheColumnsItIsComputedFrom() async throws {
        for major in PostgresServer.supportedMajors {
            try await Self.withDatabase(major, Self.viewColumns) { server, database in
                let columns = ["agent": "id, subject", "mallory": "email", "auditor": "card", "counter": "open_tickets"]
                var read: Set<String> = []
                for (role, list) in columns {
                    let output = try server.psqlAttempt("SELECT \(list) FROM public.customer_contacts;", database: database, user: role)
                    if output.contains("cn7viewcol") { read.insert(role) }
                    // Nobody reads a column it holds no grant on.
                    let denied = try server.psqlAttempt("SELECT phone FROM public.customer_contacts;", database: database, user: role)
                    #expect(!denied.contains("555"), "PostgreSQL \(major): \(role) read a column of the view it holds no grant on")
                }
                #expect(read == ["mallory", "auditor"], "PostgreSQL \(major): \(read)")
                let reported = Set(try CapabilityRoadTests.audit(try await export(server, database: database), in: server.root).map(\.name))
                    .intersection(columns.keys)
                #expect(reported == read, "PostgreSQL \(major): the audit reports \(reported), the server lets \(read) read emails")
            }
        }
    }

    /// Ticket attachments as large objects, owned by a service role; one granted to a clerk, SET
    /// on lo_compat_privileges granted to a tuner.
    static let attachments = """
        CREATE ROLE attachments NOLOGIN;
        CREATE ROLE clerk LOGIN;
        CREATE ROLE tuner LOGIN;
        CREATE ROLE reader_of_all LOGIN;
        CREATE ROLE bystander LOGIN;
        GRANT pg_read_all_data TO reader_of_all;
        DO $$
        DECLARE o oid := pg_catalog.lo_from_bytea(0, pg_catalog.convert_to('cn7attach', 'UTF8'));
        BEGIN
          EXECUTE format('ALTER LARGE OBJECT %s OWNER TO attachments', o);
          EXECUTE format('GRANT SELECT ON LARGE OBJECT %s TO clerk', o);
        END $$;
        GRANT SET ON PARAMETER lo_compat_privileges TO tuner;
        """

    static let attachmentPolicy = """
        version: 1
        data_classes:
          attachments:
            severity: critical
            large_objects: true
        rules:
          - id: attachments
            severity: critical
            deny:
              privileges: [SELECT]
              data_class: attachments
        """

    @Test func largeObjectsAreReadByTheirACLAndByWhoeverMaySetCompatPrivileges() async throws {
        for major in PostgresServer.supportedMajors {
            try await Self.withDatabase(major, Self.attachments) { server, database in
                // Every large object's OID is readable by everyone: try them all.
                let attack = """
                    SET lo_compat_privileges = on;
                    DO $$
                    DECLARE o oid;
                    BEGIN
                      FOR o IN SELECT oid FROM pg_catalog.pg_largeobject_metadata LOOP
                        BEGIN RAISE NOTICE 'LOOT %', pg_catalog.convert_from(pg_catalog.lo_get(o), 'UTF8'); EXCEPTION WHEN others THEN NULL; END;
                      END LOOP;
                    END $$;
                    """
                let roles = ["clerk", "tuner", "reader_of_all", "bystander"]
                var read: Set<String> = []
                for role in roles where (try server.psqlAttempt(attack, database: database, user: role)).contains("cn7attach") { read.insert(role) }
                #expect(read == ["clerk", "tuner"], "PostgreSQL \(major): \(read)")

                let work = server.root.appendingPathComponent("lo-\(database)")
                try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
                try (try await export(server, database: database)).write(to: work.appendingPathComponent("snapshot.json"), atomically: true, encoding: .utf8)
                try Self.attachmentPolicy.write(to: work.appendingPathComponent("policy.yaml"), atomically: true, encoding: .utf8)
                let result = try ProcessRunner.run(try Paths.executable("access-audit"), [
                    "check", "--policies", work.appendingPathComponent("policy.yaml").path,
                    "--snapshot", work.appendingPathComponent("snapshot.json").path, "--format", "json",
                ])
                let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
                let findings = (json["findings"] as? [[String: Any]] ?? []).filter { $0["rule"] as? String == "attachments" }
                let reported = Set(findings.flatMap { ($0["principals"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } })
                #expect(reported.intersection(roles) == read, "PostgreSQL \(major): the audit reports \(reported.sorted())")
            }
        }
    }
}
