import AuditSupport

/// SARIF 2.1.0 for GitHub code scanning: one rule descriptor per rule (help text,
/// security-severity), one result per finding anchored to a line of a repository-relative
/// policy file, with partial fingerprints and suppressions.
package struct SARIFRenderer: Sendable {
    package init() {}

    /// GitHub code scanning keeps at most 25,000 results of a run.
    package static let resultLimit = 25_000

    package func render(_ result: AuditResult, context: ReportContext) -> String {
        // Riskiest first, so what a cap leaves out is the least severe.
        let kept = result.findings.sorted { $0.severity > $1.severity }.prefix(Self.resultLimit)
        let omitted = result.findings.count - kept.count
        let used = Set(kept.map(\.rule))
        let rules = context.rules.filter { used.contains($0.id) }
        let index = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let descriptors: [JSONValue] = rules.map { rule in
            .object([
                ("id", .string(rule.id)),
                ("name", .string(rule.id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined())),
                ("shortDescription", .object([("text", .string(rule.summary))])),
                ("fullDescription", .object([("text", .string(rule.help))])),
                ("help", .object([("text", .string(rule.help)), ("markdown", .string("**\(rule.id)** — \(rule.help)"))])),
                ("defaultConfiguration", .object([("level", .string(rule.severity.sarifLevel))])),
                ("properties", .object([
                    ("security-severity", .string(rule.severity.securitySeverity)),
                    ("tags", .array([.string("security"), .string("access-control"), .string("postgresql")])),
                    ("precision", .string("high")),
                ])),
            ])
        }
        let results: [JSONValue] = kept.map { finding in
            var fields: [(String, JSONValue)] = [
                ("ruleId", .string(finding.rule)),
                ("level", .string(finding.severity.sarifLevel)),
                ("message", .object([("text", .string(Self.message(finding)))])),
                ("locations", .array([.object([
                    ("physicalLocation", .object([
                        ("artifactLocation", .object([("uri", .string(context.relativePath(finding.location.file))), ("uriBaseId", .string("%SRCROOT%"))])),
                        ("region", .object([("startLine", .number(max(1, finding.location.line))), ("startColumn", .number(max(1, finding.location.column)))])),
                    ])),
                ])])),
                ("partialFingerprints", .object([("accessAudit/v1", .string(finding.fingerprint))])),
                ("properties", .object([
                    ("severity", .string(finding.severity.rawValue)),
                    ("security-severity", .string(finding.severity.securitySeverity)),
                    ("principal", .optional(finding.principal)),
                    ("object", .optional(finding.object)),
                    ("column", .optional(finding.column)),
                    ("privilege", .optional(finding.privilege?.rawValue)),
                    ("cause", .string(finding.cause.description)),
                    ("database", .optional(finding.database)),
                    ("paths", .array(finding.affected.prefix(50).map { .string($0.path.description) })),
                    ("principalCount", .number(finding.principalCount)),
                ])),
            ]
            if let ruleIndex = index[finding.rule] { fields.insert(("ruleIndex", .number(ruleIndex)), at: 1) }
            if let suppression = finding.suppression {
                fields.append(("suppressions", .array([.object([
                    ("kind", .string("external")),
                    ("status", .string("accepted")),
                    ("justification", .string("\(suppression.kind.rawValue) \(suppression.reference)")),
                ])])))
            }
            return .object(fields)
        }
        return JSONValue.object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", .object([
                    ("name", .string("access-audit")),
                    ("version", .string(ToolInfo.version)),
                    ("semanticVersion", .string(ToolInfo.version)),
                    ("informationUri", .string("https://github.com/access-audit/access-audit")),
                    ("rules", .array(descriptors)),
                ]))])),
                ("automationDetails", .object([("id", .string("access-audit/\(result.databases.joined(separator: "+"))"))])),
                ("results", .array(results)),
                ("properties", .object([
                    ("findings", .number(result.findings.count)),
                    ("omittedResults", .number(omitted)),
                    ("omittedNote", .optional(omitted == 0 ? nil
                        : "GitHub keeps \(Self.resultLimit) results per run: the \(omitted) least severe findings are left out; --format json lists every one")),
                ])),
            ])])),
        ]).rendered() + "\n"
    }

    /// The message: what is wrong, the cause, and the example path.
    static func message(_ finding: Finding) -> String {
        var text = finding.message
        if let path = finding.path, !finding.message.contains(path.description) { text += "\nPath: \(path)" }
        text += "\nCause: \(finding.cause.description)"
        if finding.principalCount > 1 { text += " (\(finding.principalCount) principals)" }
        return text
    }
}
