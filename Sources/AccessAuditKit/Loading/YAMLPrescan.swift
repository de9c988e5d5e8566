/// Bounds the work of hostile YAML before libyaml and the composer see it: flow nesting depth,
/// alias count, aliases used as keys (whose hashing expands them) and complex keys.
struct YAMLPrescan {
    struct Limits {
        var maximumFlowDepth = 64
        var maximumAliases = 256
    }

    let file: String
    let limits: Limits

    func check(_ text: String) throws(InputError) {
        var depth = 0
        var aliases = 0
        var line = 1
        var column = 0
        var quote: Unicode.Scalar?
        var inComment = false
        var previous: Unicode.Scalar = "\n"
        var blockScalarIndent: Int?
        var lineIndent = 0
        var atLineStart = true
        // Scalars, not Characters: faster, and "\r\n" is one Character but ends a line like "\n".
        let characters = Array(text.unicodeScalars)
        var i = 0
        func here() -> SourceLocation { SourceLocation(file: file, line: line, column: column) }
        while i < characters.count {
            let c = characters[i]
            column += 1
            if c == "\n" {
                line += 1
                column = 0
                inComment = false
                atLineStart = true
                lineIndent = 0
                previous = c
                i += 1
                if quote == "'" || quote == "\"" { continue }
                // Inside a block scalar, skip whole lines indented deeper than its parent.
                if let parent = blockScalarIndent {
                    var j = i
                    var spaces = 0
                    while j < characters.count, characters[j] == " " { j += 1; spaces += 1 }
                    if j < characters.count, characters[j] != "\n", spaces <= parent { blockScalarIndent = nil }
                    if blockScalarIndent != nil {
                        while i < characters.count, characters[i] != "\n" { i += 1 }
                    }
                }
                continue
            }
            if atLineStart {
                if c == " " { lineIndent += 1; previous = c; i += 1; continue }
                atLineStart = false
            }
            if inComment { i += 1; continue }
            if let open = quote {
                if open == "'" && c == "'" {
                    if i + 1 < characters.count, characters[i + 1] == "'" { i += 2; column += 1; continue }
                    quote = nil
                } else if open == "\"" && c == "\\" {
                    i += 2
                    column += 1
                    continue
                } else if open == "\"" && c == "\"" {
                    quote = nil
                }
                previous = c
                i += 1
                continue
            }
            let tokenStart = previous == " " || previous == "\n" || previous == "\t" || "[{,".unicodeScalars.contains(previous)
            switch c {
            case "#" where tokenStart:
                inComment = true
            case "'", "\"":
                if tokenStart || previous == ":" { quote = c }
            case "[", "{":
                depth += 1
                if depth > limits.maximumFlowDepth {
                    throw InputError(here(), "nesting deeper than \(limits.maximumFlowDepth) levels")
                }
            case "]", "}":
                depth = max(0, depth - 1)
            case "?" where tokenStart && (i + 1 >= characters.count || characters[i + 1] == " " || characters[i + 1] == "\n"):
                throw InputError(here(), "complex mapping keys ('? ') are not supported in policy files")
            case "*" where tokenStart:
                var j = i + 1
                var name = ""
                while j < characters.count, characters[j].properties.isAlphabetic || characters[j].properties.numericType != nil || characters[j] == "-" || characters[j] == "_" {
                    name.unicodeScalars.append(characters[j])
                    j += 1
                }
                if name.isEmpty || (j < characters.count && characters[j] == ".") {
                    throw InputError(here(), "a name pattern that starts with '*' must be quoted, e.g. '*.customers'")
                }
                aliases += 1
                if aliases > limits.maximumAliases {
                    throw InputError(here(), "more than \(limits.maximumAliases) aliases")
                }
                var k = j
                while k < characters.count, characters[k] == " " { k += 1 }
                if k < characters.count, characters[k] == ":" {
                    throw InputError(here(), "an alias (*\(name)) cannot be used as a mapping key")
                }
            case "|", ">":
                // A block scalar indicator ends its line (modifiers and comments aside).
                var j = i + 1
                while j < characters.count, "+-0123456789 ".unicodeScalars.contains(characters[j]) { j += 1 }
                if tokenStart, j >= characters.count || characters[j] == "\n" || characters[j] == "#" {
                    blockScalarIndent = lineIndent
                }
            default:
                break
            }
            previous = c
            i += 1
        }
    }
}
