import Foundation
import AuditSupport

/// Today's findings, recorded by fingerprint so a gate fails only on new ones. Each entry keeps
/// the principals that reached it, so a new principal reaching through a baselined cause is
/// reported, not hidden.
package struct Baseline: Sendable, Codable {
    package static let formatVersion = 1

    /// One recorded finding.
    package struct Entry: Sendable, Codable, Hashable {
        package var fingerprint: String
        package var rule: String
        package var principal: String?
        package var object: String?
        package var principals: [String]
    }

    package var baselineVersion: Int
    package var createdAt: String
    package var entries: [Entry]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case baselineVersion = "baseline_version"
        case createdAt = "created_at"
        case entries = "findings"
    }

    package init(findings: [Finding], createdAt: String) {
        baselineVersion = Self.formatVersion
        self.createdAt = createdAt
        entries = findings.filter { $0.suppression?.kind != .exception }.map {
            Entry(fingerprint: $0.fingerprint, rule: $0.rule, principal: $0.principal, object: $0.object, principals: $0.affected.map(\.name).sorted())
        }
    }

    package init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        baselineVersion = try c.decode(Int.self, forKey: .baselineVersion)
        guard baselineVersion == Self.formatVersion else {
            throw DecodingError.dataCorruptedError(forKey: .baselineVersion, in: c, debugDescription: "baseline_version \(baselineVersion) is not supported")
        }
        createdAt = try c.decode(String.self, forKey: .createdAt)
        entries = try c.decode([Entry].self, forKey: .entries)
    }

    /// Reads a baseline file; anything unreadable is an `InputError` (exit 2).
    package static func load(path: String) throws(InputError) -> Baseline {
        let start = SourceLocation(file: path, line: 1, column: 1)
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(start, "cannot read baseline file") }
        do {
            return try JSONDecoder().decode(Baseline.self, from: data)
        } catch {
            throw InputError(start, "invalid baseline: \(error)")
        }
    }

    package func rendered() -> String {
        JSONValue.object([
            ("baseline_version", .number(baselineVersion)),
            ("created_at", .string(createdAt)),
            ("findings", .array(entries.sorted { $0.fingerprint < $1.fingerprint }.map { entry in
                .object([
                    ("fingerprint", .string(entry.fingerprint)), ("rule", .string(entry.rule)),
                    ("principal", .optional(entry.principal)), ("object", .optional(entry.object)),
                    ("principals", .array(entry.principals.map(JSONValue.string))),
                ])
            })),
        ]).rendered() + "\n"
    }

    /// Suppresses findings recorded in the baseline. A finding reached by a principal the
    /// baseline did not record stays unsuppressed, with the new principals marked.
    package func apply(to findings: inout [Finding], file: String) {
        let byFingerprint = Dictionary(entries.map { ($0.fingerprint, $0) }, uniquingKeysWith: { a, _ in a })
        let suppression = Suppression(kind: .baseline, reference: file)
        for index in findings.indices where findings[index].suppression == nil {
            guard let entry = byFingerprint[findings[index].fingerprint] else { continue }
            let known = Set(entry.principals)
            var newPrincipals: [String] = []
            for p in findings[index].affected.indices {
                if known.contains(findings[index].affected[p].name) {
                    if findings[index].affected[p].suppression == nil { findings[index].affected[p].suppression = suppression }
                } else if findings[index].affected[p].suppression == nil {
                    newPrincipals.append(findings[index].affected[p].name)
                }
            }
            if newPrincipals.isEmpty {
                findings[index].suppression = suppression
            } else {
                findings[index].message += " — new since the baseline: \(newPrincipals.joined(separator: ", "))"
            }
        }
    }
}
