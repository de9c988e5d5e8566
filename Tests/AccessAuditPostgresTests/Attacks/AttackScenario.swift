import AuditSupport
import Foundation

/// A random organisation for the behavioural oracle, as SQL for a real server, with a unique
/// canary value planted in every classified column. Built from the roads an insider uses:
/// nested groups with PostgreSQL 16's INHERIT/SET/ADMIN options (ADMIN alone included),
/// NOINHERIT logins, CREATEROLE, REPLICATION, monitoring and server-file roles, owners that
/// revoked their own rights, column grants, TRIGGER grants, definer views, SQL-standard and
/// plpgsql SECURITY DEFINER functions with and without a pinned search_path, definer trigger
/// functions fired by writes, definer code that writes classified columns (plpgsql, triggers on
/// tables and INSTEAD OF views), trigger functions owned by someone else, aggregates, and grants on
/// pg_statistic and the server-file functions.
struct AttackScenario {
    let seed: UInt64
    let major: Int
    let prefix: String
    private(set) var sql: [String] = []
    private(set) var roles: [String] = []
    private(set) var loginRoles: [String] = []
    private(set) var schemas: [String] = []
    /// Relations that hold canaries, with their classified columns (position → name).
    private(set) var classified: [ClassifiedTable] = []
    /// Inheritance children of classified tables (read by name, like the tables).
    private(set) var children: [String] = []
    /// Relations worth reading whole (definer views over classified data).
    private(set) var views: [String] = []
    /// Calls that return text (SQL-standard definer functions reading classified columns).
    private(set) var readerCalls: [String] = []
    /// Definer code whose unqualified `shadow` name a caller can redirect.
    private(set) var redirectable: [Redirectable] = []
    /// Invoker trigger functions on classified tables, owned by a role that can replace them.
    private(set) var replaceableTriggerFunctions: [String] = []
    /// Functions a classified table's own expressions (CHECK, generated column, index) call with
    /// a classified column, owned by a role that can replace them: signature and return type.
    private(set) var replaceableExpressionFunctions: [(signature: String, returns: String)] = []
    /// Statements that fire a rewrite rule whose actions return classified rows.
    private(set) var ruleFirings: [String] = []
    /// Functions a SQL-standard definer body calls (replaceable by their owner), with the call
    /// that runs the definer.
    private(set) var replaceableCallees: [(callee: String, definerCall: String)] = []
    /// Classified columns under a unique index, as (table, column) indexes: a write answers
    /// whether a value is there.
    private(set) var uniqueColumns: Set<[Int]> = []
    /// Auto-updatable definer views over a classified table (the view's columns are named as the
    /// table's): writes through them run with the view owner's rights.
    private(set) var writableViews: [(view: String, table: Int)] = []
    /// Definer code that sets a classified column to the value it is given (a plpgsql SECURITY
    /// DEFINER function, static or running SQL built at run time, or a definer trigger on a
    /// table or an INSTEAD OF trigger on a view): the statement with `{marker}` for the value.
    /// The code raises `WROTE … <value>` itself when its write lands, so the attacker's own
    /// output says so without reading the table.
    private(set) var definerWriters: [(statement: String, table: Int, column: Int)] = []

    struct ClassifiedTable {
        var index: Int
        var name: String
        var columns: [String]
    }

    /// A way to run definer code: a call, or a write that fires a definer trigger.
    struct Redirectable {
        var statement: String
        /// The unqualified relation name its body reads.
        var shadow: String
    }

    var database: String { "attack_\(seed)" }

    /// The canary planted in column `column` of classified table `table`.
    func canary(table: Int, column: Int) -> String { "cn7s\(seed)t\(table)c\(column)z" }

    /// Canaries found in a text, as (table, column) indexes, with the technique the line shows
    /// (a definer's notice, a notification, a decoded change, or a read).
    func canariesByTechnique(in text: String, attack: String) -> [(hit: [Int], technique: String)] {
        var result: [(hit: [Int], technique: String)] = []
        for line in text.split(separator: "\n") {
            let hits = canaries(in: String(line))
            guard !hits.isEmpty else { continue }
            let technique = if line.contains("LOOT definer") { "definer code" }
                else if line.contains("Asynchronous notification") { line.contains("payload \"expr ") ? "expression" : "trigger" }
                else if line.contains("table ") && (line.contains(": UPDATE:") || line.contains(": INSERT:")) { "logical decoding" }
                else if !line.contains("LOOT") { "rule" }
                else { "read" }
            for hit in hits { result.append((hit, "\(attack): \(technique)")) }
        }
        return result
    }

    /// The marker a write or probe attack raises for (table, column): `u` UPDATE, `i` INSERT,
    /// `p` an existence probe that answered.
    func marker(_ kind: Character, table: Int, column: Int) -> String { "cn7\(kind)\(seed)t\(table)c\(column)z" }

    /// Markers of `kind` found in a text, as (table, column) indexes.
    func markers(_ kind: Character, in text: String) -> Set<[Int]> { matches("cn7\(kind)\(seed)t([0-9]+)c([0-9]+)z", in: text) }

    /// Canaries found in a text, as (table, column) indexes.
    func canaries(in text: String) -> Set<[Int]> { matches("cn7s\(seed)t([0-9]+)c([0-9]+)z", in: text) }

    private func matches(_ pattern: String, in text: String) -> Set<[Int]> {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        var found = Set<[Int]>()
        for match in regex.matches(in: text, range: range) {
            guard let t = Range(match.range(at: 1), in: text).flatMap({ Int(text[$0]) }),
                let c = Range(match.range(at: 2), in: text).flatMap({ Int(text[$0]) })
            else { continue }
            found.insert([t, c])
        }
        return found
    }

    init(seed: UInt64, major: Int) {
        self.seed = seed
        self.major = major
        prefix = "a\(seed)_"
        var rng = SplitMix64(seed: seed &* 7_919 &+ UInt64(major))
        func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
        func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }
        func pickRole() -> String { pick(roles) }

        // Roles: people and groups.
        for i in 0..<Int.random(in: 5...8, using: &rng) {
            let role = "\(prefix)r\(i)"
            roles.append(role)
            var options = [chance(0.6) ? "LOGIN" : "NOLOGIN", chance(0.2) ? "NOINHERIT" : "INHERIT"]
            if chance(0.1) { options.append("CREATEROLE") }
            if chance(0.08) { options.append("REPLICATION") }
            if options[0] == "LOGIN" { loginRoles.append(role) }
            sql.append("CREATE ROLE \(role) \(options.joined(separator: " "));")
        }
        if loginRoles.isEmpty {
            sql.append("ALTER ROLE \(roles[0]) LOGIN;")
            loginRoles.append(roles[0])
        }
        for member in 1..<roles.count {
            for group in 0..<member where chance(0.3) {
                if major >= 16 {
                    let admin = chance(0.25), inherit = chance(0.7), set = chance(0.75)
                    sql.append("GRANT \(roles[group]) TO \(roles[member]) WITH ADMIN \(admin), INHERIT \(inherit), SET \(set);")
                } else {
                    sql.append("GRANT \(roles[group]) TO \(roles[member])\(chance(0.2) ? " WITH ADMIN OPTION" : "");")
                }
            }
        }
        var predefined = ["pg_read_all_data", "pg_read_all_stats", "pg_monitor", "pg_execute_server_program", "pg_read_server_files"]
        if major >= 17 { predefined.append("pg_maintain") }
        for role in predefined where chance(0.07) { sql.append("GRANT \(role) TO \(pickRole());") }

        // The database: TEMP sometimes only for some.
        if chance(0.3) { sql.append("REVOKE TEMPORARY ON DATABASE \(database) FROM PUBLIC;") }
        if chance(0.3) { sql.append("GRANT TEMPORARY ON DATABASE \(database) TO \(pickRole());") }

        // Schemas.
        schemas = ["\(prefix)s0", "\(prefix)s1"]
        sql.append("CREATE SCHEMA \(schemas[0]);")
        sql.append("CREATE SCHEMA \(schemas[1]) AUTHORIZATION \(pickRole());")
        for schema in schemas {
            if chance(0.35) { sql.append("GRANT USAGE ON SCHEMA \(schema) TO PUBLIC;") }
            for _ in 0..<Int.random(in: 0...2, using: &rng) { sql.append("GRANT USAGE ON SCHEMA \(schema) TO \(pickRole());") }
            if chance(0.2) { sql.append("GRANT CREATE ON SCHEMA \(schema) TO \(pickRole());") }
        }
        let places = schemas + ["public"]

        // The harmless table definer code reads by an unqualified name (found through public).
        let queue = "\(prefix)queue"
        sql.append("CREATE TABLE public.\(queue) (id int); INSERT INTO public.\(queue) VALUES (1); GRANT SELECT ON public.\(queue) TO PUBLIC;")

        // Classified tables, a canary in every classified column.
        let layouts = [["email", "phone"], ["ticket_number"]]
        for (t, classifiedColumns) in layouts.enumerated() {
            let table = "\(pick(places)).\(prefix)c\(t)"
            classified.append(ClassifiedTable(index: t, name: table, columns: classifiedColumns))
            sql.append("CREATE TABLE \(table) (id int, \(classifiedColumns.map { "\($0) text" }.joined(separator: ", ")));")
            let values = classifiedColumns.indices.map { "'\(canary(table: t, column: $0))'" }
            sql.append("INSERT INTO \(table) VALUES (1, \(values.joined(separator: ", ")));")
            let owner = chance(0.6) ? pickRole() : "postgres"
            if owner != "postgres" { sql.append("ALTER TABLE \(table) OWNER TO \(owner);") }
            if owner != "postgres", chance(0.3) { sql.append("REVOKE SELECT ON \(table) FROM \(owner);") }
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let grantee = chance(0.1) ? "PUBLIC" : pickRole()
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: sql.append("GRANT SELECT ON \(table) TO \(grantee);")
                case 1: sql.append("GRANT SELECT (id, \(pick(classifiedColumns))) ON \(table) TO \(grantee);")
                case 2: sql.append("GRANT SELECT (id) ON \(table) TO \(grantee);")
                case 3: sql.append("GRANT TRIGGER ON \(table) TO \(grantee);")
                case 4: sql.append("GRANT UPDATE, INSERT ON \(table) TO \(grantee);")
                default: sql.append("GRANT SELECT ON \(table) TO \(pickRole()) WITH GRANT OPTION;")
                }
            }
            // A unique classified column (signup e-mails), REFERENCES and INSERT on it for some.
            if chance(0.45) {
                let c = Int.random(in: 0..<classifiedColumns.count, using: &rng)
                sql.append("CREATE UNIQUE INDEX \(prefix)uq\(t) ON \(table) (\(classifiedColumns[c]));")
                uniqueColumns.insert([t, c])
            }
            if chance(0.3) { sql.append("GRANT REFERENCES (\(pick(classifiedColumns))) ON \(table) TO \(pickRole());") }
            if chance(0.3) { sql.append("GRANT INSERT (id, \(pick(classifiedColumns))) ON \(table) TO \(pickRole());") }
            // A trigger function owned by another role: replacing its body receives the rows.
            if chance(0.3) {
                let function = "\(pick(places)).\(prefix)audit\(t)"
                sql.append("CREATE FUNCTION \(function)() RETURNS trigger LANGUAGE plpgsql AS $b$ BEGIN RETURN NEW; END $b$;")
                sql.append("ALTER FUNCTION \(function)() OWNER TO \(pickRole());")
                sql.append("CREATE TRIGGER \(prefix)audit\(t) AFTER INSERT OR UPDATE ON \(table) FOR EACH ROW EXECUTE FUNCTION \(function)();")
                replaceableTriggerFunctions.append("\(function)()")
            }
            // An inheritance child holding more of the same rows, granted on its own (its
            // canaries are the parent's: the harness counts them against the parent's columns).
            if chance(0.3) {
                let child = "\(table)_archive"
                sql.append("CREATE TABLE \(child) () INHERITS (\(table));")
                sql.append("INSERT INTO \(child) VALUES (2, \(values.joined(separator: ", ")));")
                sql.append("GRANT SELECT ON \(child) TO \(chance(0.2) ? "PUBLIC" : pickRole());")
                children.append(child)
            }
            // A function the table's own expression calls with a classified column (CHECK,
            // stored generated column, index), owned by another role.
            if chance(0.35) {
                let function = "\(pick(places)).\(prefix)expr\(t)"
                let column = pick(classifiedColumns)
                let kind = Int.random(in: 0..<3, using: &rng)
                let returns = kind == 0 ? "boolean" : "text"
                sql.append("CREATE FUNCTION \(function)(text) RETURNS \(returns) LANGUAGE plpgsql IMMUTABLE AS $b$ BEGIN RETURN \(kind == 0 ? "true" : "md5($1)"); END $b$;")
                sql.append("ALTER FUNCTION \(function)(text) OWNER TO \(pickRole());")
                switch kind {
                case 0: sql.append("ALTER TABLE \(table) ADD CONSTRAINT \(prefix)expr\(t) CHECK (\(function)(\(column)));")
                case 1: sql.append("ALTER TABLE \(table) ADD COLUMN \(column)_fp text GENERATED ALWAYS AS (\(function)(\(column))) STORED;")
                default: sql.append("CREATE INDEX \(prefix)expr\(t) ON \(table) (\(function)(\(column)));")
                }
                replaceableExpressionFunctions.append(("\(function)(text)", returns))
            }
        }

        // A definer view over a classified table.
        if chance(0.6) {
            let source = pick(classified)
            let view = "\(pick(places)).\(prefix)v0"
            // Sometimes a whole-row reference: pg_depend then records only the id column.
            let selected = chance(0.4) ? "row_to_json(s)::text AS doc" : source.columns[0]
            sql.append("CREATE VIEW \(view) AS SELECT s.id, \(selected) FROM \(source.name) s;")
            sql.append("ALTER VIEW \(view) OWNER TO \(pickRole());")
            sql.append("GRANT SELECT ON \(view) TO \(chance(0.2) ? "PUBLIC" : pickRole());")
            views.append(view)
        }

        // An auto-updatable definer view over a classified table, granted writes: they reach the
        // table with the view owner's rights (an e-mail changed, an account taken over).
        if chance(0.5) {
            let source = pick(classified)
            let view = "\(pick(places)).\(prefix)w0"
            sql.append("CREATE VIEW \(view) AS SELECT s.id, \(source.columns.map { "s.\($0)" }.joined(separator: ", ")) FROM \(source.name) s;")
            sql.append("ALTER VIEW \(view) OWNER TO \(pickRole());")
            let grantee = chance(0.2) ? "PUBLIC" : pickRole()
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: sql.append("GRANT UPDATE (\(pick(source.columns))) ON \(view) TO \(grantee);")
            case 1: sql.append("GRANT INSERT ON \(view) TO \(grantee);")
            default: sql.append("GRANT UPDATE, INSERT ON \(view) TO \(grantee);")
            }
            writableViews.append((view, source.index))
        }

        // Definer code that writes a classified column with its owner's rights (an account
        // taken over by changing its e-mail): a plpgsql function, or a trigger function fired by
        // an INSERT on a table or, INSTEAD OF, on a view.
        if chance(0.6) {
            let source = pick(classified)
            let c = Int.random(in: 0..<source.columns.count, using: &rng)
            let column = source.columns[c]
            let set = chance(0.3)
                ? "EXECUTE format('UPDATE \(source.name) SET %I = $1', '\(column)') USING v;"
                : "UPDATE \(source.name) SET \(column) = v;"
            let report = "GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN RAISE NOTICE 'WROTE through definer code %', v; END IF;"
            switch Int.random(in: 0..<3, using: &rng) {
            case 0:
                let function = "\(pick(places)).\(prefix)set_value"
                sql.append("CREATE FUNCTION \(function)(v text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $b$ DECLARE n bigint; BEGIN \(set) \(report) END $b$;")
                sql.append("ALTER FUNCTION \(function)(text) OWNER TO \(pickRole());")
                if chance(0.6) {
                    sql.append("REVOKE EXECUTE ON FUNCTION \(function)(text) FROM PUBLIC;")
                    sql.append("GRANT EXECUTE ON FUNCTION \(function)(text) TO \(pickRole());")
                }
                definerWriters.append(("SELECT \(function)('{marker}')", source.index, c))
            default:
                let insteadOf = chance(0.5)
                let target = "\(pick(places)).\(prefix)requests"
                let function = "\(pick(places)).\(prefix)apply_request"
                let value = insteadOf ? "NEW.\(column)" : "NEW.v"
                sql.append("CREATE FUNCTION \(function)() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $b$ DECLARE n bigint; v text := \(value); BEGIN \(set) \(report) RETURN NEW; END $b$;")
                sql.append("ALTER FUNCTION \(function)() OWNER TO \(pickRole());")
                sql.append("REVOKE EXECUTE ON FUNCTION \(function)() FROM PUBLIC;")
                if insteadOf {
                    sql.append("CREATE VIEW \(target) AS SELECT s.id, s.\(column) FROM \(source.name) s;")
                    sql.append("ALTER VIEW \(target) OWNER TO \(pickRole());")
                    sql.append("CREATE TRIGGER \(prefix)apply INSTEAD OF INSERT ON \(target) FOR EACH ROW EXECUTE FUNCTION \(function)();")
                    definerWriters.append(("INSERT INTO \(target) (id, \(column)) VALUES (1, '{marker}')", source.index, c))
                } else {
                    sql.append("CREATE TABLE \(target) (id int, v text);")
                    sql.append("CREATE TRIGGER \(prefix)apply AFTER INSERT ON \(target) FOR EACH ROW EXECUTE FUNCTION \(function)();")
                    definerWriters.append(("INSERT INTO \(target) (id, v) VALUES (1, '{marker}')", source.index, c))
                }
                sql.append("GRANT INSERT ON \(target) TO \(chance(0.2) ? "PUBLIC" : pickRole());")
            }
        }

        // A SQL-standard definer function that reads a classified column (bound by OID).
        if chance(0.6) {
            let source = pick(classified)
            let function = "\(pick(places)).\(prefix)lookup"
            let selected = chance(0.4) ? "s::text" : "s.\(source.columns[0])"
            sql.append("CREATE FUNCTION \(function)() RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER BEGIN ATOMIC SELECT \(selected) FROM \(source.name) s; END;")
            sql.append("ALTER FUNCTION \(function)() OWNER TO \(pickRole());")
            if chance(0.5) {
                sql.append("REVOKE EXECUTE ON FUNCTION \(function)() FROM PUBLIC;")
                sql.append("GRANT EXECUTE ON FUNCTION \(function)() TO \(pickRole());")
            }
            readerCalls.append("\(function)()")
        }

        // A call chain: a SQL-standard definer body calling a function that reads a classified
        // column, itself invoker (it runs with the outer owner's rights) or a definer of its own.
        if chance(0.4) {
            let source = pick(classified)
            let inner = "\(pick(places)).\(prefix)inner"
            let outer = "\(pick(places)).\(prefix)outer"
            let innerDefiner = chance(0.5)
            sql.append("CREATE FUNCTION \(inner)() RETURNS SETOF text LANGUAGE sql STABLE\(innerDefiner ? " SECURITY DEFINER" : "") BEGIN ATOMIC SELECT s::text FROM \(source.name) s; END;")
            sql.append("ALTER FUNCTION \(inner)() OWNER TO \(pickRole());")
            sql.append("CREATE FUNCTION \(outer)() RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER BEGIN ATOMIC SELECT \(inner)(); END;")
            sql.append("ALTER FUNCTION \(outer)() OWNER TO \(pickRole());")
            readerCalls.append("\(outer)()")
        }

        // plpgsql definer functions reading an unqualified name, pinned or not.
        for f in 0..<Int.random(in: 1...2, using: &rng) {
            let function = "\(pick(places)).\(prefix)qlen\(f)"
            let pin = pick(["", "", " SET search_path = public", " SET search_path = public, pg_temp", " SET search_path = \(schemas[1]), public, pg_temp"])
            sql.append("CREATE FUNCTION \(function)() RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER\(pin) AS $b$ BEGIN RETURN (SELECT count(*) FROM \(queue)); END $b$;")
            sql.append("ALTER FUNCTION \(function)() OWNER TO \(pickRole());")
            if chance(0.4) {
                sql.append("REVOKE EXECUTE ON FUNCTION \(function)() FROM PUBLIC;")
                sql.append("GRANT EXECUTE ON FUNCTION \(function)() TO \(pickRole());")
            }
            redirectable.append(Redirectable(statement: "SELECT \(function)()", shadow: queue))
        }

        // A definer trigger function, fired by every role that inserts into its table.
        if chance(0.5) {
            let table = "\(pick(places)).\(prefix)events"
            let function = "\(pick(places)).\(prefix)on_event"
            sql.append("CREATE TABLE \(table) (id int);")
            sql.append("CREATE FUNCTION \(function)() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $b$ BEGIN PERFORM count(*) FROM \(queue); RETURN NEW; END $b$;")
            sql.append("ALTER FUNCTION \(function)() OWNER TO \(pickRole());")
            sql.append("REVOKE EXECUTE ON FUNCTION \(function)() FROM PUBLIC;")
            sql.append("CREATE TRIGGER \(prefix)on_event BEFORE INSERT ON \(table) FOR EACH ROW EXECUTE FUNCTION \(function)();")
            sql.append("GRANT INSERT ON \(table) TO \(chance(0.3) ? "PUBLIC" : pickRole());")
            redirectable.append(Redirectable(statement: "INSERT INTO \(table) VALUES (1)", shadow: queue))
        }

        // An aggregate whose transition function is a redirectable definer function.
        if chance(0.3) {
            let support = "\(pick(places)).\(prefix)acc"
            let aggregate = "\(pick(places)).\(prefix)agg"
            sql.append("CREATE FUNCTION \(support)(bigint, int) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER AS $b$ BEGIN RETURN $1 + (SELECT count(*) FROM \(queue)); END $b$;")
            sql.append("ALTER FUNCTION \(support)(bigint, int) OWNER TO \(pickRole());")
            sql.append("REVOKE EXECUTE ON FUNCTION \(support)(bigint, int) FROM PUBLIC;")
            sql.append("CREATE AGGREGATE \(aggregate)(int) (sfunc = \(support), stype = bigint, initcond = '0');")
            redirectable.append(Redirectable(statement: "SELECT \(aggregate)(x) FROM (VALUES (1)) v(x)", shadow: queue))
        }

        // A rewrite rule that returns a classified column to whoever inserts (runs as the table's owner).
        if chance(0.35) {
            let source = pick(classified)
            let inbox = "\(pick(places)).\(prefix)inbox"
            sql.append("CREATE TABLE \(inbox) (id int);")
            sql.append("ALTER TABLE \(inbox) OWNER TO \(pickRole());")
            sql.append("CREATE RULE \(prefix)fan_out AS ON INSERT TO \(inbox) DO ALSO SELECT \(source.columns[0]) FROM \(source.name);")
            sql.append(chance(0.5) ? "GRANT INSERT ON \(inbox) TO \(chance(0.3) ? "PUBLIC" : pickRole());" : "GRANT INSERT (id) ON \(inbox) TO \(pickRole());")
            ruleFirings.append("INSERT INTO \(inbox) VALUES (1)")
        }

        // A SQL-standard definer body calling a function another role owns (and may replace).
        if chance(0.4) {
            let schema = pick(places)
            let helper = "\(schema).\(prefix)helper"
            let definer = "\(pick(places)).\(prefix)count_tickets"
            let helperOwner = pickRole()
            sql.append("CREATE FUNCTION \(helper)() RETURNS int LANGUAGE plpgsql AS $b$ BEGIN RETURN 1; END $b$;")
            sql.append("ALTER FUNCTION \(helper)() OWNER TO \(helperOwner);")
            if chance(0.6) { sql.append("GRANT USAGE, CREATE ON SCHEMA \(schema) TO \(helperOwner);") }
            sql.append("CREATE FUNCTION \(definer)() RETURNS int LANGUAGE sql SECURITY DEFINER BEGIN ATOMIC SELECT \(helper)(); END;")
            sql.append("ALTER FUNCTION \(definer)() OWNER TO \(pickRole());")
            if chance(0.4) {
                sql.append("REVOKE EXECUTE ON FUNCTION \(definer)() FROM PUBLIC;")
                sql.append("GRANT EXECUTE ON FUNCTION \(definer)() TO \(pickRole());")
            }
            replaceableCallees.append(("\(helper)()", "SELECT \(definer)()"))
        }

        // Catalog grants that reveal data.
        if chance(0.08) { sql.append("GRANT SELECT ON pg_catalog.pg_statistic TO \(pickRole());") }
        if chance(0.06) { sql.append("GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text) TO \(pickRole());") }
    }
}
