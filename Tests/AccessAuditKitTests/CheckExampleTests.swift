@testable import PolicyAudit
import Foundation
import Testing

/// Every check's own triggering and non-triggering examples, run as tests (SwiftLint-style).
@Suite("Every check fires on its triggering examples and stays quiet on the others")
struct CheckExampleTests {
    static let checks: [any AuditCheck] = Auditor.checks

    static var checkIDs: [String] { checks.map { type(of: $0).description.id } }

    func check(_ id: String) throws -> any AuditCheck {
        try #require(Self.checks.first { type(of: $0).description.id == id })
    }

    func findings(_ check: any AuditCheck, _ example: CheckExample) throws -> [Finding] {
        let context = AuditContext(snapshot: example.snapshot, policy: try policy(example.policy), today: example.today)
        context.usage = example.usage
        return check.findings(in: context)
    }

    @Test(arguments: checkIDs)
    func triggeringExamplesProduceFindings(id: String) throws {
        let check = try check(id)
        let description = type(of: check).description
        #expect(!description.triggering.isEmpty, "\(id) has no triggering example")
        for example in description.triggering {
            #expect(!(try findings(check, example)).isEmpty, "\(id) did not fire on its triggering example")
        }
    }

    @Test(arguments: checkIDs)
    func nonTriggeringExamplesProduceNone(id: String) throws {
        let check = try check(id)
        let description = type(of: check).description
        #expect(!description.nonTriggering.isEmpty, "\(id) has no non-triggering example")
        for example in description.nonTriggering {
            let found = try findings(check, example)
            #expect(found.isEmpty, "\(id) fired on a non-triggering example: \(found.map(\.message))")
        }
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
