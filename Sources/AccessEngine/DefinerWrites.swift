import SnapshotModel

/// What SECURITY DEFINER functions write with their owner's rights, resolved to the graph's
/// objects: a SQL-standard body's UPDATE, INSERT, DELETE and MERGE statements (from its tree), or
/// a text body's (plpgsql, SQL in a string: from its source, names resolved against the pinned
/// `search_path`, or against every schema when none is pinned, since the caller's path applies).
/// A text body that runs SQL built at run time, or calls an invoker function whose writes cannot
/// be read, is *opaque*: it may write anything its owner can.
struct DefinerWrites {
    /// One write a function makes: the relation, the column (nil: the row), the privilege.
    package typealias Write = (object: ObjectIndex, column: Int?, privilege: Privilege)

    private(set) var writes: [ObjectIndex: [Write]] = [:]
    /// For each relation, the definer functions that write it (the reverse of `writes`).
    private(set) var writers: [ObjectIndex: [ObjectIndex]] = [:]
    /// Definer functions whose writes cannot be read.
    private(set) var opaque: [ObjectIndex] = []
    /// For each text-bodied definer function, the definer functions it calls (they run as their own owners).
    private(set) var definerCallees: [ObjectIndex: [ObjectIndex]] = [:]

    init(snapshot: Snapshot, objects: [SecurableObject], lookup: (ObjectKind, String) -> ObjectIndex?) {
        // Most databases have no definer body to read: then no name index is built.
        guard snapshot.functions.contains(where: { $0.securityDefiner && ($0.body != nil || $0.source != nil) }) else { return }
        var tablesByName: [String: [String]] = [:]
        for table in snapshot.tables { tablesByName[table.name, default: []].append(table.qualifiedName) }
        var functionsByName: [String: [SnapshotFunction]] = [:]
        for function in snapshot.functions {
            functionsByName[function.name, default: []].append(function)
            functionsByName[function.qualifiedName, default: []].append(function)
        }
        for function in snapshot.functions where function.securityDefiner {
            guard let index = lookup(.function, function.signature) else { continue }
            var found: [BodyWrites.Write] = []
            if let body = function.body {
                found = BodyWrites.writes(of: body)
            } else if let source = function.source {
                let path = FunctionBody.pinnedSearchPath(function.config)?.map { $0 == "$user" ? function.owner : $0 }
                func resolve(_ name: String, among candidates: [String: [String]]) -> [String] {
                    if name.contains(".") { return [name] }
                    let all = candidates[name] ?? []
                    guard let path else { return all }
                    for schema in path where all.contains("\(schema).\(name)") { return ["\(schema).\(name)"] }
                    return []
                }
                let text = SourceWrites(source: source)
                var isOpaque = text.dynamic
                for target in text.targets {
                    for relation in resolve(target.name, among: tablesByName) {
                        found.append(BodyWrites.Write(relation: relation, privilege: target.privilege, columns: target.columns))
                    }
                }
                // Functions it calls run as this function's owner unless they are definers themselves.
                for call in text.calls {
                    let candidates = (functionsByName[call] ?? []).filter { callee in
                        !call.contains(".") ? path.map { $0.contains(callee.schema) } ?? true : true
                    }
                    for callee in candidates where callee.signature != function.signature {
                        if callee.securityDefiner {
                            if let calleeIndex = lookup(.function, callee.signature) { definerCallees[index, default: []].append(calleeIndex) }
                        } else if let body = callee.body {
                            found += BodyWrites.writes(of: body)
                        } else if callee.sqlStandardBody != true, !FunctionBody.boundLanguages.contains(callee.language ?? "") {
                            isOpaque = true
                        }
                    }
                }
                if isOpaque { opaque.append(index) }
            }
            for write in found {
                guard let relation = lookup(.table, write.relation) else { continue }
                let columns: [Int?]
                if write.privilege == .delete || write.privilege == .truncate {
                    columns = [nil]
                } else if let names = write.columns {
                    columns = names.compactMap { name in objects[relation].columns.firstIndex { $0.name == name && !$0.system } }
                } else {
                    columns = objects[relation].columns.indices.filter { !objects[relation].columns[$0].system }
                }
                for column in columns where !(writes[index] ?? []).contains(where: { $0 == (relation, column, write.privilege) }) {
                    writes[index, default: []].append((relation, column, write.privilege))
                }
                if writers[relation]?.contains(index) != true { writers[relation, default: []].append(index) }
            }
        }
    }
}
