
import Foundation
import SnapshotExport

enum Paths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let supportSQL = packageRoot.appendingPathComponent("examples/support-db/support-db.sql").path
    static let exampleSnapshot = packageRoot.appendingPathComponent("examples/support-db/snapshot.json").path
    static let examplePolicies = packageRoot.appendingPathComponent("policies/support-db").path
    static let exportSQL = packageRoot.appendingPathComponent("sql/export-snapshot.sql").path
    static let fixtures = packageRoot.appendingPathComponent("Tests/AccessAuditPostgresTests/Fixtures")

    /// A built executable of this package, found next to the test bundle.
    static func executable(_ name: String) throws -> URL {
        var candidates: [URL] = []
        if let main = Bundle.main.executableURL { candidates.append(main.deletingLastPathComponent().appendingPathComponent(name)) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw PostgresServer.Failure(description: "\(name) not found next to the tests (\(candidates.map(\.path)))")
        }
        return found
    }
}

/// A snapshot's JSON without the fields that change from one export to the next.
func stableJSON(_ text: String) throws -> NSDictionary {
    guard var object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        throw PostgresServer.Failure(description: "not a JSON object")
    }
    for key in ["exported_at", "exported_by", "server_version", "server_version_num"] { object.removeValue(forKey: key) }
    return object as NSDictionary
}

/// Exports a database of the server through the library (as the executable does).
func export(_ server: PostgresServer, database: String, user: String = "postgres") async throws -> String {
    try await SnapshotExporter().exportJSON(server.settings(database: database, user: user))
}

/// `stableJSON` without the values of settings only superusers and `pg_read_all_settings` may
/// see: what an ordinary exporting role cannot read (and says so) is the one permitted difference.
func stableJSONWithoutPrivilegedSettings(_ text: String) throws -> NSDictionary {
    guard var object = try stableJSON(text) as? [String: Any], var logging = object["logging"] as? [String: Any],
          let settings = logging["settings"] as? [[String: Any]]
    else { throw PostgresServer.Failure(description: "no logging section") }
    logging["settings"] = settings.map { setting -> [String: Any] in
        guard setting["name"] as? String == "shared_preload_libraries" else { return setting }
        return ["name": "shared_preload_libraries"]
    }
    object["logging"] = logging
    return object as NSDictionary
}
