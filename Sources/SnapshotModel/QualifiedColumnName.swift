/// A `schema.table.column` name as snapshots write it (view and function `reads`). Quoted
/// identifiers may hold dots, so the name is ambiguous until looked up: every split at a dot is
/// a candidate relation and column, tried left to right.
package enum QualifiedColumnName {
    /// The first candidate split for which `resolve(relation, column)` gives a value.
    package static func firstResolved<Value>(_ qualified: String, _ resolve: (String, Substring) -> Value?) -> Value? {
        var dot = qualified.utf8.firstIndex(of: UInt8(ascii: "."))
        while let at = dot {
            if let value = resolve(String(qualified[..<at]), qualified[qualified.index(after: at)...]) { return value }
            dot = qualified.utf8[qualified.utf8.index(after: at)...].firstIndex(of: UInt8(ascii: "."))
        }
        return nil
    }
}
