import SnapshotModel

/// What a function whose body is text (plpgsql, or SQL in a string) writes, read from its source
/// as the exporter ships it (string literals and comments blanked). PostgreSQL keeps no tree and
/// no dependencies for such a body, so its statements are found by their words:
/// `UPDATE t SET a = …, (b, c) = …`, `INSERT INTO t [(a, b)]` (with `ON CONFLICT … DO UPDATE SET`),
/// `DELETE FROM t`, `MERGE INTO t`, `TRUNCATE t`. A plpgsql `EXECUTE` runs a query built at run
/// time: the body may then write anything its owner can (`dynamic`). Names are as written
/// (unquoted ones folded to lower case); the graph resolves them against the function's
/// `search_path`.
package struct SourceWrites: Equatable {
    /// One statement's target: the relation name as written (`schema.table` or `table`), the
    /// privilege, and the columns (nil: every column, or the row for DELETE and TRUNCATE).
    package struct Target: Hashable {
        var name: String
        var privilege: Privilege
        var columns: [String]?
    }

    package private(set) var targets: [Target] = []
    /// The body runs SQL built at run time (`EXECUTE`): what it writes cannot be read.
    package private(set) var dynamic = false
    /// Names the body calls (`name(` or `schema.name(`), as written.
    package private(set) var calls: [String] = []

    /// Words that precede `(` without being function calls.
    private static let notCalls: Set<String> = [
        "if", "elsif", "while", "in", "values", "exists", "any", "all", "some", "coalesce", "nullif", "greatest", "least",
        "cast", "row", "array", "and", "or", "not", "returning", "into", "select", "where", "on", "using", "when", "then",
        "set", "as", "return", "perform", "from", "join", "case", "else", "over", "filter", "within", "by", "partition",
        "conflict", "do", "lateral", "with", "is", "like", "between", "extract", "position", "substring", "trim", "overlay",
        "raise", "format", "for", "loop", "foreach", "query", "exception", "begin", "end", "declare", "limit", "offset",
    ]

    package init(source: String) {
        let tokens = Self.tokens(of: source)
        var i = 0
        var lastInsertTarget: String?
        func word(_ at: Int) -> String? { at < tokens.count ? tokens[at].word : nil }
        func text(_ at: Int) -> String? { at < tokens.count ? tokens[at].text : nil }
        /// A (possibly qualified) name starting at `at`: the name and the index after it.
        func name(at start: Int) -> (String, Int)? {
            guard start < tokens.count, tokens[start].isName else { return nil }
            var parts = [tokens[start].name]
            var next = start + 1
            while text(next) == ".", next + 1 < tokens.count, tokens[next + 1].isName {
                parts.append(tokens[next + 1].name)
                next += 2
            }
            return (parts.joined(separator: "."), next)
        }
        /// A parenthesised list of column names starting at `at` (`(a, b)`), and the index after it.
        func columnList(at start: Int) -> ([String], Int)? {
            guard text(start) == "(" else { return nil }
            var columns: [String] = []
            var next = start + 1
            while next < tokens.count, text(next) != ")" {
                if tokens[next].isName { columns.append(tokens[next].name) }
                next += 1
            }
            return (columns, next + 1)
        }
        /// The columns a `SET a = …, (b, c) = …` list assigns, from the token after SET.
        func setColumns(at start: Int) -> [String] {
            var columns: [String] = []
            var next = start
            var expectTarget = true
            var depth = 0
            while next < tokens.count {
                let token = tokens[next]
                if depth == 0, let keyword = token.word, ["where", "from", "returning", "on"].contains(keyword) { break }
                if depth == 0, token.text == ";" { break }
                if expectTarget {
                    if let (list, after) = columnList(at: next) {
                        columns += list
                        next = after
                    } else {
                        if token.isName { columns.append(token.name) }
                        next += 1
                    }
                    expectTarget = false
                    continue
                }
                switch token.text {
                case "(", "[": depth += 1
                case ")", "]": depth -= 1
                case "," where depth == 0: expectTarget = true
                default: break
                }
                next += 1
            }
            return columns
        }
        while i < tokens.count {
            defer { i += 1 }
            guard let keyword = tokens[i].word else { continue }
            let previous = i > 0 ? word(i - 1) : nil
            switch keyword {
            case "execute":
                dynamic = true
            case "update":
                // `FOR UPDATE`, `FOR NO KEY UPDATE` lock rows; `DO UPDATE` belongs to the INSERT before it.
                if previous == "for" || previous == "key" { continue }
                if previous == "do" {
                    if let target = lastInsertTarget, word(i + 1) == "set" {
                        targets.append(Target(name: target, privilege: .update, columns: setColumns(at: i + 2)))
                    }
                    continue
                }
                var at = i + 1
                if word(at) == "only" { at += 1 }
                guard let (target, after) = name(at: at) else { continue }
                at = after
                if text(at) == "*" { at += 1 }
                if word(at) == "as" { at += 2 } else if word(at) != "set", tokens.indices.contains(at), tokens[at].isName { at += 1 }
                guard word(at) == "set" else { continue }
                targets.append(Target(name: target, privilege: .update, columns: setColumns(at: at + 1)))
            case "insert":
                guard word(i + 1) == "into", let (target, after) = name(at: i + 2) else { continue }
                var at = after
                if word(at) == "as" { at += 2 }
                lastInsertTarget = target
                targets.append(Target(name: target, privilege: .insert, columns: columnList(at: at)?.0))
            case "delete":
                var at = i + 1
                guard word(at) == "from" else { continue }
                at += 1
                if word(at) == "only" { at += 1 }
                guard let (target, _) = name(at: at) else { continue }
                targets.append(Target(name: target, privilege: .delete, columns: nil))
            case "merge":
                guard word(i + 1) == "into", let (target, _) = name(at: i + 2) else { continue }
                targets += [Target(name: target, privilege: .update, columns: nil), Target(name: target, privilege: .insert, columns: nil),
                            Target(name: target, privilege: .delete, columns: nil)]
            case "truncate":
                var at = i + 1
                if word(at) == "table" { at += 1 }
                if word(at) == "only" { at += 1 }
                guard let (target, _) = name(at: at) else { continue }
                targets.append(Target(name: target, privilege: .truncate, columns: nil))
            default:
                guard !Self.notCalls.contains(keyword), let (called, after) = name(at: i), text(after) == "(" else { continue }
                if previous == "into" || previous == "table" || previous == "from" || previous == "join" || previous == "update" { continue }
                calls.append(called)
                i = after - 1
            }
        }
        var seen = Set<Target>()
        targets = targets.filter { seen.insert($0).inserted }
        var seenCalls = Set<String>()
        calls = calls.filter { seenCalls.insert($0).inserted }
    }

    /// A lexical token: a name (quoted or not), a blanked literal, or one punctuation character.
    struct Token {
        var text: String
        var quoted: Bool

        var isName: Bool {
            quoted || (text.first.map { $0.isLetter || $0 == "_" } ?? false)
        }
        /// The name as PostgreSQL binds it: unquoted names fold to lower case.
        var name: String { quoted ? text : text.lowercased() }
        /// An unquoted word, lower-cased (keywords are matched on it).
        var word: String? { !quoted && isName ? text.lowercased() : nil }
    }

    static func tokens(of source: String) -> [Token] {
        var result: [Token] = []
        let characters = Array(source.unicodeScalars)
        var i = 0
        func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
            c.properties.isAlphabetic || c == "_" || c == "$" || ("0"..."9").contains(c)
        }
        while i < characters.count {
            let c = characters[i]
            if c.properties.isWhitespace {
                i += 1
            } else if c == "\"" {
                var name = ""
                i += 1
                while i < characters.count {
                    if characters[i] == "\"" {
                        if i + 1 < characters.count, characters[i + 1] == "\"" {
                            name.unicodeScalars.append("\"")
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    name.unicodeScalars.append(characters[i])
                    i += 1
                }
                result.append(Token(text: name, quoted: true))
            } else if c == "'" {
                // The exporter blanks literals to ''; skip any that remain whole.
                i += 1
                while i < characters.count {
                    if characters[i] == "'" {
                        if i + 1 < characters.count, characters[i + 1] == "'" {
                            i += 2
                            continue
                        }
                        i += 1
                        break
                    }
                    i += 1
                }
                result.append(Token(text: "''", quoted: false))
            } else if isNameCharacter(c) {
                var word = ""
                while i < characters.count, isNameCharacter(characters[i]) {
                    word.unicodeScalars.append(characters[i])
                    i += 1
                }
                result.append(Token(text: word, quoted: false))
            } else {
                result.append(Token(text: String(c), quoted: false))
                i += 1
            }
        }
        return result
    }
}
