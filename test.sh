#!/usr/bin/env bash
# Run every check and the whole test suite, on SQLite and on PostgreSQL.
#   ./test.sh             (CI=true makes the PostgreSQL run mandatory)
# PostgreSQL: DATABASE_URL_POSTGRES, default postgres://postgres@127.0.0.1:5432/semicluster
set -uo pipefail
cd "$(dirname "$0")"
./scripts/setup.sh || exit 1
export DJANGO_SETTINGS_MODULE=semicluster.config.settings.test
py=.venv/bin/python
failed=()
step() { echo; echo "=== $1"; }

step "ruff"
.venv/bin/ruff check . || failed+=("ruff check")
.venv/bin/ruff format --check . >/dev/null || { .venv/bin/ruff format --check . | tail -20; failed+=("ruff format"); }

step "mypy"
.venv/bin/mypy semicluster || failed+=("mypy")

step "migrations are up to date"
$py -m django makemigrations --check --dry-run -v1 || failed+=("makemigrations --check")

step "production settings pass check --deploy"
SECRET_KEY="ci-only-$(head -c 32 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')-deploy-check-key" \
  DJANGO_SETTINGS_MODULE=semicluster.config.settings.production \
  $py -m django check --deploy --fail-level WARNING || failed+=("check --deploy")

workers=$($py -c 'import os; print(min(2, os.cpu_count() or 1))')
step "tests on SQLite"
.venv/bin/pytest -n "$workers" -q -p no:randomly "$@" || failed+=("pytest on SQLite")

PG_URL=${DATABASE_URL_POSTGRES:-postgres://postgres@127.0.0.1:5432/semicluster}
step "tests on PostgreSQL ($PG_URL)"
if $py - "$PG_URL" <<'PY'
import sys
import psycopg
from urllib.parse import urlsplit
u = urlsplit(sys.argv[1])
try:
    psycopg.connect(host=u.hostname, port=u.port or 5432, user=u.username or "postgres",
                    password=u.password or None, dbname="postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}")
    sys.exit(1)
PY
then
  DATABASE_URL="$PG_URL" .venv/bin/pytest -n "$workers" -q "$@" || failed+=("pytest on PostgreSQL")
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true and PostgreSQL is not reachable: failing (the PostgreSQL run is never skipped in CI)."
  failed+=("PostgreSQL unreachable")
else
  echo "SKIPPED: the PostgreSQL run (no server reachable at $PG_URL). Only SQLite was tested."
fi

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "All checks passed."
