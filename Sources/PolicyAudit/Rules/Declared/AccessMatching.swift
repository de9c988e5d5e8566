import SnapshotModel
import AccessEngine
import AccessPolicy

/// Access that an `AccessMatcher` selects, grouped by cause: one entry per cause and privilege,
/// with the target columns it reaches and the principals (after `principals` and `except`).
struct MatchedAccess {
    var cause: AccessCause.Kind
    var causeText: Cause
    var privilege: Privilege
    package var object: ObjectIndex
    var columns: [ColumnRef]
    var reachers: [Reacher]
}

extension AuditContext {
    /// The targets a matcher selects: columns (for data classes, column patterns, or tables with
    /// column-capable privileges) and whole objects (schemas, sequences, functions, databases).
    func targets(of matcher: AccessMatcher) -> (columns: [ColumnRef], objects: [ObjectIndex]) {
        var columns: [ColumnRef] = []
        var objects: [ObjectIndex] = []
        let tableSelectors = matcher.objects.filter { $0.kind == .table }
        func inSelectedTables(_ ref: ColumnRef) -> Bool {
            tableSelectors.isEmpty || tableSelectors.contains {
                $0.matches(kind: .table, name: graph.objects[ref.object].name, baseName: graph.objects[ref.object].baseName)
            }
        }
        if !matcher.dataClasses.isEmpty || !matcher.columns.isEmpty {
            var seen = Set<ColumnRef>()
            for name in matcher.dataClasses {
                for ref in classification.columns(of: name) where inSelectedTables(ref) && seen.insert(ref).inserted { columns.append(ref) }
            }
            if !matcher.columns.isEmpty {
                for (index, object) in graph.objects.enumerated() where object.kind == .table {
                    for position in object.columns.indices {
                        let ref = ColumnRef(object: index, column: position)
                        guard matcher.columns.contains(where: { $0.matches(graph.name(of: ref)) }), inSelectedTables(ref) else { continue }
                        if seen.insert(ref).inserted { columns.append(ref) }
                    }
                }
            }
        } else {
            objects = Set(matcher.objects.flatMap { graph.names.objects(matching: $0) }).sorted()
        }
        return (columns, objects)
    }

    /// Every cause that gives matching access, with the principals it reaches that the matcher's
    /// `principals` selects and `except` does not waive.
    func matchedAccess(_ matcher: AccessMatcher, except: [PrincipalSelector]) -> [MatchedAccess] {
        let (columns, objects) = targets(of: matcher)
        var groups: [String: MatchedAccess] = [:]
        var order: [String] = []
        func add(_ cause: AccessCause, privilege: Privilege, object: ObjectIndex, column: ColumnRef?) {
            let reachers = cause.reachers.filter { reacher in
                if let selector = matcher.principals, !matches(selector, role: reacher.principal) { return false }
                return !isExcepted(except, reacher: reacher)
            }
            guard !reachers.isEmpty else { return }
            let text = describe(cause.kind, privilege: privilege)
            let key = "\(text.description)|\(privilege.rawValue)|\(object)"
            if groups[key] == nil {
                groups[key] = MatchedAccess(cause: cause.kind, causeText: text, privilege: privilege, object: object, columns: [], reachers: [])
                order.append(key)
            }
            if let column, groups[key]?.columns.contains(column) == false { groups[key]?.columns.append(column) }
            var known = Set(groups[key]?.reachers.map(\.principal) ?? [])
            for reacher in reachers where known.insert(reacher.principal).inserted { groups[key]?.reachers.append(reacher) }
        }
        for privilege in matcher.privileges {
            for column in columns where ObjectKind.column.applicablePrivileges.contains(privilege) {
                for cause in reach.causes(privilege, column: column) { add(cause, privilege: privilege, object: column.object, column: column) }
            }
            if !columns.isEmpty && !ObjectKind.column.applicablePrivileges.contains(privilege) {
                for table in Set(columns.map(\.object)).sorted() {
                    for cause in reach.causes(privilege, object: table) { add(cause, privilege: privilege, object: table, column: nil) }
                }
            }
            for object in objects where graph.applicablePrivileges(graph.objects[object].kind).contains(privilege) {
                if graph.objects[object].kind == .table && ObjectKind.column.applicablePrivileges.contains(privilege) {
                    for position in graph.objects[object].columns.indices where !graph.objects[object].columns[position].system {
                        let ref = ColumnRef(object: object, column: position)
                        for cause in reach.causes(privilege, column: ref) { add(cause, privilege: privilege, object: object, column: ref) }
                    }
                    if graph.objects[object].columns.isEmpty {
                        for cause in reach.causes(privilege, object: object) { add(cause, privilege: privilege, object: object, column: nil) }
                    }
                } else {
                    for cause in reach.causes(privilege, object: object) { add(cause, privilege: privilege, object: object, column: nil) }
                }
            }
        }
        return order.compactMap { groups[$0] }
    }

    /// A finding's target fields for matched access: the column when exactly one is reached.
    func targetFields(_ access: MatchedAccess) -> (kind: ObjectKind, object: String, column: String?, text: String) {
        let object = graph.objects[access.object]
        if access.columns.count == 1, let only = access.columns.first {
            return (object.kind, object.name, object.columns[only.column].name, graph.name(of: only))
        }
        if access.columns.isEmpty { return (object.kind, object.name, nil, object.name) }
        let names = access.columns.map { object.columns[$0.column].name }
        let shown = names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", …" : "")
        return (object.kind, object.name, nil, "\(object.name) (\(shown))")
    }
}
