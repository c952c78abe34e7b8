#!/usr/bin/env bash
# Runs the whole suite on throwaway PostgreSQL and Redis on loopback, then stops them.
set -euo pipefail
cd "$(dirname "$0")/.."

trap '.ci/services.sh stop >/dev/null 2>&1 || true' EXIT
# Assigned first: a server that fails to start stops the run here (an `eval "$(…)"` alone would go on
# without a database and fall back to SQLite).
SERVICES_ENV="$(.ci/services.sh start)"
eval "${SERVICES_ENV}"
: "${DATABASE_URL:?the test services did not start}"
export DATABASE_URL REDIS_URL CHROMIUM_PATH
export DJANGO_SETTINGS_MODULE=scr_portal.settings.test

.venv/bin/ruff check .
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null \
  || { echo "A model change has no migration: run manage.py makemigrations" >&2; exit 1; }
.venv/bin/pytest "$@"
