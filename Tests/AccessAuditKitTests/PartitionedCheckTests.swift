@testable import PolicyAudit
import AccessPolicy
import AuditSupport
import Foundation
import PropertyBased
import SnapshotModel
import Testing

/// A check split across threads finds what one run finds: every part in its own context (as
/// each thread has), merged in part order, for any number of parts and with principals sampled
/// or listed in full.
@Suite("Checks split across threads")
struct PartitionedCheckTests {
    static let loggingSettings: [[String: String]] = [
        [:], ["pgaudit.log": "write, ddl"], ["pgaudit.log": "read"], ["pgaudit.log": "function"],
        ["pgaudit.log": "ddl", "pgaudit.role": "r1"],
    ]

    static func expectPartsMergeToOneRun(_ check: UnloggedClassifiedReadCheck, on snapshot: Snapshot, policy: Policy, _ comment: String) {
        for sample in [nil, 1, 3] as [Int?] {
            let context = AuditContext(snapshot: snapshot, policy: policy, today: DayDate("2026-06-01") ?? DayDate(Date()))
            context.principalSample = sample
            let one = "\(check.findings(in: context))"
            for count in 2...5 {
                let partials = (0..<count).map { check.partial($0, of: count, in: AuditContext(sharing: context.sharedParts)) }
                let merged = check.findings(merging: partials, in: AuditContext(sharing: context.sharedParts))
                #expect("\(merged)" == one, "\(comment), \(count) parts, sample \(sample.map(String.init) ?? "all")")
            }
        }
    }

    @Test func theUnloggedReadCheckFindsInPartsWhatItFindsInOneRun() async {
        await propertyCheck(count: 60, input: EngineLawTests.seeds) { seed in
            var random = SplitMix64(seed: UInt64(seed))
            let settings = Self.loggingSettings[Int(random.next() % UInt64(Self.loggingSettings.count))]
            let snapshot = SnapshotBuilder(snapshot: RandomSnapshot.make(seed: UInt64(seed)))
                .logging(pgaudit: random.next() % 4 != 0, settings: settings).build()
            let text = "version: 1\ndata_classes:\n  pii: {severity: high, tables: ['*.*']}\n"
            guard let policy = try? PolicyLoader().load(sources: [(file: "p.yaml", text: text)]) else {
                Issue.record("policy did not load")
                return
            }
            Self.expectPartsMergeToOneRun(UnloggedClassifiedReadCheck(), on: snapshot, policy: policy, "seed \(seed), \(settings)")
        }
    }

    @Test func theShippedExampleFindsInPartsWhatItFindsInOneRun() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let policy = try PolicyLoader().load(paths: [root.appendingPathComponent("policies/support-db").path])
        let exported = try SnapshotLoader().load(path: root.appendingPathComponent("examples/support-db/snapshot.json").path)
        for settings in Self.loggingSettings {
            let snapshot = SnapshotBuilder(snapshot: exported).logging(pgaudit: true, settings: settings).build()
            let one = UnloggedClassifiedReadCheck().findings(in: AuditContext(snapshot: snapshot, policy: policy, today: DayDate("2026-06-01") ?? DayDate(Date())))
            #expect(!one.isEmpty || settings["pgaudit.log"] == "read", "\(settings): the example's classified columns are read unlogged")
            Self.expectPartsMergeToOneRun(UnloggedClassifiedReadCheck(), on: snapshot, policy: policy, "support-db, \(settings)")
        }
    }

    /// The scheduler queues a partitioned check's parts and merges them where the check stood.
    @Test func theSchedulerGivesTheFindingsOfOneRunInTheChecksOrder() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let policy = try PolicyLoader().load(paths: [root.appendingPathComponent("policies/support-db").path])
        let exported = try SnapshotLoader().load(path: root.appendingPathComponent("examples/support-db/snapshot.json").path)
        let snapshot = SnapshotBuilder(snapshot: exported).logging(pgaudit: true, settings: ["pgaudit.log": "write"]).build()
        let context = AuditContext(snapshot: snapshot, policy: policy, today: DayDate("2026-06-01") ?? DayDate(Date()))
        let checks = BuiltInChecks.all
        let sequential = checks.map { "\($0.findings(in: AuditContext(sharing: context.sharedParts)))" }
        let parallel = ParallelChecks.run(checks, in: context).map { "\($0)" }
        #expect(parallel == sequential)
        #expect(checks.contains { $0 is any PartitionedAuditCheck })
    }

    /// Law: the parts concatenate to the whole, in order, and never cut a unit (a table's columns).
    @Test func contiguousPartsCoverTheWholeWithoutCuttingAUnit() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var random = SplitMix64(seed: UInt64(seed))
            var units: [Int] = []
            for unit in 0..<Int(random.next() % 12) { units += Array(repeating: unit, count: 1 + Int(random.next() % 4)) }
            for count in 1...7 {
                let parts = (0..<count).map { units.contiguousPart($0, of: count, keepingTogether: ==) }
                #expect(Array(parts.joined()) == units, "\(units) in \(count)")
                for (a, b) in zip(parts, parts.dropFirst()) {
                    if let last = a.last, let first = b.first { #expect(last != first, "\(units) in \(count): a unit cut") }
                }
            }
        }
    }
}
