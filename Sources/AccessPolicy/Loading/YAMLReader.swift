import Yams
import AuditSupport
import SnapshotModel

/// A strict view of one composed YAML node: every accessor checks the node's shape and throws
/// `InputError` with the node's `file:line:column`. A shared budget bounds the nodes visited, so
/// alias expansion cannot make the walk explode.
package struct YAMLReader {
    package final class Budget {
        var remaining: Int
        package init(_ nodes: Int) { remaining = nodes }
    }

    package let node: Node
    package let file: String
    package let budget: Budget
    package let depth: Int

    package static let maximumDepth = 32

    package var location: SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    package func child(_ node: Node) throws(InputError) -> YAMLReader {
        budget.remaining -= 1
        guard budget.remaining >= 0 else {
            throw InputError(location, "document expands to too many nodes (alias expansion?)")
        }
        guard depth < Self.maximumDepth else { throw InputError(location, "nesting deeper than \(Self.maximumDepth) levels") }
        return YAMLReader(node: node, file: file, budget: budget, depth: depth + 1)
    }

    /// A mapping whose keys must all be in `allowed`; values keyed by name, in document order.
    package func mapping(allowed: [String], what: String) throws(InputError) -> OrderedFields {
        guard case .mapping(let mapping) = node else {
            throw InputError(location, "\(what) must be a mapping")
        }
        var fields = OrderedFields(owner: self)
        for (key, value) in mapping {
            let keyReader = try child(key)
            guard case .scalar(let scalar) = key else { throw InputError(keyReader.location, "keys must be plain names") }
            let name = scalar.string
            if name == "<<" { throw InputError(keyReader.location, "merge keys ('<<') are not supported in policy files") }
            if !allowed.isEmpty, !allowed.contains(name) {
                throw InputError(
                    keyReader.location, "unknown key '\(name)' in \(what)",
                    fix: Suggestion.closest(to: name, among: allowed).map { "did you mean '\($0)'?" } ?? "allowed keys: \(allowed.joined(separator: ", "))")
            }
            if fields.position(of: name) != nil { throw InputError(keyReader.location, "duplicate key '\(name)' in \(what)") }
            fields.append(name, at: keyReader.location, try child(value))
        }
        return fields
    }

    /// Entries of a mapping with free-form keys (names of roles, classes…).
    package func namedEntries(what: String) throws(InputError) -> OrderedFields { try mapping(allowed: [], what: what) }

    package func sequence(what: String) throws(InputError) -> [YAMLReader] {
        guard case .sequence(let sequence) = node else { throw InputError(location, "\(what) must be a list") }
        var result: [YAMLReader] = []
        for element in sequence { result.append(try child(element)) }
        return result
    }

    package func string(what: String) throws(InputError) -> String {
        guard case .scalar(let scalar) = node else { throw InputError(location, "\(what) must be a single value") }
        if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
            throw InputError(location, "\(what) must not be empty")
        }
        return scalar.string
    }

    /// A boolean in YAML 1.2's spelling only: YAML 1.1's yes/no/on/off/y/n are refused.
    package func bool(what: String) throws(InputError) -> Bool {
        guard case .scalar(let scalar) = node else { throw InputError(location, "\(what) must be true or false") }
        if scalar.style == .plain {
            switch scalar.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            case let text where ["yes", "no", "on", "off", "y", "n"].contains(text.lowercased()):
                throw InputError(location, "'\(text)' is a YAML 1.1 boolean; \(what) must be written true or false")
            default: break
            }
        }
        throw InputError(location, "\(what) must be true or false, not '\(scalar.string)'")
    }

    package func int(what: String) throws(InputError) -> Int {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.string) else {
            throw InputError(location, "\(what) must be a whole number")
        }
        return value
    }

    /// One string or a list of strings.
    package func strings(what: String) throws(InputError) -> [(String, SourceLocation)] {
        if case .sequence = node {
            var result: [(String, SourceLocation)] = []
            for element in try sequence(what: what) { result.append((try element.string(what: what), element.location)) }
            return result
        }
        return [(try string(what: what), location)]
    }

    package func date(what: String) throws(InputError) -> DayDate {
        let text = try string(what: what)
        guard let date = DayDate(text) else { throw InputError(location, "\(what) must be a date written YYYY-MM-DD, not '\(text)'") }
        return date
    }

    package func severity(what: String) throws(InputError) -> Severity {
        let text = try string(what: what)
        guard let severity = Severity(rawValue: text) else {
            throw InputError(
                location, "unknown severity '\(text)'",
                fix: Suggestion.closest(to: text, among: Severity.allCases.map(\.rawValue)).map { "did you mean '\($0)'?" }
                    ?? "one of info, low, medium, high, critical")
        }
        return severity
    }

    package init(node: Node, file: String, budget: Budget, depth: Int) {
        self.node = node
        self.file = file
        self.budget = budget
        self.depth = depth
    }
}

/// The fields of a YAML mapping, in document order, with their key locations.
package struct OrderedFields {
    package let owner: YAMLReader
    // Kept apart, not as tuples: a lookup copies one value, not a name, location and value.
    private var names: [String] = []
    private var keyLocations: [SourceLocation] = []
    private var values: [YAMLReader] = []
    /// Positions by name, once there are more entries than a scan reads quickly (a policy has
    /// hundreds of thousands of two-key grant mappings and a few with thousands of role names).
    private var index: [String: Int]?
    private static let scanned = 8

    package init(owner: YAMLReader) { self.owner = owner }

    /// The entries in document order.
    package var entries: [(name: String, keyLocation: SourceLocation, value: YAMLReader)] {
        names.indices.map { (names[$0], keyLocations[$0], values[$0]) }
    }

    package subscript(_ name: String) -> YAMLReader? { position(of: name).map { values[$0] } }

    func position(of name: String) -> Int? {
        if let index { return index[name] }
        return names.firstIndex(of: name)
    }

    mutating func append(_ name: String, at keyLocation: SourceLocation, _ value: YAMLReader) {
        if index == nil, names.count >= Self.scanned {
            index = Dictionary(names.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        }
        index?[name] = names.count
        names.append(name)
        keyLocations.append(keyLocation)
        values.append(value)
    }

    package func required(_ name: String, what: String) throws(InputError) -> YAMLReader {
        guard let value = self[name] else { throw InputError(owner.location, "\(what) needs '\(name)'") }
        return value
    }
}
