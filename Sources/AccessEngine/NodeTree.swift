/// PostgreSQL's node-tree text (what `nodeToString` writes into `pg_rewrite.ev_action` and
/// `pg_proc.prosqlbody`) read into a tree: `{TYPE :field value …}` nodes, `( … )` lists,
/// `<>` for NULL, and atoms (numbers, names, `"strings"`, the words of a datum's `[ … ]`).
/// Tokens are separated by whitespace and the four brackets; a backslash makes the next
/// character part of the token (`outToken`'s escaping).
package indirect enum NodeTree: Sendable, Equatable {
    case node(type: String, fields: [String: NodeTree])
    case list([NodeTree])
    case atom(String)
    case null

    /// Deeper trees are refused (a hostile snapshot must not overflow the stack).
    static let maximumDepth = 1_000

    /// The tree `text` holds, or nil when it is not well formed.
    package init?(parsing text: String) {
        var reader = Reader(tokens: Self.tokens(text))
        guard let tree = reader.value(depth: 0), reader.atEnd else { return nil }
        self = tree
    }

    /// A node's field; nil for anything else or a missing field.
    package subscript(_ field: String) -> NodeTree? {
        if case .node(_, let fields) = self { return fields[field] }
        return nil
    }

    package var type: String? {
        if case .node(let type, _) = self { return type }
        return nil
    }

    package var items: [NodeTree] {
        switch self {
        case .list(let items): items
        case .null: []
        default: [self]
        }
    }

    package var int: Int? {
        if case .atom(let text) = self { return Int(text) }
        return nil
    }

    /// An atom's text with the quotes of a `"string"` value removed.
    package var text: String? {
        guard case .atom(let text) = self else { return nil }
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { return String(text.dropFirst().dropLast()) }
        return text
    }

    package var isNull: Bool { self == .null }

    enum Token: Equatable {
        case open(UInt8)
        case close(UInt8)
        case word(String)
    }

    static func tokens(_ text: String) -> [Token] {
        var result: [Token] = []
        var word: [UInt8] = []
        var escaped = false
        func flush() {
            if !word.isEmpty { result.append(.word(String(decoding: word, as: UTF8.self))) }
            word.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            if escaped {
                word.append(byte)
                escaped = false
                continue
            }
            switch byte {
            case UInt8(ascii: "\\"): escaped = true
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"): flush()
            case UInt8(ascii: "{"), UInt8(ascii: "("):
                flush()
                result.append(.open(byte))
            case UInt8(ascii: "}"), UInt8(ascii: ")"):
                flush()
                result.append(.close(byte))
            default: word.append(byte)
            }
        }
        flush()
        return result
    }

    struct Reader {
        let tokens: [Token]
        package var position = 0

        var atEnd: Bool { position == tokens.count }

        mutating func value(depth: Int) -> NodeTree? {
            guard depth < NodeTree.maximumDepth, position < tokens.count else { return nil }
            let token = tokens[position]
            position += 1
            switch token {
            case .word("<>"): return .null
            case .word(let text): return .atom(text)
            case .close: return nil
            case .open(UInt8(ascii: "(")):
                var items: [NodeTree] = []
                while position < tokens.count, tokens[position] != .close(UInt8(ascii: ")")) {
                    guard let item = value(depth: depth + 1) else { return nil }
                    items.append(item)
                }
                guard position < tokens.count else { return nil }
                position += 1
                return .list(items)
            case .open:
                guard position < tokens.count, case .word(let type) = tokens[position] else { return nil }
                position += 1
                var fields: [String: NodeTree] = [:]
                while position < tokens.count, tokens[position] != .close(UInt8(ascii: "}")) {
                    guard case .word(let name) = tokens[position], name.hasPrefix(":") else { return nil }
                    position += 1
                    var values: [NodeTree] = []
                    while position < tokens.count, !isFieldEnd(tokens[position]) {
                        guard let item = value(depth: depth + 1) else { return nil }
                        values.append(item)
                    }
                    fields[String(name.dropFirst())] = values.count == 1 ? values[0] : (values.isEmpty ? .null : .list(values))
                }
                guard position < tokens.count else { return nil }
                position += 1
                return .node(type: type, fields: fields)
            }
        }

        func isFieldEnd(_ token: Token) -> Bool {
            switch token {
            case .close(UInt8(ascii: "}")): true
            case .word(let text): text.hasPrefix(":")
            default: false
            }
        }
    }
}
