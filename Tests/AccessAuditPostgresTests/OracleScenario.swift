import AuditSupport
import Foundation

/// A random permission scenario as SQL for a real server: nested groups, NOINHERIT roles,
/// ADMIN OPTION, PUBLIC grants, owners (some revoking their own rights), column grants, schemas
/// with and without USAGE, grant-option chains, sequences, functions, database privileges,
/// pg_read_all_data / pg_write_all_data, the odd superuser, and default privileges that fire on
/// objects created afterwards.
struct OracleScenario {
    let seed: UInt64
    let major: Int
    let prefix: String
    private(set) var sql: [String] = []

    var database: String { "oracle_\(seed)" }

    /// `major` decides the syntax and what exists: PostgreSQL 16's per-grant INHERIT/SET/ADMIN
    /// options and several grantors of one membership, 17's MAINTAIN and pg_maintain.
    init(seed: UInt64, major: Int = 15) {
        self.seed = seed
        self.major = major
        prefix = "o\(seed)_"
        var rng = SplitMix64(seed: seed)
        func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
        func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }

        let roles = (0..<Int.random(in: 4...8, using: &rng)).map { "\(prefix)r\($0)" }
        var superusers = Set<String>()
        for role in roles {
            var options = [chance(0.5) ? "LOGIN" : "NOLOGIN", chance(0.25) ? "NOINHERIT" : "INHERIT"]
            if chance(0.04) {
                options.append("SUPERUSER")
                superusers.insert(role)
            }
            sql.append("CREATE ROLE \(role) \(options.joined(separator: " "));")
        }
        for member in 1..<roles.count {
            for group in 0..<member where chance(0.3) {
                if major >= 16 {
                    let options = "ADMIN \(chance(0.2)), INHERIT \(chance(0.75)), SET \(chance(0.8))"
                    sql.append("GRANT \(roles[group]) TO \(roles[member]) WITH \(options);")
                    // A second grantor of the same membership, with other options (16+ keeps both rows).
                    // (Only a superuser may grant a SUPERUSER role: that one keeps one grantor.)
                    if chance(0.15), !superusers.contains(roles[group]) {
                        // Groups come before their members, so granting to a later role makes no cycle.
                        let grantor = roles[Int.random(in: (group + 1)..<roles.count, using: &rng)]
                        sql.append("GRANT \(roles[group]) TO \(grantor) WITH ADMIN TRUE;")
                        sql.append("SET ROLE \(grantor); GRANT \(roles[group]) TO \(roles[member]) WITH INHERIT \(chance(0.5)), SET \(chance(0.5)); RESET ROLE;")
                    }
                } else {
                    sql.append("GRANT \(roles[group]) TO \(roles[member])\(chance(0.15) ? " WITH ADMIN OPTION" : "");")
                }
            }
        }
        if major >= 17, chance(0.3) { sql.append("GRANT pg_maintain TO \(pick(roles));") }
        if chance(0.3) { sql.append("GRANT pg_read_all_data TO \(pick(roles));") }
        if chance(0.2) { sql.append("GRANT pg_write_all_data TO \(pick(roles));") }

        // Database privileges.
        if chance(0.4) { sql.append("REVOKE CONNECT, TEMPORARY ON DATABASE \(database) FROM PUBLIC;") }
        for _ in 0..<Int.random(in: 0...2, using: &rng) {
            sql.append("GRANT \(pick(["CREATE", "CONNECT", "TEMPORARY"])) ON DATABASE \(database) TO \(pick(roles));")
        }

        // Schemas: one owned by postgres, one by a random role; USAGE sometimes given.
        let schemas = ["\(prefix)s0", "\(prefix)s1"]
        sql.append("CREATE SCHEMA \(schemas[0]);")
        sql.append("CREATE SCHEMA \(schemas[1]) AUTHORIZATION \(pick(roles));")
        if chance(0.3) { sql.append("REVOKE USAGE ON SCHEMA public FROM PUBLIC;") }
        for schema in schemas {
            for _ in 0..<Int.random(in: 0...2, using: &rng) {
                let grantee = chance(0.2) ? "PUBLIC" : pick(roles)
                sql.append("GRANT \(pick(["USAGE", "CREATE", "USAGE, CREATE"])) ON SCHEMA \(schema) TO \(grantee);")
            }
        }

        let tablePrivileges = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"] + (major >= 17 ? ["MAINTAIN"] : [])
        let columnPrivileges = ["SELECT", "INSERT", "UPDATE", "REFERENCES"]
        var tables: [String] = []
        for t in 0..<Int.random(in: 2...4, using: &rng) {
            let table = "\(pick(schemas + ["public"])).\(prefix)t\(t)"
            tables.append(table)
            sql.append("CREATE TABLE \(table) (c0 int, c1 int, c2 int);")
            let owner = chance(0.6) ? pick(roles) : "postgres"
            if owner != "postgres" { sql.append("ALTER TABLE \(table) OWNER TO \(owner);") }
            if chance(0.2) { sql.append("REVOKE \(pick(tablePrivileges)) ON \(table) FROM \(owner);") }
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                let grantee = chance(0.15) ? "PUBLIC" : pick(roles)
                let grantable = grantee != "PUBLIC" && chance(0.2)
                if chance(0.35) {
                    let privilege = pick(columnPrivileges)
                    sql.append("GRANT \(privilege) (\(pick(["c0", "c1", "c2"]))) ON \(table) TO \(grantee)\(grantable ? " WITH GRANT OPTION" : "");")
                } else {
                    let privilege = pick(tablePrivileges)
                    sql.append("GRANT \(privilege) ON \(table) TO \(grantee)\(grantable ? " WITH GRANT OPTION" : "");")
                    if grantable, chance(0.6) {
                        // The grantee passes it on: a grant whose grantor is not the owner.
                        // The grantor must be able to look the table up: give it USAGE on the schema.
                        let schema = table.split(separator: ".").first.map(String.init) ?? "public"
                        sql.append("GRANT USAGE ON SCHEMA \(schema) TO \(grantee);")
                        sql.append("SET ROLE \(grantee); GRANT \(privilege) ON \(table) TO \(pick(roles)); RESET ROLE;")
                    }
                }
            }
        }
        // Grants on system columns: has_column_privilege answers for them, has_any_column_privilege ignores them.
        if chance(0.35) {
            let column = pick(["tableoid", "ctid", "xmin"])
            sql.append("GRANT \(pick(columnPrivileges)) (\(column)) ON \(pick(tables)) TO \(pick(roles));")
        }
        // A view over one of the tables, with its own owner and grants.
        if chance(0.7) {
            let view = "\(pick(schemas)).\(prefix)v0"
            sql.append("CREATE VIEW \(view) AS SELECT c0, c1 FROM \(pick(tables));")
            sql.append("ALTER VIEW \(view) OWNER TO \(pick(roles));")
            sql.append("GRANT SELECT ON \(view) TO \(chance(0.2) ? "PUBLIC" : pick(roles));")
        }
        if chance(0.4) {
            let view = "\(pick(schemas)).\(prefix)m0"
            sql.append("CREATE MATERIALIZED VIEW \(view) AS SELECT c1, c2 FROM \(pick(tables));")
            sql.append("ALTER MATERIALIZED VIEW \(view) OWNER TO \(pick(roles));")
            sql.append("GRANT SELECT ON \(view) TO \(pick(roles));")
        }
        // Sequences.
        for q in 0..<Int.random(in: 0...2, using: &rng) {
            let sequence = "\(pick(schemas)).\(prefix)q\(q)"
            sql.append("CREATE SEQUENCE \(sequence);")
            if chance(0.5) { sql.append("ALTER SEQUENCE \(sequence) OWNER TO \(pick(roles));") }
            for _ in 0..<Int.random(in: 0...2, using: &rng) {
                sql.append("GRANT \(pick(["USAGE", "SELECT", "UPDATE"])) ON SEQUENCE \(sequence) TO \(chance(0.2) ? "PUBLIC" : pick(roles));")
            }
        }
        // Functions: PUBLIC may EXECUTE by default; sometimes revoked, sometimes granted to a role.
        for f in 0..<Int.random(in: 1...2, using: &rng) {
            let function = "\(pick(schemas)).\(prefix)f\(f)"
            sql.append("CREATE FUNCTION \(function)(integer) RETURNS integer LANGUAGE sql AS 'SELECT $1'\(chance(0.4) ? " SECURITY DEFINER" : "");")
            if chance(0.5) { sql.append("ALTER FUNCTION \(function)(integer) OWNER TO \(pick(roles));") }
            if chance(0.5) { sql.append("REVOKE EXECUTE ON FUNCTION \(function)(integer) FROM PUBLIC;") }
            if chance(0.5) { sql.append("GRANT EXECUTE ON FUNCTION \(function)(integer) TO \(pick(roles));") }
        }
        // Parameter privileges (PostgreSQL 15+, a shared catalog: grants of earlier seeds stay,
        // and the export and the oracle both see them): SET and ALTER SYSTEM, to roles and to
        // PUBLIC, with grant option and passed on, on built-in and custom parameters.
        if major >= 15 {
            let parameters = ["session_replication_role", "log_statement", "archive_command", "\(prefix)ext.knob"]
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                let parameter = pick(parameters)
                let privilege = pick(["SET", "ALTER SYSTEM", "SET, ALTER SYSTEM", "ALL"])
                let grantee = chance(0.15) ? "PUBLIC" : pick(roles)
                let grantable = grantee != "PUBLIC" && chance(0.3)
                sql.append("GRANT \(privilege) ON PARAMETER \(parameter) TO \(grantee)\(grantable ? " WITH GRANT OPTION" : "");")
                if grantable, chance(0.5) { sql.append("SET ROLE \(grantee); GRANT \(privilege) ON PARAMETER \(parameter) TO \(pick(roles)); RESET ROLE;") }
                if chance(0.15) { sql.append("REVOKE SET ON PARAMETER \(parameter) FROM \(grantee) CASCADE;") }
            }
        }
        // Default privileges, then objects created afterwards by that role: the defaults fire.
        if chance(0.8) {
            let creator = pick(roles)
            let schema = pick(schemas)
            let beneficiary = chance(0.2) ? "PUBLIC" : pick(roles)
            sql.append("ALTER DEFAULT PRIVILEGES FOR ROLE \(creator) IN SCHEMA \(schema) GRANT \(pick(tablePrivileges)), SELECT ON TABLES TO \(beneficiary);")
            sql.append("ALTER DEFAULT PRIVILEGES FOR ROLE \(creator) REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;")
            sql.append("ALTER DEFAULT PRIVILEGES FOR ROLE \(creator) GRANT USAGE ON SEQUENCES TO \(pick(roles));")
            sql.append("GRANT USAGE, CREATE ON SCHEMA \(schema) TO \(creator);")
            sql.append("SET ROLE \(creator);")
            sql.append("CREATE TABLE \(schema).\(prefix)d0 (c0 int, c1 int);")
            sql.append("CREATE SEQUENCE \(schema).\(prefix)dq;")
            sql.append("CREATE FUNCTION \(schema).\(prefix)df(integer) RETURNS integer LANGUAGE sql AS 'SELECT $1';")
            sql.append("RESET ROLE;")
        }
    }

    /// Every (role, object, privilege) this scenario's roles have, as PostgreSQL answers it.
    var oracleQuery: String {
        let like = "'\(prefix.replacingOccurrences(of: "_", with: "\\_"))%'"
        return OracleQuery(
            major: major, roles: "rolname LIKE \(like)", schemas: "n.nspname LIKE \(like) OR n.nspname = 'public'",
            relations: "c.relname LIKE \(like)", functions: "f.proname LIKE \(like)"
        ).sql
    }
}

/// The query that asks PostgreSQL every (role, object, privilege) question for the roles and
/// objects the conditions select: lines `kind|role|object|column|privilege|t-or-f`, answered by
/// has_table_privilege, has_column_privilege, has_any_column_privilege, has_sequence_privilege,
/// has_schema_privilege, has_function_privilege, has_database_privilege, pg_has_role and (from
/// PostgreSQL 15) has_parameter_privilege, with and without grant option.
struct OracleQuery {
    var major: Int
    /// SQL conditions on `rolname`, on schema `n`, on relation `c` and on function `f`.
    var roles: String
    var schemas: String
    var relations: String
    var functions: String

    /// Every parameter with an ACL, plus two without (a superuser-only one and one anyone may SET).
    private var parameterQuery: String {
        """
        SELECT 'parameter', rs.rolname, p.name, '', pr, has_parameter_privilege(rs.oid, p.name, pr) FROM rs,
          (SELECT parname AS name FROM pg_parameter_acl UNION SELECT 'work_mem' UNION SELECT 'shared_preload_libraries') p,
          unnest(ARRAY['SET','ALTER SYSTEM','SET WITH GRANT OPTION','ALTER SYSTEM WITH GRANT OPTION']) pr
        UNION ALL

        """
    }

    var sql: String {
        """
        WITH rs AS (SELECT oid, rolname FROM pg_roles WHERE \(roles)),
        rels AS (SELECT c.oid, n.nspname || '.' || c.relname AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE (\(schemas)) AND (\(relations)) AND c.relkind IN ('r', 'v', 'm', 'S', 'f', 'p'))
        SELECT 'table', rs.rolname, r.name, '', p, has_table_privilege(rs.oid, r.oid, p) FROM rs, rels r,
          unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER'\(major >= 17 ? ",'MAINTAIN'" : "")]) p WHERE r.relkind <> 'S'
        UNION ALL
        SELECT 'column', rs.rolname, r.name, a.attname, p, has_column_privilege(rs.oid, r.oid, a.attnum, p) FROM rs, rels r
          JOIN pg_attribute a ON a.attrelid = r.oid AND (a.attnum > 0 OR (a.attnum < 0 AND a.attacl IS NOT NULL)) AND NOT a.attisdropped,
          unnest(ARRAY['SELECT','INSERT','UPDATE','REFERENCES']) p WHERE r.relkind <> 'S'
        UNION ALL
        SELECT 'anycolumn', rs.rolname, r.name, '', p, has_any_column_privilege(rs.oid, r.oid, p) FROM rs, rels r,
          unnest(ARRAY['SELECT','INSERT','UPDATE','REFERENCES']) p WHERE r.relkind <> 'S'
        UNION ALL
        SELECT 'sequence', rs.rolname, r.name, '', p, has_sequence_privilege(rs.oid, r.oid, p) FROM rs, rels r,
          unnest(ARRAY['USAGE','SELECT','UPDATE']) p WHERE r.relkind = 'S'
        UNION ALL
        SELECT 'schema', rs.rolname, n.nspname, '', p, has_schema_privilege(rs.oid, n.oid, p) FROM rs, pg_namespace n,
          unnest(ARRAY['USAGE','CREATE']) p WHERE \(schemas)
        UNION ALL
        SELECT 'function', rs.rolname, n.nspname || '.' || f.proname || '(' || pg_get_function_identity_arguments(f.oid) || ')', '', 'EXECUTE',
          has_function_privilege(rs.oid, f.oid, 'EXECUTE') FROM rs, pg_proc f JOIN pg_namespace n ON n.oid = f.pronamespace WHERE (\(schemas)) AND (\(functions))
        UNION ALL
        SELECT 'database', rs.rolname, d.datname, '', p, has_database_privilege(rs.oid, d.oid, p) FROM rs, pg_database d,
          unnest(ARRAY['CREATE','CONNECT','TEMPORARY']) p WHERE d.datname = current_database()
        UNION ALL
        \(major >= 15 ? parameterQuery : "")SELECT 'role', a.rolname, b.rolname, '', m, pg_has_role(a.oid, b.oid, m) FROM rs a,
          (SELECT oid, rolname FROM rs UNION ALL SELECT oid, rolname FROM pg_roles WHERE rolname IN ('pg_read_all_data', 'pg_write_all_data', 'pg_maintain')) b,
          unnest(ARRAY['USAGE','MEMBER'\(major >= 16 ? ",'SET'" : "")]) m
        """
    }
}
