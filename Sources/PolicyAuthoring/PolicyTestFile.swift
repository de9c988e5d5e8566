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

    /// A finding a case expects (the dialect the checks' examples share).
    package typealias ExpectedFinding = PolicyAudit.ExpectedFinding

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
                    expected?.append(try ExpectedFinding.read(item, knownRules: knownRules))
                }
            }
            cases.append(Case(
                name: name, snapshot: snapshot, today: try fields["as_of"]?.date(what: "as_of") ?? defaultDay, rules: rules,
                expected: expected, location: nameNode.location))
        }
        return PolicyTestFile(file: path, policy: policy, cases: cases)
    }
}
