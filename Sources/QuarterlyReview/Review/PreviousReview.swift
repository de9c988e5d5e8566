import Foundation
import AuditSupport

/// What last quarter's output folder tells this review: its manifest (history, period), the
/// items it listed (with the day each was first seen) and the findings it reported.
package struct PreviousReview: Sendable {
    /// An item as the previous `access.csv` listed it.
    package struct Item: Sendable, Hashable {
        package var id: String
        package var kind: String
        package var principal: String
        package var subject: String
        package var privilege: String
        package var firstSeen: DayDate?
        /// What the entitlement is (format 2; empty in format 1).
        package var key: String = ""
    }

    /// A finding as the previous `findings.csv` listed it.
    package struct FindingRecord: Sendable, Hashable {
        package var fingerprint: String
        package var rule: String
        package var severity: String
        package var message: String
    }

    package var folder: String
    package var manifest: ReviewManifest
    package var items: [String: Item]
    package var findings: [String: FindingRecord]
    /// SHA-256 of the previous manifest, for this review's inputs.
    package var manifestDigest: ReviewManifest.FileDigest

    package init(folder: String, manifest: ReviewManifest, items: [String: Item], findings: [String: FindingRecord], manifestDigest: ReviewManifest.FileDigest) {
        self.folder = folder
        self.manifest = manifest
        self.items = items
        self.findings = findings
        self.manifestDigest = manifestDigest
    }

    /// Reads `manifest.json`, `access.csv` and `findings.csv` from `folder`.
    package static func load(folder: String) throws(InputError) -> PreviousReview {
        let manifestPath = (folder as NSString).appendingPathComponent("manifest.json")
        let manifestData = try read(manifestPath)
        let manifest: ReviewManifest
        do {
            manifest = try JSONDecoder().decode(ReviewManifest.self, from: manifestData)
        } catch {
            throw InputError(SourceLocation(file: manifestPath, line: 1, column: 1), "not a review manifest written by access-audit report: \(error)")
        }
        guard manifest.format == ReviewManifest.formatName, (1...ReviewManifest.currentFormatVersion).contains(manifest.formatVersion) else {
            throw InputError(SourceLocation(file: manifestPath, line: 1, column: 1), "review manifest format \(manifest.format) v\(manifest.formatVersion) is not supported")
        }
        let accessPath = (folder as NSString).appendingPathComponent("access.csv")
        var items: [String: Item] = [:]
        for row in try table(accessPath, columns: ["item_id", "kind", "principal", "subject", "privilege", "first_seen"]) {
            let id = row["item_id"] ?? ""
            guard items[id] == nil else { continue }
            items[id] = Item(id: id, kind: row["kind"] ?? "", principal: row["principal"] ?? "", subject: row["subject"] ?? "",
                             privilege: row["privilege"] ?? "", firstSeen: DayDate(row["first_seen"] ?? ""), key: row["key"] ?? "")
        }
        let findingsPath = (folder as NSString).appendingPathComponent("findings.csv")
        var findings: [String: FindingRecord] = [:]
        for row in try table(findingsPath, columns: ["fingerprint", "rule", "severity", "message"]) {
            let fingerprint = row["fingerprint"] ?? ""
            findings[fingerprint] = FindingRecord(fingerprint: fingerprint, rule: row["rule"] ?? "", severity: row["severity"] ?? "", message: row["message"] ?? "")
        }
        let digest = ReviewManifest.FileDigest(role: "previous-manifest", path: manifestPath, data: manifestData)
        return PreviousReview(folder: folder, manifest: manifest, items: items, findings: findings, manifestDigest: digest)
    }

    static func read(_ path: String) throws(InputError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(SourceLocation(file: path, line: 1, column: 1), "cannot read \(path): is --previous the output folder of an earlier report?")
        }
        return data
    }

    /// The rows of a CSV file with a header, as dictionaries; the named columns must exist.
    static func table(_ path: String, columns: [String]) throws(InputError) -> [[String: String]] {
        let records = try CSVReader.records(in: String(decoding: try read(path), as: UTF8.self), file: path)
        guard let header = records.first else { throw InputError(SourceLocation(file: path, line: 1, column: 1), "\(path) is empty") }
        let names = header.fields.map(\.text)
        for column in columns where !names.contains(column) {
            throw InputError(SourceLocation(file: path, line: 1, column: 1), "\(path) has no '\(column)' column")
        }
        return try records.dropFirst().map { record throws(InputError) in
            guard record.fields.count == names.count else {
                throw InputError(SourceLocation(file: path, line: record.line, column: 1), "this row has \(record.fields.count) field(s); the header has \(names.count)")
            }
            return Dictionary(zip(names, record.fields.map(\.text)), uniquingKeysWith: { first, _ in first })
        }
    }
}
