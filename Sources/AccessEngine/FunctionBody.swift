import SnapshotModel

/// What decides whether a caller can make a function run the caller's code: the body's
/// language and form, and the `search_path` pinned on it (`proconfig`).
///
/// PostgreSQL resolves the names in a plpgsql or string-bodied SQL function when it runs, with
/// the session's `search_path` unless the function pins one. The session's temporary schema is
/// searched *first* for relations (tables, views) unless the path names `pg_temp` explicitly,
/// so any caller with TEMP can shadow an unqualified table with a temporary view that calls the
/// caller's own function; a caller with CREATE on a schema in the path (or, unpinned, on any
/// schema it can put in its own path) can shadow functions and operators too. A SQL-standard
/// body (`BEGIN ATOMIC`, `RETURN`) is bound when created; C and internal functions run no names.
package struct FunctionBody: Sendable, Hashable {
    /// How far a caller can redirect the body's names.
    package enum Redirection: Sendable, Hashable {
        /// Names are bound (SQL-standard body, C or internal): nothing to redirect.
        case none
        /// No pinned search_path: TEMP on the database, or CREATE on any schema, suffices.
        case unpinned
        /// A pinned path without an explicit trailing `pg_temp`: TEMP suffices (temporary
        /// relations are searched first); so does CREATE on one of `schemas`.
        case pinnedTempFirst(schemas: [String])
        /// A pinned path ending in `pg_temp`: CREATE on one of `schemas` is needed.
        case pinned(schemas: [String])
    }

    package var redirection: Redirection

    init(_ function: SnapshotFunction) {
        // The exporter writes `reads` only for SQL-standard bodies, so a function that lists its
        // reads but predates `sql_standard_body` has one; otherwise an unknown body is redirectable.
        let standard = function.sqlStandardBody ?? (function.reads != nil ? true : nil)
        redirection = Self.redirection(language: function.language, sqlStandardBody: standard, config: function.config)
    }

    /// Languages whose bodies name nothing at run time.
    static let boundLanguages: Set<String> = ["c", "internal"]

    static func redirection(language: String?, sqlStandardBody: Bool?, config: [String]?) -> Redirection {
        if sqlStandardBody == true { return .none }
        if let language, boundLanguages.contains(language) { return .none }
        guard let path = pinnedSearchPath(config) else { return .unpinned }
        // An empty path leaves only pg_catalog: working code must qualify every name.
        if path.isEmpty { return .none }
        let schemas = path.filter { $0 != "pg_temp" && $0 != "pg_catalog" }
        if path.last == "pg_temp" { return .pinned(schemas: schemas) }
        return .pinnedTempFirst(schemas: schemas)
    }

    /// The schemas of a `search_path=…` entry in `proconfig`, unquoted; nil when none is pinned.
    static func pinnedSearchPath(_ config: [String]?) -> [String]? {
        guard let entry = config?.first(where: { $0.lowercased().hasPrefix("search_path=") }) else { return nil }
        let value = entry.dropFirst("search_path=".count)
        return value.split(separator: ",").map { part in
            var name = part.drop { $0 == " " || $0 == "\t" }
            while let last = name.last, last == " " || last == "\t" { name = name.dropLast() }
            if name.count >= 2, name.first == "\"", name.last == "\"" { name = name.dropFirst().dropLast() }
            return String(name)
        }.filter { !$0.isEmpty }
    }
}
