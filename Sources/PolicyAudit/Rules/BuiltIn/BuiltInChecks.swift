import SnapshotModel

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

/// A policy header classifying public.customers.email as `name` with `severity`, for examples.
func exampleHeader(classifying name: String, severity: Severity) -> String {
    "version: 1\ndata_classes:\n  \(name):\n    severity: \(severity.rawValue)\n    columns: [public.customers.email]\n"
}

/// A policy header with one data class (pii, critical: public.customers.email), for examples.
let examplePolicyHeader = exampleHeader(classifying: "pii", severity: .critical)

/// A policy header with one low-severity data class (internal): a check's own severity shows
/// where the class does not raise it.
let exampleLowClassHeader = exampleHeader(classifying: "internal", severity: .low)

/// The header of a policy that requires every classified read to be logged.
let exampleLoggingRequiredHeader = "version: 1\nsettings:\n  read_logging: required\n"
