import SnapshotModel

/// The pg_catalog objects whose grants reveal data outside any table's ACL.
package enum CatalogObjects {
    /// Relations whose SELECT reveals column values of every analysed table (most common values, histograms).
    static let statisticsRelations: Set<String> = ["pg_catalog.pg_statistic", "pg_catalog.pg_statistic_ext_data"]
    /// Functions whose EXECUTE reads server files, the data files included (by name, any signature).
    static let fileReadingFunctions: Set<String> = [
        "pg_catalog.pg_read_file", "pg_catalog.pg_read_binary_file", "pg_catalog.lo_import",
    ]

    /// Parameters whose value the server runs as a shell command or loads as a library: ALTER
    /// SYSTEM on one is code running as the server's operating-system user after the next
    /// configuration reload or restart (the data files, any role's rights).
    package static let codeRunningParameters: Set<String> = [
        "archive_command", "archive_library", "restore_command", "archive_cleanup_command", "recovery_end_command",
        "ssl_passphrase_command", "shared_preload_libraries", "session_preload_libraries", "local_preload_libraries",
        "dynamic_library_path", "jit_provider",
    ]

    /// The privilege on a catalog object that reveals data, or nil when the object reveals none.
    package static func dataRevealingPrivilege(kind: ObjectKind, object: String) -> Privilege? {
        switch kind {
        case .table: statisticsRelations.contains(object) ? .select : nil
        case .function:
            fileReadingFunctions.contains(String(object.prefix { $0 != "(" })) ? .execute : nil
        default: nil
        }
    }
}
