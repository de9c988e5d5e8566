import Foundation
import SnapshotExport
import Testing

/// libpq-style connection settings, without a server.
@Suite("Connection settings resolve like libpq")
struct ConnectionSettingsTests {
    @Test func urlGivesEveryPart() throws {
        let settings = try ConnectionSettings.resolve(url: "postgres://auditor:s3cret@db.example.com:6432/support?sslmode=verify-full&sslrootcert=/etc/ca.pem", environment: [:])
        #expect(settings == ConnectionSettings(host: "db.example.com", port: 6432, user: "auditor", password: "s3cret", database: "support", sslMode: .verifyFull, sslRootCert: "/etc/ca.pem"))
    }

    @Test func environmentFillsWhatTheURLDoesNotSay() throws {
        let settings = try ConnectionSettings.resolve(
            url: "postgresql:///support", environment: ["PGHOST": "/run/pg", "PGPORT": "5433", "PGUSER": "ops", "PGSSLMODE": "disable"], home: "/nonexistent")
        #expect(settings.host == "/run/pg" && settings.port == 5433 && settings.user == "ops" && settings.database == "support")
        #expect(settings.isUnixSocket && settings.socketPath == "/run/pg/.s.PGSQL.5433")
    }

    @Test func socketDirectoryMayBeGivenAsAParameterOrEncodedHost() throws {
        #expect(try ConnectionSettings.resolve(url: "postgres://ops@%2Ftmp%2Fpg/db", environment: [:], home: "/x").host == "/tmp/pg")
        #expect(try ConnectionSettings.resolve(url: "postgres:///db?host=/tmp/pg", environment: [:], home: "/x").host == "/tmp/pg")
    }

    @Test func defaultsAreLibpqs() throws {
        let settings = try ConnectionSettings.resolve(url: nil, environment: [:], currentUser: "me", home: "/nonexistent")
        #expect(settings.user == "me" && settings.database == "me" && settings.port == 5432 && settings.sslMode == .prefer)
        #expect(settings.isUnixSocket)
    }

    @Test func badValuesAreProblems() {
        #expect(throws: ConnectionSettings.Problem.self) { try ConnectionSettings.resolve(url: "mysql://x", environment: [:]) }
        #expect(throws: ConnectionSettings.Problem.self) { try ConnectionSettings.resolve(url: nil, environment: ["PGSSLMODE": "maybe"]) }
        #expect(throws: ConnectionSettings.Problem.self) { try ConnectionSettings.resolve(url: nil, environment: ["PGPORT": "99999"]) }
        #expect(throws: ConnectionSettings.Problem.self) { try ConnectionSettings.resolve(url: "postgres://h/db?bogus=1", environment: [:]) }
    }

    @Test func passwordFileFieldsHonourEscapesAndWildcards() throws {
        #expect(PasswordFile.fields(#"h\:x:5432:*:u:pa\:ss"#) == ["h:x", "5432", "*", "u", "pa:ss"])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("pass")
        try "db.example.com:*:*:auditor:first\n*:*:*:*:fallback\n".write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let settings = try ConnectionSettings.resolve(url: "postgres://auditor@db.example.com/x", environment: ["PGPASSFILE": file.path])
        #expect(settings.password == "first")
        #expect(try ConnectionSettings.resolve(url: "postgres://other@h/x", environment: ["PGPASSFILE": file.path]).password == "fallback")
        #expect(try ConnectionSettings.resolve(url: "postgres://auditor:given@db.example.com/x", environment: ["PGPASSFILE": file.path]).password == "given")
    }
}
