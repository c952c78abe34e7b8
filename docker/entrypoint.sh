#!/bin/sh
# The image's entry point (Dockerfile ENTRYPOINT): checks the database roles, then runs the command.
#
# - `python manage.py migrate` (the compose `migrate` service) needs DATABASE_OWNER_URL, the owner role
#   that owns the tables; it must be a different role from DATABASE_URL's.
# - Every other process (gunicorn, the Celery worker and beat, a management command) runs as the runtime
#   role of DATABASE_URL alone: started with the owner's credentials in its environment, it refuses.
#
# docs/security.md, "Database roles"; tests/scr_portal/test_compose_roles.py runs this script.
set -eu

user_of() {
  # postgres://user:password@host:port/db -> user
  printf '%s' "$1" | sed -E 's#^[A-Za-z0-9+.-]+://([^:@/]*).*#\1#'
}

case " $* " in
  *" manage.py migrate "*)
    : "${DATABASE_OWNER_URL:?entrypoint: migrate connects as the owner role: set DATABASE_OWNER_URL}"
    : "${DATABASE_URL:?entrypoint: set DATABASE_URL (the runtime role the owner grants to)}"
    if [ "$(user_of "${DATABASE_OWNER_URL}")" = "$(user_of "${DATABASE_URL}")" ]; then
      echo "entrypoint: DATABASE_URL and DATABASE_OWNER_URL name the same role; the portal must not own" \
        "its tables" >&2
      exit 64
    fi
    ;;
  *)
    if [ -n "${DATABASE_OWNER_URL:-}" ]; then
      echo "entrypoint: only migrate may have the owner role's DATABASE_OWNER_URL; web, worker and beat" \
        "connect as the runtime role of DATABASE_URL" >&2
      exit 64
    fi
    ;;
esac

exec "$@"
