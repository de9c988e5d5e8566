-- The customer-support database of the examples, as SQL. Run as a superuser in an empty
-- database named "support" of a fresh PostgreSQL 15+ cluster:
--   createdb support && psql -X -v ON_ERROR_STOP=1 -d support -f examples/support-db/support-db.sql
-- examples/support-db/snapshot.json is this database exported by access-audit-export.
-- It holds the 2019 incident's four roads to customer contact data on purpose: a nested
-- membership, a definer view, a SECURITY DEFINER function PUBLIC may execute, and a login role
-- in pg_read_all_data. The policy in policies/support-db/ catches each of them.

-- Roles
CREATE ROLE support_owner NOLOGIN;
CREATE ROLE support_app LOGIN;
CREATE ROLE tier1_agent NOLOGIN;
CREATE ROLE support_lead NOLOGIN;
CREATE ROLE billing NOLOGIN;
CREATE ROLE analytics_export NOLOGIN;
CREATE ROLE privacy_officer LOGIN;
CREATE ROLE dba_breakglass LOGIN NOINHERIT;
CREATE ROLE alice LOGIN;
CREATE ROLE bob LOGIN;
CREATE ROLE carol LOGIN;
CREATE ROLE dave LOGIN;
CREATE ROLE erin LOGIN VALID UNTIL '2026-09-30 00:00:00+00';
CREATE ROLE legacy_report LOGIN;

GRANT tier1_agent TO support_lead;
GRANT support_lead TO alice;
GRANT analytics_export TO support_lead;   -- the undeclared shortcut to customer data
GRANT tier1_agent TO bob;
GRANT billing TO carol;
GRANT analytics_export TO dave;
GRANT tier1_agent TO erin;                -- a contractor whose engagement ended
GRANT support_owner TO dba_breakglass;    -- NOINHERIT: must SET ROLE
GRANT pg_read_all_data TO legacy_report;  -- an old reporting login nobody declared

-- Tables
CREATE TABLE public.customers (
  id bigint PRIMARY KEY, display_name text, full_name text, email text, phone text, region text, created_at timestamptz
);
CREATE TABLE public.tickets (
  id bigserial PRIMARY KEY, ticket_number text, customer_id bigint, subject text, status text, assignee text, created_at timestamptz
);
CREATE TABLE public.ticket_comments (id bigint PRIMARY KEY, ticket_id bigint, author text, body text, created_at timestamptz);
CREATE TABLE public.refunds (id bigint PRIMARY KEY, ticket_id bigint, amount numeric, approved_by text, created_at timestamptz);
CREATE TABLE public.audit_log (id bigint PRIMARY KEY, actor text, action text, at timestamptz);
ALTER TABLE public.customers OWNER TO support_owner;
ALTER TABLE public.tickets OWNER TO support_owner;
ALTER TABLE public.ticket_comments OWNER TO support_owner;
ALTER TABLE public.refunds OWNER TO support_owner;
ALTER TABLE public.audit_log OWNER TO support_owner;

GRANT SELECT, INSERT, UPDATE ON public.customers TO support_app;
GRANT SELECT ON public.customers TO privacy_officer;
GRANT SELECT ON public.customers TO analytics_export;   -- over-broad: the whole table, PII included
GRANT SELECT (id, display_name) ON public.customers TO tier1_agent, billing;
GRANT SELECT, INSERT, UPDATE ON public.tickets TO support_app;
GRANT SELECT, UPDATE ON public.tickets TO tier1_agent;
GRANT SELECT ON public.tickets TO analytics_export;     -- over-broad: ticket numbers included
GRANT USAGE ON SEQUENCE public.tickets_id_seq TO support_app;
GRANT SELECT, INSERT ON public.ticket_comments TO support_app, tier1_agent;
GRANT SELECT, INSERT ON public.refunds TO support_app;
GRANT SELECT, INSERT, UPDATE ON public.refunds TO billing;
GRANT SELECT ON public.refunds TO support_lead;
GRANT INSERT ON public.audit_log TO support_app;
GRANT SELECT ON public.audit_log TO privacy_officer;

-- Row-level security on customer data
ALTER TABLE public.customers ENABLE ROW LEVEL SECURITY;
CREATE POLICY app_all ON public.customers TO support_app USING (true) WITH CHECK (true);
CREATE POLICY agents_by_region ON public.customers FOR SELECT TO tier1_agent USING (region = current_setting('app.region'));
ALTER TABLE public.tickets ENABLE ROW LEVEL SECURITY;
CREATE POLICY app_all ON public.tickets TO support_app USING (true) WITH CHECK (true);
CREATE POLICY agents_assigned ON public.tickets TO tier1_agent USING (assignee = current_user) WITH CHECK (assignee = current_user);

-- A definer view: it reads customers with its owner's rights, whoever selects from it.
CREATE VIEW public.customer_contacts AS SELECT id, full_name, email, phone FROM public.customers;
ALTER VIEW public.customer_contacts OWNER TO support_owner;
GRANT SELECT ON public.customer_contacts TO tier1_agent;  -- agents were to see contacts only in the app

-- An invoker view: it adds nothing to the caller's own rights.
CREATE VIEW public.open_tickets WITH (security_invoker = true) AS
  SELECT id, ticket_number, status FROM public.tickets WHERE status = 'open';
ALTER VIEW public.open_tickets OWNER TO support_owner;
GRANT SELECT ON public.open_tickets TO tier1_agent, support_app;

-- A SECURITY DEFINER lookup; PostgreSQL lets PUBLIC execute new functions by default.
CREATE FUNCTION public.find_customer_by_email(text)
  RETURNS TABLE (id bigint, full_name text, email text)
  LANGUAGE sql STABLE SECURITY DEFINER
BEGIN ATOMIC
  SELECT c.id, c.full_name, c.email FROM public.customers c WHERE c.email = $1;
END;
ALTER FUNCTION public.find_customer_by_email(text) OWNER TO support_owner;
GRANT EXECUTE ON FUNCTION public.find_customer_by_email(text) TO support_app;

-- New tables support_owner creates later are readable and writable by the application.
ALTER DEFAULT PRIVILEGES FOR ROLE support_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO support_app;
