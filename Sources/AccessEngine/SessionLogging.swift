import Foundation
import SnapshotModel

/// pgaudit's statement classes, as `pgaudit.log` lists them.
package struct AuditLogClasses: OptionSet, Sendable, Hashable {
    package let rawValue: Int
    package init(rawValue: Int) { self.rawValue = rawValue }

    package static let read = AuditLogClasses(rawValue: 1 << 0)
    package static let write = AuditLogClasses(rawValue: 1 << 1)
    package static let function = AuditLogClasses(rawValue: 1 << 2)
    package static let role = AuditLogClasses(rawValue: 1 << 3)
    package static let ddl = AuditLogClasses(rawValue: 1 << 4)
    package static let misc = AuditLogClasses(rawValue: 1 << 5)
    package static let miscSet = AuditLogClasses(rawValue: 1 << 6)
    package static let all: AuditLogClasses = [.read, .write, .function, .role, .ddl, .misc, .miscSet]

    /// Reads a `pgaudit.log` value as pgaudit does: comma-separated class names, case-insensitive,
    /// left to right, a leading `-` taking a class away (`all, -misc`), `misc` including
    /// `misc_set`, `none` adding nothing. Nil for a value pgaudit would refuse.
    package init?(pgauditLog text: String) {
        var classes: AuditLogClasses = []
        let tokens = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased() }
        if tokens == [""] {
            self = []
            return
        }
        for token in tokens {
            let subtract = token.hasPrefix("-")
            let name = subtract ? String(token.dropFirst()) : token
            let named: AuditLogClasses
            switch name {
            case "none": named = []
            case "all": named = .all
            case "read": named = .read
            case "write": named = .write
            case "function": named = .function
            case "role": named = .role
            case "ddl": named = .ddl
            case "misc": named = [.misc, .miscSet]
            case "misc_set": named = .miscSet
            default: return nil
            }
            if subtract { classes.subtract(named) } else { classes.formUnion(named) }
        }
        self = classes
    }
}


/// A setting's value in one login role's sessions in the exported database, with where it
/// came from, or why it is unknown.
package enum SessionSetting: Sendable, Hashable {
    case known(value: String, origin: String)
    case unknown(reason: String)

    package var value: String? {
        if case .known(let value, _) = self { return value }
        return nil
    }

    /// Where the value comes from (`ALTER ROLE alice SET`), or why it is unknown.
    package var origin: String {
        switch self {
        case .known(_, let origin): origin
        case .unknown(let reason): reason
        }
    }
}

/// What pgaudit and the server's logging do in the sessions of each login role, as PostgreSQL
/// applies settings at connection: `ALTER ROLE … IN DATABASE … SET` over `ALTER ROLE … SET`
/// over `ALTER DATABASE … SET` over `ALTER ROLE ALL SET` over the server's configuration. Only
/// the session user's own settings apply (not those of the roles it is a member of, and
/// `SET ROLE` changes none of them); `pgaudit.log`, `pgaudit.role` and `log_min_messages` are
/// superuser-only, so a session changes them only with SUPERUSER or `SET` on the parameter.
package struct SessionLogging: Sendable {
    package let logging: SnapshotLogging?
    package let database: String

    package init(logging: SnapshotLogging?, database: String) {
        self.logging = logging
        self.database = database
    }

    /// `pg_settings.source` values that mean the exporting session's own override hides the
    /// server's configured value.
    static let maskingSources: Set<String> = ["database user", "user", "database", "global", "session", "client"]

    /// The value of `name` in the sessions of `login`.
    package func setting(_ name: String, login: String) -> SessionSetting {
        guard let logging else { return .unknown(reason: "the snapshot does not carry logging settings (exported before they were read)") }
        let overrides = logging.overrides.filter { $0.name == name }
        let levels: [(database: String?, role: String?, origin: String)] = [
            (database, login, "ALTER ROLE \(login) IN DATABASE \(database) SET"), (nil, login, "ALTER ROLE \(login) SET"),
            (database, nil, "ALTER DATABASE \(database) SET"), (nil, nil, "ALTER ROLE ALL SET"),
        ]
        for level in levels {
            if let entry = overrides.first(where: { $0.database == level.database && $0.role == level.role }) {
                return .known(value: entry.value, origin: level.origin)
            }
        }
        return serverSetting(name)
    }

    /// The server's configured value of `name` (configuration file, command line, ALTER SYSTEM
    /// or the built-in default), when the export could see it.
    package func serverSetting(_ name: String) -> SessionSetting {
        guard let logging else { return .unknown(reason: "the snapshot does not carry logging settings (exported before they were read)") }
        guard let setting = logging.settings.first(where: { $0.name == name }) else {
            return .unknown(reason: "\(name) is not in the snapshot")
        }
        guard let value = setting.value else {
            return .unknown(reason: "\(name) is not visible to the exporting role (export as a member of pg_read_all_settings)")
        }
        if let source = setting.source, Self.maskingSources.contains(source) {
            return .unknown(reason: "the server's \(name) is hidden behind the exporting session's own override (\(source))")
        }
        return .known(value: value, origin: "server setting, \(setting.source ?? "source unknown")")
    }

    /// How the reads of one login role's sessions reach the log.
    package enum ReadCoverage: Sendable, Hashable {
        /// Nothing is logged: pgaudit is not loaded, or the log drops pgaudit's LOG records.
        case nothing(reason: String)
        /// What decides it could not be read.
        case unknown(reason: String)
        /// Session logging: `classes` include READ or FUNCTION (`origin` says where from);
        /// object logging through `auditor` (nil: none). Either may be empty.
        case pgaudit(classes: AuditLogClasses, classesOrigin: String, auditor: String?, auditorOrigin: String)
    }

    /// How reads in `login`'s sessions are logged.
    package func readCoverage(login: String) -> ReadCoverage {
        guard let logging else { return .unknown(reason: "the snapshot does not carry logging settings (exported before they were read)") }
        guard logging.pgauditLoaded else { return .nothing(reason: "pgaudit is not loaded (shared_preload_libraries)") }
        // pgaudit writes its records at LOG to the server log: log_min_messages fatal or panic drops them.
        switch setting("log_min_messages", login: login) {
        case .unknown(let reason): return .unknown(reason: reason)
        case .known(let value, let origin):
            if ["fatal", "panic"].contains(value.lowercased()) {
                return .nothing(reason: "log_min_messages = \(value) (\(origin)) drops pgaudit's LOG records")
            }
        }
        let log = setting("pgaudit.log", login: login)
        let role = setting("pgaudit.role", login: login)
        guard case .known(let logValue, let logOrigin) = log else { return .unknown(reason: log.origin) }
        guard case .known(let roleValue, let roleOrigin) = role else { return .unknown(reason: role.origin) }
        guard let classes = AuditLogClasses(pgauditLog: logValue) else {
            return .unknown(reason: "pgaudit.log = '\(logValue)' (\(logOrigin)) is not a value pgaudit accepts")
        }
        let auditor = roleValue.trimmingCharacters(in: .whitespaces)
        return .pgaudit(
            classes: classes, classesOrigin: "pgaudit.log = '\(logValue)' (\(logOrigin))",
            auditor: auditor.isEmpty ? nil : auditor, auditorOrigin: auditor.isEmpty ? "pgaudit.role is empty (\(roleOrigin))" : "pgaudit.role = '\(auditor)' (\(roleOrigin))")
    }
}
