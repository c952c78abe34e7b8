"""Rules for the container deployment: docker-compose.yml and the Dockerfile (see docs/operations.md).

Reads the files as text/YAML only: no Docker engine, no Django database.
"""

import re
import shlex
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
DOCKERFILE = REPO / "Dockerfile"
SETTINGS_DIR = REPO / "scr_portal" / "settings"

APP_SERVICES = ("web", "worker", "documents", "beat")
REQUIRED_PRODUCTION_VARIABLES = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS")

# env("NAME", ...), env_bool("NAME", ...), env_int("NAME", ...), env_list("NAME", ...)
ENV_CALL = re.compile(r"""\benv(?:_bool|_int|_list)?\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""")


@pytest.fixture(scope="module")
def settings_variables() -> set[str]:
    """Every environment variable name the settings modules read, plus the one Django itself reads."""
    names = {"DJANGO_SETTINGS_MODULE"}
    for path in SETTINGS_DIR.glob("*.py"):
        names.update(ENV_CALL.findall(path.read_text()))
    return names


def environment(service: dict) -> dict[str, str | None]:
    """A service's `environment:`, in either of compose's forms (mapping, or list of NAME=value)."""
    raw = service.get("environment") or {}
    if isinstance(raw, dict):
        return {str(name): None if value is None else str(value) for name, value in raw.items()}
    pairs = (item.split("=", 1) for item in raw)
    return {pair[0]: pair[1] if len(pair) == 2 else None for pair in pairs}


def command_words(service: dict) -> list[str]:
    command = service.get("command") or []
    return shlex.split(command) if isinstance(command, str) else [str(word) for word in command]


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs of the Dockerfile, with line continuations joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, arguments = line.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    return instructions


# --- Services -------------------------------------------------------------------------------------


def test_compose_defines_web_worker_beat_postgres_redis_clamav_and_mailpit(services):
    assert {"web", "worker", "beat", "postgres", "redis", "clamav", "mailpit"} <= set(services)


def test_mailpit_runs_only_in_the_dev_profile(services):
    assert services["mailpit"].get("profiles") == ["dev"]


@pytest.mark.parametrize("name", [*APP_SERVICES, "postgres", "redis", "clamav"])
def test_production_services_are_not_hidden_behind_a_profile(services, name):
    assert not services[name].get("profiles")


def test_web_worker_and_beat_share_one_image_built_from_the_dockerfile(services):
    builds = {yaml.safe_dump(services[name].get("build"), sort_keys=True) for name in APP_SERVICES}
    images = {services[name].get("image") for name in APP_SERVICES}
    assert len(builds) == 1 and len(images) == 1
    build = services["web"]["build"]
    dockerfile = build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile"
    assert dockerfile == "Dockerfile"
    assert services["web"].get("image")


def test_one_off_migrate_service_uses_the_app_image_too(services):
    if "migrate" not in services:
        pytest.skip("migrations run inside the web command")
    assert services["migrate"].get("build") == services["web"].get("build")
    assert services["migrate"].get("image") == services["web"].get("image")


def test_beat_runs_exactly_one_replica(services):
    assert services["beat"]["deploy"]["replicas"] == 1


def test_documents_render_on_their_own_queue_one_at_a_time_with_a_memory_ceiling(services, settings):
    """PDFs and spreadsheet exports (CELERY_TASK_ROUTES) never share a worker with the reminder sweep."""
    documents = " ".join(command_words(services["documents"]))
    assert documents.startswith("celery -A scr_portal worker")
    assert f"--queues={settings.DOCUMENTS_QUEUE}" in documents and "--concurrency=1" in documents
    assert "--max-memory-per-child=" in documents
    assert "--queues=celery" in " ".join(command_words(services["worker"]))
    routes = settings.CELERY_TASK_ROUTES.values()
    assert all(route["queue"] == settings.DOCUMENTS_QUEUE for route in routes)


def test_worker_command_runs_celery_worker_for_scr_portal(services):
    assert " ".join(command_words(services["worker"])).startswith("celery -A scr_portal worker")


def test_beat_command_runs_celery_beat_for_scr_portal(services):
    assert " ".join(command_words(services["beat"])).startswith("celery -A scr_portal beat")


def test_web_command_runs_gunicorn_with_the_scr_portal_wsgi_application(services):
    words = command_words(services["web"])
    assert "gunicorn" in words
    assert "scr_portal.wsgi:application" in words


def test_migrations_run_before_web_starts(services):
    web_command = " ".join(command_words(services["web"]))
    if "migrate --noinput" in web_command:
        return
    assert " ".join(command_words(services["migrate"])) == "python manage.py migrate --noinput"
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


@pytest.mark.parametrize("name", [*APP_SERVICES, "migrate"])
def test_app_services_wait_for_healthy_postgres_and_redis(services, name):
    if name not in services:
        pytest.skip(f"no {name} service")
    depends_on = services[name]["depends_on"]
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


def test_redis_appends_every_write_to_disk_and_never_evicts_keys(services):
    command = " ".join(command_words(services["redis"]))
    assert "--appendonly yes" in command
    assert "--maxmemory-policy noeviction" in command
    assert services["redis"].get("volumes")
    assert services["redis"].get("healthcheck")


def test_the_page_cache_has_a_redis_of_its_own_that_evicts_and_keeps_nothing(services):
    command = " ".join(command_words(services["cache"]))
    assert "--maxmemory-policy allkeys-lru" in command
    assert "--appendonly no" in command
    assert not services["cache"].get("volumes")
    for name in APP_SERVICES:
        assert services[name]["environment"]["PAGE_CACHE_URL"] == "redis://cache:6379/0"


def test_postgres_is_version_15_with_a_named_volume_and_a_pg_isready_healthcheck(compose, services):
    postgres = services["postgres"]
    assert postgres["image"].split(":")[1].startswith("15")
    volume = postgres["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])


def test_clamav_service_has_a_healthcheck(services):
    assert services["clamav"]["image"].startswith("clamav/clamav")
    assert services["clamav"]["healthcheck"]["test"]


# --- Environment ----------------------------------------------------------------------------------


def test_settings_parser_finds_the_variables_it_must_check(settings_variables):
    # Guards the next test against passing vacuously if the settings stop using env()/env_*().
    assert {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"} <= settings_variables
    assert {"SESSION_IDLE_SECONDS", "SECURE_HSTS_SECONDS", "CSRF_TRUSTED_ORIGINS"} <= settings_variables


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_environment_names_are_all_read_by_the_settings(services, settings_variables, name):
    unknown = set(environment(services[name])) - settings_variables
    assert not unknown, f"{name} is given variables no settings module reads: {sorted(unknown)}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_environment_gives_the_required_production_variables(services, name):
    given = environment(services[name])
    missing = [variable for variable in REQUIRED_PRODUCTION_VARIABLES if not given.get(variable)]
    assert not missing


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_runs_the_production_settings(services, name):
    assert environment(services[name])["DJANGO_SETTINGS_MODULE"] == "scr_portal.settings.prod"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_environment_is_identical_across_web_worker_and_beat(services, name):
    assert environment(services[name]) == environment(services["web"])


def test_secret_key_and_postgres_password_have_no_default_and_are_required(services):
    secret_key = environment(services["web"])["SECRET_KEY"]
    postgres_password = environment(services["postgres"])["POSTGRES_PASSWORD"]
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]*\}", secret_key)
    assert re.fullmatch(r"\$\{POSTGRES_PASSWORD:\?[^}]*\}", postgres_password)
    # The portal connects as the runtime role, with its own required password (test_compose_roles.py).
    assert "${SCR_DB_APP_PASSWORD:?" in environment(services["web"])["DATABASE_URL"]


def test_app_is_not_told_debug_on(services):
    for name in APP_SERVICES:
        assert environment(services[name]).get("DEBUG") in (None, "false", "False", "0")


# --- Dockerfile -----------------------------------------------------------------------------------


def final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    last_from = max(index for index, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def test_dockerfile_default_command_runs_gunicorn_with_the_scr_portal_wsgi_application():
    stage = final_stage(dockerfile_instructions())
    last = {keyword: arguments for keyword, arguments in stage if keyword in {"CMD", "ENTRYPOINT"}}
    assert last, "the final stage has no CMD or ENTRYPOINT"
    default_command = " ".join(last.values())
    assert "gunicorn" in default_command
    assert "scr_portal.wsgi:application" in default_command


def test_dockerfile_does_not_run_as_root():
    users = [arguments for keyword, arguments in final_stage(dockerfile_instructions()) if keyword == "USER"]
    assert users, "the final stage has no USER line, so it runs as root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}


def test_dockerfile_runs_the_production_settings():
    text = DOCKERFILE.read_text()
    assert "DJANGO_SETTINGS_MODULE=scr_portal.settings.prod" in text
