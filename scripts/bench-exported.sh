#!/usr/bin/env bash
# Audit benchmark on exported databases: builds a support-organisation-shaped database on a
# throwaway PostgreSQL cluster (scripts/lib/organisation.sh, `full`: the scripts/bench-export.sh
# shape plus default privileges, row security, a definer view and function per schema; S = 500
# roles / 2,000 tables, L = ×10), exports it with access-audit-export, and times `access-audit check` for
#   (a) data classes only (a first run), (b) an allow-list with about 5 % of grants missing,
#   (c) the policy `access-audit init` writes, alone (the round trip: nothing above info),
#   (d) `report`, the quarterly review, with init's policy, an accountable owner per role (25
#       teams) and the data classes: the decisions it asks for (rows of review-decisions.csv),
# printing wall time, peak memory and output bytes for each, next to CPython's json.load of the
# same snapshot measured in the same run, and whether init's files load and round-trip.
# Usage: scripts/bench-exported.sh [S|L|both]   (default L). Release build of access-audit in .build-bench.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${1:-L}"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
scratch=.build-bench
# The audit in release (its own scratch path: it does not link NIO, so no BoringSSL to compile);
# the exporter's speed is scripts/bench-export.sh's business, a debug build exports here.
swift build -c release --scratch-path "$scratch" --product access-audit >/dev/null
swift build --product access-audit-export >/dev/null
tools="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"
exporter="$(swift build --show-bin-path)/access-audit-export"

. scripts/lib/organisation.sh
start_cluster

measure() { # $1 label, $2 output file, rest: command. Prints "label: s, MiB peak, bytes".
  local label=$1 out=$2; shift 2
  local status=0
  /usr/bin/time -f '%e %M' -o "$root/time" "$@" >/dev/null 2>"$root/stderr" || status=$?
  read -r seconds kib < <(tail -1 "$root/time")
  printf '  %-44s %7.2f s  %7.0f MiB peak  %12d bytes  (exit %d)\n' "$label" "$seconds" "$(echo "$kib / 1024" | bc -l)" "$(stat -c %s "$out" 2>/dev/null || echo 0)" "$status"
}

run() { # $1 label, $2 scale
  local db="bench_$(echo "$1" | tr 'A-Z' 'a-z')"
  local t0=$(date +%s.%N); build_organisation "$db" "$2" full; local t1=$(date +%s.%N)
  "$exporter" --url "postgres:///$db?host=$root&user=postgres" --output "$root/$db.json"
  local t2=$(date +%s.%N)
  printf '%s: built in %.1f s, exported in %.2f s (%d bytes)\n' "$1" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$(stat -c %s "$root/$db.json")"
  local snapshot="$root/$db.json"
  # KEEP_SNAPSHOT=DIR keeps the exported snapshot for profiling.
  [ -n "${KEEP_SNAPSHOT:-}" ] && mkdir -p "$KEEP_SNAPSHOT" && cp "$snapshot" "$KEEP_SNAPSHOT/"
  mkdir -p "$root/$db-classes" "$root/$db-allow"
  printf 'version: 1\ndata_classes:\n  pii:\n    severity: critical\n    columns: ["s*.t*.email", "s*.t*.phone"]\n' > "$root/$db-classes/classes.yaml"
  measure "json.load (CPython)" /dev/null python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$snapshot"
  measure "init" "$root/$db-init/00-settings.yaml" "$tools/access-audit" init --snapshot "$snapshot" --output "$root/$db-init"
  "$tools/access-audit" init --snapshot "$snapshot" --output "$root/$db-init2" >/dev/null
  if diff -r "$root/$db-init" "$root/$db-init2" >/dev/null; then echo "  init twice: byte-identical"; else echo "  init twice: DIFFERENT"; fi
  largest=$(ls -S "$root/$db-init"/*.yaml | head -1)
  echo "  init files: $(ls "$root/$db-init"/*.yaml | wc -l), largest $(stat -c %s "$largest") bytes ($(basename "$largest"))"
  cp "$root/$db-init"/*.yaml "$root/$db-allow/"
  # (b) the same policy with every 20th declared grant removed: about 5 % of grants not allowed.
  for file in "$root/$db-allow"/*.yaml; do
    awk '/^      - \{(table|sequence|function|schema)/ { n++; if (n % 20 == 0) next } { print }' "$file" > "$file.tmp" && mv "$file.tmp" "$file"
  done
  cp "$root/$db-classes/classes.yaml" "$root/$db-allow/"
  measure "(a) check, data classes only" "$root/a.json" "$tools/access-audit" check --policies "$root/$db-classes" --snapshot "$snapshot" --format json --output "$root/a.json"
  measure "(a) check, SARIF" "$root/a.sarif" "$tools/access-audit" check --policies "$root/$db-classes" --snapshot "$snapshot" --format sarif --output "$root/a.sarif"
  measure "(b) check, allow-list with ~5 % missing" "$root/b.json" "$tools/access-audit" check --policies "$root/$db-allow" --snapshot "$snapshot" --format json --output "$root/b.json"
  measure "(c) check, init's policy" "$root/c.json" "$tools/access-audit" check --policies "$root/$db-init" --snapshot "$snapshot" --format json --output "$root/c.json"
  # (d) the review: init's roles each given one of 25 teams as accountable owner, and the data classes.
  mkdir -p "$root/$db-owned"
  for file in "$root/$db-init"/*.yaml; do
    awk '/^    # owner: \?/ { n++; print "    owner: team-" (n % 25) "@example.com"; next } { print }' "$file" > "$root/$db-owned/$(basename "$file")"
  done
  cp "$root/$db-classes/classes.yaml" "$root/$db-owned/"
  measure "(d) report, owners and data classes declared" "$root/d/report.html" "$tools/access-audit" report --policies "$root/$db-owned" --snapshot "$snapshot" --output-dir "$root/d"
  printf '  (d) decisions to make: %d; items by kind: %s; output %d bytes in %d files\n' \
    "$(($(wc -l < "$root/d/review-decisions.csv") - 1))" \
    "$(awk -F, 'NR > 1 { n[$3]++ } END { for (k in n) printf "%s %d, ", k, n[k] }' "$root/d/access.csv" | sed 's/, $//')" \
    "$(du -cb "$root/d"/* | tail -1 | cut -f1)" "$(ls "$root/d" | wc -l)"
  python3 - "$root/a.json" "$root/b.json" "$root/c.json" <<'PY'
import json, sys
for label, path in zip("abc", sys.argv[1:]):
    report = json.load(open(path))
    summary = report["summary"]
    above = {k: v for k, v in summary.items() if k in ("critical", "high", "medium", "low") and v}
    rules = {}
    for finding in report["findings"]:
        rules[finding["rule"]] = rules.get(finding["rule"], 0) + 1
    print(f"  ({label}) findings: {summary['total']} {above or '(nothing above info)'} by rule {dict(sorted(rules.items()))}")
PY
  gzip -c "$root/a.sarif" | wc -c | xargs printf '  (a) SARIF gzip: %d bytes (GitHub limit 10 MB)\n'
}

case "$sizes" in
  S) run S 1 ;;
  L) run L 10 ;;
  *) run S 1; run L 10 ;;
esac
