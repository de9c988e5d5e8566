
import Foundation
import TestSupport
import Testing

/// The insider incident on a real server: `check` reports every road to customer emails with
/// its path, and passes once the fix is applied.
@Suite("The incident's roads to customer data", .serialized, .withPostgres)
struct IncidentTests {
    func check(_ snapshot: String) throws -> (status: Int32, json: [String: Any]) {
        let result = try ProcessRunner.run(try Paths.executable("access-audit"), [
            "check", "--format", "json", "--as-of", "2026-11-22",
            "--policies", Paths.fixtures.appendingPathComponent("incident-policy.yaml").path, "--snapshot", snapshot,
        ])
        return (result.status, try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:])
    }

    func exportToFile(_ server: PostgresServer) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("incident-\(UUID().uuidString).json")
        try await export(server, database: "incident").write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func everyRoadIsReportedWithItsPathAndTheFixClosesThemAll() async throws {
        let server = try WithPostgres.current()
        try server.psql("CREATE DATABASE incident")
        _ = try server.psqlFile(Paths.fixtures.appendingPathComponent("incident.sql").path, database: "incident")

        let before = try check(try await exportToFile(server))
        #expect(before.status == 1)
        let findings = before.json["findings"] as? [[String: Any]] ?? []
        let malloryPaths = findings.filter { ($0["rule"] as? String) == "pii-readers" }
            .flatMap { $0["principals"] as? [[String: Any]] ?? [] }
            .filter { ($0["name"] as? String) == "mallory" }
            .compactMap { $0["path"] as? String }
        let roads = [
            "mallory → agents → escalations → reporting → SELECT public.customers",
            "mallory → agents → SELECT public.customer_directory → view public.customer_directory (runs as its owner) → crm_owner → SELECT public.customers",
            "mallory → PUBLIC → EXECUTE public.lookup_customer(integer) → SECURITY DEFINER public.lookup_customer(integer) (runs as its owner) → crm_owner → SELECT public.customers",
            "mallory → PUBLIC → SELECT public.customers.email",
        ]
        for road in roads { #expect(malloryPaths.contains(road), "missing road: \(road)\nfound: \(malloryPaths)") }
        let rules = Set(findings.compactMap { $0["rule"] as? String })
        #expect(rules.isSuperset(of: ["pii-readers", "undeclared-membership", "over-broad-grant", "definer-exposure", "public-grant-on-classified"]))

        _ = try server.psqlFile(Paths.fixtures.appendingPathComponent("incident-fix.sql").path, database: "incident")
        let after = try check(try await exportToFile(server))
        let remaining = (after.json["findings"] as? [[String: Any]] ?? []).filter { ($0["severity"] as? String) != "info" }
        #expect(after.status == 0, "still failing: \(remaining.map { $0["message"] ?? "" })")
    }
}
