#!/usr/bin/env bash
# Install the Debian (bookworm) packages the test suite needs, only when missing.
# Idempotent: when everything is present it prints one line and exits quickly.
set -euo pipefail

missing=()

# Installed means dpkg status "ii"; a package removed but not purged ("rc")
# leaves its metadata around and must not count.
pkg_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" == ii* ]]
}

have_cmds() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null || return 1
  done
}

need() {
  missing+=("$@")
}

compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || need postgresql
have_cmds redis-server redis-cli || need redis-server
[[ -x /usr/bin/chromium ]] || need chromium
[[ -x /usr/bin/chromedriver ]] || need chromium-driver
have_cmds pdftotext pdftoppm || need poppler-utils
[[ -x /usr/sbin/clamd ]] || need clamav-daemon
# The moved-clock pass of .ci/test.sh moves PostgreSQL's clock with libfaketime.
compgen -G '/usr/lib/*/faketime/libfaketime.so.1' >/dev/null || need libfaketime
# The restore drill (tests/integration/test_restore_drill.py) archives and restores with pgBackRest.
have_cmds pgbackrest || need pgbackrest

# WeasyPrint loads these via ctypes/cffi, so there is no binary to probe.
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
  pkg_installed "$pkg" || need "$pkg"
done

if ((${#missing[@]} == 0)); then
  echo "system packages: ok"
  exit 0
fi

echo "system packages: installing ${missing[*]}"

if ((EUID == 0)); then
  as_root=()
elif command -v sudo >/dev/null; then
  as_root=(sudo)
else
  echo "error: missing Debian packages: ${missing[*]}" >&2
  echo "error: not root and sudo is not available; run as root:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

# Another apt/dpkg run (e.g. unattended-upgrades on a fresh machine) may hold
# the locks: DPkg::Lock::Timeout makes apt-get wait for them instead of failing.
apt_get() {
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get -q -o DPkg::Lock::Timeout=600 "$@"
}

# The lists lock taken by "update" is not covered by DPkg::Lock::Timeout.
for attempt in 1 2 3 4 5 6 7 8; do
  apt_get update && break
  ((attempt < 8)) || exit 1
  echo "apt-get update failed (lock held?), retrying in 15 s" >&2
  sleep 15
done
apt_get install -y --no-install-recommends "${missing[@]}"
echo "system packages: ok"
