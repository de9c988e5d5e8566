import SnapshotModel
import AccessEngine
import Foundation
import Testing

/// PostgreSQL's own privileges regression test (`../shared/regress/`, verbatim), run on a real
/// server of each major up to its final clean-up, so its hundreds of GRANT/REVOKE, ownership,
/// column, default-privilege and membership cases stay in the database; then the engine must
/// answer every has_*_privilege / pg_has_role question about its roles and objects as the
/// server does. A test suite nobody on this project wrote.
@Suite("PostgreSQL's privileges regression test as the oracle", .serialized)
struct RegressionSuiteOracleTests {
    /// Which file each major runs: 15's own, the 16devel one for 16, 18's for 17 and 18 (a
    /// statement a server does not know fails, as the file's expected failures do).
    static func file(for major: Int) -> String {
        switch major {
        case 15: "privileges-REL_15.sql"
        case 16: "privileges.sql"
        default: "privileges-REL_18.sql"
        }
    }

    static let regressFolder = Paths.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/regress")

    /// The file up to its final clean-up (the `-- clean up` before `drop sequence x_seq`).
    static func withoutFinalCleanup(_ text: String) throws -> String {
        let lines = text.components(separatedBy: "\n")
        guard let sequenceDrop = lines.lastIndex(where: { $0.lowercased().hasPrefix("drop sequence x_seq") }),
            let cleanup = lines[..<sequenceDrop].lastIndex(where: { $0.hasPrefix("-- clean up") })
        else { throw PostgresServer.Failure(description: "the regression file's final clean-up was not found") }
        return lines[..<cleanup].joined(separator: "\n") + "\n"
    }

    @Test(arguments: PostgresServer.supportedMajors)
    func engineAgreesWithPostgresOnItsOwnRegressionTest(major: Int) async throws {
        let source = Self.regressFolder.appendingPathComponent(Self.file(for: major))
        let text = try String(contentsOf: source, encoding: .utf8)
        let server = try PostgresServer(major: major)
        defer { server.stop() }
        try server.psql("CREATE DATABASE regression")
        // pg_regress's test_setup.sql opens the public schema before any test file runs.
        try server.psql("GRANT ALL ON SCHEMA public TO public", database: "regression")
        _ = try server.psqlAttempt(try Self.withoutFinalCleanup(text), database: "regression", user: "postgres")
        let snapshot = try SnapshotLoader().decode(Data(try await export(server, database: "regression").utf8), file: "regression")
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        let schemas = "n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'"
        let query = OracleQuery(major: major, roles: "rolname LIKE 'regress\\_%'", schemas: schemas, relations: "true", functions: "true")
        let output = try server.psql(query.sql, database: "regression")
        let comparison = try OracleTests.compare(engine, output, seed: UInt64(major))
        print("regression-test oracle PostgreSQL \(major) (\(Self.file(for: major))): \(comparison.cases) cases, \(comparison.disagreements.count) disagreements; by kind: \(comparison.counts.sorted { $0.key < $1.key })")
        for disagreement in comparison.disagreements.prefix(25) { print("regression-test disagreement PostgreSQL \(major): \(disagreement.line) — engine says \(disagreement.engine)") }
        #expect(comparison.cases >= 1_000)
        #expect(comparison.disagreements.isEmpty)
    }
}
