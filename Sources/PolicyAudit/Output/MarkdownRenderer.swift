import AccessPolicy

/// A Markdown summary fit for a pull-request comment: verdict, counts, then findings riskiest
/// first with their causes and paths (details folded).
package struct MarkdownRenderer: Sendable {
    package var maximumFindings: Int

    package init(maximumFindings: Int = 50) { self.maximumFindings = maximumFindings }

    package func render(_ result: AuditResult, context: ReportContext) -> String {
        let counts = result.counts
        var out = "## access-audit: \(result.failed ? "❌ failed" : "✅ passed") (threshold: \(result.failOn.rawValue))\n\n"
        out += "| critical | high | medium | low | info | suppressed |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n"
        out += "| \(counts[.critical] ?? 0) | \(counts[.high] ?? 0) | \(counts[.medium] ?? 0) | \(counts[.low] ?? 0) | \(counts[.info] ?? 0) | \(result.suppressedCount) |\n\n"
        let shown = result.findings.filter { !$0.suppressed }.prefix(maximumFindings)
        for finding in shown {
            let file = context.relativePath(finding.location.file)
            out += "<details><summary><b>\(finding.severity.rawValue.uppercased())</b> <code>\(Self.escape(finding.rule))</code> \(Self.escape(finding.message))</summary>\n\n"
            out += "- **Cause:** `\(finding.cause.description.replacingOccurrences(of: "`", with: "'"))`\n"
            out += "- **Policy:** `\(file):\(finding.location.line)`\n"
            if let database = finding.database { out += "- **Database:** \(database)\n" }
            if !finding.affected.isEmpty {
                out += "- **Paths** (\(finding.principalCount) principal(s)):\n"
                for principal in finding.affected.prefix(10) {
                    out += "  - `\(principal.path.description.replacingOccurrences(of: "`", with: "'"))`\(principal.mode == .direct ? "" : " _(\(principal.mode.rawValue))_")\n"
                }
                let listed = min(finding.affected.count, 10)
                if finding.principalCount > listed { out += "  - … and \(finding.principalCount - listed) more\n" }
            }
            out += "\n</details>\n\n"
        }
        let hidden = result.findings.filter { !$0.suppressed }.count - shown.count
        if hidden > 0 { out += "_… and \(hidden) more finding(s); see the full report._\n" }
        return out
    }

    package static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
