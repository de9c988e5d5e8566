/// `docs/checks.md`: every built-in check as its description states it — id, default severity,
/// summary and how many examples pin it — so the reference cannot drift from the code (a test
/// compares the committed file with this).
package enum CheckReference {
    package static func markdown() -> String {
        var out = """
            # Built-in checks

            Generated from each check's description (`Sources/PolicyAudit/Rules/BuiltIn/`): do not edit by
            hand; `UPDATE_CHECK_REFERENCE=1 swift test --filter CheckReference` rewrites it. The README's
            table says more about when each fires; severities may be raised to a data class's, and the
            read-logging checks report at info unless the policy sets `read_logging: required`.

            | id | default severity | checks | examples (firing / quiet) |
            | --- | --- | --- | --- |

            """
        for check in BuiltInChecks.all {
            let description = type(of: check).description
            let summary = description.summary.replacingOccurrences(of: "|", with: "\\|")
            out += "| `\(description.id)` | \(description.defaultSeverity.rawValue) | \(summary) | \(description.triggering.count) / \(description.nonTriggering.count) |\n"
        }
        return out
    }
}
