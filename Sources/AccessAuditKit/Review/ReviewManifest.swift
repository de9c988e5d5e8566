import Foundation

/// `manifest.json` of a review's output folder: what went in (with SHA-256), what came out,
/// the counts, and the history of reviews that the next review's trend chart draws.
public struct ReviewManifest: Sendable, Codable {
    public static let formatName = "access-audit-review"
    /// 2: items are entitlements (memberships, grants…), not one login role's access (1).
    public static let currentFormatVersion = 2

    /// One input or output file and its digest.
    public struct FileDigest: Sendable, Codable, Hashable {
        /// `snapshot`, `policy`, `decisions`, `previous-manifest`, or an output's name.
        public var role: String
        public var path: String
        public var bytes: Int
        public var sha256: String

        public init(role: String, path: String, bytes: Int, sha256: String) {
            self.role = role
            self.path = path
            self.bytes = bytes
            self.sha256 = sha256
        }

        /// The digest of `data`, the bytes read from `path`.
        public init(role: String, path: String, data: Data) {
            self.init(role: role, path: path, bytes: data.count, sha256: SHA256.hex(of: data))
        }
    }

    /// One review in the history: its day, its snapshot and its unsuppressed findings by severity.
    public struct HistoryEntry: Sendable, Codable, Hashable {
        public var reviewDate: String
        public var snapshotExportedAt: String
        public var findings: [String: Int]
        public var items: Int

        enum CodingKeys: String, CodingKey {
            case reviewDate = "review_date", snapshotExportedAt = "snapshot_exported_at", findings, items
        }
    }

    public var format: String = formatName
    public var formatVersion: Int = currentFormatVersion
    public var toolVersion: String
    public var reviewDate: String
    public var periodStart: String?
    public var periodEnd: String
    public var database: String
    public var serverVersion: String
    public var snapshotExportedAt: String
    public var policyRevision: String
    public var inputs: [FileDigest]
    public var outputs: [FileDigest]
    public var counts: [String: Int]
    public var history: [HistoryEntry]

    enum CodingKeys: String, CodingKey {
        case format, formatVersion = "format_version", toolVersion = "tool_version", reviewDate = "review_date"
        case periodStart = "period_start", periodEnd = "period_end", database, serverVersion = "server_version"
        case snapshotExportedAt = "snapshot_exported_at", policyRevision = "policy_revision"
        case inputs, outputs, counts, history
    }
}
