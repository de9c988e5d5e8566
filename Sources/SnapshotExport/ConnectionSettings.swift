import Foundation

/// Where and how to connect, resolved the way libpq resolves it: a `postgres://` URL, then the
/// `PG*` environment variables, then libpq's defaults; the password from the URL, `PGPASSWORD`
/// or the password file (`PGPASSFILE` or `~/.pgpass`).
package struct ConnectionSettings: Sendable, Equatable {
    /// libpq's `sslmode` values.
    package enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    package var host: String
    package var port: Int
    package var user: String
    package var password: String?
    package var database: String
    package var sslMode: SSLMode
    package var sslRootCert: String?

    package init(host: String, port: Int, user: String, password: String?, database: String, sslMode: SSLMode, sslRootCert: String?) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.sslMode = sslMode
        self.sslRootCert = sslRootCert
    }

    /// A host that starts with `/` is a Unix-socket directory, as in libpq.
    package var isUnixSocket: Bool { host.hasPrefix("/") }
    package var socketPath: String { "\(host)/.s.PGSQL.\(port)" }

    /// A connection problem that makes the export impossible (exit code 2).
    package struct Problem: Error, CustomStringConvertible, Sendable {
        package var description: String
    }

    /// Resolves settings from an optional URL and an environment (normally the process's).
    package static func resolve(
        url: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        currentUser: String = NSUserName(), home: String = NSHomeDirectory()
    ) throws(Problem) -> ConnectionSettings {
        var values: [String: String] = [:]
        for (key, variable) in [("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("password", "PGPASSWORD"),
            ("dbname", "PGDATABASE"), ("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("passfile", "PGPASSFILE")]
        {
            if let value = environment[variable], !value.isEmpty { values[key] = value }
        }
        if let url { try parse(url: url, into: &values) }
        let defaultSocket = ["/var/run/postgresql", "/tmp"].first { FileManager.default.fileExists(atPath: $0) } ?? "/tmp"
        let host = values["host"] ?? defaultSocket
        guard let port = Int(values["port"] ?? "5432"), (1...65535).contains(port) else {
            throw Problem(description: "invalid port '\(values["port"] ?? "")'")
        }
        let user = values["user"] ?? currentUser
        let modeText = values["sslmode"] ?? "prefer"
        guard let mode = SSLMode(rawValue: modeText) else {
            throw Problem(description: "invalid sslmode '\(modeText)' (one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var settings = ConnectionSettings(
            host: host, port: port, user: user, password: values["password"], database: values["dbname"] ?? user,
            sslMode: mode, sslRootCert: values["sslrootcert"])
        if settings.password == nil {
            let file = values["passfile"] ?? (home as NSString).appendingPathComponent(".pgpass")
            settings.password = PasswordFile(path: file).password(for: settings)
        }
        return settings
    }

    /// `postgres://user:password@host:port/dbname?param=value`; a socket directory may be given
    /// percent-encoded as the host or as the `host` parameter.
    static func parse(url: String, into values: inout [String: String]) throws(Problem) {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw Problem(description: "not a postgres:// URL: \(url)")
        }
        if let host = components.percentEncodedHost, !host.isEmpty { values["host"] = host.removingPercentEncoding ?? host }
        if let port = components.port { values["port"] = String(port) }
        if let user = components.user, !user.isEmpty { values["user"] = user }
        if let password = components.password { values["password"] = password }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        if !path.isEmpty { values["dbname"] = path }
        for item in components.queryItems ?? [] {
            guard let value = item.value else { continue }
            switch item.name {
            case "host", "port", "user", "password", "dbname", "sslmode", "sslrootcert", "passfile": values[item.name] = value
            case "application_name", "connect_timeout": continue
            default: throw Problem(description: "unsupported URL parameter '\(item.name)'")
            }
        }
    }

    /// The same connection, to another database of the cluster.
    package func with(database: String) -> ConnectionSettings {
        var copy = self
        copy.database = database
        return copy
    }
}

/// libpq's password file: `hostname:port:database:username:password` lines, `*` matching
/// anything, `\:` and `\\` escapes. Ignored (as libpq does) when group or others may read it.
package struct PasswordFile: Sendable {
    package var path: String

    package init(path: String) { self.path = path }

    package func password(for settings: ConnectionSettings) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { return nil }
        if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
            FileHandle.standardError.write(Data("warning: password file \(path) is readable by group or others; ignoring it\n".utf8))
            return nil
        }
        let host = settings.isUnixSocket ? "localhost" : settings.host
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = Self.fields(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [host, String(settings.port), settings.database, settings.user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// The five fields of a line, with `\:` and `\\` unescaped.
    package static func fields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
