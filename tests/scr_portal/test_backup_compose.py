"""The backup deployment (issue 22, docs/operations.md "Backups", ADR 0008) without Docker: the compose
file and deploy/postgres/Dockerfile parsed, and the backup service's entry script (deploy/backup/backup.sh)
run for real with a stand-in pgbackrest on PATH that records how it was called."""

import getpass
import os
import re
import shlex
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
POSTGRES_DOCKERFILE = REPO / "deploy" / "postgres" / "Dockerfile"
BACKUP_SCRIPT = REPO / "deploy" / "backup" / "backup.sh"
APP_SERVICES = ("web", "worker", "beat", "migrate")


def words(service: dict) -> list[str]:
    command = service.get("command") or []
    return shlex.split(command) if isinstance(command, str) else [str(word) for word in command]


def server_settings(postgres: dict) -> dict[str, str]:
    """The `-c name=value` settings of the postgres command."""
    command = words(postgres)
    return dict(command[i + 1].split("=", 1) for i, word in enumerate(command) if word == "-c")


def volume_targets(service: dict) -> dict[str, str]:
    """mount point -> "volume[:mode]"."""
    return {entry.split(":")[1]: entry for entry in service.get("volumes", [])}


# --- compose ----------------------------------------------------------------------------------------------


def test_postgres_archives_every_wal_segment_with_pgbackrest_within_a_minute(services):
    postgres = services["postgres"]
    assert postgres["build"]["dockerfile"] == "deploy/postgres/Dockerfile"
    settings = server_settings(postgres)
    assert settings["archive_mode"] == "on"
    assert settings["archive_command"] == "pgbackrest archive-push %p"
    # The recovery point objective is 5 minutes: a segment is closed and archived at least every minute.
    timeout = re.fullmatch(r"\$\{ARCHIVE_TIMEOUT_SECONDS:-(\d+)\}", settings["archive_timeout"])
    assert timeout and int(timeout.group(1)) <= 60


def test_backup_service_runs_the_schedule_in_the_postgres_image(services):
    backup, postgres = services["backup"], services["postgres"]
    assert backup["image"] == postgres["image"] and backup["build"] == postgres["build"]
    assert words(backup) == ["scr-backup", "schedule"]
    assert backup["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert not backup.get("profiles")
    assert backup["restart"] == "unless-stopped"


def test_backup_service_sees_the_data_the_socket_the_repository_and_the_media_read_only(compose, services):
    backup, postgres = volume_targets(services["backup"]), volume_targets(services["postgres"])
    for mount in ("/var/lib/postgresql/data", "/var/run/postgresql", "/var/lib/pgbackrest"):
        assert backup[mount] == postgres[mount]
    assert backup["/var/lib/scr-portal/media"] == "media:/var/lib/scr-portal/media:ro"
    assert {"pgbackrest-repo", "postgres-run", "backup-status"} <= set(compose["volumes"])


def test_repository_is_encrypted_with_a_passphrase_from_the_environment(services):
    for name in ("postgres", "backup"):
        environment = services[name]["environment"]
        assert environment["PGBACKREST_REPO1_CIPHER_TYPE"] == "aes-256-cbc"
        # Required, with no default: compose refuses to start without it, and it is never a literal here.
        assert re.fullmatch(r"\$\{BACKUP_CIPHER_PASS:\?[^}]+\}", environment["PGBACKREST_REPO1_CIPHER_PASS"])
        assert environment["PGBACKREST_REPO1_PATH"] == "/var/lib/pgbackrest"
    assert services["postgres"]["environment"] == {
        **{k: v for k, v in services["backup"]["environment"].items() if k.startswith("PGBACKREST_")},
        **{
            k: v
            for k, v in services["postgres"]["environment"].items()
            if k.startswith(("POSTGRES_", "SCR_DB_"))  # the superuser, and the two roles' init script
        },
    }


def test_the_portal_reads_the_backup_status_the_backup_service_writes(services):
    info_file = services["backup"]["environment"]["BACKUP_INFO_FILE"]
    for name in APP_SERVICES:
        environment = services[name]["environment"]
        assert environment["BACKUP_INFO_FILE"] == info_file
        assert environment["PGBACKREST_STANZA"] == services["backup"]["environment"]["PGBACKREST_STANZA"]
    assert volume_targets(services["web"])["/var/lib/scr-portal/backup-status"].endswith(":ro")
    assert volume_targets(services["backup"])["/var/lib/scr-portal/backup-status"].startswith(
        "backup-status:"
    )
    assert Path(info_file).parent == Path("/var/lib/scr-portal/backup-status")


def test_postgres_image_is_postgres_15_with_pgbackrest_and_the_entry_script():
    text = re.sub(r"\\\n", " ", POSTGRES_DOCKERFILE.read_text())
    assert re.search(r"^FROM postgres:15\b", text, re.MULTILINE)
    assert re.search(r"apt-get install .*\bpgbackrest\b.*\bopenssl\b", text)
    assert "COPY deploy/backup/backup.sh /usr/local/bin/scr-backup" in text
    assert "deploy" not in (REPO / ".dockerignore").read_text().split()


# --- the entry script, run without Docker -----------------------------------------------------------------

FAKE_PGBACKREST = """#!/bin/sh
echo "$*" >> "$FAKE_LOG"
case "$*" in
  *info*) echo '[{"name": "scr", "backup": [{"label": "L", "timestamp": {"start": 1, "stop": 2}}]}]' ;;
esac
"""


@pytest.fixture
def script(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "pgbackrest"
    fake.write_text(FAKE_PGBACKREST)
    fake.chmod(0o755)
    media = tmp_path / "media"
    (media / "files" / "ab").mkdir(parents=True)
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "FAKE_LOG": str(tmp_path / "pgbackrest.log"),
        "PGBACKREST_OS_USER": getpass.getuser(),
        "PGBACKREST_STANZA": "scr",
        "PGBACKREST_REPO1_PATH": str(tmp_path / "repo"),
        "PGBACKREST_REPO1_CIPHER_PASS": "not-a-real-passphrase",
        "MEDIA_ROOT": str(media),
        "BACKUP_INFO_FILE": str(tmp_path / "status" / "info.json"),
    }

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603
            ["bash", str(BACKUP_SCRIPT), *args], env={**env, **extra}, capture_output=True, text=True
        )

    run.tmp = tmp_path
    run.media = media
    run.calls = lambda: (tmp_path / "pgbackrest.log").read_text().splitlines()
    return run


def media_archives(repo: Path) -> list[str]:
    return sorted(path.name for path in (repo / "media").glob("media-*.tar.gz.enc"))


def test_first_tick_takes_a_full_backup_and_a_full_media_archive_then_only_media(script):
    (script.media / "files" / "ab" / "ab12").write_bytes(b"first")
    first = script("tick")
    assert first.returncode == 0, first.stderr
    assert script.calls() == ["stanza-create", "backup --type=full --start-fast", "info --output=json"]
    assert (script.tmp / "status" / "info.json").read_text().startswith('[{"name": "scr"')
    (full,) = media_archives(script.tmp / "repo")
    assert full.endswith("-full.tar.gz.enc")

    time.sleep(0.01)
    second = script("tick")
    assert second.returncode == 0, second.stderr
    assert script.calls()[3:] == ["info --output=json"]  # no base backup: the last is fresh
    assert [name.rsplit("-", 1)[1] for name in media_archives(script.tmp / "repo")] == [
        "full.tar.gz.enc",
        "incr.tar.gz.enc",
    ]

    third = script("tick", BACKUP_BASE_HOURS="0")
    assert third.returncode == 0, third.stderr
    assert "backup --type=diff --start-fast" in script.calls()[4:]


def test_media_archives_are_encrypted_and_restore_to_a_time_in_order(script):
    files = script.media / "files" / "ab"
    (files / "ab01").write_bytes(b"one")
    assert script("media").returncode == 0
    archive = next((script.tmp / "repo" / "media").glob("media-*"))
    assert archive.read_bytes().startswith(b"Salted__")  # openssl's encrypted format, not a readable tar
    time.sleep(1.1)
    chosen = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()) + " UTC"
    time.sleep(1.1)
    (files / "ab02").write_bytes(b"two")
    (files / "ab01").unlink()
    assert script("media").returncode == 0

    latest = script("media-restore", str(script.tmp / "latest"))
    assert latest.returncode == 0, latest.stderr
    assert sorted(p.name for p in (script.tmp / "latest" / "files" / "ab").iterdir()) == ["ab02"]
    earlier = script("media-restore", str(script.tmp / "earlier"), chosen)
    assert earlier.returncode == 0, earlier.stderr
    assert sorted(p.name for p in (script.tmp / "earlier" / "files" / "ab").iterdir()) == ["ab01"]
    assert (script.tmp / "earlier" / "files" / "ab" / "ab01").read_bytes() == b"one"

    wrong = script("media-restore", str(script.tmp / "wrong"), PGBACKREST_REPO1_CIPHER_PASS="wrong")
    assert wrong.returncode != 0


def test_no_passphrase_no_media_backup(script):
    result = script("media", PGBACKREST_REPO1_CIPHER_PASS="")
    assert result.returncode == 1 and "PGBACKREST_REPO1_CIPHER_PASS is not set" in result.stderr


def test_unknown_command_prints_usage(script):
    result = script("frobnicate")
    assert result.returncode == 2 and "usage:" in result.stderr
