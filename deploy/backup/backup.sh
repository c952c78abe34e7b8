#!/usr/bin/env bash
# The backup service's entry script (docker-compose.yml `backup`; docs/operations.md "Backups"; ADR 0008).
#
#   backup.sh schedule            run forever: `tick` every BACKUP_TICK_SECONDS (the compose command)
#   backup.sh tick                one round of the schedule: a base backup when one is due, then the media
#   backup.sh base full|diff|incr a pgBackRest base backup now
#   backup.sh media [full]        an encrypted, incremental archive of MEDIA_ROOT now (full: a new chain)
#   backup.sh media-restore DIR [UNTIL]
#                                 unpack the media archives into DIR: the last full one up to UNTIL (any
#                                 `date -d` time, default now) and the incremental ones after it up to UNTIL
#   backup.sh info                `pgbackrest info --output=json` into BACKUP_INFO_FILE (read by the portal)
#
# pgBackRest takes every option from PGBACKREST_* variables (PGBACKREST_STANZA, PGBACKREST_REPO1_PATH,
# PGBACKREST_REPO1_CIPHER_TYPE, PGBACKREST_REPO1_CIPHER_PASS, PGBACKREST_PG1_PATH, ...). The media
# archives are encrypted with the same passphrase (PGBACKREST_REPO1_CIPHER_PASS), which comes from the
# environment and is never written next to the backups.
#
# Schedule (all overridable): a full base backup every BACKUP_FULL_DAYS (7) days, a differential one when
# the last is BACKUP_BASE_HOURS (24) hours old; the media every tick (BACKUP_TICK_SECONDS, 300), a new
# media chain with each full base backup. The WAL is archived by PostgreSQL itself (archive_command), not
# here. Run as root, pgBackRest runs as PGBACKREST_OS_USER (postgres), the owner of the data directory.
set -euo pipefail

MEDIA_ROOT="${MEDIA_ROOT:-/var/lib/scr-portal/media}"
MEDIA_BACKUP_DIR="${MEDIA_BACKUP_DIR:-${PGBACKREST_REPO1_PATH:-/var/lib/pgbackrest}/media}"
MEDIA_RETENTION_DAYS="${MEDIA_RETENTION_DAYS:-35}"
BACKUP_STATE_DIR="${BACKUP_STATE_DIR:-${PGBACKREST_REPO1_PATH:-/var/lib/pgbackrest}/schedule}"
BACKUP_FULL_DAYS="${BACKUP_FULL_DAYS:-7}"
BACKUP_BASE_HOURS="${BACKUP_BASE_HOURS:-24}"
BACKUP_TICK_SECONDS="${BACKUP_TICK_SECONDS:-300}"
BACKUP_INFO_FILE="${BACKUP_INFO_FILE:-}"

log() {
  echo "backup: $(date -u +%Y-%m-%dT%H:%M:%SZ) $*" >&2
}

die() {
  log "$*"
  exit 1
}

pgbackrest_cmd() {
  if ((EUID == 0)); then
    (cd / && runuser -u "${PGBACKREST_OS_USER:-postgres}" -- pgbackrest "$@")
  else
    pgbackrest "$@"
  fi
}

cipher_pass() {
  [[ -n "${PGBACKREST_REPO1_CIPHER_PASS:-}" ]] || die "PGBACKREST_REPO1_CIPHER_PASS is not set"
}

# ------------------------------------------------------------------------------------------- database

base() {
  local type="${1:-}"
  [[ "${type}" =~ ^(full|diff|incr)$ ]] || die "usage: backup.sh base full|diff|incr"
  # Idempotent: creates the stanza the first time, checks it matches the cluster afterwards.
  pgbackrest_cmd stanza-create >/dev/null
  log "base backup (${type})"
  pgbackrest_cmd backup --type="${type}" --start-fast
}

info() {
  [[ -n "${BACKUP_INFO_FILE}" ]] || return 0
  mkdir -p "$(dirname "${BACKUP_INFO_FILE}")"
  pgbackrest_cmd info --output=json >"${BACKUP_INFO_FILE}.tmp"
  chmod 0644 "${BACKUP_INFO_FILE}.tmp"
  mv "${BACKUP_INFO_FILE}.tmp" "${BACKUP_INFO_FILE}"
}

# ---------------------------------------------------------------------------------------------- media

# Names sort in time order: media-20261205T084500123Z-full.tar.gz.enc (milliseconds, UTC).
stamp() {
  date -u -d "${1:-now}" +%Y%m%dT%H%M%S%3NZ
}

media() {
  cipher_pass
  [[ -d "${MEDIA_ROOT}" ]] || die "MEDIA_ROOT ${MEDIA_ROOT} does not exist"
  mkdir -p "${MEDIA_BACKUP_DIR}"
  chmod 0700 "${MEDIA_BACKUP_DIR}"
  local snar="${MEDIA_BACKUP_DIR}/media.snar" level=incr
  if [[ "${1:-}" == full || ! -f "${snar}" ]]; then
    rm -f "${snar}"
    level=full
  fi
  local name
  name="${MEDIA_BACKUP_DIR}/media-$(stamp)-${level}.tar.gz.enc"
  # GNU tar's listed-incremental: each archive holds the files new since the last and the list of files
  # that existed, so unpacking the chain in order gives the folder as it was, deletions included.
  tar --listed-incremental="${snar}" -C "${MEDIA_ROOT}" -czf - . |
    openssl enc -aes-256-cbc -pbkdf2 -salt -pass env:PGBACKREST_REPO1_CIPHER_PASS -out "${name}.part"
  mv "${name}.part" "${name}"
  log "media ${level}: $(basename "${name}")"
  find "${MEDIA_BACKUP_DIR}" -maxdepth 1 -name 'media-*.tar.gz.enc' -mtime "+${MEDIA_RETENTION_DAYS}" -delete
}

media_restore() {
  cipher_pass
  local target="${1:?usage: backup.sh media-restore DIR [UNTIL]}" until archives=() chain=() archive
  until="$(stamp "${2:-now}")"
  mapfile -t archives < <(find "${MEDIA_BACKUP_DIR}" -maxdepth 1 -name 'media-*.tar.gz.enc' -printf '%f\n' | sort)
  for archive in "${archives[@]}"; do
    [[ "${archive:6:19}" > "${until}" ]] && break
    [[ "${archive}" == *-full.tar.gz.enc ]] && chain=()
    chain+=("${archive}")
  done
  ((${#chain[@]} > 0)) || die "no media archive in ${MEDIA_BACKUP_DIR} up to ${until}"
  [[ "${chain[0]}" == *-full.tar.gz.enc ]] || die "the media chain up to ${until} has no full archive"
  mkdir -p "${target}"
  for archive in "${chain[@]}"; do
    log "media restore: ${archive}"
    openssl enc -d -aes-256-cbc -pbkdf2 -pass env:PGBACKREST_REPO1_CIPHER_PASS -in "${MEDIA_BACKUP_DIR}/${archive}" |
      tar --listed-incremental=/dev/null -C "${target}" -xzf -
  done
}

# ------------------------------------------------------------------------------------------- schedule

# Seconds since the moment recorded in the state file NAME (a very large number when never).
since() {
  local file="${BACKUP_STATE_DIR}/$1"
  if [[ -f "${file}" ]]; then
    echo $(($(date +%s) - $(<"${file}")))
  else
    echo 999999999
  fi
}

mark() {
  mkdir -p "${BACKUP_STATE_DIR}"
  date +%s >"${BACKUP_STATE_DIR}/$1"
}

tick() {
  if (($(since full) >= BACKUP_FULL_DAYS * 86400)); then
    base full
    mark full
    mark base
    media full
  elif (($(since base) >= BACKUP_BASE_HOURS * 3600)); then
    base diff
    mark base
    media
  else
    media
  fi
  mark media
  info
}

schedule() {
  log "schedule: full every ${BACKUP_FULL_DAYS} d, differential every ${BACKUP_BASE_HOURS} h," \
    "media every ${BACKUP_TICK_SECONDS} s"
  while true; do
    # A failed round is logged and retried at the next tick; /healthz and `manage.py backup_status`
    # show the backup growing old.
    tick || log "this round failed; retrying in ${BACKUP_TICK_SECONDS} s"
    sleep "${BACKUP_TICK_SECONDS}"
  done
}

main() {
  local command="${1:-}"
  shift || true
  case "${command}" in
    schedule) schedule ;;
    tick) tick ;;
    base)
      base "$@"
      info
      ;;
    media) media "$@" ;;
    media-restore) media_restore "$@" ;;
    info) info ;;
    *)
      echo "usage: $0 schedule|tick|base full|diff|incr|media [full]|media-restore DIR [UNTIL]|info" >&2
      exit 2
      ;;
  esac
}

main "$@"
