import AuditSupport
import SnapshotModel

/// Object names per kind, sorted, so a selector finds its objects by exact lookup or, for a
/// glob, by binary search over the range of its literal prefix — not by scanning every object.
package struct ObjectNameIndex: Sendable {
    private var sorted: [ObjectKind: [(name: String, object: ObjectIndex)]] = [:]

    init(objects: [SecurableObject]) {
        // By index: copying each object out of the array would retain all of its fields.
        for index in objects.indices {
            let kind = objects[index].kind
            sorted[kind, default: []].append((objects[index].name, index))
            // Functions are also selected by their bare name (without the argument list).
            if kind == .function, objects[index].baseName != objects[index].name { sorted[kind, default: []].append((objects[index].baseName, index)) }
        }
        for kind in sorted.keys { sorted[kind]?.sort { $0.name < $1.name } }
    }

    /// The objects of `kind` that one of `patterns` matches, in index order.
    package func objects(of kind: ObjectKind, matchingAny patterns: [NamePattern]) -> [ObjectIndex] {
        guard let entries = sorted[kind] else { return [] }
        var found = Set<ObjectIndex>()
        for pattern in patterns {
            let prefix = String(pattern.text.prefix { $0 != "*" && $0 != "?" })
            var low = 0
            var high = entries.count
            while low < high {
                let middle = (low + high) / 2
                if entries[middle].name < prefix { low = middle + 1 } else { high = middle }
            }
            var position = low
            while position < entries.count, entries[position].name.hasPrefix(prefix) {
                if !pattern.isGlob, entries[position].name != pattern.text { break }
                if pattern.matches(entries[position].name) { found.insert(entries[position].object) }
                position += 1
            }
        }
        return found.sorted()
    }
}
