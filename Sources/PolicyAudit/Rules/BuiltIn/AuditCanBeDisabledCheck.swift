import SnapshotModel
import AccessEngine

/// A role that is not a superuser can turn read logging off: it may become a superuser (SET ROLE
/// to one, or make itself a member), it holds `SET` on a parameter that decides what pgaudit
/// logs or whether the log keeps it (its own sessions, and `ALTER ROLE … SET` on the roles it
/// administers), or `ALTER SYSTEM` on one (the whole server, at the next reload or restart).
///
/// `pgaudit.log`, `pgaudit.role` and `log_min_messages` are superuser-only: `ALTER ROLE … SET`
/// and `ALTER DATABASE … SET` need the same SET privilege, so CREATEROLE, ADMIN OPTION or owning
/// the database alone cannot change them. Superuser roles themselves are not listed: what they
/// may do is the SUPERUSER attribute's finding. Only when pgaudit is loaded: otherwise nothing
/// is logged to turn off (`unlogged-classified-read` says so).
package struct AuditCanBeDisabledCheck: AuditCheck {
    package static let description = CheckDescription(
        id: "audit-can-be-disabled",
        summary: "A role that is not a superuser can turn pgaudit's logging off (becomes a superuser, or holds SET or ALTER SYSTEM on a logging parameter).",
        defaultSeverity: .medium,
        triggering: [CheckExample(
            policy: exampleLoggingRequiredHeader + "roles:\n  agent: {kind: human, login: true}\n",
            snapshot: SnapshotBuilder().role("agent", login: true).parameterGrant(.set, on: "pgaudit.log", to: "agent")
                .logging(pgaudit: true, settings: ["pgaudit.log": "read"]).build(),
            expect: "[{principal: agent, severity: medium, at: policy.yaml:5}]"),
            CheckExample(
            policy: "version: 1\nroles:\n  agent: {kind: human, login: true}\n",
            snapshot: SnapshotBuilder().role("agent", login: true).parameterGrant(.set, on: "pgaudit.log", to: "agent")
                .logging(pgaudit: true, settings: ["pgaudit.log": "read"]).build(),
            expect: "[{principal: agent, severity: info, at: policy.yaml:3}]")],
        nonTriggering: [CheckExample(
            policy: "version: 1\nroles:\n  agent: {kind: human, login: true}\n",
            snapshot: SnapshotBuilder().role("agent", login: true).parameterGrant(.set, on: "work_mem", to: "agent")
                .logging(pgaudit: true, settings: ["pgaudit.log": "read"]).build())],
        otherSeverities: [.info])

    /// Parameters whose SET turns off logging for a session: what pgaudit logs, as whom it audits
    /// objects, and whether the server log keeps LOG records.
    static let sessionParameters: Set<String> = ["pgaudit.log", "pgaudit.role", "log_min_messages"]
    /// Parameters whose ALTER SYSTEM turns it off for everyone (at reload or restart).
    static let serverParameters: Set<String> = sessionParameters.union([
        "shared_preload_libraries", "log_destination", "logging_collector", "log_directory", "log_filename", "log_line_prefix",
    ])

    package func findings(in context: AuditContext) -> [Finding] {
        guard context.snapshot.logging?.pgauditLoaded == true else { return [] }
        let severity: Severity = context.policy.settings.readLogging == .required ? Self.description.defaultSeverity : .info
        var findings: [Finding] = []
        func report(_ reachers: [Reacher], cause: Cause, holder: String?, message: String) {
            let nonSuperusers = reachers.filter { !context.graph.roles[$0.principal].attributes.superuser }
            guard !nonSuperusers.isEmpty else { return }
            let (sample, count) = context.affectedSample(nonSuperusers, rule: Self.description.id)
            findings.append(Self.finding(severity: severity, principal: holder, cause: cause,
                message: "\(count) role(s) that are not superusers \(message)",
                affected: sample.sorted { $0.name < $1.name }, principalCount: count,
                location: holder.map(context.location(ofRole:)) ?? context.policy.settings.location ?? context.fallbackLocation))
        }
        for cause in context.reach.superuserCauses() {
            guard case .superuser(let role) = cause.kind else { continue }
            let name = context.roleName(role)
            report(cause.reachers, cause: Cause(.attribute, "SUPERUSER of \(name)"), holder: name,
                   message: "can act as superuser \(name) (SET ROLE, or a membership they can grant themselves) and turn pgaudit's logging off (SET pgaudit.log = 'none', ALTER SYSTEM)")
        }
        for (parameter, acl) in context.graph.parameterGrants {
            for bundle in acl {
                let grantee = context.granteeName(bundle.grantee)
                if bundle.privileges.contains(.set), Self.sessionParameters.contains(parameter) {
                    report(context.reach.reachers(of: bundle.grantee), cause: Cause(.grant, "GRANT SET ON PARAMETER \(parameter) TO \(grantee)"),
                           holder: grantee, message: "hold SET on \(parameter) and can turn logging off in their own sessions (and by ALTER ROLE … SET on roles they administer)")
                }
                if bundle.privileges.contains(.alterSystem), Self.serverParameters.contains(parameter) {
                    report(context.reach.reachers(of: bundle.grantee), cause: Cause(.grant, "GRANT ALTER SYSTEM ON PARAMETER \(parameter) TO \(grantee)"),
                           holder: grantee, message: "hold ALTER SYSTEM on \(parameter) and can turn logging off for the whole server")
                }
            }
        }
        return findings
    }

    package init() {

    }
}
