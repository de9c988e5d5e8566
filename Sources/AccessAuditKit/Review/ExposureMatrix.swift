/// Which login roles read which classified columns, and by which routes (SELECT only).
///
/// Kept by number (a principal's and a column's position in first-seen order, routes as a bit
/// set): on an organisation of thousands of people it holds millions of cells.
public struct ExposureMatrix: Sendable {
    private var principalNames: [String] = []
    private var principalNumber: [String: Int] = [:]
    private var rowOfRole: [RoleIndex: Int] = [:]
    private var columnNames: [String] = []
    private var columnNumber: [String: Int] = [:]
    private var numberOfColumn: [ColumnRef: Int] = [:]
    /// Per principal number: column number → routes as bits of `ExposureRoute.allCases`.
    private var cells: [[Int: UInt16]] = []

    public init() {}

    /// Records that `principal` reads `column` by `route`; the names are asked for once each.
    mutating func add(
        principal: RoleIndex, column: ColumnRef, route: ExposureRoute,
        principalName: @autoclosure () -> String, columnName: @autoclosure () -> String
    ) {
        let row: Int
        if let known = rowOfRole[principal] {
            row = known
        } else {
            row = cells.count
            rowOfRole[principal] = row
            cells.append([:])
            let name = principalName()
            principalNumber[name] = row
            principalNames.append(name)
        }
        let number: Int
        if let known = numberOfColumn[column] {
            number = known
        } else {
            number = columnNames.count
            numberOfColumn[column] = number
            let name = columnName()
            columnNumber[name] = number
            columnNames.append(name)
        }
        cells[row][number, default: 0] |= Self.bit(route)
    }

    private static func bit(_ route: ExposureRoute) -> UInt16 { 1 << UInt16(ExposureRoute.allCases.firstIndex(of: route) ?? 0) }

    /// Principals with any classified read access, sorted.
    public var principals: [String] { principalNames.sorted() }
    /// Classified columns anyone reads, sorted.
    public var columns: [String] { columnNames.sorted() }

    public func routes(_ principal: String, _ column: String) -> Set<ExposureRoute> {
        guard let row = principalNumber[principal], let column = columnNumber[column], let bits = cells[row][column] else { return [] }
        return Set(ExposureRoute.allCases.filter { bits & Self.bit($0) != 0 })
    }

    /// How many classified columns a principal reads.
    public func count(_ principal: String) -> Int { principalNumber[principal].map { cells[$0].count } ?? 0 }

    /// The classified columns a principal reads, unsorted.
    public func columns(of principal: String) -> [String] {
        principalNumber[principal].map { cells[$0].keys.map { columnNames[$0] } } ?? []
    }
}
