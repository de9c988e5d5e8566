/// A PostgreSQL privilege, spelled as in `GRANT` and in `aclexplode()`'s `privilege_type`.
public enum Privilege: String, CaseIterable, Sendable, Codable, Comparable {
    case select = "SELECT"
    case insert = "INSERT"
    case update = "UPDATE"
    case delete = "DELETE"
    case truncate = "TRUNCATE"
    case references = "REFERENCES"
    case trigger = "TRIGGER"
    case maintain = "MAINTAIN"
    case usage = "USAGE"
    case create = "CREATE"
    case connect = "CONNECT"
    case temporary = "TEMPORARY"
    case execute = "EXECUTE"

    /// Parses a privilege name as PostgreSQL accepts it (case-insensitive, `TEMP` for `TEMPORARY`).
    public init?(name: String) {
        if let exact = Privilege(rawValue: name) {
            self = exact
            return
        }
        let upper = name.uppercased()
        if upper == "TEMP" { self = .temporary; return }
        self.init(rawValue: upper)
    }

    var bit: UInt16 { 1 << UInt16(Privilege.allCases.firstIndex(of: self) ?? 0) }

    public static func < (lhs: Privilege, rhs: Privilege) -> Bool {
        (Privilege.allCases.firstIndex(of: lhs) ?? 0) < (Privilege.allCases.firstIndex(of: rhs) ?? 0)
    }
}

/// A compact set of privileges (one bit each).
public struct PrivilegeSet: Hashable, Sendable, Sequence {
    public private(set) var rawValue: UInt16

    public init(rawValue: UInt16 = 0) { self.rawValue = rawValue }
    public init<S: Sequence>(_ privileges: S) where S.Element == Privilege {
        rawValue = 0
        for privilege in privileges { insert(privilege) }
    }

    public static let empty = PrivilegeSet()

    public var isEmpty: Bool { rawValue == 0 }
    public func contains(_ privilege: Privilege) -> Bool { rawValue & privilege.bit != 0 }
    public mutating func insert(_ privilege: Privilege) { rawValue |= privilege.bit }
    public func union(_ other: PrivilegeSet) -> PrivilegeSet { PrivilegeSet(rawValue: rawValue | other.rawValue) }
    public func intersection(_ other: PrivilegeSet) -> PrivilegeSet { PrivilegeSet(rawValue: rawValue & other.rawValue) }
    public func subtracting(_ other: PrivilegeSet) -> PrivilegeSet { PrivilegeSet(rawValue: rawValue & ~other.rawValue) }

    public func makeIterator() -> IndexingIterator<[Privilege]> {
        Privilege.allCases.filter { contains($0) }.makeIterator()
    }
}
