import AccessAuditKit
import Foundation
import Testing

/// `init` on a database exported from a real server, shaped like an organisation (groups in
/// three levels, schema-wide and column grants, PUBLIC grants, default privileges): files within
/// the loader's limit, every role declared once, byte-identical across runs, and a `check`
/// against them finds nothing above info.
@Suite("init on an exported organisation", .serialized, .withPostgres)
struct InitAtScaleTests {
    /// Roles and schemas, then the tables in blocks of 100 (each block its own transaction: one
    /// transaction creating 4,000 tables runs out of lock slots).
    static let organisation: String = {
        var blocks = ["""
            DO $$
            DECLARE i int;
            BEGIN
              FOR i IN 0..19 LOOP EXECUTE format('CREATE ROLE org_top%s NOLOGIN', i); END LOOP;
              FOR i IN 0..79 LOOP
                EXECUTE format('CREATE ROLE org_mid%s NOLOGIN', i);
                EXECUTE format('GRANT org_top%s TO org_mid%s', i % 20, i);
              END LOOP;
              FOR i IN 0..899 LOOP
                EXECUTE format('CREATE ROLE %s%s LOGIN %s', (ARRAY['agent_', 'lead_', 'svc_app_'])[i % 3 + 1], i, CASE WHEN i % 7 = 0 THEN 'NOINHERIT' ELSE '' END);
                EXECUTE format('GRANT org_mid%s TO %s%s', i % 80, (ARRAY['agent_', 'lead_', 'svc_app_'])[i % 3 + 1], i);
              END LOOP;
              FOR i IN 0..39 LOOP
                EXECUTE format('CREATE SCHEMA s%s; GRANT USAGE ON SCHEMA s%s TO org_top%s', i, i, i % 20);
                EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA s%s GRANT SELECT ON TABLES TO org_top%s', i, i % 20);
              END LOOP;
            END
            $$;
            """]
        for block in 0..<40 {
            blocks.append("""
                DO $$
                DECLARE i int;
                BEGIN
                  FOR i IN \(block * 100)..\(block * 100 + 99) LOOP
                    EXECUTE format('CREATE TABLE s%s.t%s (id int, name text, email text, phone text, note text)', i % 40, i);
                    EXECUTE format('GRANT SELECT ON s%s.t%s TO org_mid%s', i % 40, i, i % 80);
                    EXECUTE format('GRANT SELECT (id, name), UPDATE (note) ON s%s.t%s TO org_top%s', i % 40, i, i % 20);
                    IF i % 10 = 0 THEN EXECUTE format('GRANT INSERT ON s%s.t%s TO PUBLIC', i % 40, i); END IF;
                  END LOOP;
                END
                $$;
                """)
        }
        return blocks.joined(separator: "\n")
    }()

    @Test func initOnAnExportedOrganisationRoundTripsWithinTheLoadersLimits() async throws {
        let server = try WithPostgres.current()
        let database = "init_scale_\(UUID().uuidString.prefix(8).lowercased())"
        try server.psql("CREATE DATABASE \(database)")
        defer {
            _ = try? server.psql("DROP DATABASE \(database) WITH (FORCE)")
            _ = try? server.psql("""
                DO $$ DECLARE r text; BEGIN
                  FOR r IN SELECT rolname FROM pg_roles WHERE rolname ~ '^(org_|agent_|lead_|svc_app_)' LOOP EXECUTE format('DROP ROLE %I', r); END LOOP;
                END $$;
                """)
        }
        let script = server.root.appendingPathComponent("\(database).sql")
        try Self.organisation.write(to: script, atomically: true, encoding: .utf8)
        _ = try server.psqlFile(script.path, database: database)
        let snapshot = try SnapshotLoader().decode(Data(try await export(server, database: database).utf8), file: database)
        #expect(snapshot.roles.count > 1_000 && snapshot.tables.count == 4_000)

        let files = PolicyGenerator().generate(snapshot)
        #expect(files == PolicyGenerator().generate(snapshot), "two runs of init differ")
        let policies = files.filter { $0.name.hasSuffix(".yaml") }
        let limit = PolicyLoader().maximumFileSize
        for file in policies { #expect(file.text.utf8.count <= limit, "\(file.name) is \(file.text.utf8.count) bytes, over the loader's \(limit)") }
        let declared = policies.flatMap { $0.text.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") && $0.hasSuffix(":") } }
        #expect(Set(declared).count == declared.count, "a role declared in two places")

        let policy = try PolicyLoader().load(sources: policies.map { (file: $0.name, text: $0.text) })
        let today = try #require(DayDate(timestamp: snapshot.exportedAt))
        let above = Auditor(policy: policy, today: today, principalLimit: 20).audit(snapshot).filter { $0.severity > .info && !$0.suppressed }
        #expect(above.isEmpty, "\(above.prefix(5).map { "\($0.rule): \($0.message)" })")
    }
}
