#!/usr/bin/env bash
# Export benchmark: builds synthetic databases in a throwaway cluster and times the exporter.
#   S: 2,000 tables, 500 roles in 3-level memberships;  L: the same ×10 (20,000 tables, 5,000 roles).
# Usage: scripts/bench-export.sh [S|L|both]   (default both). Prints seconds, bytes and rows.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${1:-both}"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
swift build -c release --product access-audit-export >/dev/null
exporter="$(swift build -c release --show-bin-path)/access-audit-export"

root=$(mktemp -d /tmp/access-audit-bench.XXXXXX)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$root"
as_pg "$bin/initdb" -D "$root/data" -U postgres --auth=trust --no-sync >/dev/null
as_pg "$bin/pg_ctl" -D "$root/data" -o "-k $root -c listen_addresses='' -c fsync=off -c max_locks_per_transaction=4096" -l "$root/log" -w start >/dev/null
trap 'pid=$(head -1 "$root/data/postmaster.pid" 2>/dev/null || true); [ -n "$pid" ] && kill -INT "$pid"; sleep 1; rm -rf "$root"' EXIT
psql() { "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$root" -U postgres "$@"; }

build() { # $1 database, $2 scale
  local db=$1 k=$2
  psql -d postgres -c "CREATE DATABASE $db" >/dev/null
  psql -d "$db" >/dev/null <<SQL
DO \$\$
DECLARE k int := $k; i int;
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
  FOR i IN 0..(20*k - 1) LOOP EXECUTE format('CREATE SCHEMA s%s; GRANT USAGE ON SCHEMA s%s TO ${db}_top%s', i, i, i % (10*k)); END LOOP;
  FOR i IN 0..(2000*k - 1) LOOP
    EXECUTE format('CREATE TABLE s%s.t%s (id int, name text, email text, phone text, note text)', i % (20*k), i);
    EXECUTE format('GRANT SELECT ON s%s.t%s TO ${db}_mid%s', i % (20*k), i, i % (40*k));
    EXECUTE format('GRANT SELECT (id, name), UPDATE (note) ON s%s.t%s TO ${db}_top%s', i % (20*k), i, i % (10*k));
    IF i % 10 = 0 THEN EXECUTE format('GRANT INSERT ON s%s.t%s TO PUBLIC', i % (20*k), i); END IF;
  END LOOP;
END
\$\$;
SQL
}

run() { # $1 label, $2 scale
  local db="bench_$(echo "$1" | tr 'A-Z' 'a-z')"
  local t0=$(date +%s.%N); build "$db" "$2"; local t1=$(date +%s.%N)
  "$exporter" --url "postgres:///$db?host=$root&user=postgres" --output "$root/$db.json"
  local t2=$(date +%s.%N)
  local bytes=$(stat -c %s "$root/$db.json")
  local counts=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['row_counts'])" "$root/$db.json")
  printf '%s: build %.1f s, export %.2f s, snapshot %d bytes (%.1f MiB), rows %s\n' "$1" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$bytes" "$(echo "$bytes / 1048576" | bc -l)" "$counts"
}

case "$sizes" in
  S) run S 1 ;;
  L) run L 10 ;;
  *) run S 1; run L 10 ;;
esac
