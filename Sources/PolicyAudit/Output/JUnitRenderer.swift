/// JUnit XML for GitLab and Jenkins: one test case per finding, failing at or above the
/// threshold, skipped when suppressed (exception or baseline), passing (listed) below it.
package struct JUnitRenderer: Sendable {
    package init() {}

    package func render(_ result: AuditResult, context: ReportContext) -> String {
        let failures = result.failing.count
        let skipped = result.findings.filter(\.suppressed).count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"access-audit\" tests=\"\(result.findings.count)\" failures=\"\(failures)\" skipped=\"\(skipped)\">\n"
        out += "  <testsuite name=\"access-audit \(Markup.escape(result.databases.joined(separator: ", ")))\" tests=\"\(result.findings.count)\" failures=\"\(failures)\" skipped=\"\(skipped)\" errors=\"0\">\n"
        for finding in result.findings {
            let file = context.relativePath(finding.location.file)
            let name = "\(finding.rule): \(finding.cause.description)\(finding.database.map { " [\($0)]" } ?? "")"
            out += "    <testcase classname=\"access-audit.\(Markup.escape(finding.rule))\" name=\"\(Markup.escape(name))\" file=\"\(Markup.escape(file))\" line=\"\(finding.location.line)\">\n"
            let details = ([finding.message, "at \(file):\(finding.location.line):\(finding.location.column)", "cause: \(finding.cause.description)", "fingerprint: \(finding.fingerprint)"]
                + finding.affected.prefix(20).map { "  \($0.path)" }).joined(separator: "\n")
            if let suppression = finding.suppression {
                out += "      <skipped message=\"\(Markup.escape("suppressed by \(suppression.kind.rawValue) \(suppression.reference)"))\"/>\n"
            } else if finding.severity >= result.failOn {
                out += "      <failure type=\"\(finding.severity.rawValue)\" message=\"\(Markup.escape(finding.message))\">\(Markup.escape(details))</failure>\n"
            } else {
                out += "      <system-out>\(Markup.escape(details))</system-out>\n"
            }
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }
}
