import AuditSupport
import SnapshotModel
import AccessEngine
import AccessPolicy

/// One effective privilege that a change adds or removes.
package struct AccessChange: Sendable {
    package var access: EffectivePrivilege
    /// Data classes the access reaches (head policy's classification).
    package var classes: [DataClass]
    /// Whether the head policy declares everything the path relies on.
    package var allowed: Bool
}

/// What a permission change does: effective access added and removed (per principal, with
/// paths), findings new and fixed, and the violations that fail the gate.
package struct AccessDiff: Sendable {
    package var added: [AccessChange]
    package var removed: [AccessChange]
    package var newFindings: [Finding]
    package var fixedFindings: [Finding]
    /// New access to classified data the head policy does not allow, and new access to the
    /// classes named by `--fail-on-new-access`.
    package var violations: [Finding]
    package var failOn: Severity
    package var databases: [String]

    /// Violations plus new findings, as one result for the CI renderers.
    package var result: AuditResult { AuditResult(findings: violations + newFindings, failOn: failOn, databases: databases) }
    package var failed: Bool { result.failed }
}

/// Compares base and head (snapshot and policy) of one database.
package struct AccessDiffer: Sendable {
    package var today: DayDate
    package var failOn: Severity
    /// Any new effective access to these classes fails the gate, allowed or not.
    package var newAccessClasses: [String]

    package init(today: DayDate, failOn: Severity, newAccessClasses: [String] = []) {
        self.today = today
        self.failOn = failOn
        self.newAccessClasses = newAccessClasses
    }

    package func diff(base: Snapshot, head: Snapshot, basePolicy: Policy, headPolicy: Policy) -> AccessDiff {
        let baseAccess = Self.effectiveAccess(base)
        let headAccess = Self.effectiveAccess(head)
        let context = AuditContext(snapshot: head, policy: headPolicy, today: today)
        let baseContext = AuditContext(snapshot: base, policy: headPolicy, today: today)
        // Access, not paths: a column the other side reaches through a grant on the whole
        // relation is neither added nor removed (only its best path changed).
        let added = headAccess.keys.filter { baseAccess[$0] == nil && !Self.coveredByRelation(headAccess[$0], in: baseAccess) }.sorted().compactMap { key in
            headAccess[key].map { change($0, in: context) }
        }
        let removed = baseAccess.keys.filter { headAccess[$0] == nil && !Self.coveredByRelation(baseAccess[$0], in: headAccess) }.sorted().compactMap { key in
            baseAccess[key].map { change($0, in: baseContext) }
        }
        let baseFindings = Auditor(policy: basePolicy, today: today).audit(base)
        let headFindings = Auditor(policy: headPolicy, today: today).audit(head)
        let baseFingerprints = Set(baseFindings.map(\.fingerprint))
        let headFingerprints = Set(headFindings.map(\.fingerprint))
        var violations: [Finding] = []
        for change in added where !change.classes.isEmpty {
            let severity = change.classes.map(\.severity).max() ?? .medium
            let names = change.classes.map(\.name).joined(separator: ", ")
            let target = change.access.object + (change.access.column.map { ".\($0)" } ?? "")
            let location = context.location(ofRole: change.access.principal)
            func violation(_ rule: String, _ message: String) -> Finding {
                Finding(
                    rule: rule, severity: severity, principal: change.access.principal,
                    objectKind: change.access.objectKind, object: change.access.object, column: change.access.column,
                    privilege: change.access.privilege, cause: Cause(.grant, change.access.path.description), message: message,
                    affected: [AffectedPrincipal(name: change.access.principal, path: change.access.path, mode: change.access.mode)],
                    location: location)
            }
            let gives = "the change gives \(change.access.principal)"
            if !change.allowed {
                violations.append(violation("new-over-broad-access", "\(gives) \(change.access.privilege.rawValue) on \(target) (\(names)), which the head policy does not allow"))
            }
            if change.classes.contains(where: { newAccessClasses.contains($0.name) }) {
                violations.append(violation("new-access-to-class", "\(gives) new \(change.access.privilege.rawValue) on \(target) (\(names)); --fail-on-new-access forbids any"))
            }
        }
        return AccessDiff(
            added: added, removed: removed,
            newFindings: headFindings.filter { !baseFingerprints.contains($0.fingerprint) },
            fixedFindings: baseFindings.filter { !headFingerprints.contains($0.fingerprint) },
            violations: violations, failOn: failOn, databases: [head.database])
    }

    /// Usable effective access (direct and SET ROLE; latent left out) of every principal but
    /// the predefined roles, keyed by principal, object, column and privilege.
    static func effectiveAccess(_ snapshot: Snapshot) -> [String: EffectivePrivilege] {
        let engine = EffectiveAccessEngine(snapshot: snapshot)
        var result: [String: EffectivePrivilege] = [:]
        for role in engine.graph.roles.indices where !PredefinedRoles.isPredefined(engine.graph.roles[role].name) {
            for access in engine.privileges(of: role) where access.mode != .latent {
                result[key(of: access, column: access.column)] = access
            }
        }
        return result
    }

    static func key(of access: EffectivePrivilege, column: String?) -> String {
        [access.principal, access.objectKind.rawValue, access.object, column ?? "", access.privilege.rawValue].joined(separator: "|")
    }

    /// Whether a column's access is held on its whole relation on the other side.
    static func coveredByRelation(_ access: EffectivePrivilege?, in other: [String: EffectivePrivilege]) -> Bool {
        guard let access, access.column != nil else { return false }
        return other[key(of: access, column: nil)] != nil
    }

    private func change(_ access: EffectivePrivilege, in context: AuditContext) -> AccessChange {
        AccessChange(access: access, classes: classes(of: access, in: context), allowed: isAllowed(access, in: context))
    }

    /// The data classes an access reaches: the column's, or every classified column of the relation.
    private func classes(of access: EffectivePrivilege, in context: AuditContext) -> [DataClass] {
        guard access.objectKind == .table, let table = context.graph.object(.table, access.object) else { return [] }
        let columns: [ColumnRef]
        if let column = access.column, let ref = context.graph.columnRef("\(access.object).\(column)") {
            columns = [ref]
        } else {
            columns = context.classification.columnsOfTable[table] ?? []
        }
        var seen = Set<String>()
        return columns.flatMap { context.classification.classesOfColumn[$0] ?? [] }.filter { seen.insert($0.name).inserted }
    }

    /// Whether the head policy declares what the path relies on: the grant at its start (on the
    /// object, or on the view or function it goes through) to a role the principal declares
    /// membership of (or PUBLIC), or a declared attribute or predefined-role membership.
    private func isAllowed(_ access: EffectivePrivilege, in context: AuditContext) -> Bool {
        let declaredRoles = Set(context.declared.declaredRoles(of: access.principal) + [AclEntry.publicGrantee])
        for step in access.path.steps {
            switch step {
            case .grant(let privilege, let objectName, let column, let grantee, _, _):
                guard declaredRoles.contains(grantee) else { return false }
                let kind: ObjectKind
                let baseName: String
                if let table = context.graph.object(.table, objectName) {
                    kind = .table
                    baseName = context.graph.objects[table].baseName
                } else if let index = context.graph.objects.firstIndex(where: { $0.name == objectName }) {
                    kind = context.graph.objects[index].kind
                    baseName = context.graph.objects[index].baseName
                } else {
                    return false
                }
                return context.declared.explainingGrant(role: grantee, privilege: privilege, kind: kind, name: objectName, baseName: baseName, column: column) != nil
                    || context.declared.declaresOwnership(role: grantee, kind: kind, name: objectName, baseName: baseName)
            case .superuser(let role):
                return context.declared.declaration(of: role)?.attributes.contains(.superuser) == true
            case .implicitGrant(_, _, let role):
                return declaredRoles.contains(role)
            case .ownership:
                return true
            default:
                continue
            }
        }
        return false
    }
}
