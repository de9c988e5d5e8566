/// A PostgreSQL privilege, spelled as in `GRANT` and in `aclexplode()`'s `privilege_type`.
package enum Privilege: String, CaseIterable, Sendable, Codable, Comparable {
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
    /// On a configuration parameter (PostgreSQL 15+, `pg_parameter_acl`): `SET` it in a session
    /// although it is superuser-only.
    case set = "SET"
    /// On a configuration parameter (PostgreSQL 15+): `ALTER SYSTEM` it, for the whole server.
    case alterSystem = "ALTER SYSTEM"

    /// Parses a privilege name as PostgreSQL accepts it (case-insensitive, `TEMP` for `TEMPORARY`).
    package init?(name: String) {
        if let exact = Privilege(rawValue: name) {
            self = exact
            return
        }
        let upper = name.uppercased()
        if upper == "TEMP" { self = .temporary; return }
        self.init(rawValue: upper)
    }

    /// The privilege's bit in a `PrivilegeSet`: its position among the cases (a switch, as
    /// `allCases` builds an array on every use).
    @inlinable package var bit: UInt16 {
        switch self {
        case .select: 1 << 0
        case .insert: 1 << 1
        case .update: 1 << 2
        case .delete: 1 << 3
        case .truncate: 1 << 4
        case .references: 1 << 5
        case .trigger: 1 << 6
        case .maintain: 1 << 7
        case .usage: 1 << 8
        case .create: 1 << 9
        case .connect: 1 << 10
        case .temporary: 1 << 11
        case .execute: 1 << 12
        case .set: 1 << 13
        case .alterSystem: 1 << 14
        }
    }

    /// Declaration order, which is also bit order.
    @inlinable package static func < (lhs: Privilege, rhs: Privilege) -> Bool { lhs.bit < rhs.bit }

    /// The cases in bit order, built once.
    @usableFromInline static let inBitOrder = Privilege.allCases
}

/// A compact set of privileges (one bit each).
package struct PrivilegeSet: Hashable, Sendable, Sequence {
    package private(set) var rawValue: UInt16

    @inlinable package init(rawValue: UInt16 = 0) { self.rawValue = rawValue }
    package init<S: Sequence>(_ privileges: S) where S.Element == Privilege {
        rawValue = 0
        for privilege in privileges { insert(privilege) }
    }

    package static let empty = PrivilegeSet()

    @inlinable package var isEmpty: Bool { rawValue == 0 }
    @inlinable package func contains(_ privilege: Privilege) -> Bool { rawValue & privilege.bit != 0 }
    @inlinable package mutating func insert(_ privilege: Privilege) { rawValue |= privilege.bit }
    @inlinable package func union(_ other: PrivilegeSet) -> PrivilegeSet { PrivilegeSet(rawValue: rawValue | other.rawValue) }
    @inlinable package func intersection(_ other: PrivilegeSet) -> PrivilegeSet { PrivilegeSet(rawValue: rawValue & other.rawValue) }
    @inlinable package func subtracting(_ other: PrivilegeSet) -> PrivilegeSet { PrivilegeSet(rawValue: rawValue & ~other.rawValue) }

    /// The privileges in declaration order, read off the bits.
    @inlinable package func makeIterator() -> Iterator { Iterator(remaining: rawValue) }

    /// Walks the set bits from the lowest.
    package struct Iterator: IteratorProtocol {
        @usableFromInline var remaining: UInt16

        @inlinable init(remaining: UInt16) { self.remaining = remaining }

        @inlinable package mutating func next() -> Privilege? {
            guard remaining != 0 else { return nil }
            let position = remaining.trailingZeroBitCount
            remaining &= remaining - 1
            return position < Privilege.inBitOrder.count ? Privilege.inBitOrder[position] : nil
        }
    }
}
