/// Small helpers to write YAML that the strict policy loader reads back unchanged.
enum YAMLText {
    private static let reserved: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ""]

    /// A name as a plain scalar when that is unambiguous, single-quoted otherwise.
    static func scalar(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { ($0.properties.isLowercase && $0.isASCII) || ("0"..."9").contains($0) || $0 == "_" }
        if plain, let first = text.unicodeScalars.first, !("0"..."9").contains(first), !reserved.contains(text.lowercased()) { return text }
        return quoted(text)
    }

    /// Always single-quoted (for object names in flow lists: dots, globs, commas, parentheses).
    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    /// Text for a `#` comment: one line, whatever the database's names hold.
    static func comment(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    static func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }
}
