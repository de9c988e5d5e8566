import SnapshotModel
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// Connects to a live PostgreSQL and exports snapshots with `ExportQuery`: three statements per
/// database (the server version, its parameter privileges from PostgreSQL 15, everything else)
/// in one read-only REPEATABLE READ transaction, as whatever role the settings name (no
/// superuser needed).
package struct SnapshotExporter: Sendable {
    package var query = ExportQuery()

    package init() {}

    /// The failure of an export: connection, authentication, TLS or query.
    package struct Failure: Error, CustomStringConvertible, Sendable {
        package var description: String
    }

    /// The snapshot JSON of the settings' database, checked by decoding it with the audit's own
    /// strict loader before anything is written.
    package func exportJSON(_ settings: ConnectionSettings) async throws -> String {
        let text = try await withConnection(settings) { connection, logger in
            // One read-only transaction, one snapshot of the catalogs for every statement.
            _ = try await connection.query(PostgresQuery(unsafeSQL: ExportQuery.beginTransaction), logger: logger)
            _ = try await connection.query(PostgresQuery(unsafeSQL: ExportQuery.withoutJIT), logger: logger)
            // Parameter privileges exist from PostgreSQL 15; before, the main statement gets `[]`.
            var version = 0
            for try await number in try await connection.query(
                "SELECT pg_catalog.current_setting('server_version_num')::integer", logger: logger
            ).decode(Int.self) { version = number }
            var parameterPrivileges = "[]"
            if version >= ExportQuery.parameterPrivilegesFrom {
                let rows = try await connection.query(PostgresQuery(unsafeSQL: ExportQuery.parameterPrivilegesSQL), logger: logger)
                for try await text in rows.decode(String.self) { parameterPrivileges = text }
            }
            var binds = PostgresBindings()
            binds.append(parameterPrivileges)
            var result: String?
            let rows = try await connection.query(PostgresQuery(unsafeSQL: query.sql, binds: binds), logger: logger)
            for try await row in rows.decode(String.self) { result = row }
            _ = try await connection.query("COMMIT", logger: logger)
            guard let result else { throw Failure(description: "the export query returned no row") }
            return result
        }
        do {
            _ = try SnapshotLoader().decode(Data(text.utf8), file: "\(settings.database) export")
        } catch {
            throw Failure(description: "the server's export does not form a valid snapshot: \(error)")
        }
        return text
    }

    /// Databases of the cluster this role may connect to (for `--all-databases`).
    package func connectableDatabases(_ settings: ConnectionSettings) async throws -> [String] {
        try await withConnection(settings) { connection, logger in
            let rows = try await connection.query(
                "SELECT datname FROM pg_catalog.pg_database WHERE datallowconn AND NOT datistemplate AND pg_catalog.has_database_privilege(datname, 'CONNECT') ORDER BY datname",
                logger: logger)
            var names: [String] = []
            for try await name in rows.decode(String.self) { names.append(name) }
            return names
        }
    }

    private func withConnection<T: Sendable>(
        _ settings: ConnectionSettings, _ body: (PostgresConnection, Logger) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "access-audit-export")
        logger.logLevel = .critical
        let configuration = try Self.configuration(settings)
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            throw Failure(description: "cannot connect to \(settings.isUnixSocket ? settings.socketPath : "\(settings.host):\(settings.port)") as \(settings.user): \(String(reflecting: error))")
        }
        do {
            let result = try await body(connection, logger)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    static func configuration(_ settings: ConnectionSettings) throws -> PostgresConnection.Configuration {
        if settings.isUnixSocket {
            return PostgresConnection.Configuration(
                unixSocketPath: settings.socketPath, username: settings.user, password: settings.password, database: settings.database)
        }
        return PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.user, password: settings.password,
            database: settings.database, tls: try tls(settings))
    }

    /// libpq's sslmode as NIOSSL settings: `prefer`/`allow`/`require` encrypt without verifying
    /// (as libpq does without a root certificate), `verify-ca` checks the chain, `verify-full`
    /// also the host name.
    static func tls(_ settings: ConnectionSettings) throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch settings.sslMode {
        case .disable: return .disable
        case .allow, .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        if let root = settings.sslRootCert {
            configuration.trustRoots = .file(root)
        }
        let context = try NIOSSLContext(configuration: configuration)
        switch settings.sslMode {
        case .allow, .prefer: return .prefer(context)
        default: return .require(context)
        }
    }
}
