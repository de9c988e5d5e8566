import Foundation
import TestSupport
import Testing

/// A consumer package that depends on this one by path runs `swift package audit-access` for
/// real: zero on a clean snapshot, non-zero on over-broad access and on a broken policy file.
@Suite("swift package audit-access in a consumer package", .serialized)
struct PluginConsumerTests {
    /// Runs `swift package` in `directory` and returns its status and combined output.
    static func swiftPackage(_ arguments: [String], in directory: URL) throws -> (status: Int32, output: String, seconds: Double) {
        let result = try ProcessRunner.run(tool: "swift", ["package"] + arguments, in: directory)
        return (result.status, result.stdout + result.stderr, result.seconds)
    }

    /// Copies the fixture package to a temporary folder, pointing its dependency at this checkout.
    static func makeConsumer() throws -> URL {
        let source = CLI.fixtures.appendingPathComponent("ConsumerPackage")
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("consumer-\(UUID().uuidString.prefix(8))")
        try FileManager.default.copyItem(at: source, to: target)
        let manifest = target.appendingPathComponent("Package.swift")
        let text = try String(contentsOf: manifest, encoding: .utf8).replacingOccurrences(of: "ACCESS_AUDIT_PACKAGE_PATH", with: CLI.packageRoot.path)
        try text.write(to: manifest, atomically: true, encoding: .utf8)
        return target
    }

    @Test func theGateRunsThroughSwiftPackageWithTheRightExitCodes() throws {
        let consumer = try Self.makeConsumer()
        defer { try? FileManager.default.removeItem(at: consumer) }

        let clean = try Self.swiftPackage(["audit-access", "--as-of", "2026-11-22"], in: consumer)
        print("swift package audit-access, cold first run: \(String(format: "%.1f", clean.seconds)) s")
        #expect(clean.status == 0, "clean snapshot failed:\n\(clean.output)")
        #expect(clean.output.contains("PASSED"))

        let help = try Self.swiftPackage(["audit-access", "--help"], in: consumer)
        #expect(help.status == 0 && help.output.contains("USAGE: swift package audit-access"))

        // Over-broad access: carol may now read customers directly.
        let snapshot = consumer.appendingPathComponent("snapshots/support.json")
        let original = try String(contentsOf: snapshot, encoding: .utf8)
        try original.replacingOccurrences(of: "\"grantee\": \"privacy_officer\",", with: "\"grantee\": \"carol\",")
            .write(to: snapshot, atomically: true, encoding: .utf8)
        let overBroad = try Self.swiftPackage(["audit-access", "--as-of", "2026-11-22"], in: consumer)
        #expect(overBroad.status != 0)
        #expect(overBroad.output.contains("carol holds SELECT on public.customers"))
        #expect(overBroad.output.contains("the gate failed"))

        // The report goes to the plugin's work directory without any write permission.
        let report = try Self.swiftPackage(["audit-access", "--report-file", "audit.sarif", "--format", "sarif", "--as-of", "2026-11-22"], in: consumer)
        #expect(report.status != 0)
        #expect(report.output.contains("audit.sarif"))
        try original.write(to: snapshot, atomically: true, encoding: .utf8)

        // A broken policy file: non-zero, naming file, line and column.
        let policy = consumer.appendingPathComponent("policies/broken.yaml")
        try "version: 1\nroles:\n  eve:\n    kind: human\n    login: yes\n".write(to: policy, atomically: true, encoding: .utf8)
        let broken = try Self.swiftPackage(["audit-access"], in: consumer)
        #expect(broken.status != 0)
        #expect(broken.output.contains("broken.yaml:5:12: error: 'yes' is a YAML 1.1 boolean"))
        #expect(broken.output.contains("could not be used"))
    }
}
