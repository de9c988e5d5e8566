/// A name or a glob (`*` any run of characters, `?` one character) matched against a
/// qualified name such as `public.customers` or a role name.
public struct NamePattern: Hashable, Sendable, CustomStringConvertible {
    public let text: String
    public let isGlob: Bool
    private let characters: [Character]
    /// The pattern's bytes when it is ASCII: matched byte by byte, no Character walking.
    private let ascii: [UInt8]?

    public init(_ text: String) {
        self.text = text
        isGlob = text.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }
        characters = Array(text)
        ascii = text.utf8.allSatisfy { $0 < 0x80 } ? Array(text.utf8) : nil
    }

    public static func == (lhs: NamePattern, rhs: NamePattern) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    public var description: String { text }

    public func matches(_ name: String) -> Bool {
        if !isGlob { return name == text }
        if let ascii, name.utf8.allSatisfy({ $0 < 0x80 }) { return Self.glob(ascii, Array(name.utf8), any: UInt8(ascii: "?"), star: UInt8(ascii: "*")) }
        return Self.glob(characters, Array(name), any: "?", star: "*")
    }

    /// Iterative glob matching with backtracking to the last star: linear in practice.
    private static func glob<Element: Equatable>(_ characters: [Element], _ target: [Element], any: Element, star starElement: Element) -> Bool {
        var p = 0
        var t = 0
        var star: Int?
        var mark = 0
        while t < target.count {
            if p < characters.count, characters[p] == any || characters[p] == target[t] {
                p += 1
                t += 1
            } else if p < characters.count, characters[p] == starElement {
                star = p
                mark = t
                p += 1
            } else if let s = star {
                p = s + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < characters.count, characters[p] == starElement { p += 1 }
        return p == characters.count
    }
}
