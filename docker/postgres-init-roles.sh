#!/bin/sh
# Run once by the postgres image when its data volume is first created (mounted into
# /docker-entrypoint-initdb.d/ by docker-compose.yml). POSTGRES_USER is the image's superuser, kept for
# administration (backups, this script) and never used by the portal. This creates:
#
# - SCR_DB_OWNER_USER: owns the database, its schema and every table; only `migrate` connects as it.
# - SCR_DB_APP_USER: web, worker and beat connect as it; not a superuser, owns nothing, cannot create
#   databases or roles; its table privileges are granted by the owner after every migration
#   (scr_portal/db_roles.py).
#
# docs/security.md, "Database roles"; tests/scr_portal/test_compose_roles.py runs this script against a
# throwaway PostgreSQL. For an existing volume, run the same statements by hand (docs/operations.md).
set -eu
: "${POSTGRES_USER:?}" "${POSTGRES_DB:?}"
: "${SCR_DB_OWNER_USER:?}" "${SCR_DB_OWNER_PASSWORD:?set SCR_DB_OWNER_PASSWORD}"
: "${SCR_DB_APP_USER:?}" "${SCR_DB_APP_PASSWORD:?set SCR_DB_APP_PASSWORD}"

psql -v ON_ERROR_STOP=1 -X -q --username "${POSTGRES_USER}" --dbname "${POSTGRES_DB}" \
  -v owner="${SCR_DB_OWNER_USER}" -v owner_password="${SCR_DB_OWNER_PASSWORD}" \
  -v app="${SCR_DB_APP_USER}" -v app_password="${SCR_DB_APP_PASSWORD}" -v db="${POSTGRES_DB}" <<'SQL'
CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_password';
ALTER DATABASE :"db" OWNER TO :"owner";
ALTER SCHEMA public OWNER TO :"owner";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
SQL
