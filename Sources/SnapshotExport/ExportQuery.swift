import SnapshotModel

/// The catalog queries that produce a snapshot (format version 1) as one JSON document.
///
/// Set-based statements, read-only, over catalogs every role may read (`pg_roles`, never
/// `pg_authid`). Columns that only newer servers have (PostgreSQL 16's `inherit_option` and
/// `set_option`) are read through `to_jsonb(row)`, so the main statement runs unchanged on
/// PostgreSQL 13 to 18 and falls back to the older semantics where the column is absent. A
/// catalog that only newer servers have (`pg_parameter_acl`, PostgreSQL 15+) cannot be named in
/// a statement older servers parse, so it is read by a second statement, run only on 15 and
/// later, whose JSON the main statement takes as its one parameter: `$1` for the executable, a
/// psql variable set under `\if` in `sql/export-snapshot.sql` (`psqlScript`).
package struct ExportQuery: Sendable {
    /// The table memberships are read from; tests substitute a table shaped like another
    /// server version's `pg_auth_members` to exercise that version's branch.
    package var membershipsTable = "pg_catalog.pg_auth_members"

    package init() {}

    /// The main statement; `$1` is the parameter privileges' JSON (`[]` before PostgreSQL 15).
    package var sql: String { statement(parameterPrivileges: "$1") }

    /// The server versions from which `parameterPrivilegesSQL` runs.
    package static let parameterPrivilegesFrom = 150_000

    /// The parameter privileges (`pg_parameter_acl`) as one JSON array, for PostgreSQL 15+.
    package static let parameterPrivilegesSQL = """
        SELECT COALESCE(pg_catalog.json_agg(pg_catalog.json_build_object(
                 'name', p.parname,
                 'acl', (SELECT COALESCE(pg_catalog.json_agg(pg_catalog.json_build_object(
                           'grantee', COALESCE(ge.rolname, 'PUBLIC'), 'grantor', gr.rolname, 'privilege', x.privilege_type,
                           'grantable', x.is_grantable)
                           ORDER BY COALESCE(ge.rolname, 'PUBLIC'), x.privilege_type, gr.rolname), '[]')
                         FROM pg_catalog.aclexplode(COALESCE(p.paracl, pg_catalog.acldefault('p', 10))) x
                         LEFT JOIN pg_catalog.pg_roles ge ON ge.oid = x.grantee
                         JOIN pg_catalog.pg_roles gr ON gr.oid = x.grantor))
                 ORDER BY p.parname), '[]')::text AS parameter_privileges
        FROM pg_catalog.pg_parameter_acl p
        """

    /// The whole export for `psql -XAt -f`: the parameter privileges into a psql variable (only
    /// on servers that have them), then the main statement reading that variable.
    package var psqlScript: String {
        """
        -- access-audit snapshot export, format version 1, for PostgreSQL 13 to 18.
        -- Reads only catalogs every role can read; needs no superuser and no extra grant.
        -- Usage: psql -XAt -f export-snapshot.sql "host=... dbname=..." > snapshot.json
        -- One read-only transaction with one snapshot: both statements see the same catalogs.
        \\set QUIET on
        \\set ON_ERROR_STOP on
        \(Self.beginTransaction);
        -- No JIT: compiling this one catalog read took 6.6 s of 9.7 on a 20,000-table database.
        \(Self.withoutJIT);
        -- Parameter privileges (pg_parameter_acl) exist from PostgreSQL 15: read them first when the server has them.
        SELECT pg_catalog.current_setting('server_version_num')::integer >= \(Self.parameterPrivilegesFrom) AS access_audit_has_parameter_acl \\gset
        \\if :access_audit_has_parameter_acl
        \(Self.parameterPrivilegesSQL) \\gset access_audit_
        \\else
        SELECT '[]' AS parameter_privileges \\gset access_audit_
        \\endif

        """ + statement(parameterPrivileges: ":'access_audit_parameter_privileges'") + "COMMIT;\n"
    }

    /// The transaction every statement of an export runs in: read-only, and REPEATABLE READ so
    /// that the statements share one snapshot of the catalogs (a grant made between them is
    /// seen by all or by none).
    package static let beginTransaction = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

    /// For the export's transaction only: the main statement is one large catalog read whose
    /// row estimates run to billions, so PostgreSQL's JIT compiles and optimises its hundreds
    /// of expressions (6.6 s of a 9.7 s export on a 20,000-table database, PostgreSQL 15 with
    /// LLVM) for a run that is over in 3 s without it. Every role may set `jit`.
    package static let withoutJIT = "SET LOCAL jit = off"

    func statement(parameterPrivileges: String) -> String {
        Self.template.replacingOccurrences(of: "{{memberships}}", with: membershipsTable)
            .replacingOccurrences(of: "{{parameter_privileges}}", with: parameterPrivileges)
            .replacingOccurrences(of: "{{dynamic_sql_builtins}}", with: Self.dynamicSQLBuiltinList)
            .replacingOccurrences(of: "{{logging}}", with: Self.loggingJSON)
    }

    /// What decides whether reads are logged: pgaudit loaded (its settings are listed only when
    /// the library defined them: a placeholder is not), the watched settings as this session
    /// sees them (a row missing: not visible to this role), and the `pg_db_role_setting`
    /// overrides that apply in this database (every role may read that catalog).
    static var loggingJSON: String {
        let names = SnapshotLogging.watchedSettings.map { "'\($0)'" }
        let rows = names.map { "(\($0))" }.joined(separator: ", ")
        return """
            pg_catalog.json_build_object(
                'pgaudit_loaded', EXISTS (SELECT 1 FROM pg_catalog.pg_settings st WHERE st.name = 'pgaudit.log'),
                'pgaudit_extension', (SELECT e.extversion FROM pg_catalog.pg_extension e WHERE e.extname = 'pgaudit'),
                'settings', (SELECT COALESCE(pg_catalog.json_agg(pg_catalog.json_build_object(
                                 'name', w.name, 'value', st.setting, 'source', st.source) ORDER BY w.name), '[]')
                             FROM (VALUES \(rows)) AS w(name)
                             LEFT JOIN pg_catalog.pg_settings st ON st.name = w.name
                             WHERE st.name IS NOT NULL OR w.name NOT LIKE 'pgaudit.%'),
                'overrides', (SELECT COALESCE(pg_catalog.json_agg(pg_catalog.json_build_object(
                                  'database', d.datname, 'role', r.rolname, 'name', o.name, 'value', o.value)
                                  ORDER BY d.datname NULLS FIRST, r.rolname NULLS FIRST, o.name), '[]')
                              FROM pg_catalog.pg_db_role_setting s
                              LEFT JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase
                              LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.setrole,
                              LATERAL (SELECT pg_catalog.lower(pg_catalog.split_part(c, '=', 1)) AS name,
                                              pg_catalog.substr(c, pg_catalog.strpos(c, '=') + 1) AS value
                                       FROM pg_catalog.unnest(s.setconfig) c) o
                              WHERE (s.setdatabase = 0 OR d.datname = pg_catalog.current_database())
                                AND o.name IN (\(names.joined(separator: ", ")))))
            """
    }

    /// The relations a node tree names (`:relid`), with their columns by attribute number (null
    /// where dropped), as the snapshot's JSON array.
    static func treeRelationsJSON(_ tree: String) -> String {
        """
        (SELECT COALESCE(pg_catalog.json_agg(pg_catalog.json_build_object(
                         'oid', qc.oid::bigint, 'name', qn.nspname || '.' || qc.relname,
                         'columns', (SELECT COALESCE(pg_catalog.json_agg(CASE WHEN a.attisdropped THEN NULL ELSE a.attname::text END ORDER BY a.attnum), '[]')
                                     FROM pg_catalog.pg_attribute a WHERE a.attrelid = qc.oid AND a.attnum > 0))
                         ORDER BY qc.oid), '[]')
                       FROM pg_catalog.pg_class qc JOIN pg_catalog.pg_namespace qn ON qn.oid = qc.relnamespace
                       WHERE qc.oid IN (SELECT m[1]::oid FROM pg_catalog.regexp_matches(\(tree), ':relid ([0-9]+)', 'g') m))
        """
    }

    /// An ACL value as the snapshot's JSON array (grantee, grantor, privilege, grantable), in a
    /// stable order; `role_names` names PUBLIC.
    static func aclJSON(_ acl: String) -> String {
        """
        (SELECT COALESCE(pg_catalog.json_agg(pg_catalog.json_build_object(
                     'grantee', ge.rolname, 'grantor', gr.rolname, 'privilege', x.privilege_type, 'grantable', x.is_grantable)
                     ORDER BY ge.rolname, x.privilege_type, gr.rolname), '[]')
                   FROM pg_catalog.aclexplode(\(acl)) x
                   JOIN role_names ge ON ge.oid = x.grantee JOIN role_names gr ON gr.oid = x.grantor)
        """
    }

    /// The builtins that run a query given as text, as an SQL list (the audit's own list).
    static var dynamicSQLBuiltinList: String {
        SnapshotFunction.dynamicSQLBuiltins.sorted().map { "'\($0)'" }.joined(separator: ", ")
    }

    static let template = #"""
    WITH
    schemas AS (
      SELECT n.oid, n.nspname, n.nspowner, n.nspacl
      FROM pg_catalog.pg_namespace n
      WHERE n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
    ),
    relations AS (
      SELECT c.oid, c.relname, c.relkind, c.relowner, c.relacl, c.relrowsecurity, c.relforcerowsecurity,
             c.reloptions, s.nspname
      FROM pg_catalog.pg_class c JOIN schemas s ON s.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p', 'S')
    ),
    functions AS (
      SELECT p.oid, p.proname, p.proowner, p.prosecdef, p.proacl, s.nspname, p.prokind, p.proconfig, l.lanname, p.prosrc,
             p.prorettype IN ('pg_catalog.trigger'::pg_catalog.regtype, 'pg_catalog.event_trigger'::pg_catalog.regtype) AS returns_trigger,
             pg_catalog.pg_get_function_identity_arguments(p.oid) AS identity_arguments,
             b.sql_body IS NOT NULL AS has_sql_body, b.sql_body
      FROM pg_catalog.pg_proc p JOIN schemas s ON s.oid = p.pronamespace
      JOIN pg_catalog.pg_language l ON l.oid = p.prolang,
      -- prosqlbody (PostgreSQL 14+) through to_jsonb, so the text parses on 13 too; read once.
      LATERAL (SELECT pg_catalog.to_jsonb(p) ->> 'prosqlbody' AS sql_body) b
    ),
    signatures AS (
      -- Any function's schema.name(identity arguments), for triggers and aggregates (built-in ones included).
      SELECT p.oid, n.nspname || '.' || p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' AS signature
      FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      WHERE p.oid IN (SELECT t.tgfoid FROM pg_catalog.pg_trigger t WHERE NOT t.tgisinternal)
         OR p.oid IN (SELECT u.fn FROM pg_catalog.pg_aggregate a JOIN functions f ON f.oid = a.aggfnoid,
                      LATERAL (VALUES (a.aggtransfn), (a.aggfinalfn), (a.aggcombinefn), (a.aggserialfn), (a.aggdeserialfn),
                                      (a.aggmtransfn), (a.aggminvtransfn), (a.aggmfinalfn)) u(fn))
    ),
    support_lists AS (
      SELECT a.aggfnoid, pg_catalog.json_agg(DISTINCT sg.signature ORDER BY sg.signature) AS support_functions
      FROM pg_catalog.pg_aggregate a JOIN functions f ON f.oid = a.aggfnoid,
           LATERAL (VALUES (a.aggtransfn), (a.aggfinalfn), (a.aggcombinefn), (a.aggserialfn), (a.aggdeserialfn),
                           (a.aggmtransfn), (a.aggminvtransfn), (a.aggmfinalfn)) u(fn)
      JOIN signatures sg ON sg.oid = u.fn
      GROUP BY a.aggfnoid
    ),
    trigger_lists AS (
      -- tgtype bits: 4 INSERT, 8 DELETE, 16 UPDATE, 32 TRUNCATE.
      SELECT t.tgrelid,
             pg_catalog.json_agg(pg_catalog.json_build_object(
               'name', t.tgname, 'function', sg.signature,
               'events', (SELECT pg_catalog.json_agg(e.name ORDER BY e.bit) FROM (VALUES (4, 'INSERT'), (8, 'DELETE'), (16, 'UPDATE'), (32, 'TRUNCATE')) e(bit, name)
                          WHERE (t.tgtype::integer & e.bit) <> 0),
               'enabled', t.tgenabled <> 'D',
               'timing', CASE WHEN (t.tgtype::integer & 64) <> 0 THEN 'INSTEAD OF' WHEN (t.tgtype::integer & 2) <> 0 THEN 'BEFORE' ELSE 'AFTER' END)
               ORDER BY t.tgname) AS triggers
      FROM pg_catalog.pg_trigger t JOIN signatures sg ON sg.oid = t.tgfoid
      WHERE NOT t.tgisinternal
      GROUP BY t.tgrelid
    ),
    callees AS (
      -- What a body may call that matters: functions of the exported schemas, and the builtins
      -- that run a query given as text (its reach cannot be read from the catalogs).
      SELECT f.oid, f.nspname || '.' || f.proname || '(' || f.identity_arguments || ')' AS signature FROM functions f
      UNION ALL
      SELECT p.oid, 'pg_catalog.' || p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'
      FROM pg_catalog.pg_proc p
      WHERE p.pronamespace = 'pg_catalog'::pg_catalog.regnamespace
        AND p.proname IN ({{dynamic_sql_builtins}})
    ),
    call_lists AS (
      -- Functions that SQL-standard bodies and row-security policies call (their dependencies;
      -- plpgsql bodies record none).
      SELECT c.kind, c.source, pg_catalog.json_agg(DISTINCT cf.signature ORDER BY cf.signature) AS calls
      FROM (
        SELECT 'function'::text AS kind, f.oid AS source, d.refobjid AS callee
        FROM functions f JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = f.oid
        WHERE f.has_sql_body AND d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.refobjid <> f.oid
        UNION
        -- Built-in functions are pinned: pg_depend records no call to them, so the body's node
        -- tree is read for the functions it calls (the callees CTE keeps the builtins that matter).
        SELECT 'function', f.oid, m[1]::oid
        FROM functions f, pg_catalog.regexp_matches(f.sql_body, ':funcid ([0-9]+)', 'g') m
        WHERE f.has_sql_body AND m[1]::oid <> f.oid
        UNION
        SELECT 'policy', p.oid, d.refobjid
        FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND d.objid = p.oid
        WHERE d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass
      ) c
      JOIN callees cf ON cf.oid = c.callee
      GROUP BY c.kind, c.source
    ),
    expression_sources AS (
      -- A relation's own expressions, evaluated as whoever writes it: column defaults and
      -- generated columns (pg_attrdef), CHECK constraints, index expressions and predicates.
      SELECT ad.adrelid AS relid, CASE WHEN a.attgenerated <> '' THEN 'generated' ELSE 'default' END AS kind,
             a.attname::text AS name, 'pg_catalog.pg_attrdef'::pg_catalog.regclass AS classid, ad.oid AS objid, ad.adnum AS own_column
      FROM pg_catalog.pg_attrdef ad
      JOIN relations r ON r.oid = ad.adrelid
      JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum AND NOT a.attisdropped
      UNION ALL
      SELECT con.conrelid, 'check', con.conname::text, 'pg_catalog.pg_constraint'::pg_catalog.regclass, con.oid, 0
      FROM pg_catalog.pg_constraint con JOIN relations r ON r.oid = con.conrelid
      WHERE con.contype = 'c'
      UNION ALL
      SELECT i.indrelid, 'index', ic.relname::text, 'pg_catalog.pg_class'::pg_catalog.regclass, i.indexrelid, 0
      FROM pg_catalog.pg_index i JOIN relations r ON r.oid = i.indrelid
      JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indexprs IS NOT NULL OR i.indpred IS NOT NULL
    ),
    expression_calls AS (
      -- The functions of the exported schemas each expression calls.
      SELECT e.relid, e.kind, e.name, e.classid, e.objid, e.own_column,
             pg_catalog.json_agg(DISTINCT f.nspname || '.' || f.proname || '(' || f.identity_arguments || ')'
                                 ORDER BY f.nspname || '.' || f.proname || '(' || f.identity_arguments || ')') AS calls
      FROM expression_sources e
      JOIN pg_catalog.pg_depend d ON d.classid = e.classid AND d.objid = e.objid
                                 AND d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass
      JOIN functions f ON f.oid = d.refobjid
      GROUP BY e.relid, e.kind, e.name, e.classid, e.objid, e.own_column
    ),
    expression_lists AS (
      SELECT c.relid,
             pg_catalog.json_agg(pg_catalog.json_build_object(
               'kind', c.kind, 'name', c.name, 'calls', c.calls,
               -- The relation's columns the expression passes (a generated column's own excluded).
               'reads', COALESCE((
                 SELECT pg_catalog.json_agg(DISTINCT att.attname::text ORDER BY att.attname::text)
                 FROM pg_catalog.pg_depend d
                 JOIN pg_catalog.pg_attribute att ON att.attrelid = d.refobjid AND att.attnum = d.refobjsubid AND NOT att.attisdropped
                 WHERE d.classid = c.classid AND d.objid = c.objid AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                   AND d.refobjid = c.relid AND d.refobjsubid > 0 AND d.refobjsubid <> c.own_column), '[]'))
               ORDER BY c.kind, c.name) AS expressions
      FROM expression_calls c
      GROUP BY c.relid
    ),
    catalog_objects AS (
      -- pg_catalog relations and functions whose ACL differs from the one initdb set.
      SELECT 'table'::text AS kind, 'pg_catalog.' || c.relname AS object,
             COALESCE(c.relacl, pg_catalog.acldefault('r', c.relowner)) AS acl
      FROM pg_catalog.pg_class c
      LEFT JOIN pg_catalog.pg_init_privs ip ON ip.objoid = c.oid AND ip.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ip.objsubid = 0
      WHERE c.relnamespace = 'pg_catalog'::pg_catalog.regnamespace AND c.relkind IN ('r', 'v', 'm')
        AND c.relacl IS DISTINCT FROM ip.initprivs
      UNION ALL
      SELECT 'function', 'pg_catalog.' || p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
             COALESCE(p.proacl, pg_catalog.acldefault('f', p.proowner))
      FROM pg_catalog.pg_proc p
      LEFT JOIN pg_catalog.pg_init_privs ip ON ip.objoid = p.oid AND ip.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND ip.objsubid = 0
      WHERE p.pronamespace = 'pg_catalog'::pg_catalog.regnamespace AND p.proacl IS DISTINCT FROM ip.initprivs
    ),
    role_names AS (
      SELECT r.oid, r.rolname FROM pg_catalog.pg_roles r
      UNION ALL SELECT 0, 'PUBLIC'
    ),
    acl_items AS (
      SELECT 'database'::text AS kind, d.oid AS objoid, 0 AS objsubid, a.*
      FROM pg_catalog.pg_database d,
           LATERAL pg_catalog.aclexplode(COALESCE(d.datacl, pg_catalog.acldefault('d', d.datdba))) a
      WHERE d.datname = pg_catalog.current_database()
      UNION ALL
      SELECT 'schema', s.oid, 0, a.*
      FROM schemas s, LATERAL pg_catalog.aclexplode(COALESCE(s.nspacl, pg_catalog.acldefault('n', s.nspowner))) a
      UNION ALL
      SELECT 'relation', r.oid, 0, a.*
      FROM relations r,
           LATERAL pg_catalog.aclexplode(COALESCE(r.relacl, pg_catalog.acldefault(CASE WHEN r.relkind = 'S' THEN 's' ELSE 'r' END::"char", r.relowner))) a
      UNION ALL
      SELECT 'column', att.attrelid, att.attnum, a.*
      FROM pg_catalog.pg_attribute att JOIN relations r ON r.oid = att.attrelid,
           LATERAL pg_catalog.aclexplode(att.attacl) a
      WHERE att.attnum <> 0 AND NOT att.attisdropped AND att.attacl IS NOT NULL
      UNION ALL
      SELECT 'function', f.oid, 0, a.*
      FROM functions f, LATERAL pg_catalog.aclexplode(COALESCE(f.proacl, pg_catalog.acldefault('f', f.proowner))) a
    ),
    acls AS (
      SELECT i.kind, i.objoid, i.objsubid,
             pg_catalog.json_agg(pg_catalog.json_build_object(
               'grantee', ge.rolname, 'grantor', gr.rolname, 'privilege', i.privilege_type, 'grantable', i.is_grantable)
               ORDER BY ge.rolname, i.privilege_type, gr.rolname) AS acl
      FROM acl_items i
      JOIN role_names ge ON ge.oid = i.grantee
      JOIN role_names gr ON gr.oid = i.grantor
      GROUP BY i.kind, i.objoid, i.objsubid
    ),
    whole_row_vars AS (
      -- Whole-row references (row_to_json(c), c::text, to_jsonb(c)) read every column, but
      -- pg_depend keeps only the column dependencies when a query has any: the node trees
      -- (readable by every role) are searched for Vars with varattno 0. Their type is the
      -- relation's row type, or RECORD (2249: a subquery, join or function in FROM), for which
      -- every relation the query depends on counts whole. Keyed as `reads` is: a view by its
      -- oid, another rule by the rule's, a function by its own.
      SELECT CASE WHEN rw.rulename = '_RETURN' THEN rw.ev_class ELSE rw.oid END AS source,
             'pg_catalog.pg_rewrite'::pg_catalog.regclass AS classid, rw.oid AS objid, m[1]::oid AS vartype
      FROM pg_catalog.pg_rewrite rw JOIN relations r ON r.oid = rw.ev_class,
           pg_catalog.regexp_matches(rw.ev_action::text, ':varattno 0 :vartype ([0-9]+)', 'g') m
      UNION
      SELECT f.oid, 'pg_catalog.pg_proc'::pg_catalog.regclass, f.oid, m[1]::oid
      FROM functions f,
           pg_catalog.regexp_matches(f.sql_body, ':varattno 0 :vartype ([0-9]+)', 'g') m
      WHERE f.has_sql_body
    ),
    whole_row_reads AS (
      SELECT w.source, c.oid AS refobjid
      FROM whole_row_vars w JOIN pg_catalog.pg_class c ON c.reltype = w.vartype
      UNION
      SELECT w.source, d.refobjid
      FROM whole_row_vars w
      JOIN pg_catalog.pg_depend d ON d.classid = w.classid AND d.objid = w.objid
                                 AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
      WHERE w.vartype = 'pg_catalog.record'::pg_catalog.regtype AND d.refobjid <> w.source
    ),
    reads AS (
      -- The base columns a view's or materialized view's query reads (its _RETURN rule's
      -- dependencies). A relation referenced with no column dependency counts as all its
      -- columns; -1 marks a whole-row reference (every column, whatever else is referenced).
      SELECT rw.ev_class AS view_oid, d.refobjid, d.refobjsubid
      FROM pg_catalog.pg_rewrite rw
      JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = rw.oid
      WHERE rw.rulename = '_RETURN' AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid <> rw.ev_class
      UNION
      SELECT f.oid, d.refobjid, d.refobjsubid
      FROM functions f
      JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = f.oid
      WHERE f.has_sql_body AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
      UNION
      -- Other rewrite rules (keyed by the rule's oid): what their condition and actions read.
      SELECT rw.oid, d.refobjid, d.refobjsubid
      FROM pg_catalog.pg_rewrite rw
      JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = rw.oid
      WHERE rw.rulename <> '_RETURN' AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
      UNION
      SELECT wr.source, wr.refobjid, -1 FROM whole_row_reads wr
    ),
    read_columns AS (
      -- pg_class by its index, not the relations CTE: PostgreSQL 15 planned a nested loop over
      -- the CTE (20,000 relations × every read: 3 s on a 20,000-table database).
      SELECT r.view_oid, rs.nspname || '.' || rc.relname || '.' || att.attname AS name
      FROM reads r
      JOIN pg_catalog.pg_class rc ON rc.oid = r.refobjid AND rc.relkind IN ('r', 'v', 'm', 'f', 'p')
      JOIN schemas rs ON rs.oid = rc.relnamespace
      JOIN pg_catalog.pg_attribute att ON att.attrelid = r.refobjid AND att.attnum > 0 AND NOT att.attisdropped
      WHERE att.attnum = r.refobjsubid OR r.refobjsubid = -1
         OR (r.refobjsubid = 0 AND NOT EXISTS (
               SELECT 1 FROM reads r2 WHERE r2.view_oid = r.view_oid AND r2.refobjid = r.refobjid AND r2.refobjsubid > 0))
    ),
    read_lists AS (
      SELECT view_oid, pg_catalog.json_agg(DISTINCT name ORDER BY name) AS reads FROM read_columns GROUP BY view_oid
    ),
    rule_lists AS (
      SELECT rw.ev_class,
             pg_catalog.json_agg(pg_catalog.json_build_object(
               'name', rw.rulename,
               'event', CASE rw.ev_type WHEN '1' THEN 'SELECT' WHEN '2' THEN 'UPDATE' WHEN '3' THEN 'INSERT' ELSE 'DELETE' END,
               'reads', COALESCE(rl.reads, '[]'), 'enabled', rw.ev_enabled <> 'D')
               ORDER BY rw.rulename) AS rules
      FROM pg_catalog.pg_rewrite rw JOIN relations r ON r.oid = rw.ev_class
      LEFT JOIN read_lists rl ON rl.view_oid = rw.oid
      WHERE rw.rulename <> '_RETURN'
      GROUP BY rw.ev_class
    ),
    column_lists AS (
      SELECT att.attrelid,
             pg_catalog.json_agg(
               CASE WHEN att.attnum < 0 THEN pg_catalog.json_build_object('name', att.attname, 'acl', ca.acl, 'system', true)
                    WHEN ca.acl IS NULL THEN pg_catalog.json_build_object('name', att.attname)
                    ELSE pg_catalog.json_build_object('name', att.attname, 'acl', ca.acl) END
               ORDER BY att.attnum < 0, att.attnum) AS columns
      FROM pg_catalog.pg_attribute att
      JOIN relations r ON r.oid = att.attrelid AND r.relkind <> 'S'
      LEFT JOIN acls ca ON ca.kind = 'column' AND ca.objoid = att.attrelid AND ca.objsubid = att.attnum
      -- User columns, and system columns (tableoid, ctid, …) that carry a grant of their own.
      WHERE (att.attnum > 0 OR (att.attnum < 0 AND att.attacl IS NOT NULL)) AND NOT att.attisdropped
      GROUP BY att.attrelid
    ),
    sections AS MATERIALIZED (
      SELECT
        roles_section.j AS roles, roles_section.n AS roles_count,
        memberships_section.j AS memberships, memberships_section.n AS memberships_count,
        databases_section.j AS databases, databases_section.n AS databases_count,
        schemas_section.j AS schemas, schemas_section.n AS schemas_count,
        tables_section.j AS tables, tables_section.n AS tables_count,
        sequences_section.j AS sequences, sequences_section.n AS sequences_count,
        functions_section.j AS functions, functions_section.n AS functions_count,
        default_privileges_section.j AS default_privileges, default_privileges_section.n AS default_privileges_count,
        row_security_policies_section.j AS row_security_policies, row_security_policies_section.n AS row_security_policies_count,
        catalog_grants_section.j AS catalog_grants, catalog_grants_section.n AS catalog_grants_count,
        foreign_servers_section.j AS foreign_servers, foreign_servers_section.n AS foreign_servers_count,
        large_objects_section.j AS large_objects, large_objects_section.n AS large_objects_count
      FROM
        (SELECT pg_catalog.count(*) AS n, COALESCE(pg_catalog.json_agg(pg_catalog.json_build_object(
           'name', r.rolname, 'superuser', r.rolsuper, 'inherit', r.rolinherit, 'createrole', r.rolcreaterole,
           'createdb', r.rolcreatedb, 'login', r.rolcanlogin, 'replication', r.rolreplication, 'bypassrls', r.rolbypassrls,
           'valid_until', CASE WHEN r.rolvaliduntil IS NULL OR NOT pg_catalog.isfinite(r.rolvaliduntil) THEN NULL
                               ELSE pg_catalog.to_char(r.rolvaliduntil AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END,
           'connection_limit', r.rolconnlimit)
           ORDER BY r.rolname), '[]') AS j FROM pg_catalog.pg_roles r) AS roles_section
        CROSS JOIN
        (SELECT pg_catalog.count(*) AS n, COALESCE(pg_catalog.json_agg(pg_catalog.json_build_object(
           'role', g.rolname, 'member', mem.rolname, 'grantor', gr.rolname, 'admin', m.admin_option,
           'inherit', COALESCE((pg_catalog.to_jsonb(m) ->> 'inherit_option')::boolean, mem.rolinherit),
           'set', COALESCE((pg_catalog.to_jsonb(m) ->> 'set_option')::boolean, true))
           ORDER BY g.rolname, mem.rolname, gr.rolname), '[]') AS j
         FROM {{memberships}} m
         JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
         JOIN pg_catalog.pg_roles mem ON mem.oid = m.member
         LEFT JOIN pg_catalog.pg_roles gr ON gr.oid = m.grantor) AS memberships_section
        CROSS JOIN
        (SELECT pg_catalog.count(*) AS n, COALESCE(pg_catalog.json_agg(pg_catalog.json_build_object(
           'name', d.datname, 'owner', o.rolname, 'acl', COALESCE(a.acl, '[]'),
           'allow_connections', d.datallowconn, 'connection_limit', d.datconnlimit)
           ORDER BY d.datname), '[]') AS j
         FROM pg_catalog.pg_database d JOIN pg_catalog.pg_roles o ON o.oid = d.datdba
         LEFT JOIN acls a ON a.kind = 'database' AND a.objoid = d.oid
         WHERE d.datname = pg_catalog.current_database()) AS databases_section
        CROSS JOIN
        (SELECT pg_catalog.count(*) AS n, COALESCE(pg_catalog.json_agg(pg_catalog.json_build_object(
           'name', s.nspname, 'owner', o.rolname, 'acl', COALESCE(a.acl, '[]'))
           ORDER BY s.nspname), '[]') AS j
         FROM schemas s JOIN pg_catalog.pg_roles o ON o.oid = s.nspowner
         LEFT JOIN acls a ON a.kind = 'schema' AND a.objoid = s.oid) AS schemas_section
        CROSS JOIN
        (SELECT pg_catalog.count(*) AS n, COALESCE(pg_catalog.json_agg(pg_catalog.json_strip_nulls(pg_catalog.json_build_object(
           'schema', r.nspname, 'name', r.relname,
           'kind', CASE r.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized_view'
                                  WHEN 'f' THEN 'foreign_table' ELSE 'partitioned_table' END,
           'owner', o.rolname, 'acl', COALESCE(a.acl, '[]'), 'columns', COALESCE(cl.columns, '[]'),
           'row_security', r.relrowsecurity, 'force_row_security', r.relforcerowsecurity,
           'security_invoker', CASE WHEN r.relkind = 'v' THEN EXISTS (
               SELECT 1 FROM pg_catalog.unnest(r.reloptions) opt
               WHERE pg_catalog.lower(opt) IN ('security_invoker=true', 'security_invoker=on', 'security_invoker=1',
                                               'security_invoker=yes', 'security_invoker=t', 'security_invoker=y')) END,
           'reads', CASE WHEN r.relkind IN ('v', 'm') THEN COALESCE(rl.reads, '[]') END,
           -- The stored query (a node tree every role may read), the view's columns by attnum and the
           -- relations the tree names by OID: each view column's own base columns are read from it.
           'query', (SELECT pg_catalog.json_build_object(
                       'tree', rw.ev_action::text,
                       'outputs', (SELECT COALESCE(pg_catalog.json_agg(CASE WHEN a.attisdropped THEN NULL ELSE a.attname::text END ORDER BY a.attnum), '[]')
                                   FROM pg_catalog.pg_attribute a WHERE a.attrelid = r.oid AND a.attnum > 0),
                       'relations', \#(Self.treeRelationsJSON("rw.ev_action::text")))
                     FROM pg_catalog.pg_rewrite rw
                     WHERE r.relkind IN ('v', 'm') AND rw.ev_class = r.oid AND rw.rulename = '_RETURN'),
           -- Views PostgreSQL writes through to their base relation (auto-updatable, INSTEAD OF
           -- triggers aside): pg_relation_is_updatable's bits 4 UPDATE, 8 INSERT, 16 DELETE.
           'updatable', CASE WHEN r.relkind = 'v' AND pg_catalog.pg_relation_is_updatable(r.oid, false) <> 0 THEN (
               SELECT pg_catalog.json_agg(e.name ORDER BY e.bit) FROM (VALUES (8, 'INSERT'), (4, 'UPDATE'), (16, 'DELETE')) e(bit, name)
               WHERE (pg_catalog.pg_relation_is_updatable(r.oid, false) & e.bit) <> 0) END,
           'triggers', COALESCE(tl.triggers, '[]'), 'rules', COALESCE(ru.rules, '[]'),
           'expressions', COALESCE(el.expressions, '[]'),
           -- Unique indexes (primary keys and UNIQUE constraints too): the columns each covers,
           -- key columns (indkey) and expression and predicate columns (the index's pg_depend rows).
           'unique_keys', (SELECT pg_catalog.json_agg(k.columns ORDER BY k.columns::text) FROM (
               SELECT (SELECT pg_catalog.json_agg(DISTINCT a.attname::text ORDER BY a.attname::text)
                       FROM pg_catalog.pg_attribute a
                       WHERE a.attrelid = r.oid AND a.attnum > 0
                         AND (a.attnum = ANY (i.indkey::pg_catalog.int2[])
                              OR EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                                         WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = i.indexrelid
                                           AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = r.oid
                                           AND d.refobjsubid = a.attnum))) AS columns
               FROM pg_catalog.pg_index i WHERE i.indrelid = r.oid AND i.indisunique) k WHERE k.columns IS NOT NULL),
           -- Parents (pg_inherits: inheritance and declarative partitions), in inheritance order.
           'inherits', (SELECT pg_catalog.json_agg(pn.nspname || '.' || pc.relname ORDER BY i.inhseqno)
                        FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
                        JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                        WHERE i.inhrelid = r.oid)))
           ORDER BY r.nspname, r.relname), '[]') AS j
         FROM relations r JOIN pg_catalog.pg_roles o ON o.oid = r.relowner
         LEFT JOIN acls a ON a.kind = 'relation' AND a.objoid = r.oid
         LEFT JOIN column_lists cl ON cl.attrelid = r.oid
         LEFT JOIN read_lists rl ON rl.view_oid = r.oid
         LEFT JOIN trigger_lists tl ON tl.tgrelid = r.oid
         LEFT JOIN rule_lists ru ON ru.ev_class = r.oid
         LEFT JOIN expression_lists el ON el.relid = r.oid
         WHERE r.relkind <> 'S') AS tables_section
        CROSS JOIN
        (SELECT pg_catalog.count(*) AS n, COALESCE(pg_catalog.json_agg(pg_catalog.json_build_object(
           'schema', r.nspname, 'name', r.relname, 'owner', o.rolname, 'acl', COALESCE(a.acl, '[]'))
           ORDER BY r.nspname, r.relname), '[]') AS j
         FROM relations r JOIN pg_catalog.pg_roles o ON o.oid = r.relowner
         LEFT JOIN acls a ON a.kind = 'relation' AND a.objoid = r.oid
         WHERE r.relkind = 'S') AS sequences_section
        CROSS JOIN
        (SELECT pg_catalog.count(*) AS n, COALESCE(pg_catalog.json_agg(pg_catalog.json_strip_nulls(pg_catalog.json_build_object(
           'schema', f.nspname, 'name', f.proname, 'identity_arguments', f.identity_arguments, 'owner', o.rolname,
           'security_definer', f.prosecdef, 'acl', COALESCE(a.acl, '[]'),
           'reads', CASE WHEN f.has_sql_body THEN COALESCE(rl.reads, '[]') END,
           'language', f.lanname, 'sql_standard_body', f.has_sql_body,
           'kind', CASE f.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window' ELSE 'function' END,
           'config', pg_catalog.to_json(f.proconfig), 'support_functions', sl.support_functions,
           'calls', CASE WHEN f.has_sql_body THEN COALESCE(cl.calls, '[]') END,
           -- A SQL-standard body that writes (an UPDATE, INSERT or DELETE statement: commandType
           -- 2, 3, 4): its tree, so what it writes with its owner's rights can be read from it.
           'body', CASE WHEN f.has_sql_body AND f.sql_body ~ ':commandType [234] ' THEN pg_catalog.json_build_object(
                     'tree', f.sql_body, 'outputs', '[]'::pg_catalog.json,
                     'relations', \#(Self.treeRelationsJSON("f.sql_body"))) END,
           -- A definer body given as text: its source, string literals and comments blanked (they
           -- may hold secrets), so the statements that write can be read from it.
           'returns_trigger', CASE WHEN f.returns_trigger THEN true END,
           'source', CASE WHEN f.prosecdef AND NOT f.has_sql_body AND f.lanname IN ('plpgsql', 'sql') THEN pg_catalog.regexp_replace(
                       f.prosrc, '''(?:[^'']|'''')*''|--[^\n]*|/\*(?:[^*]|\*+[^*/])*\*+/', '''''', 'g') END))
           ORDER BY f.nspname, f.proname, f.identity_arguments), '[]') AS j
         FROM functions f JOIN pg_catalog.pg_roles o ON o.oid = f.proowner
         LEFT JOIN acls a ON a.kind = 'function' AND a.objoid = f.oid
         LEFT JOIN read_lists rl ON rl.view_oid = f.oid
         LEFT JOIN support_lists sl ON sl.aggfnoid = f.oid
         LEFT JOIN call_lists cl ON cl.kind = 'function' AND cl.source = f.oid) AS functions_section
        CROSS JOIN
        (SELECT pg_catalog.count(*) AS n, COALESCE(pg_catalog.json_agg(pg_catalog.json_build_object(
           'role', o.rolname, 'schema', n.nspname,
           'object_type', CASE da.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions'
                                                WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' WHEN 'L' THEN 'large_objects' END,
           'acl', \#(Self.aclJSON("da.defaclacl")))
           ORDER BY o.rolname, n.nspname NULLS FIRST, da.defaclobjtype), '[]') AS j
         FROM pg_catalog.pg_default_acl da JOIN pg_catalog.pg_roles o ON o.oid = da.defaclrole
         LEFT JOIN pg_catalog.pg_namespace n ON n.oid = da.defaclnamespace) AS default_privileges_section
        CROSS JOIN
        (SELECT pg_catalog.count(*) AS n, COALESCE(pg_catalog.json_agg(pg_catalog.json_build_object(
           'schema', r.nspname, 'table', r.relname, 'name', p.polname,
           'command', CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
                                    WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
           'permissive', p.polpermissive,
           'roles', (SELECT pg_catalog.json_agg(rn.rolname ORDER BY rn.rolname)
                     FROM pg_catalog.unnest(p.polroles) pr JOIN role_names rn ON rn.oid = pr),
           'using', pg_catalog.pg_get_expr(p.polqual, p.polrelid),
           'with_check', pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid),
           'functions', COALESCE(cl.calls, '[]'),
           -- The settings its expressions read (current_setting('name'…)), with who may change them.
           'settings', (SELECT COALESCE(pg_catalog.json_agg(pg_catalog.json_build_object('name', u.name, 'context', ps.context)
                                                             ORDER BY u.name), '[]')
                        FROM (SELECT DISTINCT pg_catalog.lower(pg_catalog.replace(m[1], '''''', '''')) AS name
                              FROM pg_catalog.regexp_matches(
                                     COALESCE(pg_catalog.pg_get_expr(p.polqual, p.polrelid), '') || ' ' ||
                                     COALESCE(pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), ''),
                                     'current_setting\(''((?:[^'']|'''')+)''', 'g') AS m) u
                        LEFT JOIN pg_catalog.pg_settings ps ON pg_catalog.lower(ps.name) = u.name))
           ORDER BY r.nspname, r.relname, p.polname), '[]') AS j
         FROM pg_catalog.pg_policy p JOIN relations r ON r.oid = p.polrelid
         LEFT JOIN call_lists cl ON cl.kind = 'policy' AND cl.source = p.oid) AS row_security_policies_section
        CROSS JOIN
        (SELECT pg_catalog.count(*) AS n, COALESCE(pg_catalog.json_agg(pg_catalog.json_build_object(
           'kind', c.kind, 'object', c.object,
           'acl', \#(Self.aclJSON("c.acl")))
           ORDER BY c.kind, c.object), '[]') AS j
         FROM catalog_objects c) AS catalog_grants_section
        -- Foreign servers: where they point (host, port, dbname; never other options) and whom
        -- their user mappings connect as (the remote user when this role may read it).
        CROSS JOIN
        (SELECT pg_catalog.count(*) AS n, COALESCE(pg_catalog.json_agg(pg_catalog.json_build_object(
           'name', s.srvname, 'owner', o.rolname, 'wrapper', w.fdwname,
           'acl', \#(Self.aclJSON("COALESCE(s.srvacl, pg_catalog.acldefault('S', s.srvowner))")),
           'host', (SELECT so.option_value FROM pg_catalog.pg_options_to_table(s.srvoptions) so
                    WHERE so.option_name IN ('host', 'hostaddr') ORDER BY so.option_name LIMIT 1),
           'port', (SELECT so.option_value FROM pg_catalog.pg_options_to_table(s.srvoptions) so WHERE so.option_name = 'port'),
           'dbname', (SELECT so.option_value FROM pg_catalog.pg_options_to_table(s.srvoptions) so WHERE so.option_name = 'dbname'),
           'mappings', (SELECT COALESCE(pg_catalog.json_agg(pg_catalog.json_build_object(
                          'role', CASE WHEN um.umuser = 0 THEN 'PUBLIC' ELSE um.usename::text END,
                          'user', (SELECT uo.option_value FROM pg_catalog.pg_options_to_table(um.umoptions) uo WHERE uo.option_name = 'user'))
                          ORDER BY um.umuser <> 0, um.usename), '[]')
                        FROM pg_catalog.pg_user_mappings um WHERE um.srvid = s.oid))
           ORDER BY s.srvname), '[]') AS j
         FROM pg_catalog.pg_foreign_server s JOIN pg_catalog.pg_roles o ON o.oid = s.srvowner
         JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw) AS foreign_servers_section
        -- Large objects, counted per owner and ACL (there may be millions).
        CROSS JOIN
        (SELECT pg_catalog.count(*) AS n, COALESCE(pg_catalog.json_agg(pg_catalog.json_build_object(
           'owner', g.owner, 'count', g.count,
           'acl', \#(Self.aclJSON("g.acl")))
           ORDER BY g.owner, g.acl::text), '[]') AS j
         FROM (SELECT o.rolname AS owner, COALESCE(l.lomacl, pg_catalog.acldefault('L', l.lomowner)) AS acl, pg_catalog.count(*) AS count
               FROM pg_catalog.pg_largeobject_metadata l JOIN pg_catalog.pg_roles o ON o.oid = l.lomowner
               GROUP BY o.rolname, COALESCE(l.lomacl, pg_catalog.acldefault('L', l.lomowner))) g) AS large_objects_section
    )
    SELECT pg_catalog.json_build_object(
      'format_version', 1,
      'server_version', pg_catalog.current_setting('server_version'),
      'server_version_num', pg_catalog.current_setting('server_version_num')::integer,
      'database', pg_catalog.current_database(),
      'exported_at', pg_catalog.to_char(pg_catalog.now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
      'exported_by', CURRENT_USER,
      'row_counts', pg_catalog.json_build_object(
        'roles', roles_count, 'memberships', memberships_count,
        'databases', databases_count, 'schemas', schemas_count,
        'tables', tables_count, 'sequences', sequences_count,
        'functions', functions_count,
        'default_privileges', default_privileges_count,
        'row_security_policies', row_security_policies_count,
        'catalog_grants', catalog_grants_count,
        'foreign_servers', foreign_servers_count,
        'large_objects', large_objects_count,
        'parameter_privileges', pg_catalog.json_array_length({{parameter_privileges}}::pg_catalog.json)),
      'roles', roles, 'memberships', memberships, 'databases', databases, 'schemas', schemas, 'tables', tables,
      'sequences', sequences, 'functions', functions, 'default_privileges', default_privileges,
      'row_security_policies', row_security_policies, 'catalog_grants', catalog_grants, 'foreign_servers', foreign_servers,
      'large_objects', large_objects, 'lo_compat_privileges', pg_catalog.current_setting('lo_compat_privileges')::boolean,
      'parameter_privileges', {{parameter_privileges}}::pg_catalog.json,
      'logging', {{logging}})::text
    FROM sections;

    """#
}
