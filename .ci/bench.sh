#!/usr/bin/env bash
# `make bench` (issue 10): the load test at the scale of every board in England.
#
#   1. starts the throwaway PostgreSQL and Redis of .ci/services.sh (as `make test` does);
#   2. creates the database scr_bench once, migrates it and seeds it with `seed_scale` (kept: a later run
#      reuses the data; BENCH_RESEED=1 starts again);
#   3. runs the background-job benchmarks (reminder sweep, PDFs), the exports' time in the request and the growth check (N then 3N boards in
#      a database of its own);
#   4. serves the portal with gunicorn on 127.0.0.1 (production settings, DEBUG off, the floor page on);
#   5. runs the load test from a second process (python -m portal_site.bench.run, which drives Locust
#      headless: the think-time levels, then the closed-loop saturation curve with the floor page alone at
#      each level), which writes the tables and docs/benchmarks-saturation.svg; then stops the gunicorn.
#
# Settings (environment): BENCH_BOARDS (150), BENCH_SCALE (1.0), BENCH_SEED (10), BENCH_USERS ("1,20,50"),
# BENCH_THINK mean seconds between a user's requests (1; 0 for a closed loop),
# BENCH_DURATION seconds per level (300), BENCH_MAX_REQUESTS per level (200000), BENCH_USER_BOARDS boards
# the virtual users come from (10), BENCH_WORKERS gunicorn workers (2 × CPUs + 1), BENCH_PORT (58000),
# BENCH_DB (scr_bench), BENCH_WRITE_DOCS (1), BENCH_JOBS (1: also the reminder-sweep and PDF benchmarks),
# BENCH_SATURATION closed-loop levels ("1,2,4,8,16"; "" to skip), BENCH_GROWTH (1: the N vs 3N growth
# check in its own database), BENCH_GROWTH_BOARDS N (15).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${REPO}"
PY="${REPO}/.venv/bin/python"

BOARDS="${BENCH_BOARDS:-150}"
SCALE="${BENCH_SCALE:-1.0}"
SEED="${BENCH_SEED:-10}"
USERS="${BENCH_USERS:-1,20,50}"
THINK="${BENCH_THINK:-1}"
DURATION="${BENCH_DURATION:-300}"
MAX_REQUESTS="${BENCH_MAX_REQUESTS:-200000}"
USER_BOARDS="${BENCH_USER_BOARDS:-10}"
WORKERS="${BENCH_WORKERS:-$((2 * $(nproc) + 1))}"
PORT="${BENCH_PORT:-58000}"
DB="${BENCH_DB:-scr_bench}"

# Assigned first: a server that fails to start stops the run here (an `eval "$(…)"` alone would go on
# without a database and fall back to SQLite).
SERVICES_ENV="$(.ci/services.sh start)"
eval "${SERVICES_ENV}"
: "${DATABASE_URL:?the test services did not start}"
export DATABASE_URL="${DATABASE_URL%/*}/${DB}"
# The owner role creates and migrates the benchmark database; the portal runs as DATABASE_URL's role.
export DATABASE_OWNER_URL="${DATABASE_OWNER_URL:-${DATABASE_URL}}"
export DATABASE_OWNER_URL="${DATABASE_OWNER_URL%/*}/${DB}"
export REDIS_URL CELERY_BROKER_URL="${REDIS_URL}"

# Production settings: a random secret for this run (sessions made by the load process use the same one).
export DJANGO_SETTINGS_MODULE=scr_portal.settings.prod
SECRET_KEY="$("${PY}" -c 'import secrets; print(secrets.token_urlsafe(64))')"
export SECRET_KEY DEBUG=0 ALLOWED_HOSTS=127.0.0.1,localhost BENCH_FLOOR_ENABLED=1 LOG_LEVEL=WARNING
# Requests say X-Forwarded-Proto: https, as behind the TLS proxy; the health check comes in plain.
export SECURE_SSL_REDIRECT=0 MEDIA_ROOT="${REPO}/.cache/bench/media" EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
mkdir -p "${MEDIA_ROOT}" .cache/bench

# fresh_database NAME [drop|keep]: drops NAME (unless keep), then creates it if it is not there (unless drop).
fresh_database() {
  "${PY}" - "$1" "${2:-fresh}" "${DATABASE_OWNER_URL}" <<'PYEOF'
import sys
from urllib.parse import urlsplit

import psycopg2

name, mode, owner_url = sys.argv[1:]
url = urlsplit(owner_url)
conn = psycopg2.connect(host=url.hostname, port=url.port, user=url.username, dbname="postgres")
conn.autocommit = True
with conn.cursor() as cursor:
    if mode != "keep":
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if mode != "drop":
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
PYEOF
}

if [[ "${BENCH_RESEED:-0}" == "1" ]]; then fresh_database "${DB}"; else fresh_database "${DB}" keep; fi

echo "bench: migrate ${DB}" >&2
"${PY}" manage.py migrate --no-input -v0
echo "bench: seed_scale --boards ${BOARDS} --scale ${SCALE} --seed ${SEED} (kept between runs)" >&2
# Seeding and the job benchmarks run as the tables' owner: they switch triggers off, delete their own rows
# and ANALYZE, which the portal's runtime role may not (scr_portal.db_roles). The server runs as that role.
AS_OWNER=(env DATABASE_URL="${DATABASE_OWNER_URL}")
"${AS_OWNER[@]}" "${PY}" manage.py seed_scale --boards "${BOARDS}" --scale "${SCALE}" --seed "${SEED}"
"${PY}" manage.py collectstatic --no-input -v0

WRITE=()
[[ "${BENCH_WRITE_DOCS:-1}" == "1" ]] && WRITE=(--write-docs)
rm -f .cache/bench/sweep.json .cache/bench/pdf.json

# The background jobs of the earlier issues, in the same run, each with the machine to itself.
if [[ "${BENCH_JOBS:-1}" == "1" ]]; then
  echo "bench: reminder sweep and PDF benchmarks" >&2
  "${AS_OWNER[@]}" "${PY}" manage.py bench_sweep --json .cache/bench/sweep.json "${WRITE[@]}" >&2
  "${PY}" manage.py bench_pdf --json .cache/bench/pdf.json "${WRITE[@]}" >&2
  ALLOWED_HOSTS="${ALLOWED_HOSTS},testserver" "${PY}" manage.py bench_exports "${WRITE[@]}" >&2
fi

# The growth check (issue 21, target 1): N then 3N boards in a database of its own, made afresh each run.
if [[ "${BENCH_GROWTH:-1}" == "1" ]]; then
  GROWTH_DB="${DB}_growth"
  echo "bench: growth check in ${GROWTH_DB}, ${BENCH_GROWTH_BOARDS:-15} then $((3 * ${BENCH_GROWTH_BOARDS:-15})) boards" >&2
  fresh_database "${GROWTH_DB}"
  DATABASE_URL="${DATABASE_OWNER_URL%/*}/${GROWTH_DB}" DATABASE_OWNER_URL="${DATABASE_OWNER_URL%/*}/${GROWTH_DB}" \
    ALLOWED_HOSTS="${ALLOWED_HOSTS},testserver" bash -c '
      "$0" manage.py migrate --no-input -v0 &&
      "$0" manage.py bench_growth --boards "$1" --json .cache/bench/growth.json "${@:2}"' \
    "${PY}" "${BENCH_GROWTH_BOARDS:-15}" "${WRITE[@]}" >&2
  fresh_database "${GROWTH_DB}" drop
fi

echo "bench: gunicorn, ${WORKERS} workers on 127.0.0.1:${PORT}" >&2
"${REPO}/.venv/bin/gunicorn" scr_portal.wsgi:application --bind "127.0.0.1:${PORT}" \
  --workers "${WORKERS}" --worker-class sync --timeout 120 --log-level warning \
  --error-logfile .cache/bench/gunicorn.log &
GUNICORN_PID=$!
trap 'kill "${GUNICORN_PID}" 2>/dev/null || true; wait "${GUNICORN_PID}" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  if "${PY}" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${PORT}/healthz', timeout=2)" 2>/dev/null; then
    break
  fi
  sleep 1
done

COMMAND="make bench (BENCH_BOARDS=${BOARDS} BENCH_SCALE=${SCALE} BENCH_USERS=${USERS} BENCH_DURATION=${DURATION} BENCH_THINK=${THINK})"
"${PY}" -m portal_site.bench.run --base-url "http://127.0.0.1:${PORT}" --users "${USERS}" \
  --boards "${USER_BOARDS}" --duration "${DURATION}" --max-requests "${MAX_REQUESTS}" \
  --think "${THINK}" --gunicorn-pid "${GUNICORN_PID}" --workers "${WORKERS}" --command "${COMMAND}" \
  --saturation "${BENCH_SATURATION:-1,2,4,8,16}" \
  --sweep-json .cache/bench/sweep.json --pdf-json .cache/bench/pdf.json "${WRITE[@]}"
