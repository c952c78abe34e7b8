"""The container deployment uses the two database roles (docs/security.md, "Database roles"): the compose
file gives web, worker and beat the runtime role only and the one-shot migrate the owner too; the image's
entry point (docker/entrypoint.sh) enforces it; the postgres service's init script
(docker/postgres-init-roles.sh) creates the roles. Docker is not needed: the files are parsed, and the two
scripts are run here, the init script against the throwaway PostgreSQL of `make test`."""

import os
import re
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from .test_compose import APP_SERVICES, COMPOSE_FILE, dockerfile_instructions, environment, final_stage

REPO = Path(__file__).resolve().parents[2]
ENTRYPOINT = REPO / "docker" / "entrypoint.sh"
INIT_SCRIPT = REPO / "docker" / "postgres-init-roles.sh"
RUNTIME_URL = "postgres://scr_app:apppw@postgres:5432/scr_portal"
OWNER_URL = "postgres://scr_owner:ownerpw@postgres:5432/scr_portal"


@pytest.fixture(scope="module")
def services() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())["services"]


def url_user(url: str) -> str:
    return re.match(r"postgres://([^:@/]+)", url).group(1)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_web_worker_and_beat_connect_as_the_runtime_role_only(services, name):
    env = environment(services[name])
    assert url_user(env["DATABASE_URL"]) == "${SCR_DB_APP_USER"
    assert "POSTGRES_USER" not in env["DATABASE_URL"] and "POSTGRES_PASSWORD" not in env["DATABASE_URL"]
    assert "DATABASE_OWNER_URL" not in env


def test_migrate_alone_has_the_owner_role(services):
    env = environment(services["migrate"])
    assert url_user(env["DATABASE_OWNER_URL"]) == "${SCR_DB_OWNER_USER"
    assert "${SCR_DB_OWNER_PASSWORD:?" in env["DATABASE_OWNER_URL"]
    # Otherwise the same configuration as web (the runtime role it grants to, included).
    assert {k: v for k, v in env.items() if k != "DATABASE_OWNER_URL"} == environment(services["web"])


def test_postgres_creates_both_roles_on_first_start(services):
    postgres = services["postgres"]
    assert "./docker/postgres-init-roles.sh:/docker-entrypoint-initdb.d/10-roles.sh:ro" in postgres["volumes"]
    env = environment(postgres)
    for name in ("SCR_DB_OWNER_USER", "SCR_DB_APP_USER"):
        assert env[name]
    for name in ("SCR_DB_OWNER_PASSWORD", "SCR_DB_APP_PASSWORD"):
        assert re.fullmatch(rf"\$\{{{name}:\?[^}}]*\}}", env[name])


def test_the_image_starts_every_process_through_the_entry_point():
    stage = final_stage(dockerfile_instructions())
    entrypoints = [arguments for keyword, arguments in stage if keyword == "ENTRYPOINT"]
    assert entrypoints and "/app/docker/entrypoint.sh" in entrypoints[-1]
    assert os.access(ENTRYPOINT, os.X_OK) and os.access(INIT_SCRIPT, os.X_OK)
    ignored = (REPO / ".dockerignore").read_text().split()
    assert "docker" not in ignored and "docker/" not in ignored


def run_entrypoint(*command: str, **env: str) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ["PATH"]}
    return subprocess.run(  # noqa: S603
        ["/bin/sh", str(ENTRYPOINT), *command],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_entry_point_runs_web_worker_and_beat_as_the_runtime_role():
    result = run_entrypoint("echo", "celery", "-A", "scr_portal", "worker", DATABASE_URL=RUNTIME_URL)
    assert result.returncode == 0 and result.stdout.strip() == "celery -A scr_portal worker"


def test_entry_point_refuses_web_worker_and_beat_with_the_owner_credentials():
    result = run_entrypoint("echo", "gunicorn", DATABASE_URL=RUNTIME_URL, DATABASE_OWNER_URL=OWNER_URL)
    assert result.returncode == 64 and not result.stdout
    assert "only migrate" in result.stderr


def test_entry_point_runs_migrate_with_the_owner_role_and_refuses_it_without():
    ok = run_entrypoint(
        "echo",
        "python",
        "manage.py",
        "migrate",
        "--noinput",
        DATABASE_URL=RUNTIME_URL,
        DATABASE_OWNER_URL=OWNER_URL,
    )
    assert ok.returncode == 0 and ok.stdout.strip() == "python manage.py migrate --noinput"
    missing = run_entrypoint("echo", "python", "manage.py", "migrate", DATABASE_URL=RUNTIME_URL)
    assert missing.returncode != 0 and "DATABASE_OWNER_URL" in missing.stderr
    same = run_entrypoint(
        "echo", "python", "manage.py", "migrate", DATABASE_URL=OWNER_URL, DATABASE_OWNER_URL=OWNER_URL
    )
    assert same.returncode == 64 and "same role" in same.stderr


@pytest.mark.skipif(
    not os.environ.get("DATABASE_ADMIN_URL"), reason="needs the superuser of `make test`'s PostgreSQL"
)
def test_postgres_init_script_creates_an_owner_and_a_runtime_role_that_owns_nothing():
    import psycopg2

    admin = urlsplit(os.environ["DATABASE_ADMIN_URL"])
    suffix = uuid.uuid4().hex[:8]
    db, owner, app = f"initcheck_{suffix}", f"initcheck_owner_{suffix}", f"initcheck_app_{suffix}"
    connect = {"host": admin.hostname, "port": admin.port, "user": admin.username, "dbname": "postgres"}
    conn = psycopg2.connect(**connect)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{db}"')
        env = {
            "PATH": os.environ["PATH"],
            "PGHOST": admin.hostname,
            "PGPORT": str(admin.port),
            "POSTGRES_USER": admin.username,
            "POSTGRES_DB": db,
            "SCR_DB_OWNER_USER": owner,
            "SCR_DB_OWNER_PASSWORD": "owner-secret",
            "SCR_DB_APP_USER": app,
            "SCR_DB_APP_PASSWORD": "app-secret",
        }
        result = subprocess.run(  # noqa: S603
            ["/bin/sh", str(INIT_SCRIPT)], env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolpassword IS NOT NULL"
                " FROM pg_authid WHERE rolname IN (%s, %s) ORDER BY rolname = %s",
                [owner, app, app],
            )
            assert cursor.fetchall() == [(owner, False, False, False, True), (app, False, False, False, True)]
            cursor.execute("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [db])
            assert cursor.fetchone()[0] == owner
        check = psycopg2.connect(**{**connect, "dbname": db})
        with check.cursor() as cursor:
            cursor.execute("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'")
            assert cursor.fetchone()[0] == owner
            cursor.execute(
                "SELECT has_schema_privilege(%s, 'public', 'USAGE'),"
                " has_schema_privilege(%s, 'public', 'CREATE')",
                [app, app],
            )
            assert cursor.fetchone() == (True, False)
        check.close()
    finally:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            cursor.execute(f'DROP ROLE IF EXISTS "{app}"')
            cursor.execute(f'DROP ROLE IF EXISTS "{owner}"')
        conn.close()
