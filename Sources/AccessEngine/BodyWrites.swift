import SnapshotModel

/// What a SQL-standard function body writes, read from its stored tree: every UPDATE, INSERT and
/// DELETE statement (`:commandType` 2, 3, 4) names its target (`:resultRelation`, an entry of
/// its range table) and, for UPDATE and INSERT, the target columns (its target list's `resno`,
/// the column's attribute number). A SECURITY DEFINER body does this with its owner's rights for
/// whoever may call it. MERGE (5) counts as all three on every column.
package enum BodyWrites {
    /// A write: the relation (`schema.table`), the privilege, and the columns (nil: the row,
    /// as DELETE writes; every column for MERGE).
    package struct Write: Hashable {
        var relation: String
        var privilege: Privilege
        var columns: [String]?
    }

    package static func writes(of body: SnapshotQueryTree) -> [Write] {
        guard let tree = NodeTree(parsing: body.tree) else { return [] }
        let relations = Dictionary(body.relations.map { ($0.oid, $0) }, uniquingKeysWith: { first, _ in first })
        var result: [Write] = []
        var stack = [tree]
        while let node = stack.popLast() {
            switch node {
            case .list(let items): stack += items
            case .node(let type, let fields):
                stack += fields.values
                guard type == "QUERY", let command = fields["commandType"]?.int, (2...5).contains(command),
                    let target = fields["resultRelation"]?.int, target >= 1
                else { continue }
                let rtable = fields["rtable"]?.items ?? []
                guard target <= rtable.count, let oid = rtable[target - 1]["relid"]?.int, let relation = relations[oid] else { continue }
                let columns = (fields["targetList"]?.items ?? []).filter { $0["resjunk"]?.text != "true" }.compactMap { entry -> String? in
                    guard let resno = entry["resno"]?.int, resno >= 1, resno <= relation.columns.count else { return nil }
                    return relation.columns[resno - 1]
                }
                switch command {
                case 2: result.append(Write(relation: relation.name, privilege: .update, columns: columns))
                case 3: result.append(Write(relation: relation.name, privilege: .insert, columns: columns))
                case 4: result.append(Write(relation: relation.name, privilege: .delete, columns: nil))
                default:
                    let all = relation.columns.compactMap { $0 }
                    result += [Write(relation: relation.name, privilege: .update, columns: all),
                               Write(relation: relation.name, privilege: .insert, columns: all),
                               Write(relation: relation.name, privilege: .delete, columns: nil)]
                }
            default: continue
            }
        }
        return Array(Set(result)).sorted { ($0.relation, $0.privilege.rawValue) < ($1.relation, $1.privilege.rawValue) }
    }
}
