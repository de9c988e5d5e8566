import AuditCommands
import AuditSupport
import SnapshotModel
import QuarterlyReview
import ArgumentParser
import Foundation

/// `access-audit report`: the quarterly access review.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the periodic access review: report.html, report.md, access.csv, findings.csv, review-decisions.csv, manifest.json.",
        discussion: """
            Items are entitlements, each decided by its accountable owner: a login's membership, a group's grant, a \
            direct grant to a login or PUBLIC, a definer grant, an attribute, an ownership or a capability, each with \
            what it opens and its path. Risk first, changes since the previous review first. With --previous (last \
            review's output folder) and --decisions (its filled review-decisions.csv), KEEP decisions are carried \
            forward, REVOKE decisions are verified at the entitlement (still granted is a high finding) and new \
            items are marked. Exit 1 when a finding reaches the threshold (the files are written first).
            """)

    @OptionGroup var policy: PolicyOptions
    @OptionGroup var evaluation: EvaluationOptions

    @Option(help: "The snapshot JSON file of the database under review.")
    var snapshot: String

    @Option(name: .customLong("output-dir"), help: "The folder to write the six files to, seven with --access-by-login (created if missing).")
    var outputDir: String

    @Option(help: "Last review's output folder (its manifest.json, access.csv and findings.csv).")
    var previous: String?

    @Option(help: "Last review's review-decisions.csv, filled in by the reviewers.")
    var decisions: String?

    @Option(name: .customLong("fail-on"), help: "Fail on findings at or above this severity (overrides settings.fail_on).")
    var failOn: Severity?


    @Option(name: .customLong("policy-revision"), help: "The policy revision to attest (default: the git commit of the policy files).")
    var policyRevision: String?


    @Option(name: .customLong("table-limit"), help: "Rows a report table shows before pointing to the CSV files.")
    var tableLimit: Int = 500

    @Option(help: ArgumentHelp(
        "Principals listed per finding in findings.csv and the report, riskiest first: a number, or all. Default 20.",
        discussion: "A finding always says how many principals it reaches; `explain` and `effective --object` list every one."))
    var principals: PrincipalLimit = .standard

    @OptionGroup var usage: UsageOptions

    @Flag(name: .customLong("access-by-login"), help: "Also write access-by-login.csv: every login role's access to each classified column, with the items that carry it (streamed; large on big databases).")
    var accessByLogin = false

    func validate() throws {
        guard tableLimit > 0 else { throw ValidationError("--table-limit must be positive") }
        // Without the review the decisions were made on, a REVOKE naming a mistyped id would
        // look "done": every decided id must be checked against that review's items.
        if decisions != nil, previous == nil {
            throw ValidationError("--decisions needs --previous: the output folder of the review the decisions were made on")
        }
    }

    func run() throws {
        // The digests are of the very bytes parsed: the attestation names what was reviewed.
        let ((policy, policyDigests), (snapshotValue, snapshotDigest)) = try ParallelLoading.load(
            { [policies = self.policy.policies] () throws(InputError) in try PolicyOptions(policies: policies).loadAttested() },
            { [snapshot] () throws(InputError) in
                let data = try SnapshotLoader().read(path: snapshot)
                return (try SnapshotLoader().decode(data, file: snapshot), ReviewManifest.FileDigest(role: "snapshot", path: snapshot, data: data))
            })
        let today = try evaluation.today()
        let previousReview = try previous.map { folder throws(InputError) in try PreviousReview.load(folder: folder) }
        var inputs = [snapshotDigest] + policyDigests
        var decisionSet: ReviewDecisions?
        if let decisions {
            let data = try read(decisions)
            inputs.append(ReviewManifest.FileDigest(role: "decisions", path: decisions, data: data))
            let known = previousReview.map { Set($0.items.keys) }
            guard let text = String(validating: data, as: UTF8.self) else {
                throw InputError(SourceLocation(file: decisions, line: 1, column: 1), "the decisions file is not UTF-8 text", fix: "save it as CSV UTF-8")
            }
            decisionSet = try ReviewDecisions.parse(text, file: decisions, knownIDs: known)
        }
        if let previousReview { inputs.append(previousReview.manifestDigest) }
        let usageEvidence = try usage.load()
        if let usageEvidence, let path = usage.usage { inputs.append(ReviewManifest.FileDigest(role: "usage", path: path, data: usageEvidence.data)) }

        do {
            try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true)
        } catch {
            throw InputError(SourceLocation(file: outputDir, line: 1, column: 1), "cannot create the output folder: \(error.localizedDescription)")
        }
        var builder = AccessReviewBuilder(
            snapshot: snapshotValue, policy: policy, today: today, failOn: failOn, previous: previousReview, decisions: decisionSet,
            policyRevision: policyRevision ?? Git.revision(of: self.policy.policies), inputs: inputs)
        let loginWriter = try accessByLogin ? LoginAccessWriter(path: (outputDir as NSString).appendingPathComponent("access-by-login.csv")) : nil
        if let loginWriter { builder.loginAccess = { loginWriter.write($0) } }
        builder.principalLimit = principals.limit
        builder.usage = usageEvidence?.evidence
        let review = builder.build()
        let streamed = try loginWriter.map { writer throws(InputError) in try writer.finish() }.map { [$0] } ?? []
        let context = evaluation.reportContext(policy: policy)
        let output = ReviewOutput(review: review, context: context, tableLimit: tableLimit, streamed: streamed)
        for file in output.files { try Terminal.emit(file.content, to: (outputDir as NSString).appendingPathComponent(file.name)) }
        let counts = review.counts
        Terminal.error(
            "review of \(review.attestation.database) written to \(outputDir): \(review.items.count) item(s) in \(review.worksheets.count) worksheet(s); "
                + Severity.allCases.reversed().map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
                + (review.hasPrevious ? "; \(review.newItems.count) new item(s), \(review.revokeChecks.filter { !$0.verified }.count) REVOKE(s) not done" : ""))
        if review.failed { throw GateFailed() }
    }

    private func read(_ path: String) throws(InputError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(SourceLocation(file: path, line: 1, column: 1), "cannot read \(path)")
        }
        return data
    }
}
