import SnapshotModel
import AccessEngine
import ServerUsage

/// Whether a login role's use of a privilege on an object would leave a pgaudit record that
/// names the object: what lets "not in the logs" mean "not used". Session records name their
/// relations only with `pgaudit.log_relation` on (otherwise one record per statement, with no
/// object); object records (the audit role's grants) always do; EXECUTE is named by the
/// FUNCTION class. The settings are those in force while the logs were written when the usage
/// summary recorded them (`usage --snapshot`), else the audited snapshot's; the audit role's
/// grants are the audited snapshot's.
package struct UsageVisibility {
    /// What a login's sessions record: the session classes, whether they name relations, the audit role.
    private struct Recording {
        var classes: AuditLogClasses
        var namesRelations: Bool
        var auditor: String?
    }

    let audit: ObjectAudit
    /// Per login role, worked out once; absent: nothing it does is recorded (or it is unknown).
    private let recording: [String: Recording]

    package init(context: AuditContext, collectedUnder: UsageSummary.CollectedUnder? = nil) {
        let sessions = collectedUnder.map { SessionLogging(logging: $0.logging, database: $0.database) }
            ?? SessionLogging(logging: context.snapshot.logging, database: context.snapshot.database)
        audit = ObjectAudit(engine: context.engine)
        var recording: [String: Recording] = [:]
        for role in context.graph.roles where role.attributes.login {
            guard case .pgaudit(let classes, _, let auditor, _) = sessions.readCoverage(login: role.name) else { continue }
            let namesRelations = ["on", "true", "yes", "1"].contains(sessions.setting("pgaudit.log_relation", login: role.name).value?.lowercased() ?? "")
            recording[role.name] = Recording(classes: classes, namesRelations: namesRelations, auditor: auditor)
        }
        self.recording = recording
    }

    package func seen(login: String, privilege: Privilege, object: ObjectIndex) -> Bool {
        guard let recorded = recording[login] else { return false }
        if privilege == .execute { return recorded.classes.contains(.function) }
        if recorded.namesRelations, recorded.classes.contains(privilege == .select ? .read : .write) { return true }
        if let auditor = recorded.auditor { return audit.marks(auditor: auditor, object: object, privilege: privilege) }
        return false
    }
}
