-- Capabilities: roads to customer data made of privileges a policy may well allow, each one
-- turned into more access by the role that holds it. Run as a superuser in an empty database
-- named "capabilities" of a fresh PostgreSQL 15+ cluster:
--   createdb capabilities && psql -X -v ON_ERROR_STOP=1 -d capabilities -f examples/capabilities/capabilities.sql
-- examples/capabilities/snapshot.json is this database exported by access-audit-export, and
-- policies/capabilities/ declares every grant below as intended: only the capabilities fail.

CREATE ROLE support_owner NOLOGIN;
CREATE ROLE pii_readers NOLOGIN;      -- the privacy team's group: the only readers of emails
CREATE ROLE onboarding NOLOGIN;       -- provisions new privacy staff: administers pii_readers
CREATE ROLE privacy_officer LOGIN;
CREATE ROLE lead LOGIN;               -- a support lead
CREATE ROLE ops LOGIN;                -- an operations engineer
CREATE ROLE migrator LOGIN;           -- the schema-migration service

GRANT pii_readers TO privacy_officer;
GRANT pii_readers TO onboarding WITH ADMIN OPTION;

CREATE TABLE public.customers (id bigint PRIMARY KEY, display_name text, email text, phone text);
CREATE TABLE public.tickets (id bigint PRIMARY KEY, customer_id bigint, status text);
ALTER TABLE public.customers OWNER TO support_owner;
ALTER TABLE public.tickets OWNER TO support_owner;
GRANT SELECT ON public.customers TO pii_readers;
GRANT SELECT ON public.tickets TO onboarding, lead;

-- Road 1: a dashboard helper in plpgsql, SECURITY DEFINER, search_path not pinned, owned by
-- onboarding; PUBLIC may EXECUTE it (the default). Any caller with TEMP (PUBLIC's default) can
-- shadow "tickets" with a temporary view that calls its own function, which then runs as
-- onboarding: it grants the caller pii_readers.
CREATE FUNCTION public.open_ticket_count() RETURNS bigint LANGUAGE plpgsql STABLE SECURITY DEFINER
  AS $$ BEGIN RETURN (SELECT count(*) FROM tickets WHERE status = 'open'); END $$;
ALTER FUNCTION public.open_ticket_count() OWNER TO onboarding;

-- Road 2: ops may add triggers to customers (for an audit trigger long gone). A trigger of
-- ops's own receives every customer row anybody writes, no SELECT needed.
GRANT TRIGGER ON public.customers TO ops;

-- Road 3: the migration service owns the tickets table's history and revoked its own SELECT
-- on customers after owning it for a migration; as owner it can grant it back at any time.
CREATE TABLE public.customer_history (customer_id bigint, email text, changed_at timestamptz);
ALTER TABLE public.customer_history OWNER TO migrator;
REVOKE ALL ON public.customer_history FROM migrator;
