import AccessEngine

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
