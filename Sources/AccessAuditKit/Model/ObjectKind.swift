/// The kinds of securable object the audit knows, with the privileges PostgreSQL defines on each.
public enum ObjectKind: String, Sendable, Codable, CaseIterable {
    case database
    case schema
    case table
    case column
    case sequence
    case function

    /// Privileges that `GRANT` accepts on this kind of object (PostgreSQL 13–17; MAINTAIN is 17+).
    public var applicablePrivileges: PrivilegeSet {
        switch self {
        case .database: PrivilegeSet([.create, .connect, .temporary])
        case .schema: PrivilegeSet([.usage, .create])
        case .table: PrivilegeSet([.select, .insert, .update, .delete, .truncate, .references, .trigger, .maintain])
        case .column: PrivilegeSet([.select, .insert, .update, .references])
        case .sequence: PrivilegeSet([.usage, .select, .update])
        case .function: PrivilegeSet([.execute])
        }
    }
}

/// The relation kinds (`pg_class.relkind`) that the `table` selector covers.
public enum RelationKind: String, Sendable, Codable, CaseIterable {
    case table
    case view
    case materializedView = "materialized_view"
    case foreignTable = "foreign_table"
    case partitionedTable = "partitioned_table"
}
