-- The baseline the export is measured against: one plain query reading the catalogs the export
-- reads for roles, memberships, relations and their columns (names, owners, ACLs), as JSON, with
-- nothing derived (no view dependencies, no function bodies, no defaults). Same settings as the
-- export: one read-only transaction, no JIT.
\set QUIET on
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SET LOCAL jit = off;
SELECT pg_catalog.json_build_object(
  'roles', (SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
              'name', r.rolname, 'superuser', r.rolsuper, 'inherit', r.rolinherit, 'login', r.rolcanlogin,
              'createrole', r.rolcreaterole, 'bypassrls', r.rolbypassrls) ORDER BY r.rolname) FROM pg_catalog.pg_roles r),
  'memberships', (SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
              'role', g.rolname, 'member', m.rolname, 'admin', a.admin_option))
            FROM pg_catalog.pg_auth_members a JOIN pg_catalog.pg_roles g ON g.oid = a.roleid JOIN pg_catalog.pg_roles m ON m.oid = a.member),
  'relations', (SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
              'schema', n.nspname, 'name', c.relname, 'kind', c.relkind, 'owner', o.rolname, 'acl', c.relacl::text,
              'columns', (SELECT pg_catalog.json_agg(pg_catalog.json_build_object('name', a.attname, 'acl', a.attacl::text) ORDER BY a.attnum)
                          FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped))
              ORDER BY n.nspname, c.relname)
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace JOIN pg_catalog.pg_roles o ON o.oid = c.relowner
            WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p', 'S') AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_')
)::text;
COMMIT;
