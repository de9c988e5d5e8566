import Foundation
import SnapshotModel

/// Findings that one kind of change fixes, gathered when the output is bounded: a rule finding
/// the same principal holding the same privilege on many objects (PUBLIC holding INSERT on 2,000
/// tables, a group's undeclared SELECT on every table of 200 schemas) becomes one finding that
/// names the first objects and counts the rest. A first run on a real database then reads as a
/// list of decisions instead of thousands of near-identical lines; `--principals all` (and a
/// baseline, which needs one fingerprint per object) keeps every finding.
///
/// Only the rules about what the policy declares are gathered: findings about classified data
/// (PUBLIC grants on it, deny, limit and separate rules, definer exposure, capabilities) stay one
/// per object, so no road to a classified column is folded into another's line.
enum FindingGroups {
    /// Objects a grouped finding's message names before counting the rest (`objects` lists all).
    static let namedObjects = 10
    /// Alike findings past which they are gathered: a role with four undeclared grants of one
    /// kind is one decision (declare them, or revoke them), not four lines.
    static let alikeBeforeGrouping = 3

    /// The rules whose findings one declaration or one revoke fixes.
    static let groupedRules: Set<String> = [
        "over-broad-grant", "undeclared-grant-option", "undeclared-ownership", "undeclared-default-privilege", "missing-grant",
    ]

    /// `findings` with every group of more than `limit` alike, unsuppressed findings on objects
    /// replaced by one finding; the others unchanged, in their order.
    static func group(_ findings: [Finding], over limit: Int) -> [Finding] {
        struct Key: Hashable {
            var rule: String
            var severity: Severity
            var principal: String?
            var privilege: Privilege?
            var objectKind: ObjectKind?
            var column: String?
            var causeKind: Cause.Kind
            var database: String?
        }
        func key(_ finding: Finding) -> Key? {
            guard groupedRules.contains(finding.rule), finding.object != nil, !finding.suppressed else { return nil }
            return Key(
                rule: finding.rule, severity: finding.severity, principal: finding.principal, privilege: finding.privilege,
                objectKind: finding.objectKind, column: finding.column, causeKind: finding.cause.kind, database: finding.database)
        }
        var members: [Key: [Int]] = [:]
        for (index, finding) in findings.enumerated() {
            if let key = key(finding) { members[key, default: []].append(index) }
        }
        let grouped = members.filter { $0.value.count > limit }
        guard !grouped.isEmpty else { return findings }
        var replaced: [Int: Finding] = [:]
        var dropped = Set<Int>()
        for indices in grouped.values {
            let group = indices.map { findings[$0] }
            guard let merged = merge(group) else { continue }
            replaced[indices[0]] = merged
            dropped.formUnion(indices.dropFirst())
        }
        return findings.indices.compactMap { index in
            if dropped.contains(index) { return nil }
            return replaced[index] ?? findings[index]
        }
    }

    /// One finding for a group: its first member's cause, principals and location; the objects
    /// named (first few) and counted; the object a glob when they share a schema.
    private static func merge(_ group: [Finding]) -> Finding? {
        guard let first = group.first else { return nil }
        // Numbers in names compare as numbers: s0.t2 before s0.t10.
        let objects = group.compactMap(\.object).sorted { $0.compare($1, options: .numeric) == .orderedAscending }
        let schemas = Set(objects.map { String($0.prefix { $0 != "." }) })
        let object = schemas.count == 1 ? "\(schemas.first ?? "").*" : "*"
        let kind = first.objectKind?.rawValue ?? "object"
        let target = first.column.map { " (column \($0))" } ?? ""
        let named = objects.prefix(namedObjects).joined(separator: ", ") + (objects.count > namedObjects ? ", … \(objects.count - namedObjects) more" : "")
        let holder = first.principal ?? "a role"
        let privilege = first.privilege.map { "\($0.rawValue) " } ?? ""
        var merged = Finding(
            rule: first.rule, severity: first.severity, principal: first.principal, objectKind: first.objectKind, object: object,
            column: first.column, privilege: first.privilege,
            cause: Cause(first.cause.kind, "\(objects.count) alike: \(first.cause.description), …"),
            message: "\(objects.count) \(first.rule) findings share one fix: \(holder) holds \(privilege)on \(objects.count) \(kind)s\(target) (\(named)). "
                + "The first: \(first.message). Revoke them together or declare them\(object == "*" ? "" : " (`\(object)`)"); `--principals all` lists each",
            affected: first.affected, principalCount: group.map(\.principalCount).max() ?? first.principalCount, location: first.location)
        merged.database = first.database
        merged.groupedObjects = objects
        return merged
    }
}
