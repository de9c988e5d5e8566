/// Which columns hold which class of data, resolved against a snapshot's relations.
public struct DataClassification: Sendable {
    /// The classes of each classified column, most severe first.
    public private(set) var classesOfColumn: [ColumnRef: [DataClass]] = [:]
    /// Classified columns per relation.
    public private(set) var columnsOfTable: [ObjectIndex: [ColumnRef]] = [:]

    init(policy: Policy, graph: AccessGraph) {
        guard !policy.dataClasses.isEmpty else { return }
        // Exact names are looked up; only globs are matched one by one.
        let matchers = policy.dataClasses.map { dataClass in
            (exactColumns: Set(dataClass.columns.filter { !$0.isGlob }.map(\.text)), globColumns: dataClass.columns.filter(\.isGlob),
             exactTables: Set(dataClass.tables.filter { !$0.isGlob }.map(\.text)), globTables: dataClass.tables.filter(\.isGlob))
        }
        for (index, object) in graph.objects.enumerated() where object.kind == .table {
            let tableClasses = Set(matchers.indices.filter { i in
                matchers[i].exactTables.contains(object.name) || matchers[i].globTables.contains { $0.matches(object.name) }
            })
            for (position, column) in object.columns.enumerated() {
                let qualified = "\(object.name).\(column.name)"
                let classes = matchers.indices.filter { i in
                    tableClasses.contains(i) || matchers[i].exactColumns.contains(qualified) || matchers[i].globColumns.contains { $0.matches(qualified) }
                }.map { policy.dataClasses[$0] }
                guard !classes.isEmpty else { continue }
                let ref = ColumnRef(object: index, column: position)
                classesOfColumn[ref] = classes.sorted { $0.severity > $1.severity }
                columnsOfTable[index, default: []].append(ref)
            }
        }
    }

    /// The most severe class of a column.
    public func topClass(of column: ColumnRef) -> DataClass? { classesOfColumn[column]?.first }

    /// The most severe class among a relation's columns.
    public func topClass(ofTable table: ObjectIndex) -> DataClass? {
        (columnsOfTable[table] ?? []).compactMap { topClass(of: $0) }.max { $0.severity < $1.severity }
    }

    public func columns(of dataClass: String) -> [ColumnRef] {
        classesOfColumn.filter { $0.value.contains { $0.name == dataClass } }.map(\.key)
            .sorted { ($0.object, $0.column) < ($1.object, $1.column) }
    }
}
