import SnapshotModel
import AccessEngine
import ServerUsage

/// The server log cannot tie a pgaudit record to who ran it: pgaudit's records carry no user or
/// database of their own, so a plain-text log (stderr, syslog) needs both `%u` and `%d` in
/// `log_line_prefix`; `csvlog` and `jsonlog` carry them in every record. Reported as unknown
/// when the export could not see the settings.
package struct LogNotAttributableCheck: AuditCheck {
    package static let description = CheckDescription(
        id: "log-not-attributable",
        summary: "The server log's lines do not name their user and database (log_line_prefix without %u and %d, and no csvlog or jsonlog).",
        defaultSeverity: .medium,
        triggering: [CheckExample(
            policy: exampleLoggingRequiredHeader, snapshot: SnapshotBuilder().logging(pgaudit: true, settings: ["log_line_prefix": "%m [%p] "]).build(),
            expect: "[{severity: medium, at: policy.yaml:3}]"),
            CheckExample(
            policy: "version: 1\n", snapshot: SnapshotBuilder().logging(pgaudit: true, settings: ["log_line_prefix": "%m [%p] "]).build(),
            expect: "[{severity: info, at: policy.yaml:1}]")],
        nonTriggering: [CheckExample(
            policy: "version: 1\n", snapshot: SnapshotBuilder().logging(pgaudit: true, settings: ["log_line_prefix": "%m [%p] %u@%d "]).build())],
        otherSeverities: [.info])

    /// What is missing from the server's log lines, nil when they are attributable; `.unknown`
    /// when the settings could not be read.
    package static func missing(_ sessions: SessionLogging) -> SessionSetting? {
        let destination = sessions.serverSetting("log_destination")
        guard case .known(let destinations, _) = destination else { return destination }
        let kinds = Set(destinations.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        if !kinds.isDisjoint(with: ["csvlog", "jsonlog"]) { return nil }
        let prefix = sessions.serverSetting("log_line_prefix")
        guard case .known(let text, let origin) = prefix else { return prefix }
        let written = LogLinePrefix(text)
        let lacking = [("u", "the user"), ("d", "the database")].filter { !written.writes(Character($0.0)) }.map { ("%\($0.0)", $0.1) }
        guard !lacking.isEmpty else { return nil }
        return .known(value: lacking.map { "\($0.1) (\($0.0))" }.joined(separator: " and "),
                      origin: "log_line_prefix = '\(text)' (\(origin)) with log_destination = '\(destinations)'")
    }

    package func findings(in context: AuditContext) -> [Finding] {
        guard context.snapshot.logging != nil else { return [] }
        let sessions = SessionLogging(logging: context.snapshot.logging, database: context.snapshot.database)
        guard let missing = Self.missing(sessions) else { return [] }
        let severity: Severity = context.policy.settings.readLogging == .required ? Self.description.defaultSeverity : .info
        let message = switch missing {
        case .known(let lacking, let origin): "the server log's lines do not name \(lacking): \(origin); a pgaudit record cannot be tied to who ran it (add %u and %d, or log to csvlog or jsonlog)"
        case .unknown(let reason): "whether the server log's lines name their user and database is unknown: \(reason)"
        }
        return [Self.finding(severity: severity, principal: nil, cause: Cause(.setting, missing.origin), message: message,
            location: context.policy.settings.location ?? context.fallbackLocation)]
    }
}
