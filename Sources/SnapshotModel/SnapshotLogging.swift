/// What decides whether a read is written to the server log: whether pgaudit is loaded, the
/// server's logging and pgaudit settings as the exporting session saw them, and the per-database
/// and per-role overrides (`ALTER DATABASE … SET`, `ALTER ROLE … [IN DATABASE …] SET`).
///
/// A setting the exporting role may not see (`shared_preload_libraries` needs superuser or
/// `pg_read_all_settings`) has no value; one the exporting session got from an override of its
/// own hides the server's value. The audit reports either as *unknown*, never as logged.
package struct SnapshotLogging: Sendable, Encodable, Hashable {
    /// One server setting as `pg_settings` showed it to the exporting session.
    package struct Setting: Sendable, Encodable, Hashable {
        /// The parameter's name, lower case.
        package var name: String
        /// Its value; nil when the exporting role may not see it.
        package var value: String?
        /// `pg_settings.source`: where the value came from (`default`, `configuration file`,
        /// `command line`, `global`, `database`, `user`, `database user`, …); nil with no value.
        package var source: String?

        package init(name: String, value: String?, source: String?) {
            self.name = name
            self.value = value
            self.source = source
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case name, value, source }
    }

    /// One `pg_db_role_setting` entry that applies in the exported database.
    package struct Override: Sendable, Encodable, Hashable {
        /// The database it is limited to; nil for every database.
        package var database: String?
        /// The role whose sessions it applies to; nil for every role.
        package var role: String?
        /// The parameter, lower case.
        package var name: String
        package var value: String

        package init(database: String?, role: String?, name: String, value: String) {
            self.database = database
            self.role = role
            self.name = name
            self.value = value
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case database, role, name, value }
    }

    /// Whether pgaudit's settings are defined in the server (it loads only through
    /// `shared_preload_libraries`; a placeholder set without the library is not listed).
    package var pgauditLoaded: Bool
    /// The installed `pgaudit` extension's version in this database, if any (its event triggers
    /// log DDL; reads are logged by the library alone).
    package var pgauditExtension: String?
    /// The watched settings the server has (pgaudit's only when it is loaded).
    package var settings: [Setting]
    /// The overrides of watched settings for this database or every database.
    package var overrides: [Override]

    package init(pgauditLoaded: Bool, pgauditExtension: String? = nil, settings: [Setting], overrides: [Override] = []) {
        self.pgauditLoaded = pgauditLoaded
        self.pgauditExtension = pgauditExtension
        self.settings = settings
        self.overrides = overrides
    }

    /// The settings the exporter reads: what loads pgaudit, what it logs and as whom it audits
    /// objects, and what decides whether a log line reaches the log and names its user.
    package static let watchedSettings = [
        "shared_preload_libraries", "pgaudit.log", "pgaudit.role", "pgaudit.log_catalog", "pgaudit.log_relation",
        "log_min_messages", "log_line_prefix", "log_destination", "logging_collector",
    ]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case pgauditLoaded = "pgaudit_loaded"
        case pgauditExtension = "pgaudit_extension"
        case settings, overrides
    }
}
