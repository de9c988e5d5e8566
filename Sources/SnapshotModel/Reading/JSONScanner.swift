#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A strict JSON reader over bytes, for documents whose shape is known in advance: the caller
/// asks for the value it expects next (an object's keys, a string, a boolean…) and gets a
/// positioned error when the text holds something else. Nothing is skipped: an unknown or
/// repeated key is an error, and so is any text after the document.
///
/// Written here because Foundation's `JSONDecoder` reads snapshots at about 9 MB/s (13.6 s for
/// the 123 MB size-L benchmark snapshot) and no faster decoder is among the packages this
/// project may depend on; reading the known shape directly keeps every strictness rule.
package struct JSONScanner {
    /// A problem at a byte offset of the text.
    package struct Failure: Error {
        package var offset: Int
        package var message: String
        /// Keys and indexes from the document's root to where it failed (filled on the way out).
        package var path: [String] = []

        /// `.roles[3].login`
        package var pathText: String { path.joined() }

        package init(offset: Int, message: String, path: [String] = []) {
            self.offset = offset
            self.message = message
            self.path = path
        }
    }

    /// An object's key as the text spells it: its bytes between the quotes, and its decoded
    /// text when it holds escapes. Matched against literals in a `switch` without building a
    /// `String` (a snapshot has millions of keys).
    package struct Key {
        package let raw: UnsafeBufferPointer<UInt8>
        package let escaped: String?

        package var text: String { escaped ?? String(decoding: raw, as: UTF8.self) }

        package static func ~= (pattern: StaticString, key: Key) -> Bool {
            pattern.withUTF8Buffer { expected in
                if let escaped = key.escaped { return escaped.utf8.elementsEqual(expected) }
                return sameBytes(expected, key.raw)
            }
        }
    }

    /// Byte-wise equality of two buffers (memcmp; the generic `elementsEqual` walks an iterator).
    package static func sameBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let x = a.baseAddress, let y = b.baseAddress else { return a.count == 0 }
        return memcmp(x, y, a.count) == 0
    }

    package let bytes: UnsafeBufferPointer<UInt8>
    package private(set) var index = 0
    /// Keys of the objects being read (innermost last), to refuse a key given twice without
    /// allocating per object: the raw byte range, and where the decoded key is kept when it had
    /// escapes (an index into `escapedKeys`, or -1).
    private var openKeys: [(start: Int, end: Int, escaped: Int)] = []
    private var escapedKeys: [String] = []
    /// Strings longer than the inline small-string form, shared by content: a snapshot names
    /// the same roles and schemas hundreds of thousands of times.
    private var interned = StringInterner()

    package init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    // MARK: Structure

    package mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    package func fail(_ message: String, at offset: Int? = nil) -> Failure { Failure(offset: offset ?? index, message: message) }

    /// The next byte after whitespace, without consuming it.
    package mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    package mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        guard peek() == byte else { throw fail("expected \(what), found \(describeNext())") }
        index += 1
    }

    /// What the text holds at the current position, for messages.
    package mutating func describeNext() -> String {
        guard let byte = peek() else { return "the end of the file" }
        switch byte {
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
        default: return "'\(Character(Unicode.Scalar(byte)))'"
        }
    }

    /// Reads an object, calling `field` with each key (positioned at its value). A key seen
    /// twice is an error. Returns the offset of the opening brace (for "missing key" errors).
    @discardableResult
    package mutating func object(_ field: (inout JSONScanner, Key, Int) throws(Failure) -> Void) throws(Failure) -> Int {
        skipWhitespace()
        let start = index
        try expect(UInt8(ascii: "{"), "an object")
        if peek() == UInt8(ascii: "}") {
            index += 1
            return start
        }
        let base = openKeys.count, escapedBase = escapedKeys.count
        defer {
            openKeys.removeLast(openKeys.count - base)
            if escapedKeys.count > escapedBase { escapedKeys.removeLast(escapedKeys.count - escapedBase) }
        }
        while true {
            skipWhitespace()
            let keyOffset = index
            let key = try self.key()
            for previous in openKeys[base...] where isSameKey(previous, key) {
                throw fail("key '\(key.text)' appears twice in one object", at: keyOffset)
            }
            let rawStart = key.raw.baseAddress.map { $0 - (bytes.baseAddress ?? $0) } ?? keyOffset + 1
            if let escaped = key.escaped {
                openKeys.append((rawStart, rawStart + key.raw.count, escapedKeys.count))
                escapedKeys.append(escaped)
            } else {
                openKeys.append((rawStart, rawStart + key.raw.count, -1))
            }
            try expect(UInt8(ascii: ":"), "':' after a key")
            skipWhitespace()
            do { try field(&self, key, keyOffset) } catch {
                var failure = error
                failure.path.insert(".\(key.text)", at: 0)
                throw failure
            }
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return start
            default: throw fail("expected ',' or '}' in an object, found \(describeNext())")
            }
        }
    }

    /// A key: its raw bytes when it has no escape, else decoded.
    private mutating func key() throws(Failure) -> Key {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a string, found \(describeNext())") }
        var end = index + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20, bytes[end] < 0x80 { end += 1 }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            let raw = UnsafeBufferPointer(rebasing: bytes[(index + 1)..<end])
            index = end + 1
            return Key(raw: raw, escaped: nil)
        }
        // Escapes, non-ASCII or malformed: the full string reader decides.
        let rawStart = index + 1
        let text = try string()
        let raw = UnsafeBufferPointer(rebasing: bytes[rawStart..<(index - 1)])
        let hasEscape = raw.contains(UInt8(ascii: "\\"))
        return Key(raw: raw, escaped: hasEscape ? text : nil)
    }

    private func isSameKey(_ previous: (start: Int, end: Int, escaped: Int), _ key: Key) -> Bool {
        if previous.escaped < 0 && key.escaped == nil {
            return Self.sameBytes(UnsafeBufferPointer(rebasing: bytes[previous.start..<previous.end]), key.raw)
        }
        let earlier = previous.escaped >= 0
            ? escapedKeys[previous.escaped] : String(decoding: UnsafeBufferPointer(rebasing: bytes[previous.start..<previous.end]), as: UTF8.self)
        return earlier == key.text
    }

    /// Reads an array of elements read by `element`.
    package mutating func array<Element>(_ element: (inout JSONScanner) throws(Failure) -> Element) throws(Failure) -> [Element] {
        try expect(UInt8(ascii: "["), "an array")
        var result: [Element] = []
        if peek() == UInt8(ascii: "]") {
            index += 1
            return result
        }
        while true {
            do { result.append(try element(&self)) } catch {
                var failure = error
                failure.path.insert("[\(result.count)]", at: 0)
                throw failure
            }
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return result
            default: throw fail("expected ',' or ']' in an array, found \(describeNext())")
            }
        }
    }

    /// Where the elements of the array at the current position start, and the offset just past
    /// its closing bracket, found by a pass that only follows strings and brackets (no value is
    /// built or checked). nil when the text does not look like a well-formed array: the caller
    /// then reads it the ordinary way, which says exactly what is wrong. The scanner does not move.
    package func elementStarts() -> (starts: [Int], end: Int)? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var i = index
        func skipSpace() { while i < count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 } }
        /// The offset of the next `byte` at or after `from` (memchr: most of the text is inside strings).
        func next(_ byte: UInt8, from: Int) -> Int? {
            guard from < count, let found = memchr(base + from, Int32(byte), count - from) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        skipSpace()
        guard i < count, bytes[i] == UInt8(ascii: "[") else { return nil }
        i += 1
        skipSpace()
        if i < count, bytes[i] == UInt8(ascii: "]") { return ([], i + 1) }
        var starts = [i]
        var depth = 0
        while i < count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                // The closing quote is the next one not escaped (an odd run of backslashes before it).
                var close = i
                repeat {
                    guard let found = next(UInt8(ascii: "\""), from: close + 1) else { return nil }
                    close = found
                    var backslashes = 0
                    while bytes[close - 1 - backslashes] == UInt8(ascii: "\\") { backslashes += 1 }
                    if backslashes % 2 == 0 { break }
                } while true
                i = close + 1
                continue
            }
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                if depth == 0 { return byte == UInt8(ascii: "]") ? (starts, i + 1) : nil }
                depth -= 1
            } else if byte == UInt8(ascii: ","), depth == 0 {
                i += 1
                skipSpace()
                starts.append(i)
                continue
            }
            i += 1
        }
        return nil
    }

    /// Reads `count` elements starting at `offset`, each followed by ',' (or by ']' after the
    /// last when `last`); the scanner ends just past that separator.
    package mutating func elements<Element>(
        from offset: Int, count: Int, last: Bool, _ element: (inout JSONScanner) throws(Failure) -> Element
    ) throws(Failure) -> [Element] {
        index = offset
        var result: [Element] = []
        result.reserveCapacity(count)
        for n in 0..<count {
            result.append(try element(&self))
            let closing = last && n == count - 1
            try expect(closing ? UInt8(ascii: "]") : UInt8(ascii: ","), closing ? "']' closing an array" : "',' between elements")
        }
        skipWhitespace()
        return result
    }

    /// Consumes `null` when it is next.
    package mutating func null() -> Bool {
        guard peek() == UInt8(ascii: "n"), literal("null") else { return false }
        return true
    }

    /// Nothing but whitespace may follow the document.
    package mutating func end() throws(Failure) {
        if peek() != nil { throw fail("unexpected text after the end of the document") }
    }

    // MARK: Values

    package mutating func bool() throws(Failure) -> Bool {
        if peek() == UInt8(ascii: "t"), literal("true") { return true }
        if peek() == UInt8(ascii: "f"), literal("false") { return false }
        throw fail("expected a boolean, found \(describeNext())")
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
        guard matches else { return false }
        if index + count < bytes.count, Self.isIdentifierByte(bytes[index + count]) { return false }
        index += count
        return true
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// An integer (no fraction, no exponent), within `Int`.
    package mutating func integer() throws(Failure) -> Int {
        skipWhitespace()
        let start = index
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var value = 0
        var digits = 0
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(bytes[index] - UInt8(ascii: "0")))
            if overflow1 || overflow2 { throw fail("integer out of range", at: start) }
            value = sum
            digits += 1
            index += 1
        }
        guard digits > 0 else {
            index = start
            throw fail("expected an integer, found \(describeNext())")
        }
        if digits > 1, bytes[start + (negative ? 1 : 0)] == UInt8(ascii: "0") { throw fail("a number may not have a leading zero", at: start) }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
            throw fail("expected an integer, found a number with a fraction or exponent", at: start)
        }
        return negative ? -value : value
    }

    /// Goes back to an earlier offset (to read a value again another way).
    package mutating func rewind(to offset: Int) { index = offset }

    /// A string's bytes when it is plain ASCII without escapes (consumed); nil (nothing consumed)
    /// otherwise, for callers that match known spellings and fall back to `string()`.
    package mutating func plainASCIIString() -> UnsafeBufferPointer<UInt8>? {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        var end = index + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20, bytes[end] < 0x80 { end += 1 }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return nil }
        let raw = UnsafeBufferPointer(rebasing: bytes[(index + 1)..<end])
        index = end + 1
        return raw
    }

    /// A string, unescaped and checked to be valid UTF-8 with no raw control characters.
    package mutating func string() throws(Failure) -> String {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a string, found \(describeNext())") }
        let start = index
        index += 1
        let contentStart = index
        // Fast path: no escape before the closing quote. ASCII needs no UTF-8 validation.
        var high: UInt8 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[contentStart..<index])
                index += 1
                if high & 0x80 == 0 { return slice.count > StringInterner.inlineLimit ? interned.string(for: slice) : String(decoding: slice, as: UTF8.self) }
                guard let text = String(validating: slice, as: UTF8.self) else { throw fail("a string is not valid UTF-8", at: start) }
                return text
            }
            high |= byte
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw fail("a control character must be escaped inside a string") }
            index += 1
        }
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[contentStart..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: buffer, as: UTF8.self) else { throw fail("a string is not valid UTF-8", at: start) }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"): buffer.append(contentsOf: try unicodeEscape())
                default: throw fail("unknown escape '\\\(Character(Unicode.Scalar(escape)))' in a string", at: index - 2)
                }
            default:
                if byte < 0x20 { throw fail("a control character must be escaped inside a string") }
                buffer.append(byte)
                index += 1
            }
        }
        throw fail("a string is never closed", at: start)
    }

    /// The UTF-8 bytes of a `\uXXXX` escape (a surrogate pair takes two).
    private mutating func unicodeEscape() throws(Failure) -> [UInt8] {
        let start = index - 2
        var scalar = try hex4()
        if (0xD800...0xDBFF).contains(scalar) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw fail("a high surrogate must be followed by a low surrogate", at: start)
            }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw fail("a high surrogate must be followed by a low surrogate", at: start) }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw fail("a lone low surrogate", at: start)
        }
        guard let value = Unicode.Scalar(scalar) else { throw fail("not a Unicode scalar", at: start) }
        return Array(String(Character(value)).utf8)
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("a \\u escape needs four hex digits")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
