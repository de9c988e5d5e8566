#!/usr/bin/env bash
# Usage benchmark: `access-audit usage` (release) on a synthetic 1 GiB PostgreSQL stderr log with
# pgaudit records (scripts/lib/synthetic-pgaudit-log.py: 2,000 roles, 400 tables, multi-line
# statements, the other lines a server writes). Prints the time, the peak memory and the summary.
# Usage: scripts/bench-usage.sh [SIZE_MB] [teams|uniform]   (default 1024 teams; uniform: every
# role touches any table, the stress case for memory, which grows with distinct uses).
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-1024}"
shape="${2:-teams}"
swift build -c release --product access-audit >/dev/null
tool="$(swift build -c release --show-bin-path)/access-audit"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 scripts/lib/synthetic-pgaudit-log.py "$work/postgresql.log" "$size" "$shape"
echo "log: $(du -h "$work/postgresql.log" | cut -f1), $(wc -l < "$work/postgresql.log") lines"
/usr/bin/time -f "usage: %e s, peak memory %M KiB" "$tool" usage --log "$work/postgresql.log" \
  --log-line-prefix '%m [%p] %q%u@%d ' --output "$work/usage.json"
echo "usage.json: $(du -h "$work/usage.json" | cut -f1)"
