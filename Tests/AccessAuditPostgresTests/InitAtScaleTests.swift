import AuditSupport
import SnapshotModel
import AccessPolicy
import PolicyAudit
import QuarterlyReview
import PolicyAuthoring
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

    /// A fresh database holding the organisation; its name.
    static func createOrganisation(on server: PostgresServer, prefix: String) throws -> String {
        let database = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
        try server.psql("CREATE DATABASE \(database)")
        do {
            let script = server.root.appendingPathComponent("\(database).sql")
            try organisation.write(to: script, atomically: true, encoding: .utf8)
            _ = try server.psqlFile(script.path, database: database)
        } catch {
            dropOrganisation(database, on: server)
            throw error
        }
        return database
    }

    /// Drops the database and the organisation's roles (they are cluster-wide).
    static func dropOrganisation(_ database: String, on server: PostgresServer) {
        _ = try? server.psql("DROP DATABASE \(database) WITH (FORCE)")
        _ = try? server.psql("""
            DO $$ DECLARE r text; BEGIN
              FOR r IN SELECT rolname FROM pg_roles WHERE rolname ~ '^(org_|agent_|lead_|svc_app_)' LOOP EXECUTE format('DROP ROLE %I', r); END LOOP;
            END $$;
            """)
    }

    @Test func initOnAnExportedOrganisationRoundTripsWithinTheLoadersLimits() async throws {
        let server = try WithPostgres.current()
        let database = try Self.createOrganisation(on: server, prefix: "init_scale")
        defer { Self.dropOrganisation(database, on: server) }
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

    /// The quarterly review of the same organisation, exported twice from a real server: items
    /// are entitlements (thousands, not logins × tables), KEEP is carried, a REVOKE carried out
    /// between the quarters is verified, one not carried out is flagged, a new grant is new.
    @Test func reviewOfAnExportedOrganisationDecidesEntitlementsQuarterToQuarter() async throws {
        let server = try WithPostgres.current()
        let database = try Self.createOrganisation(on: server, prefix: "review_scale")
        defer { Self.dropOrganisation(database, on: server) }
        let first = try SnapshotLoader().decode(Data(try await export(server, database: database).utf8), file: database)

        // init's policy, every role given an accountable owner (one of 12 teams), and data classes.
        var team = 0
        let sources = PolicyGenerator().generate(first).filter { $0.name.hasSuffix(".yaml") }.map { file -> (file: String, text: String) in
            let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                guard line.hasPrefix("    # owner: ?") else { return String(line) }
                team += 1
                return "    owner: team-\(team % 12)@example.com"
            }
            return (file.name, lines.joined(separator: "\n"))
        } + [(file: "classes.yaml", text: "version: 1\ndata_classes:\n  pii: {severity: critical, columns: ['s*.t*.email', 's*.t*.phone']}\n")]
        let policy = try PolicyLoader().load(sources: sources)
        let q1Day = try #require(DayDate("2026-08-20"))
        let q1 = AccessReviewBuilder(snapshot: first, policy: policy, today: q1Day, policyRevision: "q1", inputs: []).build()

        // Decisions are made on entitlements: as many as memberships, grants on classified
        // tables and privileged attributes make, not logins × tables (900 × 50 and more).
        let logins = Set(first.roles.filter(\.login).map(\.name))
        let loginMemberships = first.memberships.filter { logins.contains($0.member) }.count
        let classifiedGrants = first.tables.filter { $0.name.hasPrefix("t") }.reduce(0) { $0 + $1.acl.count }
        #expect(q1.items.count <= loginMemberships + classifiedGrants + 8, "\(q1.items.count) items")
        #expect(q1.items.filter { $0.kind == .membership }.count == loginMemberships)
        #expect(q1.worksheets.filter { $0.owner != AccessReview.noOwner }.count == 12, "one worksheet per team")
        let keep = try #require(q1.items.first { $0.key == "membership|lead_1|org_mid1" })
        let revokeDone = try #require(q1.items.first { $0.key == "membership|agent_3|org_mid3" })
        let revokeNotDone = try #require(q1.items.first { $0.key == "membership|agent_6|org_mid6" })
        // lead_1 → org_mid1 opens its 50 tables and org_top1's 200 (default privileges): email and phone of each.
        #expect(keep.columns.count == 2 * 200 && keep.leadsTo == ["org_mid1", "org_top1"], "\(keep.columns.count) \(keep.leadsTo)")

        let folder = server.root.appendingPathComponent("\(database)-q1")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in ReviewOutput(review: q1, context: ReportContext(policy: policy, sourceRoot: folder.path)).files {
            try file.content.write(to: folder.appendingPathComponent(file.name), atomically: true, encoding: .utf8)
        }
        let previous = try PreviousReview.load(folder: folder.path)
        let decisions = try ReviewDecisions.parse("""
            item_id,owner,decision,justification,ticket,reviewer,date
            \(keep.id),\(keep.owner ?? ""),KEEP,leads handle escalations,,jane,2026-08-25
            \(revokeDone.id),,REVOKE,,SEC-1,jane,2026-08-25
            \(revokeNotDone.id),,REVOKE,,SEC-2,jane,2026-08-25

            """, file: "decisions.csv", knownIDs: Set(previous.items.keys))

        // Between the quarters: one REVOKE carried out, a new column grant to a login.
        try server.psql("REVOKE org_mid3 FROM agent_3; GRANT UPDATE (email) ON s1.t1 TO lead_4", database: database)
        let second = try SnapshotLoader().decode(Data(try await export(server, database: database).utf8), file: database)
        let q2 = AccessReviewBuilder(
            snapshot: second, policy: policy, today: try #require(DayDate("2026-11-22")), previous: previous, decisions: decisions,
            policyRevision: "q2", inputs: []
        ).build()
        let checks = Dictionary(q2.revokeChecks.map { ($0.decision.itemID, $0.verified) }, uniquingKeysWith: { a, _ in a })
        #expect(checks[revokeDone.id] == true && checks[revokeNotDone.id] == false)
        #expect(q2.findings.contains { $0.rule == AccessReviewBuilder.revokeNotDoneRule && $0.principal == "agent_6" })
        let kept = try #require(q2.items.first { $0.id == keep.id })
        #expect(kept.previousDecision?.verdict == .keep && kept.status == .standing && kept.firstSeen == q1Day)
        let added = try #require(q2.items.first { $0.key == "grant|lead_4|s1.t1|UPDATE" })
        #expect(added.kind == .direct && added.status == .new && added.columns == ["s1.t1.email"])
        #expect(q2.removedItems.map(\.id) == [revokeDone.id])
    }
}

