import AuditSupport
import AccessEngine
import AccessPolicy

/// Which columns hold which class of data, resolved against a snapshot's relations.
package struct DataClassification: Sendable {
    /// The classes of each classified column, most severe first.
    package private(set) var classesOfColumn: [ColumnRef: [DataClass]] = [:]
    /// Classified columns per relation.
    package private(set) var columnsOfTable: [ObjectIndex: [ColumnRef]] = [:]
    /// Every classified column, in relation then column order (the order checks walk them in).
    package private(set) var classifiedColumns: [ColumnRef] = []

    package init(policy: Policy, graph: AccessGraph) {
        guard !policy.dataClasses.isEmpty else { return }
        let matchers = policy.dataClasses.map(ClassMatcher.init)
        var tableClasses = [Bool](repeating: false, count: matchers.count)
        // By index: copying each object out of the array would retain all of its fields.
        for index in graph.objects.indices where graph.objects[index].kind == .table {
            let name = graph.objects[index].name
            for i in matchers.indices { tableClasses[i] = matchers[i].matches(table: name) }
            for position in graph.objects[index].columns.indices where !graph.objects[index].columns[position].system {
                let column = graph.objects[index].columns[position].name
                var classes: [DataClass] = []
                for i in matchers.indices where tableClasses[i] || matchers[i].matches(table: name, column: column) {
                    classes.append(policy.dataClasses[i])
                }
                guard !classes.isEmpty else { continue }
                let ref = ColumnRef(object: index, column: position)
                classesOfColumn[ref] = classes.sorted { $0.severity > $1.severity }
                columnsOfTable[index, default: []].append(ref)
            }
        }
        // Large objects: the one column of every group, for the classes that name them.
        let largeObjectClasses = policy.dataClasses.filter(\.largeObjects).sorted { $0.severity > $1.severity }
        if !largeObjectClasses.isEmpty {
            for index in graph.objects.indices where graph.objects[index].kind == .largeObject {
                let ref = ColumnRef(object: index, column: 0)
                classesOfColumn[ref] = largeObjectClasses
                columnsOfTable[index] = [ref]
            }
        }
        if !graph.parents.isEmpty { flowThroughInheritance(graph) }
        classifiedColumns = classesOfColumn.keys.sorted { ($0.object, $0.column) < ($1.object, $1.column) }
    }

    /// Classes flow along inheritance by column name: a classified parent's column is
    /// classified in its partitions and children (a child named directly returns its own rows),
    /// and a classified child's inherited column in its parents (SELECT on a parent returns the
    /// children's rows, with no privilege on them). To a fixpoint, for multi-level hierarchies.
    private mutating func flowThroughInheritance(_ graph: AccessGraph) {
        var pending = Array(classesOfColumn.keys).filter { graph.parents[$0.object] != nil || graph.children[$0.object] != nil }
        while let source = pending.popLast() {
            guard let classes = classesOfColumn[source] else { continue }
            let name = graph.objects[source.object].columns[source.column].name
            for relative in (graph.parents[source.object] ?? []) + (graph.children[source.object] ?? []) {
                guard let position = graph.objects[relative].columns.firstIndex(where: { $0.name == name && !$0.system }) else { continue }
                let target = ColumnRef(object: relative, column: position)
                let known = classesOfColumn[target] ?? []
                let added = classes.filter { candidate in !known.contains { $0.name == candidate.name } }
                guard !added.isEmpty else { continue }
                if known.isEmpty { columnsOfTable[relative, default: []].append(target) }
                classesOfColumn[target] = (known + added).sorted { $0.severity > $1.severity }
                pending.append(target)
            }
        }
        for table in columnsOfTable.keys { columnsOfTable[table]?.sort { $0.column < $1.column } }
    }

    /// The most severe class of a column.
    package func topClass(of column: ColumnRef) -> DataClass? { classesOfColumn[column]?.first }

    /// The most severe class among a relation's columns.
    package func topClass(ofTable table: ObjectIndex) -> DataClass? {
        (columnsOfTable[table] ?? []).compactMap { topClass(of: $0) }.max { $0.severity < $1.severity }
    }

    package func columns(of dataClass: String) -> [ColumnRef] {
        classesOfColumn.filter { $0.value.contains { $0.name == dataClass } }.map(\.key)
            .sorted { ($0.object, $0.column) < ($1.object, $1.column) }
    }
}

/// One data class's selectors, arranged so that a column is tested without building its
/// qualified name: exact names are found by their last component, globs match the joined name.
/// A class, so the per-column loop retains one reference rather than copying four collections.
private final class ClassMatcher {
    let exactTables: Set<String>
    let globTables: [NamePattern]
    /// Exact `schema.table.column` names by the text after their last dot.
    let exactColumns: [Substring: [String]]
    let globColumns: [NamePattern]

    init(_ dataClass: DataClass) {
        exactTables = Set(dataClass.tables.filter { !$0.isGlob }.map(\.text))
        globTables = dataClass.tables.filter(\.isGlob)
        exactColumns = Dictionary(grouping: dataClass.columns.filter { !$0.isGlob }.map(\.text), by: Self.lastComponent)
        globColumns = dataClass.columns.filter(\.isGlob)
    }

    static func lastComponent(_ name: String) -> Substring {
        name.utf8.lastIndex(of: UInt8(ascii: ".")).map { name[name.utf8.index(after: $0)...] } ?? name[...]
    }

    func matches(table: String) -> Bool {
        if !exactTables.isEmpty, exactTables.contains(table) { return true }
        for i in globTables.indices where globTables[i].matches(table) { return true }
        return false
    }

    func matches(table: String, column: String) -> Bool {
        if !exactColumns.isEmpty, let candidates = exactColumns[Self.lastComponent(column)],
            candidates.contains(where: { $0.utf8.count == table.utf8.count + 1 + column.utf8.count && $0 == "\(table).\(column)" })
        {
            return true
        }
        for i in globColumns.indices where globColumns[i].matches(joining: table, column) { return true }
        return false
    }
}
