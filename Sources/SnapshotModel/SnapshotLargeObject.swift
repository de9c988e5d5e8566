/// Large objects (`pg_largeobject_metadata`) with one owner and one ACL, counted: ticket
/// attachments are often large objects, millions of them, so the snapshot groups them. Their
/// OIDs are readable by every role, so whoever may read one may read any it can guess; their
/// ACL alone decides (pg_read_all_data does not cover them), unless `lo_compat_privileges` is on.
package struct SnapshotLargeObjects: Sendable, Encodable, Hashable {
    package var owner: String
    package var acl: [AclEntry]
    package var count: Int

    package init(owner: String, acl: [AclEntry], count: Int) {
        self.owner = owner
        self.acl = acl
        self.count = count
    }

    /// The privileges a large object's ACL can hold.
    package static let applicablePrivileges = PrivilegeSet([.select, .update])

    enum CodingKeys: String, CodingKey, CaseIterable { case owner, acl, count }
}
