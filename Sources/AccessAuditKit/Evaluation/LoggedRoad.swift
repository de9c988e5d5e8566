/// What pgaudit can see of one road to a column: which statement the reader runs, and as whom.
///
/// pgaudit logs from the executor's permission check: a statement's relations (a view's base
/// relations included) in the reader's session, by session class or because the audit role
/// holds a privilege on one of them. Inside a SECURITY DEFINER function it logs nothing unless
/// the session user is a member of the function's owner (pgaudit skips statements run as a role
/// the session user is not a member of), so only the call is on record. Roads that run no
/// statement of the reader's on the relation (a trigger receiving rows, logical decoding, the
/// data files, statistics, other sessions' SQL text) leave no record that names the column.
enum LoggedRoad: Sendable {
    /// The reader's statement names these relations (the column's own table, views and the
    /// relation the grant is on).
    case relation([ObjectIndex])
    /// A SECURITY DEFINER function reads for the caller: only the call is logged (session
    /// READ or FUNCTION class), unless the session user is a member of an owner in `owners`.
    case definerCall(owners: [String], relations: [ObjectIndex])
    /// Nothing the reader runs reads the relation: `how` says what carries the rows.
    case unseen(how: String)
    /// A session elsewhere, opened as `user` (a foreign server mapping): that role's logging.
    case remoteSession(user: String, relations: [ObjectIndex])

    /// Classifies a cause of SELECT on `column`.
    static func of(_ cause: AccessCause.Kind, column: ColumnRef, graph: AccessGraph) -> LoggedRoad {
        var relations: [ObjectIndex] = [column.object]
        var owners: [String] = []
        var remote: String?
        var current: AccessCause.Kind? = cause
        while let kind = current {
            current = nil
            switch kind {
            case .grant(let object, _, _):
                if graph.objects[object].kind == .table, !relations.contains(object) { relations.append(object) }
            case .superuser, .predefinedRole, .ownership:
                break
            case .view(let view, let inner):
                if !relations.contains(view) { relations.append(view) }
                current = inner.cause
            case .function(let function, let inner):
                owners.append(graph.roles[graph.objects[function].owner].name)
                current = inner.cause
            case .trigger(let function, _, _):
                return .unseen(how: "a trigger runs \(graph.objects[function].name) on another role's write")
            case .capability(let step, let inner):
                switch step {
                case .trigger, .triggerFunction, .policyFunction, .expressionFunction, .replication, .monitoring, .serverFiles, .catalog, .alterSystem:
                    return .unseen(how: step.text)
                case .definerCode(_, let owner, _), .replacedCallee(_, _, let owner):
                    owners.append(owner)
                case .foreignServer(_, _, let becomes):
                    remote = becomes
                case .adminOption, .createRole, .rewriteRule:
                    break
                }
                current = inner?.cause
            }
        }
        if let remote { return .remoteSession(user: remote, relations: relations) }
        if !owners.isEmpty { return .definerCall(owners: owners, relations: relations) }
        return .relation(relations)
    }
}

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
        guard let role = graph.roleIndex[auditor] else { return false }
        let inherited = engine.cache.ancestors(of: role, via: .inherit)
        let superuser = graph.roles[role].attributes.superuser
        func marks(_ acl: [GrantBundle], owner: RoleIndex) -> Bool {
            acl.contains { bundle in
                guard case .role(let grantee) = bundle.grantee, grantee != owner, bundle.privileges.contains(.select) else { return false }
                return grantee == role || superuser || inherited.contains(grantee)
            }
        }
        for relation in relations where marks(graph.objects[relation].acl, owner: graph.objects[relation].owner) { return true }
        let table = graph.objects[column.object]
        return marks(table.columns[column.column].acl, owner: table.owner)
    }

    /// Whether `privilege` on `object` (table-wide, or on any of its columns) marks a statement
    /// using it for logging.
    func marks(auditor: String, object: ObjectIndex, privilege: Privilege) -> Bool {
        guard let role = graph.roleIndex[auditor] else { return false }
        let inherited = engine.cache.ancestors(of: role, via: .inherit)
        let superuser = graph.roles[role].attributes.superuser
        let target = graph.objects[object]
        return ([target.acl] + target.columns.map(\.acl)).contains { acl in
            acl.contains { bundle in
                guard case .role(let grantee) = bundle.grantee, grantee != target.owner, bundle.privileges.contains(privilege) else { return false }
                return grantee == role || superuser || inherited.contains(grantee)
            }
        }
    }
}
