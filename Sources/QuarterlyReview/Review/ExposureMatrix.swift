import AccessEngine

/// Which login roles read which classified columns, and by which routes (SELECT only).
///
/// Kept by number (a principal's and a column's position in first-seen order, routes as a bit
/// set): on an organisation of thousands of people it holds millions of cells.
package struct ExposureMatrix: Sendable {
    /// Numbers for the keys of one axis, in first-seen order, and their names both ways.
    private struct Axis<Key: Hashable & Sendable>: Sendable {
        var names: [String] = []
        var numberOfName: [String: Int] = [:]
        var numberOfKey: [Key: Int] = [:]

        /// The key's number, and whether it is new; the name is asked for only then.
        mutating func number(of key: Key, name: () -> String) -> (number: Int, new: Bool) {
            if let known = numberOfKey[key] { return (known, false) }
            let number = names.count
            numberOfKey[key] = number
            let name = name()
            numberOfName[name] = number
            names.append(name)
            return (number, true)
        }
    }

    private var principalAxis = Axis<RoleIndex>()
    private var columnAxis = Axis<ColumnRef>()
    /// Per principal number: column number → routes as bits of `ExposureRoute.allCases`.
    private var cells: [[Int: UInt16]] = []

    package init() {}

    /// Records that `principal` reads `column` by `route`; the names are asked for once each.
    mutating func add(
        principal: RoleIndex, column: ColumnRef, route: ExposureRoute,
        principalName: @autoclosure () -> String, columnName: @autoclosure () -> String
    ) {
        let row = principalAxis.number(of: principal, name: principalName)
        if row.new { cells.append([:]) }
        let number = columnAxis.number(of: column, name: columnName).number
        cells[row.number][number, default: 0] |= Self.bit(route)
    }

    private static func bit(_ route: ExposureRoute) -> UInt16 { 1 << UInt16(ExposureRoute.allCases.firstIndex(of: route) ?? 0) }

    /// Principals with any classified read access, sorted.
    package var principals: [String] { principalAxis.names.sorted() }
    /// Classified columns anyone reads, sorted.
    package var columns: [String] { columnAxis.names.sorted() }

    package func routes(_ principal: String, _ column: String) -> Set<ExposureRoute> {
        guard let row = principalAxis.numberOfName[principal], let column = columnAxis.numberOfName[column], let bits = cells[row][column] else { return [] }
        return Set(ExposureRoute.allCases.filter { bits & Self.bit($0) != 0 })
    }

    /// How many classified columns a principal reads.
    package func count(_ principal: String) -> Int { principalAxis.numberOfName[principal].map { cells[$0].count } ?? 0 }

    /// The classified columns a principal reads, unsorted.
    package func columns(of principal: String) -> [String] {
        principalAxis.numberOfName[principal].map { cells[$0].keys.map { columnAxis.names[$0] } } ?? []
    }
}
