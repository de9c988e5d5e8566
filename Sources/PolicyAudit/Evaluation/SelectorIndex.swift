import AccessPolicy
import SnapshotModel

/// Object selectors (a role's declared grant targets, or its `owns`) by what their patterns
/// can match, in declaration order: a literal pattern by its name; a glob by its literal
/// prefix up to the last `.` before its first wildcard (`s0.*` under `s0.`), so a name is
/// looked up under each of its own `.`-ending prefixes; globs without such a prefix (`*.notes`)
/// apart, since they may select anything of their kind.
///
/// `init` writes thousands of literal grants for a role and hundreds of schema globs for a
/// superuser's ownership; scanning them for every real grant or object was quadratic.
struct SelectorIndex: Sendable {
    private struct Key: Hashable, Sendable {
        var kind: ObjectKind
        var text: Substring
    }

    /// Roles declaring at most this many selectors are scanned, not indexed.
    static let smallest = 16

    private var literal: [Key: [Int]] = [:]
    private var byPrefix: [Key: [Int]] = [:]
    private var anywhere: [Int] = []

    init(_ selectors: [ObjectSelector]) {
        for (position, selector) in selectors.enumerated() {
            var literals: Set<Substring> = []
            var prefixes: Set<Substring> = []
            var unbounded = false
            for pattern in selector.patterns {
                guard pattern.isGlob else {
                    literals.insert(Substring(pattern.text))
                    continue
                }
                let head = pattern.text.prefix { $0 != "*" && $0 != "?" }
                if let dot = head.lastIndex(of: ".") { prefixes.insert(head[...dot]) } else { unbounded = true }
            }
            if unbounded {
                anywhere.append(position)
                continue
            }
            for text in literals { literal[Key(kind: selector.kind, text: text), default: []].append(position) }
            for text in prefixes { byPrefix[Key(kind: selector.kind, text: text), default: []].append(position) }
        }
    }

    /// The first position in declaration order whose selector `accepts`, among those that may
    /// select the object (a function also by its base name). Every list is ascending, so each
    /// stops at its first hit, or at the best found so far.
    func first(kind: ObjectKind, name: String, baseName: String, where accepts: (Int) -> Bool) -> Int? {
        var best: Int?
        func scan(_ positions: [Int]?) {
            for position in positions ?? [] {
                if let found = best, position >= found { return }
                if accepts(position) {
                    best = position
                    return
                }
            }
        }
        func lookUp(_ name: String) {
            scan(literal[Key(kind: kind, text: Substring(name))])
            var index = name.startIndex
            while let dot = name[index...].firstIndex(of: ".") {
                scan(byPrefix[Key(kind: kind, text: name[...dot])])
                index = name.index(after: dot)
            }
        }
        lookUp(name)
        if kind == .function, baseName != name { lookUp(baseName) }
        scan(anywhere)
        return best
    }
}
