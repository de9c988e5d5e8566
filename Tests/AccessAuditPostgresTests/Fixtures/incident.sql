-- The insider incident's roads to customer emails, for one tier-1 agent (mallory):
--   1. a nested membership: agents → escalations → reporting, which may read customers;
--   2. a definer view owned by the schema owner, granted to agents;
--   3. a SECURITY DEFINER lookup function, executable by PUBLIC (PostgreSQL's default);
--   4. a column grant to PUBLIC.
-- Run as a superuser in an empty database named "incident".
CREATE ROLE crm_owner NOLOGIN;
CREATE ROLE agents NOLOGIN;
CREATE ROLE escalations NOLOGIN;
CREATE ROLE reporting NOLOGIN;
CREATE ROLE mallory LOGIN;
GRANT agents TO mallory;
GRANT reporting TO escalations;
GRANT escalations TO agents;                                          -- road 1

CREATE TABLE public.customers (id int PRIMARY KEY, name text, email text, phone text);
CREATE TABLE public.tickets (id int PRIMARY KEY, ticket_number text, customer_id int);
ALTER TABLE public.customers OWNER TO crm_owner;
ALTER TABLE public.tickets OWNER TO crm_owner;
GRANT SELECT (id, name) ON public.customers TO agents;
GRANT SELECT ON public.tickets TO agents, reporting;
GRANT SELECT ON public.customers TO reporting;                         -- road 1's end

CREATE VIEW public.customer_directory AS SELECT id, name, email FROM public.customers;
ALTER VIEW public.customer_directory OWNER TO crm_owner;
GRANT SELECT ON public.customer_directory TO agents;                   -- road 2

CREATE FUNCTION public.lookup_customer(integer) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
BEGIN ATOMIC
  SELECT c.email FROM public.customers c WHERE c.id = $1;
END;
ALTER FUNCTION public.lookup_customer(integer) OWNER TO crm_owner;     -- road 3: PUBLIC may EXECUTE

GRANT SELECT (email) ON public.customers TO PUBLIC;                    -- road 4
