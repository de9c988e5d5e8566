import SnapshotModel
import AccessEngine

/// pgaudit's object audit: whether the audit role's privileges mark a relation or column for
/// logging, as pgaudit decides it — an ACL entry for the audit role itself or for a role whose
/// privileges it has (`has_privs_of_role`, so a superuser audit role matches every entry), never
/// PUBLIC's. The owner's own entry is not counted: pgaudit reads a NULL ACL as no entry at all,
/// and the snapshot cannot tell it from the owner's explicit one.
struct ObjectAudit {
    let engine: EffectiveAccessEngine
    var graph: AccessGraph { engine.graph }

    /// Whether SELECT on `relations` (any, table-wide) or on `column` marks a read for logging.
    func covers(auditor: String, relations: [ObjectIndex], column: ColumnRef) -> Bool {
        guard let marking = Marking(auditor: auditor, engine: engine) else { return false }
        for relation in relations where marking.marks(graph.objects[relation].acl, owner: graph.objects[relation].owner, privilege: .select) {
            return true
        }
        let table = graph.objects[column.object]
        return marking.marks(table.columns[column.column].acl, owner: table.owner, privilege: .select)
    }

    /// Whether `privilege` on `object` (table-wide, or on any of its columns) marks a statement
    /// using it for logging.
    func marks(auditor: String, object: ObjectIndex, privilege: Privilege) -> Bool {
        guard let marking = Marking(auditor: auditor, engine: engine) else { return false }
        let target = graph.objects[object]
        return ([target.acl] + target.columns.map(\.acl)).contains { marking.marks($0, owner: target.owner, privilege: privilege) }
    }

    /// The audit role and whose privileges it has: pgaudit's `audit_on_acl`.
    private struct Marking {
        let role: RoleIndex
        let superuser: Bool
        let inherited: RoleTree

        init?(auditor: String, engine: EffectiveAccessEngine) {
            guard let role = engine.graph.roleIndex[auditor] else { return nil }
            self.role = role
            superuser = engine.graph.roles[role].attributes.superuser
            inherited = engine.cache.ancestors(of: role, via: .inherit)
        }

        /// An entry of `acl` with `privilege` for the audit role or a role whose privileges it
        /// has; never PUBLIC's, never the owner's own.
        func marks(_ acl: [GrantBundle], owner: RoleIndex, privilege: Privilege) -> Bool {
            acl.contains { bundle in
                guard case .role(let grantee) = bundle.grantee, grantee != owner, bundle.privileges.contains(privilege) else { return false }
                return grantee == role || superuser || inherited.contains(grantee)
            }
        }
    }
}
