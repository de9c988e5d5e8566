import PolicyAudit
import ArgumentParser

/// The report formats of `check` and `diff`.
package enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif, junit, markdown, github

    /// Renders an audit result in this format.
    package func render(_ result: AuditResult, context: ReportContext) -> String {
        switch self {
        case .text: FindingsTextRenderer().render(result)
        case .json: FindingsJSONRenderer().render(result)
        case .sarif: SARIFRenderer().render(result, context: context)
        case .junit: JUnitRenderer().render(result, context: context)
        case .markdown: MarkdownRenderer().render(result, context: context)
        case .github: GitHubAnnotationsRenderer().render(result, context: context)
        }
    }
}
