/// The checks that run without being written in the policy.
package enum BuiltInChecks {
    package static let all: [any AuditCheck] = [
        UndeclaredRoleCheck(), UndeclaredMembershipCheck(), UndeclaredAdminOptionCheck(), OverBroadGrantCheck(),
        UndeclaredGrantOptionCheck(), UndeclaredOwnershipCheck(), UndeclaredAttributeCheck(), PublicGrantOnClassifiedCheck(),
        BulkExportRoleCheck(), DefinerExposureCheck(), ExpiredRoleCheck(), ExpiredExceptionCheck(), MissingGrantCheck(),
        MissingRoleCheck(), UndeclaredDefaultPrivilegeCheck(), ExistenceOracleCheck(), ForeignServerSessionCheck(),
        UnloggedClassifiedReadCheck(), AuditCanBeDisabledCheck(), LogNotAttributableCheck(), UnusedAccessCheck(),
    ]

    /// Their ids (exceptions may name them; policy rules may not reuse them).
    package static let ids: [String] = all.map { type(of: $0).description.id }

    /// The predefined roles that read or write everything, or the server's files and programs.
    package static let bulkExportRoles = ["pg_read_all_data", "pg_read_server_files", "pg_write_server_files", "pg_execute_server_program"]
}

/// The PUBLIC grants every fresh database has, declared, for examples whose policies must explain them.
let examplePublicRole = """
      PUBLIC:
        kind: group
        grants:
          - {database: app, privileges: [CONNECT, TEMPORARY]}
          - {schema: public, privileges: [USAGE]}

    """

/// A policy header with one data class (pii: public.customers.email), for examples.
let examplePolicyHeader = """
    version: 1
    data_classes:
      pii:
        severity: critical
        columns: [public.customers.email]

    """
