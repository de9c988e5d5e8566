/// Finds the line and column of a value inside JSON text from a decoding path, so that a
/// snapshot error can say `file:line:column` instead of only a coding path.
package struct JSONLocator {
    private let bytes: [UInt8]
    private var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The position of the value at `path`, or of the deepest prefix of it that exists.
    package static func position(of path: [any CodingKey], in bytes: [UInt8]) -> (line: Int, column: Int) {
        var locator = JSONLocator(bytes: bytes)
        let offset = locator.offset(of: path)
        return lineAndColumn(at: offset, in: bytes)
    }

    package static func lineAndColumn(at offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return (line, column)
    }

    private mutating func offset(of path: [any CodingKey]) -> Int {
        skipWhitespace()
        var found = index
        for key in path {
            skipWhitespace()
            guard index < bytes.count else { return found }
            if let position = key.intValue, bytes[index] == UInt8(ascii: "[") {
                guard enterArray(element: position) else { return found }
            } else if bytes[index] == UInt8(ascii: "{") {
                guard enterObject(key: key.stringValue) else { return found }
            } else {
                return found
            }
            found = index
        }
        return found
    }

    /// Moves to the start of array element `position`; false if there is none.
    private mutating func enterArray(element position: Int) -> Bool {
        index += 1
        var current = 0
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] != UInt8(ascii: "]") else { return false }
            if current == position { return true }
            guard skipValue() else { return false }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { return false }
            index += 1
            current += 1
        }
    }

    /// Moves to the value of key `name` in the object at the cursor; false if there is none.
    private mutating func enterObject(key name: String) -> Bool {
        index += 1
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return false }
            guard let key = readString() else { return false }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
            index += 1
            skipWhitespace()
            if key == name { return true }
            guard skipValue() else { return false }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { return false }
            index += 1
        }
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private mutating func readString() -> String? {
        index += 1
        var scalars: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: scalars, as: UTF8.self)
            }
            scalars.append(byte)
            index += 1
        }
        return nil
    }

    /// Skips one JSON value without recursion (nesting is tracked with a counter).
    private mutating func skipValue() -> Bool {
        skipWhitespace()
        guard index < bytes.count else { return false }
        let first = bytes[index]
        if first == UInt8(ascii: "\"") { return readString() != nil }
        if first != UInt8(ascii: "{"), first != UInt8(ascii: "[") {
            let delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09]
            while index < bytes.count, !delimiters.contains(bytes[index]) { index += 1 }
            return true
        }
        var depth = 0
        repeat {
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                guard readString() != nil else { return false }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                index += 1
            default:
                index += 1
            }
        } while depth > 0
        return true
    }
}
