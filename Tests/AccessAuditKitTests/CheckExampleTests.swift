@testable import PolicyAudit
import AuditSupport
import Foundation
import Testing

/// Every check's and rule kind's own examples, run as tests (SwiftLint-style): each produces
/// exactly the findings it states (rule, principal, object, severity, location where it says),
/// and a failure is reported at the example's own line.
@Suite("Every check produces exactly the findings its examples state")
struct CheckExampleTests {
    static let checks: [any AuditStep] = Auditor.checks

    static var checkIDs: [String] { checks.map { type(of: $0).description.id } }

    func check(_ id: String) throws -> any AuditStep {
        try #require(Self.checks.first { type(of: $0).description.id == id })
    }

    func findings(_ check: any AuditStep, _ example: CheckExample) throws -> [Finding] {
        let context = AuditContext(snapshot: example.snapshot, policy: try policy(example.policy), today: example.today)
        context.usage = example.usage
        return check.findings(in: context)
    }

    /// Runs one example and records every difference at the example's line.
    func verify(_ check: any AuditStep, _ example: CheckExample) throws {
        let id = type(of: check).description.id
        let place = Testing.SourceLocation(fileID: example.fileID, filePath: example.filePath, line: example.line, column: 1)
        let knownRules = Self.checkIDs + ((try? policy(example.policy))?.rules.map(\.id) ?? [])
        let expected = try ExpectedFinding.readList(
            example.expect, at: AuditSupport.SourceLocation(file: example.filePath, line: example.line, column: 1),
            defaultRule: type(of: check) is any PolicyRuleKind.Type ? nil : id, knownRules: knownRules)
        let found = try findings(check, example)
        let (missing, unexpected) = ExpectedFinding.compare(expected, with: found)
        for expectation in missing {
            Issue.record("\(id): expected \(expectation), not found among \(found.map(Self.terse))", sourceLocation: place)
        }
        for finding in unexpected {
            Issue.record("\(id): unexpected finding \(Self.terse(finding))", sourceLocation: place)
        }
    }

    /// A finding in the examples' dialect, to paste into an example after checking it.
    static func terse(_ finding: Finding) -> String {
        var parts = ["rule: \(finding.rule)"]
        if let principal = finding.principal { parts.append("principal: \(principal)") }
        if let object = finding.object { parts.append("object: \(object)") }
        if let column = finding.column { parts.append("column: \(column)") }
        if let privilege = finding.privilege { parts.append("privilege: \(privilege.rawValue)") }
        parts.append("severity: \(finding.severity.rawValue)")
        parts.append("at: \(finding.location.file):\(finding.location.line)")
        return "{" + parts.joined(separator: ", ") + "}"
    }

    @Test(arguments: checkIDs)
    func triggeringExamplesProduceExactlyTheirFindings(id: String) throws {
        let check = try check(id)
        let description = type(of: check).description
        #expect(!description.triggering.isEmpty, "\(id) has no triggering example")
        for example in description.triggering {
            #expect(example.expect != "[]", "\(id): a triggering example states no finding", sourceLocation: Testing.SourceLocation(fileID: example.fileID, filePath: example.filePath, line: example.line, column: 1))
            try verify(check, example)
        }
    }

    @Test(arguments: checkIDs)
    func nonTriggeringExamplesProduceNone(id: String) throws {
        let check = try check(id)
        let description = type(of: check).description
        #expect(!description.nonTriggering.isEmpty, "\(id) has no non-triggering example")
        for example in description.nonTriggering {
            #expect(example.expect == "[]", "\(id): a non-triggering example states findings")
            try verify(check, example)
        }
    }

    @Test(arguments: checkIDs)
    func everySeverityABranchCanGiveHasAnExample(id: String) throws {
        let check = try check(id)
        let description = type(of: check).description
        let shown = Set(try description.triggering.flatMap { try findings(check, $0) }.map(\.severity))
        let branches = Set(description.severities)
        #expect(branches.isSubset(of: shown), "\(id): no example for severities \(branches.subtracting(shown).map(\.rawValue).sorted())")
    }

    @Test func checkIDsAreUniqueAndDescribed() {
        #expect(Set(Self.checkIDs).count == Self.checkIDs.count)
        for check in Self.checks { #expect(!type(of: check).description.summary.isEmpty) }
    }
}

/// The committed check reference is what the descriptions generate.
@Suite("Check reference")
struct CheckReferenceTests {
    @Test func docsChecksMatchesTheDescriptions() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/checks.md")
        let generated = CheckReference.markdown()
        if ProcessInfo.processInfo.environment["UPDATE_CHECK_REFERENCE"] == "1" {
            try generated.write(to: file, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: file, encoding: .utf8)
        #expect(committed == generated, "docs/checks.md is stale: rerun with UPDATE_CHECK_REFERENCE=1 after checking the change")
    }
}
