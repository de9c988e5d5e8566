import AuditSupport

/// `diff` as text, JSON or Markdown: access added and removed per principal with paths, findings
/// new and fixed, and the violations that fail the gate.
package struct DiffRenderer: Sendable {
    package init() {}

    package func text(_ diff: AccessDiff, context: ReportContext) -> String {
        var out = "Access added: \(diff.added.count), removed: \(diff.removed.count); findings new: \(diff.newFindings.count), fixed: \(diff.fixedFindings.count)\n"
        for (title, changes) in [("Added", diff.added), ("Removed", diff.removed)] where !changes.isEmpty {
            out += "\n\(title) access:\n"
            for (principal, group) in Self.byPrincipal(changes) {
                out += "  \(principal):\n"
                for change in group {
                    let classes = change.classes.isEmpty ? "" : " [\(change.classes.map(\.name).joined(separator: ", "))\(change.allowed ? "" : ", not allowed")]"
                    out += "    \(title == "Added" ? "+" : "-") \(change.access.privilege.rawValue) \(change.access.object)\(change.access.column.map { ".\($0)" } ?? "")\(classes): \(change.access.path)\n"
                }
            }
        }
        if !diff.fixedFindings.isEmpty {
            out += "\nFixed findings:\n"
            for finding in diff.fixedFindings { out += "  \(finding.severity.rawValue.uppercased()) [\(finding.rule)] \(finding.message)\n" }
        }
        out += "\n" + FindingsTextRenderer().render(diff.result)
        return out
    }

    package func json(_ diff: AccessDiff) -> String {
        func change(_ change: AccessChange) -> JSONValue {
            .object([
                ("principal", .string(change.access.principal)), ("object_kind", .string(change.access.objectKind.rawValue)),
                ("object", .string(change.access.object)), ("column", .optional(change.access.column)),
                ("privilege", .string(change.access.privilege.rawValue)), ("mode", .string(change.access.mode.rawValue)),
                ("path", .string(change.access.path.description)), ("classes", .array(change.classes.map { .string($0.name) })),
                ("allowed", .bool(change.allowed)),
            ])
        }
        let result = diff.result
        return JSONValue.object([
            ("tool", .string("access-audit")),
            ("version", .string(ToolInfo.version)),
            ("summary", .object([
                ("access_added", .number(diff.added.count)), ("access_removed", .number(diff.removed.count)),
                ("findings_new", .number(diff.newFindings.count)), ("findings_fixed", .number(diff.fixedFindings.count)),
                ("violations", .number(diff.violations.count)), ("fail_on", .string(diff.failOn.rawValue)), ("failed", .bool(result.failed)),
            ])),
            ("added", .array(diff.added.map(change))),
            ("removed", .array(diff.removed.map(change))),
            ("violations", .array(diff.violations.map(FindingsJSONRenderer.json))),
            ("new_findings", .array(diff.newFindings.map(FindingsJSONRenderer.json))),
            ("fixed_findings", .array(diff.fixedFindings.map(FindingsJSONRenderer.json))),
        ]).rendered() + "\n"
    }

    package func markdown(_ diff: AccessDiff, context: ReportContext) -> String {
        var out = "## access-audit diff: \(diff.failed ? "❌ failed" : "✅ passed")\n\n"
        out += "Access added **\(diff.added.count)**, removed **\(diff.removed.count)**; findings new **\(diff.newFindings.count)**, fixed **\(diff.fixedFindings.count)**.\n\n"
        for (title, changes) in [("Access added", diff.added), ("Access removed", diff.removed)] where !changes.isEmpty {
            out += "<details><summary>\(title) (\(changes.count))</summary>\n\n"
            for change in changes.prefix(100) {
                let flag = change.classes.isEmpty ? "" : " — \(change.classes.map(\.name).joined(separator: ", "))\(change.allowed ? "" : ", **not allowed**")"
                out += "- `\(change.access.path.description.replacingOccurrences(of: "`", with: "'"))`\(flag)\n"
            }
            if changes.count > 100 { out += "- … and \(changes.count - 100) more\n" }
            out += "\n</details>\n\n"
        }
        out += MarkdownRenderer().render(diff.result, context: context)
        return out
    }

    static func byPrincipal(_ changes: [AccessChange]) -> [(String, [AccessChange])] {
        Dictionary(grouping: changes, by: \.access.principal).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
