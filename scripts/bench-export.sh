#!/usr/bin/env bash
# Export benchmark: builds synthetic databases in a throwaway cluster and times, for each:
#   the release exporter (the query, then decoding and validating the snapshot before writing it),
#   sql/export-snapshot.sql through psql (the query alone), and
#   scripts/lib/plain-catalog-read.sql: one plain query reading the same catalogs (roles,
#   memberships, relations and columns with owners and ACLs) with nothing derived: the baseline.
#   S: 2,000 tables, 500 roles in 3-level memberships;  L: the same ×10 (20,000 tables, 5,000 roles).
# Prints the best of three for each, the export's ratio to the baseline and the growth from S to L.
# Usage: scripts/bench-export.sh [S|L|both]   (default both).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${1:-both}"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
swift build -c release --product access-audit-export >/dev/null
exporter="$(swift build -c release --show-bin-path)/access-audit-export"

. scripts/lib/organisation.sh
start_cluster
build() { build_organisation "$1" "$2"; }

best() { # best of three wall-clock seconds of the command
  local best=""
  for _ in 1 2 3; do
    local t0=$(date +%s.%N); "$@" >/dev/null; local t1=$(date +%s.%N)
    local took=$(echo "$t1 - $t0" | bc)
    if [ -z "$best" ] || [ "$(echo "$took < $best" | bc)" = 1 ]; then best=$took; fi
  done
  echo "$best"
}

declare -A query_seconds
run() { # $1 label, $2 scale
  local db="bench_$(echo "$1" | tr 'A-Z' 'a-z')"
  local t0=$(date +%s.%N); build "$db" "$2"; local t1=$(date +%s.%N)
  local tool=$(best "$exporter" --url "postgres:///$db?host=$root&user=postgres" --output "$root/$db.json")
  local query=$(best psql -d "$db" -XAt -f sql/export-snapshot.sql)
  local plain=$(best psql -d "$db" -XAt -f scripts/lib/plain-catalog-read.sql)
  query_seconds[$1]=$query
  local bytes=$(stat -c %s "$root/$db.json")
  local counts=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['row_counts'])" "$root/$db.json")
  printf '%s: build %.1f s; exporter %.2f s, export query (psql) %.2f s, plain catalog read %.2f s: the query is %.1f× the plain read; snapshot %d bytes (%.1f MiB), rows %s\n' \
    "$1" "$(echo "$t1 - $t0" | bc)" "$tool" "$query" "$plain" "$(echo "$query / $plain" | bc -l)" "$bytes" "$(echo "$bytes / 1048576" | bc -l)" "$counts"
}

case "$sizes" in
  S) run S 1 ;;
  L) run L 10 ;;
  *) run S 1; run L 10
     printf 'growth from S to L (10× the input): the export query %.1f×\n' "$(echo "${query_seconds[L]} / ${query_seconds[S]}" | bc -l)" ;;
esac
