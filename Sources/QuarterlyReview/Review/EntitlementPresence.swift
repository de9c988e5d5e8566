import SnapshotModel
import AccessEngine

/// Whether an entitlement a review decided to REVOKE is still in the catalogs: a revoked
/// membership is gone when `pg_auth_members` has no such row, a revoked grant when no ACL entry
/// (on the object or any of its columns) gives the grantee that privilege — whether or not it
/// still leads to classified data. Ownership and attributes are checked the same way.
enum EntitlementPresence {
    /// True when the entitlement `key` names is still granted; nil when the catalogs cannot tell
    /// (a capability: it is gone when no road uses it).
    static func stillGranted(_ key: String, in graph: AccessGraph) -> Bool? {
        let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        switch (parts.first, parts.count) {
        case ("membership", 3):
            guard let member = graph.roleIndex[parts[1]], let role = graph.roleIndex[parts[2]] else { return false }
            return graph.roles[member].memberOf.contains { graph.edges[$0].role == role && !graph.edges[$0].implicit }
        case ("grant", 4):
            guard let privilege = Privilege(rawValue: parts[3]) else { return false }
            let grantee: Grantee
            if parts[1] == AclEntry.publicGrantee {
                grantee = .publicRole
            } else if let role = graph.roleIndex[parts[1]] {
                grantee = .role(role)
            } else {
                return false
            }
            let kinds: [ObjectKind] = privilege == .execute ? [.function] : [.table, .sequence, .largeObject]
            guard let object = kinds.lazy.compactMap({ graph.object($0, parts[2]) }).first else { return false }
            let target = graph.objects[object]
            let gives = { (bundle: GrantBundle) in bundle.grantee == grantee && bundle.privileges.contains(privilege) }
            return target.acl.contains(where: gives) || target.columns.contains { $0.acl.contains(where: gives) }
        case ("attribute", 3):
            guard let role = graph.roleIndex[parts[1]] else { return false }
            let attributes = graph.roles[role].attributes
            switch parts[2] {
            case "SUPERUSER": return attributes.superuser
            case "BYPASSRLS": return attributes.bypassrls
            case "CREATEROLE": return attributes.createrole
            case "REPLICATION": return attributes.replication
            default: return nil
            }
        case ("ownership", 3):
            guard let owner = graph.roleIndex[parts[1]] else { return false }
            let object = [ObjectKind.table, .sequence, .function, .largeObject].lazy.compactMap { graph.object($0, parts[2]) }.first
            return object.map { graph.objects[$0].owner == owner } ?? false
        default:
            return nil
        }
    }
}
