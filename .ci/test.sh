#!/usr/bin/env bash
# Runs the whole suite on throwaway PostgreSQL and Redis on loopback, then stops them.
#
# With no arguments (what `make test` and CI run) a second, moved-clock pass follows: the date-sensitive
# layers (documents, the clock and its reminders, the browser journeys) run again with "today"
# CLOCK_SHIFT_DAYS (400) ahead in the test process, the servers and workers it starts
# (scr_portal/settings/test.py) and PostgreSQL (libfaketime), so a test that leans on the day it was written
# fails here rather than on a later day. CLOCK_SHIFT_DAYS=0 skips it. With arguments, pytest runs them once
# (add TEST_CLOCK_SHIFT_DAYS=400 to run them moved; PostgreSQL keeps its clock then).
set -euo pipefail
cd "$(dirname "$0")/.."

trap '.ci/services.sh stop >/dev/null 2>&1 || true' EXIT
# Assigned first: a server that fails to start stops the run here (an `eval "$(…)"` alone would go on
# without a database and fall back to SQLite).
SERVICES_ENV="$(.ci/services.sh start)"
eval "${SERVICES_ENV}"
: "${DATABASE_URL:?the test services did not start}"
export DATABASE_URL DATABASE_OWNER_URL DATABASE_ADMIN_URL REDIS_URL CHROMIUM_PATH
export DJANGO_SETTINGS_MODULE=scr_portal.settings.test

.venv/bin/ruff check .
.venv/bin/lint-imports --no-cache >/dev/null || { .venv/bin/lint-imports --no-cache; exit 1; }
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null \
  || { echo "A model change has no migration: run manage.py makemigrations" >&2; exit 1; }

if (($# > 0)); then
  exec .venv/bin/pytest "$@"
fi

.venv/bin/pytest

SHIFT="${CLOCK_SHIFT_DAYS:-400}"
if ((SHIFT > 0)); then
  echo "moved-clock pass: today is ${SHIFT} days ahead"
  PG_FAKETIME="+${SHIFT}d" .ci/services.sh restart-pg
  TEST_CLOCK_SHIFT_DAYS="${SHIFT}" .venv/bin/pytest -p no:cacheprovider \
    tests/scr_portal/test_moved_clock.py tests/documents tests/scr_portal/clock \
    tests/integration/test_reminders_celery.py tests/e2e
fi
