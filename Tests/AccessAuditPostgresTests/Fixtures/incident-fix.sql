-- Closes every road of incident.sql.
REVOKE escalations FROM agents;
REVOKE SELECT ON public.customers FROM reporting;
REVOKE SELECT ON public.customer_directory FROM agents;
REVOKE EXECUTE ON FUNCTION public.lookup_customer(integer) FROM PUBLIC;
REVOKE SELECT (email) ON public.customers FROM PUBLIC;
