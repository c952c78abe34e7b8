#!/usr/bin/env bash
# Runs the whole suite on throwaway PostgreSQL and Redis on loopback, then stops them.
set -euo pipefail
cd "$(dirname "$0")/.."

eval "$(.ci/services.sh start)"
trap '.ci/services.sh stop >/dev/null 2>&1 || true' EXIT
export DATABASE_URL REDIS_URL CHROMIUM_PATH
export DJANGO_SETTINGS_MODULE=scr_portal.settings.test

.venv/bin/ruff check .
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null \
  || { echo "A model change has no migration: run manage.py makemigrations" >&2; exit 1; }
.venv/bin/pytest "$@"
