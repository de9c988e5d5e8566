/// PostgreSQL's predefined roles whose privileges are implicit rather than in any ACL
/// (`pg_class_aclmask` and `pg_namespace_aclmask` in aclchk.c, PostgreSQL 14+).
package enum PredefinedRoles {
    package static let readAllData = "pg_read_all_data"
    package static let writeAllData = "pg_write_all_data"
    package static let databaseOwner = "pg_database_owner"
    /// PostgreSQL 17: MAINTAIN on every relation.
    package static let maintain = "pg_maintain"
    /// Other sessions' statistics and SQL text (pg_monitor is a member).
    package static let readAllStats = "pg_read_all_stats"
    /// Roles that read (or can read) the server's files, data files included.
    package static let serverFileRoles = ["pg_read_server_files", "pg_write_server_files", "pg_execute_server_program"]
    /// The roles that read or write everything, or the server's files and programs: a member can
    /// export the database in bulk (the `bulk-export-role` check, `init`'s review marks).
    package static let bulkExport = [readAllData] + serverFileRoles
    /// The predefined roles whose privileges are in no ACL.
    package static let withImplicitPrivileges = [readAllData, writeAllData, maintain]

    /// The privileges a predefined role holds implicitly on every object of `kind`.
    package static func implicitPrivileges(of role: String, on kind: ObjectKind) -> PrivilegeSet {
        switch (role, kind) {
        case (readAllData, .table), (readAllData, .sequence): PrivilegeSet([.select])
        case (readAllData, .schema), (writeAllData, .schema): PrivilegeSet([.usage])
        case (writeAllData, .table): PrivilegeSet([.insert, .update, .delete])
        // pg_class_aclmask covers sequences too, where UPDATE is the only one of the three that applies.
        case (writeAllData, .sequence): PrivilegeSet([.update])
        case (maintain, .table): PrivilegeSet([.maintain])
        default: .empty
        }
    }

    /// Whether a role name is a predefined (`pg_*`) role: present in every cluster, never a person.
    package static func isPredefined(_ name: String) -> Bool { name.hasPrefix("pg_") }
}
