import SnapshotModel

/// `check --format text`: findings riskiest first, each with rule, severity, principal,
/// object/column, privilege, cause, location and the full path of every principal (up to a limit).
package struct FindingsTextRenderer: Sendable {
    /// How many principals to print per finding before counting the rest.
    package var principalsShown: Int

    package init(principalsShown: Int = 10) { self.principalsShown = principalsShown }

    package func render(_ result: AuditResult) -> String {
        var out = ""
        for finding in result.findings {
            let status = finding.suppressed ? " (suppressed by \(finding.suppression?.kind.rawValue ?? "") \(finding.suppression?.reference ?? ""))" : ""
            out += "\(finding.severity.rawValue.uppercased()) [\(finding.rule)]\(status) \(finding.message)\n"
            var target = finding.object.map { " object: \($0)\(finding.column.map { ".\($0)" } ?? "")" } ?? ""
            if let privilege = finding.privilege { target += "  privilege: \(privilege.rawValue)" }
            out += "  at \(finding.location)\(finding.principal.map { "  principal: \($0)" } ?? "")\(target)\n"
            out += "  cause: \(finding.cause.description)\n"
            for principal in finding.affected.prefix(principalsShown) {
                let mode = principal.mode == .direct ? "" : " [\(principal.mode.rawValue)\(principal.note.map { ": \($0)" } ?? "")]"
                let waived = principal.suppression.map { " (waived: \($0.reference))" } ?? ""
                out += "    \(principal.path)\(mode)\(waived)\n"
            }
            let listed = min(finding.affected.count, principalsShown)
            if finding.principalCount > listed {
                out += "    … and \(finding.principalCount - listed) more principal(s)\n"
            }
            out += "  fingerprint: \(finding.fingerprint)\n\n"
        }
        let counts = result.counts
        let summary = Severity.allCases.reversed().map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        out += "\(result.findings.count) finding(s): \(summary); \(result.suppressedCount) suppressed\n"
        out += result.failed
            ? "FAILED: \(result.failing.count) finding(s) at or above \(result.failOn.rawValue)\n"
            : "PASSED: nothing at or above \(result.failOn.rawValue)\n"
        return out
    }
}
