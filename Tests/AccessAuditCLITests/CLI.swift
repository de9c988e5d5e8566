import Foundation
import TestSupport
import Testing

/// Runs the built `access-audit` executable and captures what it prints and its exit code.
enum CLI {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let examplePolicies = packageRoot.appendingPathComponent("policies/support-db").path
    static let exampleSnapshot = packageRoot.appendingPathComponent("examples/support-db/snapshot.json").path
    static let fixtures = packageRoot.appendingPathComponent("Tests/AccessAuditCLITests/Fixtures")

    /// The binary next to the test bundle (SwiftPM builds both into the same folder).
    static func executable() throws -> URL {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["ACCESS_AUDIT_BIN"] { candidates.append(URL(fileURLWithPath: override)) }
        if let main = Bundle.main.executableURL { candidates.append(main.deletingLastPathComponent().appendingPathComponent("access-audit")) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("access-audit"))
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("access-audit"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CLIError(message: "access-audit binary not found next to the tests (looked at \(candidates.map(\.path)))")
        }
        return found
    }

    struct CLIError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func run(_ arguments: [String], in directory: URL? = nil) throws -> ProcessRunner.Result {
        try ProcessRunner.run(try executable(), arguments, in: directory ?? packageRoot)
    }

    static func temporaryFile(_ name: String, _ contents: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("access-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(name)
        try contents.write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}
