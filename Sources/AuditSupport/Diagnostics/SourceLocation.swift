/// A position in an input file: 1-based line and column (columns count Unicode scalars).
package struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    package var file: String
    package var line: Int
    package var column: Int

    package init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// Not a place in a file: the command's own arguments (a missing or conflicting option, a
    /// name given on the command line that the snapshot lacks). Written without a location.
    package static let commandLine = SourceLocation(file: "", line: 0, column: 0)

    package var isCommandLine: Bool { self == Self.commandLine }

    package var description: String { isCommandLine ? "command line" : "\(file):\(line):\(column)" }

    package static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}
