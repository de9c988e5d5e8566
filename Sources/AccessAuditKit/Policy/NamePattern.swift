/// A name or a glob (`*` any run of characters, `?` one character) matched against a
/// qualified name such as `public.customers` or a role name.
public struct NamePattern: Hashable, Sendable, CustomStringConvertible {
    public let text: String
    private let characters: [Character]

    public init(_ text: String) {
        self.text = text
        characters = Array(text)
    }

    public var isGlob: Bool { text.contains("*") || text.contains("?") }
    public var description: String { text }

    public func matches(_ name: String) -> Bool {
        if !isGlob { return name == text }
        let target = Array(name)
        // Iterative glob matching with backtracking to the last star: linear in practice.
        var p = 0
        var t = 0
        var star: Int?
        var mark = 0
        while t < target.count {
            if p < characters.count, characters[p] == "?" || characters[p] == target[t] {
                p += 1
                t += 1
            } else if p < characters.count, characters[p] == "*" {
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
        while p < characters.count, characters[p] == "*" { p += 1 }
        return p == characters.count
    }
}
