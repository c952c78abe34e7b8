#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis on 127.0.0.1 for the test suite.
#
#   .ci/services.sh start   start both (idempotent), write and print the env file
#   .ci/services.sh stop    stop both (harmless when not running)
#   .ci/services.sh env     print the env file written by "start"
#   .ci/services.sh restart-pg   stop and start PostgreSQL alone (with PG_FAKETIME: its clock moved)
#
# Usage in CI:  .ci/services.sh start && . .cache/services/env
#
# Settings: SERVICES_DIR (default: <repo>/.cache/services), PG_PORT (55432),
# REDIS_PORT (56379). Non-default ports avoid a system PostgreSQL/Redis.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Absolute, because PostgreSQL commands run from / (see as_pg).
SERVICES_DIR="$(realpath -m -- "${SERVICES_DIR:-${REPO}/.cache/services}")"
PG_PORT="${PG_PORT:-55432}"
REDIS_PORT="${REDIS_PORT:-56379}"
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

# Three roles: "scr" is the cluster's superuser (administration only: it creates the other two and the
# database); "scr_owner" owns the database and every table and runs migrations (and, in the test suite,
# creates the test database and empties tables between transactional tests); "scr_app" is what the
# portal's code connects as: not a superuser, owns nothing, and gets only the grants that the post_migrate
# handler (scr_portal/db_roles.py) gives it. docs/security.md, "Database roles".
PG_USER=scr
PG_OWNER=scr_owner
PG_APP=scr_app
PG_DB=scr_portal
PG_DIR="${SERVICES_DIR}/pg"
PG_DATA="${PG_DIR}/data"
PG_SOCKET_DIR="${PG_DIR}/run"
PG_LOG="${PG_DIR}/postgres.log"
REDIS_DIR="${SERVICES_DIR}/redis"
ENV_FILE="${SERVICES_DIR}/env"

# Progress goes to stderr so that stdout of "start"/"env" is only the env file.
log() {
  echo "services: $*" >&2
}

die() {
  log "$*"
  exit 1
}

# ---------------------------------------------------------------- PostgreSQL

# Sets PG_BIN: the binaries matching an existing data dir if still installed,
# else the newest installed server (version-sorted, so 9.6 < 15 < 16).
pg_bin() {
  local data_version="" dirs
  if [[ -f "${PG_DATA}/PG_VERSION" ]]; then
    data_version="$(<"${PG_DATA}/PG_VERSION")"
  fi
  if [[ -n "${data_version}" && -x "/usr/lib/postgresql/${data_version}/bin/postgres" ]]; then
    PG_BIN="/usr/lib/postgresql/${data_version}/bin"
    return 0
  fi
  mapfile -t dirs < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V)
  [[ -x "${dirs[-1]}/postgres" ]] ||
    die "no PostgreSQL server in /usr/lib/postgresql/*/bin (run .ci/ensure-system-packages.sh)"
  PG_BIN="${dirs[-1]}"
}

# PostgreSQL refuses to run as root, so as root every server-side command runs
# as the "postgres" system user, which owns ${PG_DIR}. cd / because the
# caller's cwd may not be readable by that user.
as_pg() {
  if ((EUID == 0)); then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

ensure_pg_user() {
  ((EUID == 0)) || return 0
  if ! getent passwd postgres >/dev/null; then
    useradd --system --user-group --home-dir /var/lib/postgresql \
      --no-create-home --shell /usr/sbin/nologin postgres
  fi
  # The postgres user needs search (x) permission on every ancestor of
  # ${PG_DIR}, e.g. when the repo lives under /root (mode 700). Top-down, so
  # that only the directories actually in the way are changed.
  local dir="" part parts
  IFS=/ read -ra parts <<<"${SERVICES_DIR#/}"
  for part in "${parts[@]}"; do
    dir="${dir}/${part}"
    if ! runuser -u postgres -- test -x "${dir}"; then
      log "chmod o+x ${dir} (so the postgres user can reach ${PG_DIR})"
      chmod o+x "${dir}"
    fi
  done
}

pg_running() {
  [[ -f "${PG_DATA}/PG_VERSION" ]] && as_pg "${PG_BIN}/pg_ctl" -D "${PG_DATA}" status >/dev/null 2>&1
}

pg_init() {
  local version
  version="$(basename "$(dirname "${PG_BIN}")")"
  if [[ -f "${PG_DATA}/PG_VERSION" ]]; then
    [[ "$(<"${PG_DATA}/PG_VERSION")" == "${version}" ]] && return 0
    # The server that created it is gone; the data is throwaway anyway.
    log "discarding ${PG_DATA} from PostgreSQL $(<"${PG_DATA}/PG_VERSION")"
  fi
  log "initdb ${PG_DATA} (PostgreSQL ${version})"
  rm -rf "${PG_DATA}"
  mkdir -p "${PG_DATA}" "${PG_SOCKET_DIR}"
  if ((EUID == 0)); then
    chown -R postgres:postgres "${PG_DIR}"
  fi
  chmod 700 "${PG_DATA}"
  as_pg "${PG_BIN}/initdb" -D "${PG_DATA}" -U "${PG_USER}" --auth=trust \
    -E UTF8 --locale=C --no-sync --no-instructions >"${PG_DIR}/initdb.log" 2>&1 ||
    die "initdb failed, see ${PG_DIR}/initdb.log"
  # Durability is pointless for a throwaway test database.
  as_pg tee -a "${PG_DATA}/postgresql.conf" >/dev/null <<'EOF'

# --- .ci/services.sh
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
include_if_exists = 'services.conf'
EOF
}

# Unix socket paths are limited to ~107 bytes; a deep checkout would make the
# server fail to start, so fall back to TCP only (all clients use TCP anyway).
pg_socket_dirs() {
  local sock="${PG_SOCKET_DIR}/.s.PGSQL.${PG_PORT}"
  if ((${#sock} > 100)); then
    log "${PG_SOCKET_DIR} is too long for a unix socket, using TCP only"
    printf ''
  else
    printf '%s' "${PG_SOCKET_DIR}"
  fi
}

pg_start() {
  pg_bin
  ensure_pg_user
  if pg_running; then
    log "postgres already running on 127.0.0.1:${PG_PORT}"
  else
    pg_init
    local socket_dirs
    socket_dirs="$(pg_socket_dirs)"
    # Rewritten on each start so PG_PORT changes take effect.
    as_pg tee "${PG_DATA}/services.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = ${PG_PORT}
unix_socket_directories = '${socket_dirs}'
EOF
    # PG_FAKETIME (e.g. "+400d"): the server's clock, so now() in SQL and in pghistory's triggers, moved
    # with libfaketime for the moved-clock pass of .ci/test.sh.
    local clock=()
    if [[ -n "${PG_FAKETIME:-}" ]]; then
      local lib
      lib="$(compgen -G '/usr/lib/*/faketime/libfaketime.so.1' | head -n 1)" ||
        die "PG_FAKETIME needs libfaketime (run .ci/ensure-system-packages.sh)"
      clock=(env "LD_PRELOAD=${lib}" "FAKETIME=${PG_FAKETIME}" FAKETIME_DONT_FAKE_MONOTONIC=1)
      log "postgres clock moved ${PG_FAKETIME}"
    fi
    as_pg "${clock[@]}" "${PG_BIN}/pg_ctl" -D "${PG_DATA}" -l "${PG_LOG}" -w -t 60 start >/dev/null || {
      tail -n 20 "${PG_LOG}" >&2 || true
      die "postgres failed to start (port ${PG_PORT} in use? see ${PG_LOG})"
    }
    log "postgres started on 127.0.0.1:${PG_PORT}"
  fi

  local psql=("${PG_BIN}/psql" -X -q -h 127.0.0.1 -p "${PG_PORT}" -U "${PG_USER}" -d postgres -v ON_ERROR_STOP=1)
  # The owner may create databases (pytest-django's test database); the runtime role may not.
  "${psql[@]}" <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${PG_OWNER}') THEN
    CREATE ROLE ${PG_OWNER} LOGIN CREATEDB NOSUPERUSER NOCREATEROLE;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${PG_APP}') THEN
    CREATE ROLE ${PG_APP} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END
\$\$;
SQL
  local exists
  exists="$("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '${PG_DB}'")"
  if [[ "${exists}" != 1 ]]; then
    "${psql[@]}" -c "CREATE DATABASE ${PG_DB} OWNER ${PG_OWNER}"
    log "created database ${PG_DB}"
  fi
  # A data directory made before the roles existed: hand its databases (and a left-over test database,
  # which pytest-django drops and creates again as the owner) to the owner.
  local name
  while read -r name; do
    [[ -n "${name}" ]] || continue
    "${psql[@]}" -c "ALTER DATABASE \"${name}\" OWNER TO ${PG_OWNER}"
    log "database ${name} now owned by ${PG_OWNER}"
  done < <("${psql[@]}" -tAc "SELECT datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba
    WHERE (datname = '${PG_DB}' OR datname LIKE 'test%') AND r.rolname <> '${PG_OWNER}'")
}

pg_stop() {
  if [[ -f "${PG_DATA}/PG_VERSION" ]]; then
    pg_bin
    if pg_running; then
      as_pg "${PG_BIN}/pg_ctl" -D "${PG_DATA}" -m fast -w stop >/dev/null
      log "postgres stopped"
      return 0
    fi
  fi
  log "postgres not running"
}

# --------------------------------------------------------------------- Redis

# redis-cli has no read timeout and would hang forever if something other
# than Redis holds the port.
redis_running() {
  [[ "$(timeout 2 redis-cli -h 127.0.0.1 -p "${REDIS_PORT}" ping 2>/dev/null)" == PONG ]]
}

redis_start() {
  command -v redis-server >/dev/null ||
    die "redis-server not installed (run .ci/ensure-system-packages.sh)"
  if redis_running; then
    log "redis already running on 127.0.0.1:${REDIS_PORT}"
    return 0
  fi
  # Fail fast rather than polling a port that something else answers on.
  if (exec 3<>"/dev/tcp/127.0.0.1/${REDIS_PORT}") 2>/dev/null; then
    die "port ${REDIS_PORT} is in use by something that is not Redis (set REDIS_PORT)"
  fi
  mkdir -p "${REDIS_DIR}"
  redis-server --port "${REDIS_PORT}" --bind 127.0.0.1 --daemonize yes \
    --dir "${REDIS_DIR}" --pidfile "${REDIS_DIR}/redis.pid" \
    --logfile "${REDIS_DIR}/redis.log" --save '' --appendonly no
  # --daemonize returns before the server accepts connections.
  local i
  for ((i = 0; i < 100; i++)); do
    if redis_running; then
      log "redis started on 127.0.0.1:${REDIS_PORT}"
      return 0
    fi
    sleep 0.05
  done
  tail -n 20 "${REDIS_DIR}/redis.log" >&2 || true
  die "redis failed to start (port ${REDIS_PORT} in use? see ${REDIS_DIR}/redis.log)"
}

redis_stop() {
  if ! command -v redis-cli >/dev/null || ! redis_running; then
    log "redis not running"
    return 0
  fi
  # The server drops the connection on SHUTDOWN, which redis-cli may report
  # as an error; success is checked by polling below.
  timeout 5 redis-cli -h 127.0.0.1 -p "${REDIS_PORT}" shutdown nosave >/dev/null 2>&1 || true
  local i
  for ((i = 0; i < 100; i++)); do
    if ! redis_running; then
      log "redis stopped"
      return 0
    fi
    sleep 0.05
  done
  die "redis on port ${REDIS_PORT} did not stop"
}

# ---------------------------------------------------------------------- clamd
# A real clamd for the upload-scanning tests. The official signature databases come from freshclam, which
# cannot reach its mirrors here, so clamd loads a one-signature database that finds the EICAR test string
# anywhere in a file. The scanning code is the same as against a full database.
CLAMD_DIR="${SERVICES_DIR}/clamd"
CLAMD_SOCKET="${CLAMD_DIR}/clamd.sock"
EICAR='X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'

clamd_start() {
  if [[ ! -x /usr/sbin/clamd ]]; then
    log "clamd not installed: upload-scanning tests will be skipped"
    return 0
  fi
  mkdir -p "${CLAMD_DIR}/db"
  if [[ -f "${CLAMD_DIR}/clamd.pid" ]] && kill -0 "$(cat "${CLAMD_DIR}/clamd.pid")" 2>/dev/null; then
    log "clamd already running"
    return 0
  fi
  printf 'Eicar-Test-Signature:0:*:%s\n' "$(printf '%s' "${EICAR}" | od -An -tx1 | tr -d ' \n')" \
    >"${CLAMD_DIR}/db/eicar.ndb"
  {
    echo "LocalSocket ${CLAMD_SOCKET}"
    echo "LocalSocketMode 666"
    echo "DatabaseDirectory ${CLAMD_DIR}/db"
    echo "PidFile ${CLAMD_DIR}/clamd.pid"
    echo "LogFile ${CLAMD_DIR}/clamd.log"
    echo "Foreground no"
    echo "StreamMaxLength 30M"
    if [[ "$(id -u)" == 0 ]]; then echo "User root"; fi
  } >"${CLAMD_DIR}/clamd.conf"
  rm -f "${CLAMD_SOCKET}"
  if ! /usr/sbin/clamd --config-file="${CLAMD_DIR}/clamd.conf" >/dev/null 2>&1; then
    tail -n 20 "${CLAMD_DIR}/clamd.log" >&2 || true
    log "clamd failed to start: upload-scanning tests will be skipped"
    return 0
  fi
  for _ in $(seq 1 100); do
    if [[ -S "${CLAMD_SOCKET}" ]]; then
      log "clamd started (${CLAMD_SOCKET})"
      return 0
    fi
    sleep 0.1
  done
  log "clamd did not open its socket: upload-scanning tests will be skipped"
}

clamd_stop() {
  if [[ -f "${CLAMD_DIR}/clamd.pid" ]] && kill -0 "$(cat "${CLAMD_DIR}/clamd.pid")" 2>/dev/null; then
    kill "$(cat "${CLAMD_DIR}/clamd.pid")" 2>/dev/null || true
    log "clamd stopped"
  fi
  rm -f "${CLAMD_SOCKET}" "${CLAMD_DIR}/clamd.pid"
}

# ----------------------------------------------------------------------- main

write_env() {
  cat >"${ENV_FILE}" <<EOF
export DATABASE_URL=postgres://${PG_APP}@127.0.0.1:${PG_PORT}/${PG_DB}
export DATABASE_OWNER_URL=postgres://${PG_OWNER}@127.0.0.1:${PG_PORT}/${PG_DB}
export DATABASE_ADMIN_URL=postgres://${PG_USER}@127.0.0.1:${PG_PORT}/postgres
export REDIS_URL=redis://127.0.0.1:${REDIS_PORT}/0
export CHROMIUM_PATH=${CHROMIUM_PATH}
EOF
  if [[ -S "${CLAMD_SOCKET}" ]]; then
    echo "export CLAMAV_SOCKET=${CLAMD_SOCKET}" >>"${ENV_FILE}"
  fi
}

usage() {
  echo "usage: $0 start|stop|restart-pg|env" >&2
  exit 2
}

main() {
  (($# == 1)) || usage
  case "$1" in
    start)
      mkdir -p "${SERVICES_DIR}"
      pg_start
      redis_start
      clamd_start
      write_env
      cat "${ENV_FILE}"
      ;;
    restart-pg)
      pg_stop
      pg_start
      ;;
    stop)
      pg_stop
      redis_stop
      clamd_stop
      ;;
    env)
      [[ -f "${ENV_FILE}" ]] || die "${ENV_FILE} missing; run: $0 start"
      cat "${ENV_FILE}"
      ;;
    *) usage ;;
  esac
}

main "$@"
