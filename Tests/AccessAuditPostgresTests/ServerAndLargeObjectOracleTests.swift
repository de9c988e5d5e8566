import AuditSupport
import SnapshotModel
import AccessEngine
import Foundation
import Testing

/// Foreign servers and large objects with PostgreSQL's own privilege functions as the judge:
/// random memberships (NOINHERIT roles; on 16+ INHERIT FALSE memberships), grants to roles and
/// PUBLIC, owners that revoked their own rights. The engine must agree with
/// `has_server_privilege` on every role and server, and (PostgreSQL 18, which has it) with
/// `has_largeobject_privilege` on every role, large object and privilege.
extension AccessBoundaryTests {
    static func serversAndLargeObjects(seed: UInt64, major: Int) -> String {
        var rng = SplitMix64(seed: seed)
        func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
        let roles = (0..<8).map { "fo_r\($0)" }
        func pick() -> String { roles[Int.random(in: 0..<roles.count, using: &rng)] }
        var sql: [String] = []
        for (i, role) in roles.enumerated() { sql.append("CREATE ROLE \(role)\(i % 3 == 0 ? " NOINHERIT" : "");") }
        for (i, role) in roles.enumerated() where i > 0 {
            let group = roles[Int.random(in: 0..<i, using: &rng)]
            let option = major >= 16 && chance(0.3) ? " WITH INHERIT FALSE" : ""
            sql.append("GRANT \(group) TO \(role)\(option);")
        }
        sql.append("CREATE FOREIGN DATA WRAPPER fo_fdw;")
        for s in 0..<4 {
            let owner = pick()
            sql.append("CREATE SERVER fo_s\(s) FOREIGN DATA WRAPPER fo_fdw;")
            sql.append("ALTER SERVER fo_s\(s) OWNER TO \(owner);")
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                let grantee = chance(0.2) ? "PUBLIC" : pick()
                sql.append("GRANT USAGE ON FOREIGN SERVER fo_s\(s) TO \(grantee)\(grantee != "PUBLIC" && chance(0.3) ? " WITH GRANT OPTION" : "");")
            }
            if chance(0.3) { sql.append("REVOKE USAGE ON FOREIGN SERVER fo_s\(s) FROM \(owner);") }
        }
        // One large object per owner, so each is its own group in the snapshot.
        for l in 0..<4 {
            sql.append("CREATE ROLE fo_lo\(l);")
            sql.append("GRANT fo_lo\(l) TO \(pick());")
            var statements = ["EXECUTE format('ALTER LARGE OBJECT %s OWNER TO fo_lo\(l)', o);"]
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                let privilege = chance(0.5) ? "SELECT" : chance(0.5) ? "UPDATE" : "SELECT, UPDATE"
                statements.append("EXECUTE format('GRANT \(privilege) ON LARGE OBJECT %s TO \(chance(0.2) ? "PUBLIC" : pick())', o);")
            }
            if chance(0.3) { statements.append("EXECUTE format('REVOKE UPDATE ON LARGE OBJECT %s FROM fo_lo\(l)', o);") }
            sql.append("DO $$ DECLARE o oid := pg_catalog.lo_from_bytea(0, '\\x00'); BEGIN \(statements.joined(separator: " ")) END $$;")
        }
        return sql.joined(separator: "\n")
    }

    @Test func theEngineAgreesWithHasServerPrivilegeAndHasLargeObjectPrivilege() async throws {
        for major in PostgresServer.supportedMajors {
            for seed: UInt64 in [1, 2, 3] {
                try await Self.withDatabase(major, Self.serversAndLargeObjects(seed: seed, major: major)) { server, database in
                    let snapshot = try SnapshotLoader().decode(Data(try await export(server, database: database).utf8), file: database)
                    let engine = EffectiveAccessEngine(snapshot: snapshot)
                    let servers = try server.psql("""
                        SELECT r.rolname || '|' || s.srvname || '|' || pg_catalog.has_server_privilege(r.oid, s.oid, 'USAGE')
                        FROM pg_catalog.pg_roles r, pg_catalog.pg_foreign_server s WHERE r.rolname LIKE 'fo\\_%' ORDER BY 1
                        """, database: database)
                    var compared = 0
                    for row in servers.split(separator: "\n") {
                        let parts = row.split(separator: "|").map(String.init)
                        guard parts.count == 3, let role = engine.graph.roleIndex[parts[0]],
                            let index = engine.graph.foreignServers.firstIndex(where: { $0.name == parts[1] })
                        else { Issue.record("PostgreSQL \(major) seed \(seed): \(row) is not in the snapshot"); continue }
                        compared += 1
                        #expect(engine.hasServerUsage(role, on: index) == (parts[2] == "true"),
                                "PostgreSQL \(major) seed \(seed): has_server_privilege(\(parts[0]), \(parts[1]), USAGE) is \(parts[2])")
                    }
                    #expect(compared == 12 * 4, "PostgreSQL \(major) seed \(seed): \(compared) role/server pairs compared")
                    guard major >= 18 else { return }
                    let objects = try server.psql("""
                        SELECT r.rolname || '|' || o.rolname || '|' || p.privilege || '|' || pg_catalog.has_largeobject_privilege(r.oid, l.oid, p.privilege)
                        FROM pg_catalog.pg_roles r, pg_catalog.pg_largeobject_metadata l JOIN pg_catalog.pg_roles o ON o.oid = l.lomowner,
                             (VALUES ('SELECT'), ('UPDATE')) p(privilege)
                        WHERE r.rolname LIKE 'fo\\_%' ORDER BY 1
                        """, database: database)
                    var comparedObjects = 0
                    for row in objects.split(separator: "\n") {
                        let parts = row.split(separator: "|").map(String.init)
                        guard parts.count == 4, let role = engine.graph.roleIndex[parts[0]], let object = engine.graph.object(.largeObject, parts[1]),
                            let privilege = Privilege(rawValue: parts[2])
                        else { Issue.record("PostgreSQL \(major) seed \(seed): \(row) is not in the snapshot"); continue }
                        comparedObjects += 1
                        #expect(engine.hasPrivilege(role, privilege, on: object) == (parts[3] == "true"),
                                "PostgreSQL \(major) seed \(seed): has_largeobject_privilege(\(parts[0]), large object of \(parts[1]), \(parts[2])) is \(parts[3])")
                    }
                    #expect(comparedObjects == 12 * 4 * 2)
                }
            }
        }
    }
}
