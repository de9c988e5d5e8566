/// Whether a login role's use of a privilege on an object would leave a pgaudit record that
/// names the object: what lets "not in the logs" mean "not used". Session records name their
/// relations only with `pgaudit.log_relation` on (otherwise one record per statement, with no
/// object); object records (the audit role's grants) always do; EXECUTE is named by the
/// FUNCTION class. The settings are those in force while the logs were written when the usage
/// summary recorded them (`usage --snapshot`), else the audited snapshot's; the audit role's
/// grants are the audited snapshot's.
struct UsageVisibility {
    let sessions: SessionLogging
    let audit: ObjectAudit

    init(context: AuditContext, collectedUnder: UsageSummary.CollectedUnder? = nil) {
        sessions = collectedUnder.map { SessionLogging(logging: $0.logging, database: $0.database) }
            ?? SessionLogging(logging: context.snapshot.logging, database: context.snapshot.database)
        audit = ObjectAudit(engine: context.engine)
    }

    func seen(login: String, privilege: Privilege, object: ObjectIndex) -> Bool {
        guard case .pgaudit(let classes, _, let auditor, _) = sessions.readCoverage(login: login) else { return false }
        if privilege == .execute { return classes.contains(.function) }
        let relationNamed = ["on", "true", "yes", "1"].contains(sessions.setting("pgaudit.log_relation", login: login).value?.lowercased() ?? "")
        if relationNamed, classes.contains(privilege == .select ? .read : .write) { return true }
        if let auditor { return audit.marks(auditor: auditor, object: object, privilege: privilege) }
        return false
    }
}
