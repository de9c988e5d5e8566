import AuditSupport

/// Bounds the work of hostile YAML before libyaml and the composer see it: flow nesting depth,
/// alias count, aliases used as keys (whose hashing expands them) and complex keys.
package struct YAMLPrescan {
    package struct Limits {
        package var maximumFlowDepth = 64
        package var maximumAliases = 256

        package init(maximumFlowDepth: Int = 64, maximumAliases: Int = 256) {
            self.maximumFlowDepth = maximumFlowDepth
            self.maximumAliases = maximumAliases
        }
    }

    let file: String
    let limits: Limits

    package func check(_ text: String) throws(InputError) {
        var text = text
        let failure: InputError? = text.withUTF8 { bytes in
            do throws(InputError) {
                try check(bytes)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Walks the UTF-8 bytes: every character the scan cares about is ASCII, and a byte that
    /// continues a multi-byte character does not advance the column (columns count characters).
    private func check(_ characters: UnsafeBufferPointer<UInt8>) throws(InputError) {
        let newline = UInt8(ascii: "\n"), space = UInt8(ascii: " ")
        var depth = 0
        var aliases = 0
        var line = 1
        var column = 0
        var quote: UInt8?
        var inComment = false
        var previous = newline
        var blockScalarIndent: Int?
        var lineIndent = 0
        var atLineStart = true
        var i = 0
        func here() -> SourceLocation { SourceLocation(file: file, line: line, column: column) }
        func isAnchorCharacter(_ byte: UInt8) -> Bool {
            // libyaml's anchor and alias names: ASCII letters, digits, '-' and '_'.
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default: false
            }
        }
        while i < characters.count {
            let c = characters[i]
            if c & 0xC0 != 0x80 { column += 1 }
            if c == newline {
                line += 1
                column = 0
                inComment = false
                atLineStart = true
                lineIndent = 0
                previous = c
                i += 1
                if quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") { continue }
                // Inside a block scalar, skip whole lines indented deeper than its parent.
                if let parent = blockScalarIndent {
                    var j = i
                    var spaces = 0
                    while j < characters.count, characters[j] == space { j += 1; spaces += 1 }
                    if j < characters.count, characters[j] != newline, spaces <= parent { blockScalarIndent = nil }
                    if blockScalarIndent != nil {
                        while i < characters.count, characters[i] != newline { i += 1 }
                    }
                }
                continue
            }
            if atLineStart {
                if c == space { lineIndent += 1; previous = c; i += 1; continue }
                atLineStart = false
            }
            if inComment { i += 1; continue }
            if let open = quote {
                if open == UInt8(ascii: "'") && c == UInt8(ascii: "'") {
                    if i + 1 < characters.count, characters[i + 1] == UInt8(ascii: "'") { i += 2; column += 1; continue }
                    quote = nil
                } else if open == UInt8(ascii: "\"") && c == UInt8(ascii: "\\") {
                    // The escaped character is skipped with its continuation bytes.
                    i += 2
                    while i < characters.count, characters[i] & 0xC0 == 0x80 { i += 1 }
                    column += 1
                    continue
                } else if open == UInt8(ascii: "\"") && c == UInt8(ascii: "\"") {
                    quote = nil
                }
                previous = c
                i += 1
                continue
            }
            var tokenStart: Bool {
                switch previous {
                case space, newline, UInt8(ascii: "\t"), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ","): true
                default: false
                }
            }
            switch c {
            case UInt8(ascii: "#") where tokenStart:
                inComment = true
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                if tokenStart || previous == UInt8(ascii: ":") { quote = c }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limits.maximumFlowDepth {
                    throw InputError(here(), "nesting deeper than \(limits.maximumFlowDepth) levels")
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
            case UInt8(ascii: "?") where tokenStart && (i + 1 >= characters.count || characters[i + 1] == space || characters[i + 1] == newline):
                throw InputError(here(), "complex mapping keys ('? ') are not supported in policy files")
            case UInt8(ascii: "*") where tokenStart:
                var j = i + 1
                while j < characters.count, isAnchorCharacter(characters[j]) { j += 1 }
                let name = String(decoding: UnsafeBufferPointer(rebasing: characters[(i + 1)..<j]), as: UTF8.self)
                if name.isEmpty || (j < characters.count && characters[j] == UInt8(ascii: ".")) {
                    throw InputError(here(), "a name pattern that starts with '*' must be quoted, e.g. '*.customers'")
                }
                aliases += 1
                if aliases > limits.maximumAliases {
                    throw InputError(here(), "more than \(limits.maximumAliases) aliases")
                }
                var k = j
                while k < characters.count, characters[k] == space { k += 1 }
                if k < characters.count, characters[k] == UInt8(ascii: ":") {
                    throw InputError(here(), "an alias (*\(name)) cannot be used as a mapping key")
                }
            case UInt8(ascii: "|"), UInt8(ascii: ">"):
                // A block scalar indicator ends its line (modifiers and comments aside).
                var j = i + 1
                while j < characters.count, characters[j] == space || characters[j] == UInt8(ascii: "+") || characters[j] == UInt8(ascii: "-")
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(characters[j]) { j += 1 }
                if tokenStart, j >= characters.count || characters[j] == newline || characters[j] == UInt8(ascii: "#") {
                    blockScalarIndent = lineIndent
                }
            default:
                break
            }
            previous = c
            i += 1
        }
    }

    package init(file: String, limits: Limits) {
        self.file = file
        self.limits = limits
    }
}
