import SnapshotModel

/// Which base columns each column of a view is computed from, read from the view's stored query
/// (its `_RETURN` rule's target list): `GRANT SELECT (id) ON customer_contacts` reaches what
/// `id` is computed from, not every column the view reads.
///
/// Each output's expression is searched for Vars; a Var names a range-table entry of its query
/// level, which is followed to its end: a relation's column (whole-row: every column), a
/// subquery's or CTE's output, a join's alias expression, a VALUES list, a GROUP BY expression
/// (PostgreSQL 18). A subquery in the expression (SubLink) contributes every output it returns;
/// a UNION and the like, every arm's column at that position. Columns only filtered on (WHERE,
/// JOIN … ON) are not outputs. Anything it cannot follow — a function in FROM, a table function,
/// a recursive CTE, a tree it cannot read — makes that column unknown (nil): the engine then
/// takes the view's whole `reads`, so the audit never passes what it could not see.
package struct ViewColumnSources {
    let relations: [Int: SnapshotQueryTree.Relation]
    private var depth = 0

    init(relations: [SnapshotQueryTree.Relation]) {
        self.relations = Dictionary(relations.map { ($0.oid, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Per view column name, the `schema.table.column` names it is computed from; columns it
    /// cannot follow are left out (nil there: the view's whole reads apply).
    package static func columnReads(of query: SnapshotQueryTree) -> [String: [String]] {
        guard let tree = NodeTree(parsing: query.tree), let top = tree.items.first, top.type == "QUERY" else { return [:] }
        var resolver = ViewColumnSources(relations: query.relations)
        guard let outputs = resolver.outputs(of: top, stack: []), outputs.count == query.outputs.count else { return [:] }
        var result: [String: [String]] = [:]
        for (name, sources) in zip(query.outputs, outputs) {
            guard let name, let sources else { continue }
            result[name] = sources.sorted()
        }
        return result
    }

    /// The sources of each output column of `query` (non-junk target entries in order).
    mutating func outputs(of query: NodeTree, stack: [NodeTree]) -> [Set<String>?]? {
        guard depth < 64 else { return nil }
        depth += 1
        defer { depth -= 1 }
        let stack = stack + [query]
        let targets = (query["targetList"]?.items ?? []).filter { $0["resjunk"]?.text != "true" }
        if let setOperations = query["setOperations"], !setOperations.isNull {
            // Every arm is a subquery of this level's range table; its column i feeds output i.
            var result = [Set<String>?](repeating: [], count: targets.count)
            for entry in query["rtable"]?.items ?? [] where entry["rtekind"]?.int == 1 {
                guard let subquery = entry["subquery"], let arm = outputs(of: subquery, stack: stack), arm.count == targets.count else {
                    return [Set<String>?](repeating: nil, count: targets.count)
                }
                for i in result.indices { result[i] = Self.union(result[i], arm[i]) }
            }
            return result
        }
        return targets.map { sources(of: $0["expr"] ?? .null, stack: stack) }
    }

    /// The base columns an expression's value is computed from; nil when something cannot be followed.
    mutating func sources(of expression: NodeTree, stack: [NodeTree]) -> Set<String>? {
        switch expression {
        case .atom, .null: return []
        case .list(let items):
            var result: Set<String>? = []
            for item in items { result = Self.union(result, sources(of: item, stack: stack)) }
            return result
        case .node(let type, let fields):
            switch type {
            case "VAR":
                guard let level = fields["varlevelsup"]?.int, let varno = fields["varno"]?.int, let attno = fields["varattno"]?.int,
                    level >= 0, level < stack.count
                else { return nil }
                let owner = stack.count - 1 - level
                let rtable = stack[owner]["rtable"]?.items ?? []
                guard varno >= 1, varno <= rtable.count else { return nil }
                return resolve(rtable[varno - 1], attno: attno, stack: Array(stack[...owner]))
            case "SUBLINK":
                var result = sources(of: fields["testexpr"] ?? .null, stack: stack)
                if let subselect = fields["subselect"], !subselect.isNull {
                    guard let outputs = outputs(of: subselect, stack: stack) else { return nil }
                    for output in outputs { result = Self.union(result, output) }
                }
                return result
            case "QUERY":
                guard let outputs = outputs(of: expression, stack: stack) else { return nil }
                return outputs.reduce(Set<String>?.some([])) { Self.union($0, $1) }
            default:
                var result: Set<String>? = []
                for value in fields.values { result = Self.union(result, sources(of: value, stack: stack)) }
                return result
            }
        }
    }

    /// Column `attno` (0: the whole row) of a range-table entry; `stack` ends with its query.
    mutating func resolve(_ entry: NodeTree, attno: Int, stack: [NodeTree]) -> Set<String>? {
        switch entry["rtekind"]?.int {
        case 0:  // a relation
            guard let oid = entry["relid"]?.int, let relation = relations[oid] else { return nil }
            if attno < 0 { return [] }  // a system column holds no classified data
            if attno == 0 { return Set(relation.columns.compactMap { $0.map { "\(relation.name).\($0)" } }) }
            guard attno <= relation.columns.count else { return nil }
            return relation.columns[attno - 1].map { ["\(relation.name).\($0)"] } ?? []
        case 1:  // a subquery in FROM
            guard let subquery = entry["subquery"], let outputs = outputs(of: subquery, stack: stack) else { return nil }
            return Self.pick(outputs, attno)
        case 2:  // a join: its alias expressions, relative to the same query
            let aliases = entry["joinaliasvars"]?.items ?? []
            if attno == 0 {
                return aliases.reduce(Set<String>?.some([])) { result, alias in Self.union(result, sources(of: alias, stack: stack)) }
            }
            guard attno >= 1, attno <= aliases.count else { return nil }
            return sources(of: aliases[attno - 1], stack: stack)
        case 5:  // VALUES: every row's expression at that position
            var result: Set<String>? = []
            for row in entry["values_lists"]?.items ?? [] {
                let cells = row.items
                if attno == 0 {
                    result = Self.union(result, sources(of: row, stack: stack))
                } else if attno <= cells.count {
                    result = Self.union(result, sources(of: cells[attno - 1], stack: stack))
                } else {
                    return nil
                }
            }
            return result
        case 6:  // a CTE of this or an outer level (a recursive one is not followed)
            guard let name = entry["ctename"]?.text, let up = entry["ctelevelsup"]?.int, up >= 0, up < stack.count,
                entry["self_reference"]?.text != "true"
            else { return nil }
            let owner = stack.count - 1 - up
            guard let cte = (stack[owner]["cteList"]?.items ?? []).first(where: { $0["ctename"]?.text == name }),
                cte["cterecursive"]?.text != "true", let query = cte["ctequery"],
                let outputs = outputs(of: query, stack: Array(stack[...owner]))
            else { return nil }
            return Self.pick(outputs, attno)
        case 9:  // PostgreSQL 18's GROUP BY entry: its grouping expressions
            let expressions = entry["groupexprs"]?.items ?? []
            guard attno >= 1, attno <= expressions.count else { return nil }
            return sources(of: expressions[attno - 1], stack: stack)
        case 8:  // an empty FROM
            return []
        default:  // functions, table functions, tuplestores: not followed
            return nil
        }
    }

    static func pick(_ outputs: [Set<String>?], _ attno: Int) -> Set<String>? {
        if attno == 0 { return outputs.reduce(Set<String>?.some([])) { union($0, $1) } }
        guard attno >= 1, attno <= outputs.count else { return nil }
        return outputs[attno - 1]
    }

    static func union(_ a: Set<String>?, _ b: Set<String>?) -> Set<String>? {
        guard let a, let b else { return nil }
        return a.union(b)
    }
}
