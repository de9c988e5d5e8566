import Foundation
import SnapshotModel
import AccessPolicy

/// What outputs say about each rule: built-in checks and the policy's own rules.
package struct RuleDescriptor: Sendable {
    package var id: String
    package var summary: String
    package var help: String
    package var severity: Severity
}

/// The rules an audit can report, and paths made relative to the repository for CI tools.
package struct ReportContext: Sendable {
    package var rules: [RuleDescriptor]
    /// Locations are written relative to this folder (the repository root).
    package var sourceRoot: String

    package init(policy: Policy, sourceRoot: String = FileManager.default.currentDirectoryPath) {
        var rules = Auditor.checks.compactMap { check -> RuleDescriptor? in
            let description = type(of: check).description
            guard !["deny", "require", "limit", "separate"].contains(description.id) else { return nil }
            return RuleDescriptor(
                id: description.id, summary: description.summary,
                help: "\(description.summary) Built-in check of access-audit; waive a finding with a time-boxed exception naming rule '\(description.id)'.",
                severity: description.defaultSeverity)
        }
        for rule in policy.rules {
            let kind = switch rule.kind {
            case .deny: "deny: matching effective access is a violation"
            case .require: "require: a property every matching object must have"
            case .limit(let max, _): "limit: at most \(max) principals may hold the access"
            case .separate: "separate: no principal may hold both access sets"
            }
            rules.append(RuleDescriptor(
                id: rule.id, summary: rule.description ?? "Policy rule \(rule.id)",
                help: "\(rule.description ?? "Policy rule \(rule.id).") (\(kind); defined at \(rule.location))", severity: rule.severity))
        }
        self.rules = rules
        self.sourceRoot = sourceRoot
    }

    /// A location's file relative to the source root, with forward slashes (`policies/x.yaml`).
    package func relativePath(_ file: String) -> String {
        let absolute = file.hasPrefix("/") ? file : (sourceRoot as NSString).appendingPathComponent(file)
        let standardized = (absolute as NSString).standardizingPath
        let root = (sourceRoot as NSString).standardizingPath
        if standardized.hasPrefix(root + "/") { return String(standardized.dropFirst(root.count + 1)) }
        return standardized
    }
}

extension Severity {
    /// GitHub code scanning's numeric scale (critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0, low > 0).
    package var securitySeverity: String {
        switch self {
        case .critical: "9.5"
        case .high: "8.0"
        case .medium: "5.5"
        case .low: "3.0"
        case .info: "0.5"
        }
    }

    /// SARIF's result level.
    package var sarifLevel: String {
        switch self {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low, .info: "note"
        }
    }
}
