/// A name or a glob (`*` any run of characters, `?` one character) matched against a
/// qualified name such as `public.customers` or a role name.
package struct NamePattern: Hashable, Sendable, CustomStringConvertible {
    package let text: String
    package let isGlob: Bool
    /// The pattern's bytes when it is ASCII: matched byte by byte, no Character walking.
    /// (Few stored references: patterns are copied in hot loops.)
    @usableFromInline let ascii: [UInt8]?
    /// ASCII globs: how many bytes after the last wildcard are literal; a match must end with
    /// them (checked first: most names fail there without a walk).
    @usableFromInline let literalTailCount: Int

    package init(_ text: String) {
        self.text = text
        isGlob = text.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }
        let bytes = Array(text.utf8)
        ascii = bytes.allSatisfy { $0 < 0x80 } ? bytes : nil
        let lastWildcard = bytes.lastIndex { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") }
        literalTailCount = bytes.count - (lastWildcard.map { $0 + 1 } ?? 0)
    }

    package static func == (lhs: NamePattern, rhs: NamePattern) -> Bool { lhs.text == rhs.text }
    package func hash(into hasher: inout Hasher) { hasher.combine(text) }

    package var description: String { text }

    // Inlinable: names are matched in the audit's hot loops, in other modules.
    @inlinable package func matches(_ name: String) -> Bool {
        if !isGlob { return name == text }
        let result = name.utf8.withContiguousStorageIfAvailable { bytes in
            matchesASCII(JoinedBytes(first: bytes, second: nil))
        }
        return result.flatMap { $0 } ?? Self.glob(Array(text), Array(name), any: "?", star: "*")
    }

    /// Whether the pattern matches `first.second` (a relation's name and a column's), without
    /// building that string.
    @inlinable package func matches(joining first: String, _ second: String) -> Bool {
        let result = first.utf8.withContiguousStorageIfAvailable { head in
            second.utf8.withContiguousStorageIfAvailable { tail in
                isGlob ? matchesASCII(JoinedBytes(first: head, second: tail)) : text.utf8.elementsEqual(JoinedBytes(first: head, second: tail))
            }
        }
        return result.flatMap { $0 }.flatMap { $0 } ?? matches("\(first).\(second)")
    }

    /// nil when either side is not ASCII (then `Character`s are matched).
    @inlinable func matchesASCII(_ name: JoinedBytes) -> Bool? {
        guard let ascii, name.isASCII else { return nil }
        guard name.hasSuffix(ascii[(ascii.count - literalTailCount)...]) else { return false }
        return Self.glob(ascii, name, any: UInt8(ascii: "?"), star: UInt8(ascii: "*"))
    }

    /// Iterative glob matching with backtracking to the last star: linear in practice.
    @inlinable static func glob<Pattern: RandomAccessCollection<Element>, Target: RandomAccessCollection<Element>, Element: Equatable>(
        _ characters: Pattern, _ target: Target, any: Element, star starElement: Element
    ) -> Bool where Pattern.Index == Int, Target.Index == Int {
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

/// The UTF-8 of one name, or of two joined by a dot, as one collection.
@usableFromInline struct JoinedBytes: RandomAccessCollection {
    @usableFromInline let first: UnsafeBufferPointer<UInt8>
    @usableFromInline let second: UnsafeBufferPointer<UInt8>?

    @inlinable init(first: UnsafeBufferPointer<UInt8>, second: UnsafeBufferPointer<UInt8>?) {
        self.first = first
        self.second = second
    }

    @inlinable var startIndex: Int { 0 }
    @inlinable var endIndex: Int { first.count + (second.map { $0.count + 1 } ?? 0) }

    @inlinable subscript(position: Int) -> UInt8 {
        if position < first.count { return first[position] }
        if position == first.count { return UInt8(ascii: ".") }
        return second?[position - first.count - 1] ?? 0
    }

    @inlinable var isASCII: Bool { first.allSatisfy { $0 < 0x80 } && (second?.allSatisfy { $0 < 0x80 } ?? true) }

    /// Compared from the end, byte by byte.
    @inlinable func hasSuffix(_ suffix: ArraySlice<UInt8>) -> Bool {
        let count = endIndex
        guard suffix.count <= count else { return false }
        var i = suffix.endIndex - 1, j = count - 1
        while i >= suffix.startIndex {
            if suffix[i] != self[j] { return false }
            i -= 1
            j -= 1
        }
        return true
    }
}
