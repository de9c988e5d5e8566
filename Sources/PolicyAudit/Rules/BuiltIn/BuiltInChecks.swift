/// The checks that run without being written in the policy.
package enum BuiltInChecks {
    static let all: [any AuditCheck] = [
        UndeclaredRoleCheck(), UndeclaredMembershipCheck(), UndeclaredAdminOptionCheck(), OverBroadGrantCheck(),
        UndeclaredGrantOptionCheck(), UndeclaredOwnershipCheck(), UndeclaredAttributeCheck(), PublicGrantOnClassifiedCheck(),
        BulkExportRoleCheck(), DefinerExposureCheck(), ExpiredRoleCheck(), ExpiredExceptionCheck(), MissingGrantCheck(),
        MissingRoleCheck(), UndeclaredDefaultPrivilegeCheck(), ExistenceOracleCheck(), ForeignServerSessionCheck(),
        UnloggedClassifiedReadCheck(), AuditCanBeDisabledCheck(), LogNotAttributableCheck(), UnusedAccessCheck(),
    ]

    /// Their ids (exceptions may name them; policy rules may not reuse them).
    package static let ids: [String] = all.map { type(of: $0).description.id }
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

/// A policy header with one low-severity data class (internal: public.customers.email): a
/// check's own severity shows where the class does not raise it.
let exampleLowClassHeader = """
    version: 1
    data_classes:
      internal:
        severity: low
        columns: [public.customers.email]

    """

/// The header of a policy that requires every classified read to be logged.
let exampleLoggingRequiredHeader = """
    version: 1
    settings:
      read_logging: required

    """
