@testable import AuditSupport
@testable import SnapshotModel
@testable import AccessEngine
@testable import AccessPolicy
@testable import PolicyAudit
import Foundation
import Testing

/// Small helpers shared by the engine and evaluator tests.
extension EffectiveAccessEngine {
    func role(_ name: String) throws -> RoleIndex { try #require(graph.roleIndex[name], "no role \(name)") }
    func table(_ name: String) throws -> ObjectIndex { try #require(graph.object(.table, name), "no table \(name)") }
    func column(_ qualified: String) throws -> ColumnRef { try #require(graph.columnRef(qualified), "no column \(qualified)") }

    /// The effective entries of `role` on `object` (and column) for `privilege`.
    func entries(_ role: String, _ privilege: Privilege, on object: String, column: String? = nil) throws -> [EffectivePrivilege] {
        try privileges(of: self.role(role)).filter { $0.object == object && $0.privilege == privilege && $0.column == column }
    }
}

/// Parses a policy text (file name `policy.yaml`), failing the test on errors.
func policy(_ text: String) throws -> Policy {
    do { return try PolicyLoader().parse(text, file: "policy.yaml") } catch {
        Issue.record("policy did not load: \(error)")
        throw error
    }
}

/// The first diagnostic of a policy text that must not load.
func policyError(_ text: String, file: String = "policy.yaml") -> Diagnostic? {
    do {
        _ = try PolicyLoader().parse(text, file: file)
        return nil
    } catch {
        return error.diagnostics.first
    }
}

/// Audits a snapshot against a policy text as of a fixed day.
func audit(_ policyText: String, _ snapshot: Snapshot, today: String = "2026-06-01") throws -> [Finding] {
    Auditor(policy: try policy(policyText), today: try #require(DayDate(today))).audit(snapshot)
}

let minimalPolicy = """
    version: 1
    data_classes:
      pii: {severity: critical, columns: [public.customers.email]}
    roles: {}

    """
