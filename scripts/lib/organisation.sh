# Sourced by the benchmarks: a throwaway PostgreSQL cluster, and the support-organisation shape
# they build in it. Needs $bin (a PostgreSQL bin folder); sets $root and psql().
start_cluster() {
  root=$(mktemp -d /tmp/access-audit-bench.XXXXXX)
  as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$root"
  as_pg "$bin/initdb" -D "$root/data" -U postgres --auth=trust --no-sync >/dev/null
  as_pg "$bin/pg_ctl" -D "$root/data" -o "-k $root -c listen_addresses='' -c fsync=off -c max_locks_per_transaction=4096" -l "$root/log" -w start >/dev/null
  trap 'pid=$(head -1 "$root/data/postmaster.pid" 2>/dev/null || true); [ -n "$pid" ] && kill -INT "$pid"; sleep 1; rm -rf "$root"' EXIT
}

psql() { "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$root" -U postgres "$@"; }

# build_organisation DB SCALE [full]: at scale k, 10k top groups, 40k middle groups, 450k people
# (every seventh NOINHERIT), 20k schemas, 2,000k tables with SELECT to a middle group, column
# grants to a top group, INSERT to PUBLIC on every tenth. With `full`: default privileges per
# schema, and per schema a row-security policy, a definer view and a SQL-standard definer function.
build_organisation() {
  local db=$1 k=$2 full=${3:-}
  psql -d postgres -c "CREATE DATABASE $db" >/dev/null
  psql -d "$db" >/dev/null <<SQL
DO \$\$
DECLARE k int := $k; i int; extras boolean := '$full' = 'full';
BEGIN
  FOR i IN 0..(10*k - 1) LOOP EXECUTE format('CREATE ROLE ${db}_top%s NOLOGIN', i); END LOOP;
  FOR i IN 0..(40*k - 1) LOOP
    EXECUTE format('CREATE ROLE ${db}_mid%s NOLOGIN', i);
    EXECUTE format('GRANT ${db}_top%s TO ${db}_mid%s', i % (10*k), i);
  END LOOP;
  FOR i IN 0..(450*k - 1) LOOP
    EXECUTE format('CREATE ROLE ${db}_user%s LOGIN %s', i, CASE WHEN i % 7 = 0 THEN 'NOINHERIT' ELSE '' END);
    EXECUTE format('GRANT ${db}_mid%s TO ${db}_user%s', i % (40*k), i);
  END LOOP;
  FOR i IN 0..(20*k - 1) LOOP
    EXECUTE format('CREATE SCHEMA s%s; GRANT USAGE ON SCHEMA s%s TO ${db}_top%s', i, i, i % (10*k));
    IF extras THEN EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA s%s GRANT SELECT ON TABLES TO ${db}_top%s', i, i % (10*k)); END IF;
  END LOOP;
  FOR i IN 0..(2000*k - 1) LOOP
    EXECUTE format('CREATE TABLE s%s.t%s (id int, name text, email text, phone text, note text)', i % (20*k), i);
    EXECUTE format('GRANT SELECT ON s%s.t%s TO ${db}_mid%s', i % (20*k), i, i % (40*k));
    EXECUTE format('GRANT SELECT (id, name), UPDATE (note) ON s%s.t%s TO ${db}_top%s', i % (20*k), i, i % (10*k));
    IF i % 10 = 0 THEN EXECUTE format('GRANT INSERT ON s%s.t%s TO PUBLIC', i % (20*k), i); END IF;
  END LOOP;
  FOR i IN 0..(20*k - 1) LOOP
    EXIT WHEN NOT extras;
    EXECUTE format('ALTER TABLE s%s.t%s ENABLE ROW LEVEL SECURITY', i, i);
    EXECUTE format('CREATE POLICY own_region ON s%s.t%s USING (name = current_user)', i, i);
    EXECUTE format('CREATE VIEW s%s.contacts AS SELECT id, email FROM s%s.t%s', i, i, i);
    EXECUTE format('GRANT SELECT ON s%s.contacts TO ${db}_mid%s', i, i % (40*k));
    EXECUTE format('CREATE FUNCTION s%s.lookup(int) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER BEGIN ATOMIC SELECT phone FROM s%s.t%s WHERE id = \$1; END', i, i, i);
  END LOOP;
END
\$\$;
SQL
}
