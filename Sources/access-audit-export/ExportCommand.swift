import ArgumentParser
import AuditSupport
import Foundation
import SnapshotExport

/// `access-audit-export`: writes the permissions snapshot of a live PostgreSQL database.
@main
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access-audit-export",
        abstract: "Export a permissions snapshot (format version 1) from a live PostgreSQL 13–18 server.",
        discussion: """
            Connects with a postgres:// URL or the usual PG* environment variables (PGHOST, PGPORT, PGUSER, \
            PGPASSWORD, PGDATABASE, PGSSLMODE, PGSSLROOTCERT, PGPASSFILE) and ~/.pgpass. Reads only the system \
            catalogs that every role can read: no superuser and no extra grant is needed. Exit codes: 0 written, \
            2 the export could not be made (connection, authentication, TLS or query failure).
            """,
        version: ToolInfo.version)

    @Option(help: "Connection URL, e.g. postgres://auditor@db.example.com/support?sslmode=verify-full")
    var url: String?

    @Option(help: "Write the snapshot to this file (default: standard output).")
    var output: String?

    @Flag(name: .customLong("all-databases"), help: "Export every database of the cluster this role may connect to, one file each.")
    var allDatabases = false

    @Option(name: .customLong("output-dir"), help: "With --all-databases: the folder for DATABASE.json files.")
    var outputDirectory: String?

    @Flag(name: .customLong("print-sql"), help: "Print the export query (the same text as sql/export-snapshot.sql) and exit.")
    var printSQL = false

    mutating func run() async throws {
        if printSQL {
            print(ExportQuery().psqlScript, terminator: "")
            return
        }
        do {
            let settings = try ConnectionSettings.resolve(url: url)
            let exporter = SnapshotExporter()
            if allDatabases {
                guard let outputDirectory else { throw ValidationError("--all-databases needs --output-dir") }
                try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
                for database in try await exporter.connectableDatabases(settings) {
                    let text = try await exporter.exportJSON(settings.with(database: database))
                    let path = (outputDirectory as NSString).appendingPathComponent("\(database).json")
                    try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: path))
                    FileHandle.standardError.write(Data("exported \(database) to \(path)\n".utf8))
                }
                return
            }
            let text = try await exporter.exportJSON(settings)
            if let output, output != "-" {
                try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: output))
            } else {
                print(text)
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("access-audit-export: error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
