/// GitHub workflow commands (`::error file=…,line=…::message`): annotations on the policy lines.
package struct GitHubAnnotationsRenderer: Sendable {
    package init() {}

    package func render(_ result: AuditResult, context: ReportContext) -> String {
        var out = ""
        for finding in result.findings where !finding.suppressed {
            let command = switch finding.severity {
            case .critical, .high: "error"
            case .medium: "warning"
            case .low, .info: "notice"
            }
            let properties = [
                "file=\(Self.property(context.relativePath(finding.location.file)))",
                "line=\(finding.location.line)", "col=\(finding.location.column)",
                "title=\(Self.property("\(finding.severity.rawValue.uppercased()) \(finding.rule)"))",
            ].joined(separator: ",")
            var message = finding.message
            if let path = finding.path, !message.contains(path.description) { message += "\nPath: \(path)" }
            message += "\nCause: \(finding.cause.description)"
            out += "::\(command) \(properties)::\(Self.data(message))\n"
        }
        let counts = result.counts
        out += "access-audit: \(result.findings.count) finding(s), \(counts[.critical] ?? 0) critical, \(counts[.high] ?? 0) high; \(result.failed ? "FAILED" : "passed") at \(result.failOn.rawValue)\n"
        return out
    }

    /// Escapes a command's message (`%`, CR, LF).
    static func data(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Escapes a command's property value (also `:` and `,`).
    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
