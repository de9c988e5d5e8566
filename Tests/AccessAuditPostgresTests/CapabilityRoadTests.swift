
import Foundation
import TestSupport
import Testing

/// Each road of the capabilities issue by hand, on every major where it exists: the SQL that
/// builds it, the attack that gets the canary out as `mallory` on the real server, and the
/// finding `access-audit check` must make of the exported snapshot (mode, capability step,
/// cause). The negative road (search_path pinned with pg_temp last) must fail as an attack and
/// stay silent in the audit.
@Suite("Capability roads on real servers", .serialized, .withPostgresMajors)
struct CapabilityRoadTests {
    static func policy(_ privilege: String) -> String {
        """
        version: 1
        data_classes:
          pii:
            severity: critical
            columns: [public.customers.email]
        rules:
          - id: customer-data
            description: Nobody reads or changes customer emails.
            severity: critical
            deny:
              privileges: [\(privilege)]
              data_class: pii
        """
    }

    @Test(arguments: CapabilityRoad.all)
    func roadWorksOnTheServerAndTheAuditReportsIt(_ road: CapabilityRoad) async throws {
        try await Self.run(road)
    }

    /// Where rows really go (whole-row references, call chains): plain reads the catalogs'
    /// dependencies under-record, attacked the same way.
    @Test(arguments: CapabilityRoad.dataFlow)
    func rowsGoWhereTheAuditSays(_ road: CapabilityRoad) async throws {
        try await Self.run(road)
    }

    static func run(_ road: CapabilityRoad) async throws {
        for major in road.majors {
            let server = try WithPostgresMajors.server(major)
            let database = "road_\(UUID().uuidString.prefix(8).lowercased())"
            let canary = "cn7road\(major)z"
            let setup = (CapabilityRoad.base + "\n" + road.setup).replacingOccurrences(of: "{canary}", with: canary)
                .replacingOccurrences(of: "{socket}", with: server.socketDirectory.path).replacingOccurrences(of: "{port}", with: String(server.port))
                .replacingOccurrences(of: "{database}", with: database)
            let roles = Self.createdRoles(setup)
            try server.psql("CREATE DATABASE \(database)")
            defer {
                for statement in road.cleanup { _ = try? server.psql(statement) }
                // DROP OWNED also revokes the memberships these roles granted (an attack's
                // GRANT … TO mallory names its grantor from 16 on), so the roles can go.
                _ = try? server.psql("DROP OWNED BY \(roles.joined(separator: ", ")) CASCADE", database: database)
                _ = try? server.psql("DROP DATABASE \(database) WITH (FORCE)")
                for role in roles.reversed() { _ = try? server.psql("DROP ROLE IF EXISTS \(role)") }
                let left = (try? server.psql("SELECT string_agg(rolname, ', ') FROM pg_roles WHERE rolname IN (\(roles.map { "'\($0)'" }.joined(separator: ", ")))")) ?? ""
                if !left.isEmpty { Issue.record("PostgreSQL \(major): roles left behind by \(road.name): \(left)") }
            }
            let script = server.root.appendingPathComponent("\(database).sql")
            try setup.write(to: script, atomically: true, encoding: .utf8)
            _ = try server.psqlFile(script.path, database: database)
            let snapshotText = try await export(server, database: database)

            // Every column written, then a new customer (index expressions run for new entries only).
            let writer = server.psqlCommand(database: database) + " -c " + AttackHarness.shellQuoted("UPDATE public.customers SET id = id, email = email")
                + " -c " + AttackHarness.shellQuoted("INSERT INTO public.customers (id, email) SELECT id + 1, email FROM public.customers")
            let reader = "(" + server.psqlCommand(database: database) + " -c "
                + AttackHarness.shellQuoted("SELECT pg_sleep(4) WHERE '\(canary)' IS NOT NULL") + " >/dev/null 2>&1 &)"
            let agentReader = server.psqlCommand(database: database, user: "agent") + " -c " + AttackHarness.shellQuoted("SELECT count(*) FROM public.customers")
            let superuser = server.psqlCommand(database: database)
            let reload = "\(superuser) -c 'SELECT pg_reload_conf()' >/dev/null; sleep 1; \(superuser) -c 'SELECT pg_switch_wal()' >/dev/null; sleep 3"
            let attack = road.attack.replacingOccurrences(of: "{writer}", with: writer).replacingOccurrences(of: "{reader}", with: reader)
                .replacingOccurrences(of: "{agentReader}", with: agentReader).replacingOccurrences(of: "{superuser}", with: superuser)
                .replacingOccurrences(of: "{reload}", with: reload).replacingOccurrences(of: "{canary}", with: canary)
            var output = try server.psqlAttempt(attack, database: database, user: "mallory")
            if let verify = road.verify { output = try server.psql(verify, database: database) }
            let worked = output.contains(road.success ?? (road.verify == nil ? canary : "taken-over"))
            #expect(worked == road.expectAttackWorks, "PostgreSQL \(major): \(road.name): the attack \(worked ? "worked" : "failed"):\n\(output)")

            let reported = try Self.audit(snapshotText, in: server.root, privilege: road.deniedPrivilege, rule: road.rule).filter { $0.name == "mallory" }
            guard road.expectAttackWorks else {
                // A definer function whose body is not SQL-standard is still reported as reading what
                // its owner can (its reads cannot be seen); what must not be claimed is the road itself.
                let claimed = reported.filter { entry in road.capability.map(entry.capabilities.contains) ?? true }
                #expect(claimed.isEmpty, "PostgreSQL \(major): \(road.name): the audit reports a road that does not work: \(claimed)")
                continue
            }
            // Among the findings that list mallory, one names this road: its mode, step and cause.
            let matching = reported.filter { entry in
                entry.mode == road.mode && road.capability.map(entry.capabilities.contains) != false
                    && road.cause.map(entry.cause.contains) != false
            }
            #expect(!matching.isEmpty, "PostgreSQL \(major): \(road.name): no finding names the road; mallory is reported as \(reported)")
        }
    }

    struct Reported: CustomStringConvertible {
        var name: String
        var mode: String
        var path: String
        var capabilities: [String]
        var cause: String
        var description: String { "\(name) [\(mode)] \(path) — \(cause)" }
    }

    /// Runs `access-audit check --format json` with a deny rule on the canary column and
    /// returns every principal the rule's findings list, with the finding's cause.
    static func audit(_ snapshot: String, in folder: URL, privilege: String = "SELECT", rule: String = "customer-data") throws -> [Reported] {
        let work = folder.appendingPathComponent("audit-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        try snapshot.write(to: work.appendingPathComponent("snapshot.json"), atomically: true, encoding: .utf8)
        try policy(privilege).write(to: work.appendingPathComponent("policy.yaml"), atomically: true, encoding: .utf8)
        let result = try ProcessRunner.run(try Paths.executable("access-audit"), [
            "check", "--policies", work.appendingPathComponent("policy.yaml").path,
            "--snapshot", work.appendingPathComponent("snapshot.json").path, "--format", "json",
        ])
        guard result.status == 0 || result.status == 1,
            let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
            let findings = json["findings"] as? [[String: Any]]
        else { throw PostgresServer.Failure(description: "access-audit check failed (\(result.status)): \(result.stderr)") }
        var reported: [Reported] = []
        for finding in findings where finding["rule"] as? String == rule {
            let cause = (finding["cause"] as? [String: Any])?["description"] as? String ?? ""
            for principal in finding["principals"] as? [[String: Any]] ?? [] {
                let steps = principal["steps"] as? [[String: Any]] ?? []
                reported.append(Reported(
                    name: principal["name"] as? String ?? "", mode: principal["mode"] as? String ?? "",
                    path: principal["path"] as? String ?? "", capabilities: steps.compactMap { $0["capability"] as? String }, cause: cause))
            }
        }
        return reported
    }

    /// The roles a setup creates (cluster-wide, so each road drops its own).
    static func createdRoles(_ sql: String) -> [String] {
        sql.components(separatedBy: "\n").compactMap { line in
            let words = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
            guard words.count >= 3, words[0] == "CREATE", words[1] == "ROLE" else { return nil }
            return String(words[2]).trimmingCharacters(in: CharacterSet(charactersIn: ";"))
        }
    }
}
