import Foundation

/// `manifest.json` of a review's output folder: what went in (with SHA-256), what came out,
/// the counts, and the history of reviews that the next review's trend chart draws.
package struct ReviewManifest: Sendable, Codable {
    package static let formatName = "access-audit-review"
    /// 2: items are entitlements (memberships, grants…), not one login role's access (1).
    package static let currentFormatVersion = 2

    /// One input or output file and its digest.
    package struct FileDigest: Sendable, Codable, Hashable {
        /// `snapshot`, `policy`, `decisions`, `previous-manifest`, or an output's name.
        package var role: String
        package var path: String
        package var bytes: Int
        package var sha256: String

        package init(role: String, path: String, bytes: Int, sha256: String) {
            self.role = role
            self.path = path
            self.bytes = bytes
            self.sha256 = sha256
        }

        /// The digest of `data`, the bytes read from `path`.
        package init(role: String, path: String, data: Data) {
            self.init(role: role, path: path, bytes: data.count, sha256: SHA256.hex(of: data))
        }
    }

    /// One review in the history: its day, its snapshot and its unsuppressed findings by severity.
    package struct HistoryEntry: Sendable, Codable, Hashable {
        package var reviewDate: String
        package var snapshotExportedAt: String
        package var findings: [String: Int]
        package var items: Int

        enum CodingKeys: String, CodingKey {
            case reviewDate = "review_date", snapshotExportedAt = "snapshot_exported_at", findings, items
        }
    }

    package var format: String = formatName
    package var formatVersion: Int = currentFormatVersion
    package var toolVersion: String
    package var reviewDate: String
    package var periodStart: String?
    package var periodEnd: String
    package var database: String
    package var serverVersion: String
    package var snapshotExportedAt: String
    package var policyRevision: String
    package var inputs: [FileDigest]
    package var outputs: [FileDigest]
    package var counts: [String: Int]
    package var history: [HistoryEntry]

    enum CodingKeys: String, CodingKey {
        case format, formatVersion = "format_version", toolVersion = "tool_version", reviewDate = "review_date"
        case periodStart = "period_start", periodEnd = "period_end", database, serverVersion = "server_version"
        case snapshotExportedAt = "snapshot_exported_at", policyRevision = "policy_revision"
        case inputs, outputs, counts, history
    }
}
