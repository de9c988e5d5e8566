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

. scripts/lib/organisation.sh
start_cluster
build() { build_organisation "$1" "$2"; }

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
