import Foundation

/// A `log_line_prefix` compiled to read back the lines it wrote: the user (`%u`), database
/// (`%d`) and time (`%m`, `%t`, `%n`) of each, and where its message starts.
///
/// Escapes with a shape (timestamps, process ids, line numbers) match exactly that shape; the
/// others (user, database, application, host…) match as little as lets the rest of the line
/// match, so a name may hold spaces or the prefix's own separators. After the prefix comes the
/// severity (`LOG:  `, `ERROR:  `…) as PostgreSQL writes it. `%q` ends the prefix for lines of
/// processes without a session; padding (`%-10u`) is allowed.
package struct LogLinePrefix: Sendable {
    enum Token: Sendable, Equatable {
        case literal([UInt8])
        case field(UInt8)
        case stopWithoutSession
    }

    /// What a matched line says about itself; its texts are read from the line only when asked.
    package struct Match: Sendable {
        let line: ArraySlice<UInt8>
        let userRange: Range<Int>?
        let databaseRange: Range<Int>?
        /// Where the line's time is (`%m`, `%t` or `%n`).
        package let timestampRange: Range<Int>?
        let severityRange: Range<Int>
        /// Where the message starts (after `SEVERITY:  `).
        package let messageStart: Int

        func text(_ range: Range<Int>?) -> String? {
            range.map { String(decoding: line[$0], as: UTF8.self).trimmingCharacters(in: .whitespaces) }
        }

        package var user: String? { text(userRange) }
        package var database: String? { text(databaseRange) }
        package var timestamp: String? { text(timestampRange) }
        /// The severity word (`LOG`, `ERROR`, `STATEMENT`…).
        package var severity: String { String(decoding: line[severityRange], as: UTF8.self) }
    }

    package let text: String
    let tokens: [Token]

    package init(_ text: String) {
        self.text = text
        var tokens: [Token] = []
        var literal: [UInt8] = []
        let bytes = Array(text.utf8)
        var index = 0
        func flush() {
            if !literal.isEmpty { tokens.append(.literal(literal)) }
            literal = []
        }
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "%"), index + 1 < bytes.count else {
                literal.append(byte)
                index += 1
                continue
            }
            var next = index + 1
            // Padding: %-10u, %10u.
            if bytes[next] == UInt8(ascii: "-") { next += 1 }
            while next < bytes.count, bytes[next] >= UInt8(ascii: "0"), bytes[next] <= UInt8(ascii: "9") { next += 1 }
            guard next < bytes.count else {
                literal.append(contentsOf: bytes[index...])
                break
            }
            let escape = bytes[next]
            switch escape {
            case UInt8(ascii: "%"): literal.append(escape)
            case UInt8(ascii: "q"):
                flush()
                tokens.append(.stopWithoutSession)
            default:
                flush()
                tokens.append(.field(escape))
            }
            index = next + 1
        }
        flush()
        self.tokens = tokens
    }

    /// Whether the prefix writes `escape` (`u` for `%u`), as an escape and not as `%%u` text.
    package func writes(_ escape: Character) -> Bool {
        escape.asciiValue.map { tokens.contains(.field($0)) } ?? false
    }

    /// Whether the prefix names the user and the database of each line.
    package var isAttributable: Bool { writes("u") && writes("d") }

    /// Matches one line (without its line break); nil when it is not a line this prefix starts.
    package func match(_ line: ArraySlice<UInt8>) -> Match? {
        var captures: [UInt8: Range<Int>] = [:]
        let start = line.startIndex
        if let end = matchTokens(tokens[...], line, at: start, captures: &captures),
            let result = finish(line, prefixEnd: end, captures: captures) {
            return result
        }
        if let stop = tokens.firstIndex(of: .stopWithoutSession) {
            captures = [:]
            if let end = matchTokens(tokens[..<stop], line, at: start, captures: &captures),
                let result = finish(line, prefixEnd: end, captures: captures) {
                return result
            }
        }
        return nil
    }

    private func finish(_ line: ArraySlice<UInt8>, prefixEnd: Int, captures: [UInt8: Range<Int>]) -> Match? {
        guard let (severity, messageStart) = Self.severity(line, at: prefixEnd) else { return nil }
        return Match(
            line: line, userRange: captures[UInt8(ascii: "u")], databaseRange: captures[UInt8(ascii: "d")],
            timestampRange: captures[UInt8(ascii: "m")] ?? captures[UInt8(ascii: "t")] ?? captures[UInt8(ascii: "n")],
            severityRange: severity, messageStart: messageStart)
    }

    /// `WORD:  ` at `index`: PostgreSQL's severity and the two spaces after it.
    static func severity(_ line: ArraySlice<UInt8>, at index: Int) -> (Range<Int>, Int)? {
        var cursor = index
        while cursor < line.endIndex, (line[cursor] >= UInt8(ascii: "A") && line[cursor] <= UInt8(ascii: "Z")) || line[cursor] == UInt8(ascii: "_") {
            cursor += 1
        }
        guard cursor > index, line.endIndex - cursor >= 3, line[cursor] == UInt8(ascii: ":"), line[cursor + 1] == UInt8(ascii: " "),
            line[cursor + 2] == UInt8(ascii: " ")
        else { return nil }
        return (index..<cursor, cursor + 3)
    }

    private func matchTokens(
        _ tokens: ArraySlice<Token>, _ line: ArraySlice<UInt8>, at index: Int, captures: inout [UInt8: Range<Int>]
    ) -> Int? {
        // The prefix ends where PostgreSQL's severity begins.
        guard let token = tokens.first else { return Self.severity(line, at: index) != nil ? index : nil }
        let rest = tokens.dropFirst()
        switch token {
        case .stopWithoutSession:
            return matchTokens(rest, line, at: index, captures: &captures)
        case .literal(let bytes):
            guard line.endIndex - index >= bytes.count, line[index..<(index + bytes.count)].elementsEqual(bytes) else { return nil }
            return matchTokens(rest, line, at: index + bytes.count, captures: &captures)
        case .field(let escape):
            if let end = Self.shaped(escape, line, at: index) {
                captures[escape] = index..<end
                return matchTokens(rest, line, at: end, captures: &captures)
            }
            guard Self.isFree(escape) else { return nil }
            // As little as lets the rest match (padding spaces included).
            var end = index
            while end <= line.endIndex {
                captures[escape] = index..<end
                if let after = matchTokens(rest, line, at: end, captures: &captures) { return after }
                end += 1
            }
            captures[escape] = nil
            return nil
        }
    }

    static func isZoneByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }

    /// Escapes whose text has no fixed shape.
    static func isFree(_ escape: UInt8) -> Bool {
        !"mtnsplPcxv".utf8.contains(escape)
    }

    /// The end of a shaped escape's text at `index` (leading padding spaces allowed), or nil.
    static func shaped(_ escape: UInt8, _ line: ArraySlice<UInt8>, at index: Int) -> Int? {
        var cursor = index
        func digits(_ count: Int?) -> Bool {
            let begin = cursor
            while cursor < line.endIndex, line[cursor] >= UInt8(ascii: "0"), line[cursor] <= UInt8(ascii: "9") {
                cursor += 1
                if let count, cursor - begin == count { break }
            }
            return count.map { cursor - begin == $0 } ?? (cursor > begin)
        }
        func byte(_ expected: Character) -> Bool {
            guard cursor < line.endIndex, let ascii = expected.asciiValue, line[cursor] == ascii else { return false }
            cursor += 1
            return true
        }
        // A zone abbreviation or offset: UTC, CET, +03, -0330.
        func zone() -> Bool {
            let begin = cursor
            while cursor < line.endIndex, Self.isZoneByte(line[cursor]) {
                cursor += 1
            }
            return cursor > begin
        }
        func timestamp(milliseconds: Bool) -> Bool {
            guard digits(4), byte("-"), digits(2), byte("-"), digits(2), byte(" "), digits(2), byte(":"), digits(2), byte(":"), digits(2) else { return false }
            if milliseconds { guard byte("."), digits(3) else { return false } }
            return byte(" ") && zone()
        }
        while cursor < line.endIndex, line[cursor] == UInt8(ascii: " "), escape != UInt8(ascii: "m"), escape != UInt8(ascii: "t"), escape != UInt8(ascii: "s") {
            cursor += 1
        }
        switch escape {
        case UInt8(ascii: "m"): return timestamp(milliseconds: true) ? cursor : nil
        case UInt8(ascii: "t"), UInt8(ascii: "s"): return timestamp(milliseconds: false) ? cursor : nil
        case UInt8(ascii: "n"): return digits(nil) && byte(".") && digits(nil) ? cursor : nil
        case UInt8(ascii: "p"), UInt8(ascii: "l"), UInt8(ascii: "x"): return digits(nil) ? cursor : nil
        case UInt8(ascii: "P"):
            // Empty for a process that is not a parallel worker.
            _ = digits(nil)
            return cursor
        case UInt8(ascii: "c"):
            func hex() -> Bool {
                let begin = cursor
                while cursor < line.endIndex, (line[cursor] >= UInt8(ascii: "0") && line[cursor] <= UInt8(ascii: "9")) || (line[cursor] >= UInt8(ascii: "a") && line[cursor] <= UInt8(ascii: "f")) {
                    cursor += 1
                }
                return cursor > begin
            }
            return hex() && byte(".") && hex() ? cursor : nil
        case UInt8(ascii: "v"):
            // "3/12", or empty outside a transaction.
            if digits(nil) { return byte("/") && digits(nil) ? cursor : nil }
            return cursor
        default:
            return nil
        }
    }
}
