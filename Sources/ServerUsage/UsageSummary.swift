import Foundation
import AuditSupport
import SnapshotModel

/// What the roles of a database used, from pgaudit's records in its server logs: per role,
/// database, object and command, how often and when first and last — and the window and files
/// it was collected from, so that "not used" can be told from "not seen".
///
/// pgaudit names relations and functions, never columns: a use is of an object.
package struct UsageSummary: Sendable {
    package static let formatVersion = 1

    /// One role's use of one object by one command.
    package struct Use: Sendable, Hashable {
        package var role: String
        package var database: String?
        /// pgaudit's object type (`TABLE`, `VIEW`, `FUNCTION`, …).
        package var objectType: String
        /// `schema.name`, unquoted.
        package var object: String
        /// The command tag (`SELECT`, `INSERT`, `UPDATE`, `DELETE`, `EXECUTE`, `COPY`, …).
        package var command: String
        /// pgaudit's class of the records (`READ`, `WRITE`, `FUNCTION`, …).
        package var auditClass: String
        package var count: Int
        package var firstSeen: String?
        package var lastSeen: String?

        /// The privilege the use exercised, when it is one a grant gives.
        package var privilege: Privilege? {
            switch command {
            case "SELECT": .select
            case "INSERT": .insert
            case "UPDATE": .update
            case "DELETE": .delete
            case "TRUNCATE TABLE", "TRUNCATE": .truncate
            case "EXECUTE": .execute
            case "COPY": auditClass == "WRITE" ? .insert : .select
            default: nil
            }
        }

        package init(role: String, database: String?, objectType: String, object: String, command: String, auditClass: String, count: Int, firstSeen: String? = nil, lastSeen: String? = nil) {
            self.role = role
            self.database = database
            self.objectType = objectType
            self.object = object
            self.command = command
            self.auditClass = auditClass
            self.count = count
            self.firstSeen = firstSeen
            self.lastSeen = lastSeen
        }
    }

    /// One log file read.
    package struct Source: Sendable {
        package var file: String
        package var format: String
        package var lines: Int
        package var entries: Int
        package var auditRecords: Int
        package var skipped: Int
        package var firstSkipped: [String]
    }

    package var logLinePrefix: String?
    /// The earliest and latest entry of any kind: the window the logs cover.
    package var windowStart: String?
    package var windowEnd: String?
    package var uses: [Use]
    package var sources: [Source]
    /// pgaudit records whose line names no user (a prefix without `%u`): counted, not attributed.
    package var unattributed: Int
    /// The logging settings in force while the logs were written, from `usage --snapshot`: what
    /// decides whether a use would have been recorded (nil: judged by the audited snapshot's).
    package var collectedUnder: CollectedUnder?

    /// A snapshot's logging settings, as the usage summary keeps them.
    package struct CollectedUnder: Sendable {
        package var database: String
        package var exportedAt: String
        package var logging: SnapshotLogging

        package init(database: String, exportedAt: String, logging: SnapshotLogging) {
            self.database = database
            self.exportedAt = exportedAt
            self.logging = logging
        }
    }

    package init(
        logLinePrefix: String?, windowStart: String?, windowEnd: String?, uses: [Use], sources: [Source], unattributed: Int,
        collectedUnder: CollectedUnder? = nil
    ) {
        self.collectedUnder = collectedUnder
        self.logLinePrefix = logLinePrefix
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.uses = uses
        self.sources = sources
        self.unattributed = unattributed
    }

    /// The day of a log timestamp (`2026-11-29 11:35:14.123 UTC`, or `%n`'s epoch seconds).
    package static func day(of timestamp: String?) -> DayDate? {
        guard let timestamp else { return nil }
        if let day = DayDate(String(timestamp.prefix(10))) { return day }
        if let seconds = Double(timestamp) { return DayDate(Date(timeIntervalSince1970: seconds)) }
        return nil
    }

    /// `"My Schema".orders` → `My Schema.orders`, as the snapshot names objects.
    package static func unquoted(_ name: String) -> String {
        var out = ""
        var inQuotes = false
        var characters = name.makeIterator()
        var lookahead: Character? = nil
        while let character = lookahead ?? characters.next() {
            lookahead = nil
            if character == "\"" {
                if inQuotes, let next = characters.next() {
                    if next == "\"" { out.append("\"") } else {
                        inQuotes = false
                        lookahead = next
                    }
                } else {
                    inQuotes.toggle()
                }
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// The summary as JSON (`usage.json`), handed to `write` in pieces: one use per line, so a
    /// summary of a million uses is never one string.
    package func writeJSON(_ write: (String) -> Void) {
        let head: JSONValue = .object([
            ("format_version", .number(Self.formatVersion)),
            ("log_line_prefix", .optional(logLinePrefix)),
            ("window", .object([("start", .optional(windowStart)), ("end", .optional(windowEnd))])),
            ("unattributed_records", .number(unattributed)),
            ("collected_under", collectedUnder.map { under in
                .object([
                    ("database", .string(under.database)), ("exported_at", .string(under.exportedAt)),
                    ("pgaudit_loaded", .bool(under.logging.pgauditLoaded)),
                    ("settings", .array(under.logging.settings.map { setting in
                        .object([("name", .string(setting.name)), ("value", .optional(setting.value)), ("source", .optional(setting.source))])
                    })),
                    ("overrides", .array(under.logging.overrides.map { entry in
                        .object([("database", .optional(entry.database)), ("role", .optional(entry.role)), ("name", .string(entry.name)), ("value", .string(entry.value))])
                    })),
                ])
            } ?? .null),
            ("sources", .array(sources.map { source in
                .object([
                    ("file", .string(source.file)), ("format", .string(source.format)), ("lines", .number(source.lines)),
                    ("entries", .number(source.entries)), ("audit_records", .number(source.auditRecords)), ("skipped_lines", .number(source.skipped)),
                    ("first_skipped", .array(source.firstSkipped.map(JSONValue.string))),
                ])
            })),
        ])
        // The head without its closing brace, then the uses.
        write(String(head.rendered().dropLast()) + ",\n  \"uses\": [")
        for (index, use) in uses.enumerated() {
            let value: JSONValue = .object([
                ("role", .string(use.role)), ("database", .optional(use.database)), ("object_type", .string(use.objectType)),
                ("object", .string(use.object)), ("command", .string(use.command)), ("class", .string(use.auditClass)),
                ("count", .number(use.count)), ("first_seen", .optional(use.firstSeen)), ("last_seen", .optional(use.lastSeen)),
            ])
            write((index == 0 ? "\n    " : ",\n    ") + value.rendered(pretty: false))
        }
        write(uses.isEmpty ? "]\n}\n" : "\n  ]\n}\n")
    }

    /// The whole summary as one JSON text (small summaries, tests).
    package func jsonText() -> String {
        var out = ""
        writeJSON { out += $0 }
        return out
    }

    /// Reads a `usage.json` written by `access-audit usage`.
    package static func load(path: String) throws(InputError) -> UsageSummary {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InputError(SourceLocation(file: path, line: 1, column: 1), "cannot read the usage summary: \(error.localizedDescription)")
        }
        return try decode(data, file: path)
    }

    /// Reads a usage summary's bytes (`file` names it in errors).
    package static func decode(_ data: Data, file path: String) throws(InputError) -> UsageSummary {
        let here = SourceLocation(file: path, line: 1, column: 1)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw InputError(here, "not a usage summary: not a JSON object", fix: "write one with access-audit usage --log … --output usage.json")
        }
        guard object["format_version"] as? Int == formatVersion else {
            throw InputError(here, "usage summary format_version \(object["format_version"] ?? "missing") is not supported (this build reads \(formatVersion))")
        }
        guard let window = object["window"] as? [String: Any], let uses = object["uses"] as? [[String: Any]],
            let sources = object["sources"] as? [[String: Any]]
        else { throw InputError(here, "not a usage summary: window, uses and sources are required") }
        var parsed: [Use] = []
        for (index, use) in uses.enumerated() {
            guard let role = use["role"] as? String, let type = use["object_type"] as? String, let name = use["object"] as? String,
                let command = use["command"] as? String, let auditClass = use["class"] as? String, let count = use["count"] as? Int
            else { throw InputError(here, "uses[\(index)] lacks role, object_type, object, command, class or count") }
            parsed.append(Use(
                role: role, database: use["database"] as? String, objectType: type, object: name, command: command, auditClass: auditClass,
                count: count, firstSeen: use["first_seen"] as? String, lastSeen: use["last_seen"] as? String))
        }
        return UsageSummary(
            logLinePrefix: object["log_line_prefix"] as? String, windowStart: window["start"] as? String, windowEnd: window["end"] as? String,
            uses: parsed,
            sources: sources.map { source in
                Source(
                    file: source["file"] as? String ?? "", format: source["format"] as? String ?? "", lines: source["lines"] as? Int ?? 0,
                    entries: source["entries"] as? Int ?? 0, auditRecords: source["audit_records"] as? Int ?? 0,
                    skipped: source["skipped_lines"] as? Int ?? 0, firstSkipped: source["first_skipped"] as? [String] ?? [])
            },
            unattributed: object["unattributed_records"] as? Int ?? 0, collectedUnder: try collectedUnder(object["collected_under"], at: here))
    }

    private static func collectedUnder(_ value: Any?, at here: SourceLocation) throws(InputError) -> CollectedUnder? {
        guard let object = value as? [String: Any] else { return nil }
        guard let database = object["database"] as? String, let exportedAt = object["exported_at"] as? String,
            let loaded = object["pgaudit_loaded"] as? Bool, let settings = object["settings"] as? [[String: Any]],
            let overrides = object["overrides"] as? [[String: Any]]
        else { throw InputError(here, "collected_under needs database, exported_at, pgaudit_loaded, settings and overrides") }
        var parsedSettings: [SnapshotLogging.Setting] = []
        for setting in settings {
            guard let name = setting["name"] as? String else { throw InputError(here, "collected_under.settings: a setting without a name") }
            parsedSettings.append(SnapshotLogging.Setting(name: name, value: setting["value"] as? String, source: setting["source"] as? String))
        }
        var parsedOverrides: [SnapshotLogging.Override] = []
        for entry in overrides {
            guard let name = entry["name"] as? String, let value = entry["value"] as? String else {
                throw InputError(here, "collected_under.overrides: an override without a name or value")
            }
            parsedOverrides.append(SnapshotLogging.Override(database: entry["database"] as? String, role: entry["role"] as? String, name: name, value: value))
        }
        return CollectedUnder(database: database, exportedAt: exportedAt, logging: SnapshotLogging(pgauditLoaded: loaded, settings: parsedSettings, overrides: parsedOverrides))
    }
}

/// Builds a `UsageSummary` from log entries, one file after another, in memory that grows
/// with the distinct uses, not with the log.
package struct UsageCollector: Sendable {
    private struct Key: Hashable {
        var role: String
        var database: String?
        var objectType: String
        package var object: String
        var command: String
        var auditClass: String
    }

    private var uses: [Key: UsageSummary.Use] = [:]
    private var sources: [UsageSummary.Source] = []
    private var windowStart: String?
    private var windowEnd: String?
    private var unattributed = 0
    private var auditRecords = 0
    /// One copy of each name: millions of records repeat a few thousand roles and objects.
    private var names = Set<String>()

    package init() {}

    private mutating func interned(_ text: String) -> String { names.insert(text).memberAfterInsert }

    /// Takes one pgaudit entry as a use (the reader passes no other).
    package mutating func add(_ entry: ServerLogEntry) {
        guard let record = AuditRecord(message: entry.message) else { return }
        auditRecords += 1
        guard let role = entry.user, !role.isEmpty else {
            unattributed += 1
            return
        }
        let key = Key(
            role: interned(role), database: entry.database.map { interned($0) }, objectType: interned(record.objectType),
            object: interned(UsageSummary.unquoted(record.objectName)), command: interned(record.command), auditClass: interned(record.auditClass))
        if var use = uses[key] {
            use.count += 1
            if let time = entry.timestamp {
                if use.firstSeen.map({ time < $0 }) ?? true { use.firstSeen = time }
                if use.lastSeen.map({ time > $0 }) ?? true { use.lastSeen = time }
            }
            uses[key] = use
        } else {
            uses[key] = UsageSummary.Use(
                role: role, database: entry.database, objectType: key.objectType, object: key.object, command: key.command,
                auditClass: key.auditClass, count: 1, firstSeen: entry.timestamp, lastSeen: entry.timestamp)
        }
    }

    /// Closes one file: its statistics and the pgaudit records it held.
    package mutating func finish(_ statistics: ServerLogReader.Statistics) {
        if let start = statistics.windowStart, windowStart.map({ start < $0 }) ?? true { windowStart = start }
        if let end = statistics.windowEnd, windowEnd.map({ end > $0 }) ?? true { windowEnd = end }
        sources.append(UsageSummary.Source(
            file: statistics.file, format: statistics.format.rawValue, lines: statistics.lines, entries: statistics.entries,
            auditRecords: auditRecords, skipped: statistics.skipped, firstSkipped: statistics.firstSkipped))
        auditRecords = 0
    }

    package func summary(logLinePrefix: String?, collectedUnder: UsageSummary.CollectedUnder? = nil) -> UsageSummary {
        let sorted = uses.values.sorted {
            ($0.role, $0.database ?? "", $0.object, $0.command, $0.auditClass) < ($1.role, $1.database ?? "", $1.object, $1.command, $1.auditClass)
        }
        return UsageSummary(
            logLinePrefix: logLinePrefix, windowStart: windowStart, windowEnd: windowEnd, uses: sorted, sources: sources, unattributed: unattributed,
            collectedUnder: collectedUnder)
    }
}
