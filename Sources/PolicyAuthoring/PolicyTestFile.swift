import Foundation
import Yams
import AuditSupport
import SnapshotModel
import AccessPolicy
import PolicyAudit

/// A policy test file (`*.test.yaml`): a policy, cases with terse inline fixtures, and the
/// findings each case expects (like `opa test`).
package struct PolicyTestFile: Sendable {
    /// One case.
    package struct Case: Sendable {
        package var name: String
        package var snapshot: Snapshot
        package var today: DayDate
        /// Only findings of these rules are compared (default: the expected rules; for a clean
        /// case, every finding above info).
        package var rules: [String]?
        /// nil means `expect: clean`.
        package var expected: [ExpectedFinding]?
        package var location: SourceLocation
    }

    /// A finding a case expects; unset fields match anything.
    package struct ExpectedFinding: Sendable, CustomStringConvertible {
        package var rule: String
        package var principal: String?
        package var object: String?
        package var column: String?
        package var privilege: Privilege?
        package var severity: Severity?
        package var suppressed: Bool
        package var location: SourceLocation

        package var description: String {
            var parts = ["rule: \(rule)"]
            if let principal { parts.append("principal: \(principal)") }
            if let object { parts.append("object: \(object)") }
            if let column { parts.append("column: \(column)") }
            if let privilege { parts.append("privilege: \(privilege.rawValue)") }
            if let severity { parts.append("severity: \(severity.rawValue)") }
            if suppressed { parts.append("suppressed: true") }
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
            return true
        }
    }

    package var file: String
    package var policy: Policy
    package var cases: [Case]

    /// Reads and checks a test file strictly; its policy paths are relative to it.
    package static func load(path: String) throws(InputError) -> PolicyTestFile {
        let start = SourceLocation(file: path, line: 1, column: 1)
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw InputError(start, "cannot read test file")
        }
        guard data.count <= 1 << 20 else { throw InputError(start, "test file is over the limit of 1 MiB") }
        try YAMLPrescan(file: path, limits: .init()).check(text)
        let root: Node?
        do { root = try Parser(yaml: text).singleRoot() } catch let error as YamlError { throw PolicyLoader.diagnose(error, file: path) } catch {
            throw InputError(start, "cannot parse YAML: \(error)")
        }
        guard let root else { throw InputError(start, "test file is empty") }
        let reader = YAMLReader(node: root, file: path, budget: .init(200_000), depth: 0)
        let top = try reader.mapping(allowed: ["version", "policies", "as_of", "tests"], what: "a test file")
        let version = try top.required("version", what: "a test file")
        guard try version.int(what: "version") == 1 else { throw InputError(version.location, "test file version must be 1") }
        let folder = (path as NSString).deletingLastPathComponent
        let policyPaths = try top.required("policies", what: "a test file").strings(what: "policies").map { value in
            value.0.hasPrefix("/") ? value.0 : (folder as NSString).appendingPathComponent(value.0)
        }
        let policy = try PolicyLoader().load(paths: policyPaths)
        let defaultDay = try top["as_of"]?.date(what: "as_of") ?? DayDate(Date())
        var cases: [Case] = []
        var names = Set<String>()
        for element in try top.required("tests", what: "a test file").sequence(what: "tests") {
            let fields = try element.mapping(allowed: ["name", "as_of", "fixture", "rules", "expect"], what: "a test")
            let nameNode = try fields.required("name", what: "a test")
            let name = try nameNode.string(what: "name")
            guard names.insert(name).inserted else { throw InputError(nameNode.location, "duplicate test name '\(name)'") }
            let snapshot = try FixtureReader().snapshot(try fields.required("fixture", what: "test '\(name)'"))
            let rules = try fields["rules"]?.strings(what: "rules").map(\.0)
            let knownRules = policy.rules.map(\.id) + BuiltInChecks.ids + ["new-over-broad-access", "new-access-to-class"]
            for (rule, at) in try fields["rules"]?.strings(what: "rules") ?? [] where !knownRules.contains(rule) {
                throw InputError(at, "unknown rule '\(rule)'", fix: Suggestion.closest(to: rule, among: knownRules).map { "did you mean '\($0)'?" })
            }
            let expectNode = try fields.required("expect", what: "test '\(name)'")
            var expected: [ExpectedFinding]?
            if case .scalar = expectNode.node {
                guard try expectNode.string(what: "expect") == "clean" else { throw InputError(expectNode.location, "expect is 'clean' or a list of findings") }
            } else {
                expected = []
                for item in try expectNode.sequence(what: "expect") {
                    let f = try item.mapping(allowed: ["rule", "principal", "object", "column", "privilege", "severity", "suppressed"], what: "an expected finding")
                    let ruleNode = try f.required("rule", what: "an expected finding")
                    let rule = try ruleNode.string(what: "rule")
                    guard knownRules.contains(rule) else {
                        throw InputError(ruleNode.location, "unknown rule '\(rule)'", fix: Suggestion.closest(to: rule, among: knownRules).map { "did you mean '\($0)'?" })
                    }
                    var privilege: Privilege?
                    if let node = f["privilege"] {
                        let text = try node.string(what: "privilege")
                        guard let value = Privilege(name: text) else {
                            throw InputError(node.location, "unknown privilege '\(text)'", fix: Suggestion.closest(to: text.uppercased(), among: Privilege.allCases.map(\.rawValue)).map { "did you mean '\($0)'?" })
                        }
                        privilege = value
                    }
                    expected?.append(ExpectedFinding(
                        rule: rule, principal: try f["principal"]?.string(what: "principal"), object: try f["object"]?.string(what: "object"),
                        column: try f["column"]?.string(what: "column"), privilege: privilege, severity: try f["severity"]?.severity(what: "severity"),
                        suppressed: try f["suppressed"]?.bool(what: "suppressed") ?? false, location: item.location))
                }
            }
            cases.append(Case(
                name: name, snapshot: snapshot, today: try fields["as_of"]?.date(what: "as_of") ?? defaultDay, rules: rules,
                expected: expected, location: nameNode.location))
        }
        return PolicyTestFile(file: path, policy: policy, cases: cases)
    }
}
