import Foundation
import AuditSupport
import SnapshotModel
import AccessEngine
import AccessPolicy
import PolicyAudit

/// Why `init` cannot write `read_logging: required` for a database as it is today: the first
/// thing that keeps a classified read from being logged, whatever columns are classified later.
/// A generated policy must audit clean, and `init` does not know the data classes, so it
/// requires read logging only when every login role's sessions log READ, the log names its user
/// and database, and no role but a superuser can turn logging off; otherwise it writes the
/// requirement commented out, with this reason.
enum ReadLoggingGap {
    static func first(_ snapshot: Snapshot, graph: AccessGraph) -> String? {
        let sessions = SessionLogging(logging: snapshot.logging, database: snapshot.database)
        for role in graph.roles where role.attributes.login {
            switch sessions.readCoverage(login: role.name) {
            case .nothing(let reason): return reason
            case .unknown(let reason): return "whether reads are logged is unknown: \(reason)"
            case .pgaudit(let classes, let origin, _, _):
                if !classes.contains(.read) { return "\(origin) has no READ class for \(role.name)" }
            }
        }
        if let missing = LogNotAttributableCheck.missing(sessions) {
            return "the log's lines are not attributable: \(missing.origin)"
        }
        // Who can turn it off: the check's own answer.
        let context = AuditContext(snapshot: snapshot, policy: Policy(), today: DayDate(timestamp: snapshot.exportedAt) ?? DayDate(Date(timeIntervalSince1970: 0)))
        if let first = AuditCanBeDisabledCheck().findings(in: context).first { return first.message }
        return nil
    }
}
