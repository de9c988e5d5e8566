/// PostgreSQL's predefined roles whose privileges are implicit rather than in any ACL
/// (`pg_class_aclmask` and `pg_namespace_aclmask` in aclchk.c, PostgreSQL 14+).
public enum PredefinedRoles {
    public static let readAllData = "pg_read_all_data"
    public static let writeAllData = "pg_write_all_data"
    public static let databaseOwner = "pg_database_owner"

    /// The privileges a predefined role holds implicitly on every object of `kind`.
    public static func implicitPrivileges(of role: String, on kind: ObjectKind) -> PrivilegeSet {
        switch (role, kind) {
        case (readAllData, .table), (readAllData, .sequence): PrivilegeSet([.select])
        case (readAllData, .schema), (writeAllData, .schema): PrivilegeSet([.usage])
        case (writeAllData, .table): PrivilegeSet([.insert, .update, .delete])
        // pg_class_aclmask covers sequences too, where UPDATE is the only one of the three that applies.
        case (writeAllData, .sequence): PrivilegeSet([.update])
        default: .empty
        }
    }

    /// Whether a role name is a predefined (`pg_*`) role: present in every cluster, never a person.
    public static func isPredefined(_ name: String) -> Bool { name.hasPrefix("pg_") }
}
