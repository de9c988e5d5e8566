/// The kinds of securable object the audit knows, with the privileges PostgreSQL defines on each.
package enum ObjectKind: String, Sendable, Codable, CaseIterable {
    case database
    case schema
    case table
    case column
    case sequence
    case function
    /// Large objects of one owner with one ACL (named by the owner, `#2`… when it has several).
    case largeObject = "large_object"

    /// Privileges that `GRANT` accepts on this kind of object (PostgreSQL 13–18; MAINTAIN is 17+).
    package var applicablePrivileges: PrivilegeSet {
        switch self {
        case .database: Self.databasePrivileges
        case .schema: Self.schemaPrivileges
        case .table: Self.tablePrivileges
        case .column: Self.columnPrivileges
        case .sequence: Self.sequencePrivileges
        case .function: Self.functionPrivileges
        case .largeObject: SnapshotLargeObjects.applicablePrivileges
        }
    }

    private static let databasePrivileges = PrivilegeSet([.create, .connect, .temporary])
    private static let schemaPrivileges = PrivilegeSet([.usage, .create])
    private static let tablePrivileges = PrivilegeSet([.select, .insert, .update, .delete, .truncate, .references, .trigger, .maintain])
    private static let columnPrivileges = PrivilegeSet([.select, .insert, .update, .references])
    private static let sequencePrivileges = PrivilegeSet([.usage, .select, .update])
    private static let functionPrivileges = PrivilegeSet([.execute])
}

/// The relation kinds (`pg_class.relkind`) that the `table` selector covers.
package enum RelationKind: String, Sendable, Codable, CaseIterable {
    case table
    case view
    case materializedView = "materialized_view"
    case foreignTable = "foreign_table"
    case partitionedTable = "partitioned_table"
}
