import Foundation
import AuditSupport
import PolicyAudit

/// The six files of a review, rendered: `report.html`, `report.md`, `access.csv`,
/// `findings.csv`, `review-decisions.csv` and `manifest.json` (written last; it lists the
/// digests of the other five).
package struct ReviewOutput {
    package var files: [(name: String, content: String)]

    /// `streamed`: digests of files written while the review was built (`access-by-login.csv`).
    package init(review: AccessReview, context: ReportContext, tableLimit: Int = 500, streamed: [ReviewManifest.FileDigest] = []) {
        let document = ReviewDocumentBuilder(review: review, context: context, tableLimit: tableLimit).build()
        let csv = ReviewCSVRenderer(review: review, context: context)
        // Five independent renderings, on the machine's cores.
        let names = ["report.html", "report.md", "access.csv", "findings.csv", "review-decisions.csv"]
        let contents = Concurrently.map(count: names.count) { index -> String in
            switch index {
            case 0: ReviewHTMLRenderer().render(document)
            case 1: ReviewMarkdownRenderer().render(document)
            case 2: csv.access()
            case 3: csv.findings()
            default: csv.decisionsTemplate()
            }
        }
        var files: [(name: String, content: String)] = Array(zip(names, contents))
        let outputs = files.map { file in
            let bytes = Array(file.content.utf8)
            return ReviewManifest.FileDigest(role: "output", path: file.name, bytes: bytes.count, sha256: SHA256.hex(of: bytes))
        }
        files.append(("manifest.json", Self.manifest(review, context: context, outputs: outputs + streamed)))
        self.files = files
    }

    static func manifest(_ review: AccessReview, context: ReportContext, outputs: [ReviewManifest.FileDigest]) -> String {
        let a = review.attestation
        var counts: [String: Int] = [
            "items": review.items.count, "new_items": review.newItems.count, "removed_items": review.removedItems.count,
            "findings": review.findings.count, "suppressed_findings": review.findings.filter(\.suppressed).count,
            "new_findings": review.findings.filter { review.newFindingFingerprints.contains($0.fingerprint) }.count,
            "fixed_findings": review.fixedFindings.count, "overdue": review.overdue.count,
            "revokes_verified": review.revokeChecks.filter(\.verified).count, "revokes_not_done": review.revokeChecks.filter { !$0.verified }.count,
            "kept_carried_forward": review.keptItems.count, "exceptions_expiring": review.expiringExceptions.count,
            "peer_outliers": review.outliers.count, "principals_with_classified_access": review.exposure.principals.count,
        ]
        for (severity, count) in review.counts { counts["findings_\(severity.rawValue)"] = count }
        for (name, count) in review.rowCounts { counts["snapshot_" + name.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: " ", with: "_")] = count }
        let manifest = ReviewManifest(
            toolVersion: a.toolVersion, reviewDate: a.reviewDate.description, periodStart: a.periodStart, periodEnd: a.periodEnd,
            database: a.database, serverVersion: a.serverVersion, snapshotExportedAt: a.snapshotExportedAt, policyRevision: a.policyRevision,
            inputs: a.inputs.map { var relative = $0; relative.path = context.relativePath($0.path); return relative },
            outputs: outputs, counts: counts, history: review.history)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Strings, integers and arrays of them: encoding cannot fail (no floating-point values).
        let data = (try? encoder.encode(manifest)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
