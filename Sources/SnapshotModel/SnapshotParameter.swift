/// A configuration parameter with privileges of its own (`pg_parameter_acl`, PostgreSQL 15+):
/// `GRANT SET ON PARAMETER` lets a role set a superuser-only parameter in its sessions,
/// `GRANT ALTER SYSTEM ON PARAMETER` lets it change the parameter for the whole server. A
/// parameter without a row is settable only as PostgreSQL's defaults say (superuser-only
/// parameters by superusers), and has_parameter_privilege answers false for it.
package struct SnapshotParameterPrivilege: Sendable, Encodable, Hashable {
    /// The parameter's name as `pg_parameter_acl.parname` stores it (lower case).
    package var name: String
    /// Its ACL: `SET` and `ALTER SYSTEM` entries.
    package var acl: [AclEntry]

    package init(name: String, acl: [AclEntry]) {
        self.name = name
        self.acl = acl
    }

    /// The privileges a parameter's ACL can hold.
    package static let applicablePrivileges = PrivilegeSet([.set, .alterSystem])

    enum CodingKeys: String, CodingKey, CaseIterable { case name, acl }
}
