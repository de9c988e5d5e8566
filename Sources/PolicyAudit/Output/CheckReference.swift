/// `docs/checks.md`: every built-in check as its description states it — id, default severity
/// and the others its branches give, summary and how many examples pin it — so the reference cannot drift from the code (a test
/// compares the committed file with this).
package enum CheckReference {
    package static func markdown() -> String {
        var out = """
            # Built-in checks

            Generated from each check's description (`Sources/PolicyAudit/Rules/BuiltIn/`): do not edit by
            hand; `UPDATE_CHECK_REFERENCE=1 swift test --filter CheckReference` rewrites it. The README's
            table says more about when each fires. "Other severities" are the branches that change it (a
            data class raising it, an attribute's row, `read_logging` not required); every one has an
            example stating the exact findings, and the examples run as tests.

            | id | default severity | other severities | checks | examples (firing / quiet) |
            | --- | --- | --- | --- | --- |

            """
        for check in BuiltInChecks.all {
            let description = type(of: check).description
            let summary = description.summary.replacingOccurrences(of: "|", with: "\\|")
            let others = description.otherSeverities.map(\.rawValue).joined(separator: ", ")
            out += "| `\(description.id)` | \(description.defaultSeverity.rawValue) | \(others.isEmpty ? "—" : others) | \(summary) | \(description.triggering.count) / \(description.nonTriggering.count) |\n"
        }
        return out
    }
}
