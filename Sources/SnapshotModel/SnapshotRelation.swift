/// A relation the `table` selector covers (table, view, materialized view, foreign or
/// partitioned table), with its columns, row-level security flags and, for views, what it reads.
package struct SnapshotTable: Sendable, Encodable, Hashable {
    package var schema: String
    package var name: String
    package var kind: RelationKind
    package var owner: String
    package var acl: [AclEntry]
    package var columns: [SnapshotColumn]
    package var rowSecurity: Bool
    package var forceRowSecurity: Bool
    /// Views only: `security_invoker` (PostgreSQL 15+). A view without it runs with its owner's rights.
    package var securityInvoker: Bool
    /// Views and materialized views: the base columns (`schema.table.column`) their query reads.
    package var reads: [String]?
    /// Triggers on the relation (`pg_trigger`, internal ones excluded); nil when the exporter did
    /// not read them (snapshots from before the capabilities work).
    package var triggers: [SnapshotTrigger]?
    /// Rewrite rules other than a view's `_RETURN` (`pg_rewrite`); nil when not read.
    package var rules: [SnapshotRule]?
    /// The relation's own expressions that call functions of the exported schemas: column
    /// defaults, generated columns, CHECK constraints, index expressions and predicates; nil
    /// when the exporter did not read them.
    package var expressions: [SnapshotExpression]?
    /// The relations it inherits from (`pg_inherits`: a partition's parent, a table's
    /// INHERITS parents), `schema.table`, in inheritance order; nil when none. SELECT on a
    /// parent returns its children's rows for the inherited columns, with no privilege on them.
    package var inherits: [String]?
    /// Views PostgreSQL writes through to their base relation (auto-updatable): the write
    /// privileges that do (`INSERT`, `UPDATE`, `DELETE`); nil when none. Without
    /// `security_invoker` the write runs with the view owner's rights on the base relation.
    package var updatable: [Privilege]?
    /// The columns of each unique index (primary keys and UNIQUE constraints included); nil when
    /// none. Writing a value into one answers whether it is already there.
    package var uniqueKeys: [[String]]?
    /// Views and materialized views: their query as PostgreSQL stores it, from which each view
    /// column's own base columns are worked out; nil when not exported.
    package var query: SnapshotQueryTree?

    package var qualifiedName: String { "\(schema).\(name)" }

    package init(
        schema: String, name: String, kind: RelationKind = .table, owner: String, acl: [AclEntry] = [],
        columns: [SnapshotColumn] = [], rowSecurity: Bool = false, forceRowSecurity: Bool = false,
        securityInvoker: Bool = false, reads: [String]? = nil, triggers: [SnapshotTrigger]? = nil, rules: [SnapshotRule]? = nil,
        expressions: [SnapshotExpression]? = nil, inherits: [String]? = nil, updatable: [Privilege]? = nil,
        uniqueKeys: [[String]]? = nil, query: SnapshotQueryTree? = nil
    ) {
        self.query = query
        self.triggers = triggers
        self.uniqueKeys = uniqueKeys
        self.updatable = updatable
        self.inherits = inherits
        self.expressions = expressions
        self.rules = rules
        self.schema = schema
        self.name = name
        self.kind = kind
        self.owner = owner
        self.acl = acl
        self.columns = columns
        self.rowSecurity = rowSecurity
        self.forceRowSecurity = forceRowSecurity
        self.securityInvoker = securityInvoker
        self.reads = reads
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case schema, name, kind, owner, acl, columns, reads, triggers, rules, expressions, inherits, updatable, query
        case uniqueKeys = "unique_keys"
        case rowSecurity = "row_security"
        case forceRowSecurity = "force_row_security"
        case securityInvoker = "security_invoker"
    }
}

/// A column of a relation, with its column-level ACL (`pg_attribute.attacl`).
package struct SnapshotColumn: Sendable, Encodable, Hashable {
    package var name: String
    package var acl: [AclEntry]
    /// Views only, optional: the base columns this view column reads (narrower than the view's `reads`).
    package var reads: [String]?
    /// A system column (`tableoid`, `ctid`, …), exported only when it carries a grant of its own:
    /// `has_column_privilege` answers for it, `has_any_column_privilege` ignores it, and it holds no data to classify.
    package var system: Bool?

    package init(name: String, acl: [AclEntry] = [], reads: [String]? = nil, system: Bool? = nil) {
        self.name = name
        self.acl = acl
        self.reads = reads
        self.system = system
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, acl, reads, system }
}

/// A stored query as PostgreSQL keeps it, a node tree readable by every role — a view's
/// (`pg_rewrite.ev_action` of its `_RETURN` rule) or a SQL-standard function body's
/// (`pg_proc.prosqlbody`) — with what it needs to be read: a view's own column names by
/// position and the relations the tree names by OID.
package struct SnapshotQueryTree: Sendable, Encodable, Hashable {
    /// A relation the tree names (`:relid`), with its columns by attribute number (nil where dropped).
    package struct Relation: Sendable, Encodable, Hashable {
        package var oid: Int
        /// `schema.table`.
        package var name: String
        package var columns: [String?]

        package init(oid: Int, name: String, columns: [String?]) {
            self.oid = oid
            self.name = name
            self.columns = columns
        }
    }

    package var tree: String
    /// The view's columns by attribute number: the query's outputs in order.
    package var outputs: [String?]
    package var relations: [Relation]

    package init(tree: String, outputs: [String?], relations: [Relation]) {
        self.tree = tree
        self.outputs = outputs
        self.relations = relations
    }
}

/// A sequence (`pg_class` with relkind `S`).
package struct SnapshotSequence: Sendable, Encodable, Hashable {
    package var schema: String
    package var name: String
    package var owner: String
    package var acl: [AclEntry]

    package var qualifiedName: String { "\(schema).\(name)" }

    package init(schema: String, name: String, owner: String, acl: [AclEntry] = []) {
        self.schema = schema
        self.name = name
        self.owner = owner
        self.acl = acl
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case schema, name, owner, acl }
}

/// A function or procedure (`pg_proc`).
package struct SnapshotFunction: Sendable, Encodable, Hashable {
    /// `pg_proc.prokind`.
    package enum Kind: String, Sendable, Codable, CaseIterable {
        case function, procedure, aggregate, window
    }

    package var schema: String
    package var name: String
    /// `pg_get_function_identity_arguments()`, e.g. `integer, text`.
    package var arguments: String
    package var owner: String
    package var securityDefiner: Bool
    package var acl: [AclEntry]
    /// Optional: the columns (`schema.table.column`) the function reads. When absent, a
    /// SECURITY DEFINER function is assumed to reach everything its owner can read.
    package var reads: [String]?
    /// The language (`pg_language.lanname`: `sql`, `plpgsql`, `c`, `internal`, …); nil when not exported.
    package var language: String?
    /// Function, procedure, aggregate or window function; nil when not exported.
    package var kind: Kind?
    /// `pg_proc.proconfig`: settings pinned on the function (`search_path=public, pg_temp`); nil when none.
    package var config: [String]?
    /// Whether the body is SQL-standard (`BEGIN ATOMIC` / `RETURN`, PostgreSQL 14+): its names are
    /// bound when it is created, so no `search_path` can redirect them. nil when not exported.
    package var sqlStandardBody: Bool?
    /// Aggregates: their support functions (transition, final, combine, …) by signature. PostgreSQL
    /// checks EXECUTE on those against the aggregate's owner, not the caller.
    package var supportFunctions: [String]?
    /// SQL-standard bodies: the functions they call, by signature (bound by OID: whoever can
    /// replace one runs code inside this function, as its owner when it is SECURITY DEFINER).
    package var calls: [String]?
    /// SQL-standard bodies that write (UPDATE, INSERT, DELETE): the stored tree, from which what
    /// they write with their owner's rights is read; nil otherwise.
    package var body: SnapshotQueryTree?
    /// SECURITY DEFINER functions whose body is text (plpgsql, SQL in a string): the source with
    /// string literals and comments blanked by the exporter (they may hold secrets), from which
    /// the statements that write are read; nil otherwise.
    package var source: String?
    /// Returns `trigger` or `event_trigger`: it runs only when a trigger fires, never by a call
    /// (EXECUTE on it gives nothing); nil when not exported.
    package var returnsTrigger: Bool?

    package var qualifiedName: String { "\(schema).\(name)" }
    package var signature: String { "\(schema).\(name)(\(arguments))" }

    package init(
        schema: String, name: String, arguments: String = "", owner: String, securityDefiner: Bool = false,
        acl: [AclEntry] = [], reads: [String]? = nil, language: String? = nil, kind: Kind? = nil, config: [String]? = nil,
        sqlStandardBody: Bool? = nil, supportFunctions: [String]? = nil, calls: [String]? = nil, body: SnapshotQueryTree? = nil,
        source: String? = nil, returnsTrigger: Bool? = nil
    ) {
        self.returnsTrigger = returnsTrigger
        self.calls = calls
        self.body = body
        self.source = source
        self.schema = schema
        self.name = name
        self.arguments = arguments
        self.owner = owner
        self.securityDefiner = securityDefiner
        self.acl = acl
        self.reads = reads
        self.language = language
        self.kind = kind
        self.config = config
        self.sqlStandardBody = sqlStandardBody
        self.supportFunctions = supportFunctions
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case schema, name, owner, acl, reads, language, kind, config, calls, body, source
        case arguments = "identity_arguments"
        case securityDefiner = "security_definer"
        case sqlStandardBody = "sql_standard_body"
        case supportFunctions = "support_functions"
        case returnsTrigger = "returns_trigger"
    }
}

/// A trigger on a relation (`pg_trigger`): the function it runs and the events that fire it.
/// A trigger function runs for every role that writes the relation, even one without EXECUTE on it.
package struct SnapshotTrigger: Sendable, Encodable, Hashable {
    /// The events a trigger fires on.
    package enum Event: String, Sendable, Codable, CaseIterable {
        case insert = "INSERT", update = "UPDATE", delete = "DELETE", truncate = "TRUNCATE"

        /// The table privilege that lets a role cause the event.
        package var privilege: Privilege {
            switch self {
            case .insert: .insert
            case .update: .update
            case .delete: .delete
            case .truncate: .truncate
            }
        }
    }

    /// When a trigger fires (`tgtype` bits 2 and 64).
    package enum Timing: String, Sendable, Codable, CaseIterable {
        case before = "BEFORE", after = "AFTER", insteadOf = "INSTEAD OF"
    }

    package var name: String
    /// The trigger function's signature, `schema.name(arguments)`.
    package var function: String
    package var events: [Event]
    /// `tgenabled <> 'D'`.
    package var enabled: Bool
    /// BEFORE, AFTER or INSTEAD OF (views only: the trigger replaces the write, so an
    /// auto-updatable view no longer passes that event to its base relation); nil when not exported.
    package var timing: Timing?

    package init(name: String, function: String, events: [Event], enabled: Bool = true, timing: Timing? = nil) {
        self.name = name
        self.function = function
        self.events = events
        self.enabled = enabled
        self.timing = timing
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, function, events, enabled, timing }
}

/// An expression of a relation's own that calls functions with the values its rows carry,
/// evaluated as whoever writes: a column default (which cannot read the row), a stored generated
/// column, a CHECK constraint, an index expression or predicate. The owner of a function it
/// calls can replace the body and receive every value written.
package struct SnapshotExpression: Sendable, Encodable, Hashable {
    /// Where the expression sits.
    package enum Kind: String, Sendable, Codable, CaseIterable {
        case `default`, generated, check, index

        /// How the expression reads in a path: "CHECK constraint valid_email".
        func describe(_ name: String) -> String {
            switch self {
            case .default: "default of column \(name)"
            case .generated: "generated column \(name)"
            case .check: "CHECK constraint \(name)"
            case .index: "index \(name)"
            }
        }
    }

    package var kind: Kind
    /// The column (default, generated), constraint or index name.
    package var name: String
    /// The functions it calls, by signature `schema.name(arguments)` (exported schemas only).
    package var calls: [String]
    /// The relation's columns it passes (a generated column's own column excluded).
    package var reads: [String]

    package init(kind: Kind, name: String, calls: [String], reads: [String]) {
        self.kind = kind
        self.name = name
        self.calls = calls
        self.reads = reads
    }

    /// How the expression reads in a path.
    package var text: String { kind.describe(name) }

    enum CodingKeys: String, CodingKey, CaseIterable { case kind, name, calls, reads }
}

/// A rewrite rule on a relation (not a view's `_RETURN`): its actions run with the relation
/// owner's rights for every role whose statement fires it, and can return what they read.
package struct SnapshotRule: Sendable, Encodable, Hashable {
    /// The statement that fires a rule (`pg_rewrite.ev_type`).
    package enum Event: String, Sendable, Codable, CaseIterable {
        case select = "SELECT", insert = "INSERT", update = "UPDATE", delete = "DELETE"

        /// The table privilege that lets a role fire it.
        package var privilege: Privilege {
            switch self {
            case .select: .select
            case .insert: .insert
            case .update: .update
            case .delete: .delete
            }
        }
    }

    package var name: String
    package var event: Event
    /// The columns (`schema.table.column`) its condition and actions read.
    package var reads: [String]
    /// `ev_enabled <> 'D'`.
    package var enabled: Bool

    package init(name: String, event: Event, reads: [String], enabled: Bool = true) {
        self.name = name
        self.event = event
        self.reads = reads
        self.enabled = enabled
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, event, reads, enabled }
}

/// A grant on a `pg_catalog` object whose ACL differs from the one `initdb` set
/// (`pg_init_privs`): SELECT on `pg_statistic` reveals column values of every analysed table,
/// EXECUTE on the server-file functions reads the data files themselves.
package struct SnapshotCatalogGrant: Sendable, Encodable, Hashable {
    /// `table` (relations) or `function`.
    package var kind: ObjectKind
    /// `pg_catalog.pg_statistic`, or a function's signature `pg_catalog.pg_read_file(text)`.
    package var object: String
    package var acl: [AclEntry]

    package init(kind: ObjectKind, object: String, acl: [AclEntry]) {
        self.kind = kind
        self.object = object
        self.acl = acl
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case kind, object, acl }
}

/// An `ALTER DEFAULT PRIVILEGES` entry (`pg_default_acl`): what objects `role` creates later get.
package struct SnapshotDefaultPrivilege: Sendable, Encodable, Hashable {
    /// Object types as `pg_default_acl.defaclobjtype` names them.
    package enum ObjectType: String, Sendable, Codable {
        case tables, sequences, functions, types, schemas
        /// PostgreSQL 18+ (`ALTER DEFAULT PRIVILEGES … ON LARGE OBJECTS`).
        case largeObjects = "large_objects"
    }

    package var role: String
    package var schema: String?
    package var objectType: ObjectType
    package var acl: [AclEntry]

    package init(role: String, schema: String? = nil, objectType: ObjectType, acl: [AclEntry]) {
        self.role = role
        self.schema = schema
        self.objectType = objectType
        self.acl = acl
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case role, schema, acl
        case objectType = "object_type"
    }
}

/// A row-level security policy (`pg_policy`).
package struct SnapshotRowSecurityPolicy: Sendable, Encodable, Hashable {
    /// The command a policy applies to (`polcmd`).
    package enum Command: String, Sendable, Codable { case all = "ALL", select = "SELECT", insert = "INSERT", update = "UPDATE", delete = "DELETE" }

    package var schema: String
    package var table: String
    package var name: String
    package var command: Command
    package var permissive: Bool
    /// Role names, or `PUBLIC`.
    package var roles: [String]
    package var using: String?
    package var withCheck: String?
    /// Functions its expressions call, by signature: they receive the rows the policy checks.
    package var functions: [String]?
    /// The settings its expressions read with `current_setting('…')`: a session that can set one
    /// chooses its own rows.
    package var settings: [SnapshotPolicySetting]?

    package init(
        schema: String, table: String, name: String, command: Command = .all, permissive: Bool = true,
        roles: [String] = [AclEntry.publicGrantee], using: String? = nil, withCheck: String? = nil, functions: [String]? = nil,
        settings: [SnapshotPolicySetting]? = nil
    ) {
        self.functions = functions
        self.settings = settings
        self.schema = schema
        self.table = table
        self.name = name
        self.command = command
        self.permissive = permissive
        self.roles = roles
        self.using = using
        self.withCheck = withCheck
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case schema, table, name, command, permissive, roles, using, functions, settings
        case withCheck = "with_check"
    }
}

/// A setting a row-security policy reads, with who may change it (`pg_settings.context`).
package struct SnapshotPolicySetting: Sendable, Encodable, Hashable {
    package var name: String
    /// `user`, `superuser`, `postmaster`, …; nil when the server does not know the name (a
    /// custom setting nobody has set yet, which any session may SET).
    package var context: String?

    package init(name: String, context: String? = nil) {
        self.name = name
        self.context = context
    }
}
