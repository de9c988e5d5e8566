import Yams
import AuditSupport
import SnapshotModel
import AccessPolicy

/// A finding a policy test case or a check's example expects, in the terse YAML dialect of
/// `*.test.yaml` (`{rule: pii-readers, principal: alice, object: public.customers, severity: high}`);
/// unset fields match anything.
package struct ExpectedFinding: Sendable, CustomStringConvertible {
    package var rule: String
    package var principal: String?
    package var object: String?
    package var column: String?
    package var privilege: Privilege?
    package var severity: Severity?
    package var suppressed: Bool
    /// Where the finding must point (`file:line`), when that matters.
    package var at: String?
    /// Where this expectation is written.
    package var location: SourceLocation

    package static let keys = ["rule", "principal", "object", "column", "privilege", "severity", "suppressed", "at"]

    package var description: String {
        var parts = ["rule: \(rule)"]
        if let principal { parts.append("principal: \(principal)") }
        if let object { parts.append("object: \(object)") }
        if let column { parts.append("column: \(column)") }
        if let privilege { parts.append("privilege: \(privilege.rawValue)") }
        if let severity { parts.append("severity: \(severity.rawValue)") }
        if suppressed { parts.append("suppressed: true") }
        if let at { parts.append("at: \(at)") }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// Whether an actual finding satisfies this expectation. The principal may be the
    /// finding's cause holder or any principal it reaches.
    package func matches(_ finding: Finding) -> Bool {
        guard finding.rule == rule, finding.suppressed == suppressed else { return false }
        if let principal, finding.principal != principal, !finding.affected.contains(where: { $0.name == principal }) { return false }
        if let object, finding.object != object { return false }
        if let column, finding.column != column { return false }
        if let privilege, finding.privilege != privilege { return false }
        if let severity, finding.severity != severity { return false }
        if let at {
            guard "\(finding.location.file):\(finding.location.line)" == at else { return false }
        }
        return true
    }

    /// Reads one expected finding; `defaultRule` stands in when the entry names none (a check's
    /// examples), and every rule named must be in `knownRules`.
    package static func read(_ item: YAMLReader, defaultRule: String? = nil, knownRules: [String]) throws(InputError) -> ExpectedFinding {
        let f = try item.mapping(allowed: keys, what: "an expected finding")
        let rule: String
        if let defaultRule, f["rule"] == nil {
            rule = defaultRule
        } else {
            let ruleNode = try f.required("rule", what: "an expected finding")
            rule = try ruleNode.string(what: "rule")
            guard knownRules.contains(rule) else {
                throw InputError(ruleNode.location, "unknown rule '\(rule)'", fix: Suggestion.closest(to: rule, among: knownRules).map { "did you mean '\($0)'?" })
            }
        }
        let privilege = try f["privilege"].map { node throws(InputError) in
            try PolicyParser.privilege(named: try node.string(what: "privilege"), at: node.location)
        }
        return ExpectedFinding(
            rule: rule, principal: try f["principal"]?.string(what: "principal"), object: try f["object"]?.string(what: "object"),
            column: try f["column"]?.string(what: "column"), privilege: privilege, severity: try f["severity"]?.severity(what: "severity"),
            suppressed: try f["suppressed"]?.bool(what: "suppressed") ?? false, at: try f["at"]?.string(what: "at"), location: item.location)
    }

    /// Reads a YAML list of expected findings written inline (`[{principal: alice, severity: high}]`),
    /// e.g. in a check's example; `location` is where the text starts.
    package static func readList(_ text: String, at location: SourceLocation, defaultRule: String? = nil, knownRules: [String]) throws(InputError) -> [ExpectedFinding] {
        let root: Node?
        do { root = try Parser(yaml: text).singleRoot() } catch {
            throw InputError(location, "expected findings are not YAML: \(error)")
        }
        guard let root else { return [] }
        // Locations inside the text are relative to its start: shift them onto the Swift line.
        let reader = YAMLReader(node: root, file: location.file, budget: .init(10_000), depth: 0)
        var expected: [ExpectedFinding] = []
        for item in try reader.sequence(what: "expected findings") {
            var finding = try read(item, defaultRule: defaultRule, knownRules: knownRules)
            finding.location = SourceLocation(file: location.file, line: location.line + finding.location.line - 1, column: finding.location.column)
            expected.append(finding)
        }
        return expected
    }

    /// Compares findings with expectations both ways: the expectations no finding satisfies, and
    /// the findings no expectation claims (each finding satisfies at most one expectation).
    package static func compare(_ expected: [ExpectedFinding], with findings: [Finding]) -> (missing: [ExpectedFinding], unexpected: [Finding]) {
        var unmatched = findings
        var missing: [ExpectedFinding] = []
        for expectation in expected {
            if let index = unmatched.firstIndex(where: expectation.matches) { unmatched.remove(at: index) } else { missing.append(expectation) }
        }
        return (missing, unmatched)
    }
}
