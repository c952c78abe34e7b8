"""The restore drill (issue 22, docs/operations.md "Restoring", ADR 0008).

On a throwaway PostgreSQL cluster of its own, archiving its write-ahead log with pgBackRest into an
encrypted repository: migrate, create case data through the services, take a base backup and a media
backup with the backup service's own script (deploy/backup/backup.sh), write more, then lose the primary
(kill -9 while a writer goes on, data directory removed) and restore from the repository alone. Reports
the recovery point (what was lost) and the restore time. A second case restores to a chosen earlier time.
"""

import datetime as dt
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parents[2]
BACKUP_SCRIPT = ROOT / "deploy" / "backup" / "backup.sh"
STANZA = "drill"
# Production archives at least every 60 s (docker-compose.yml); the drill every 5 s so that it sees a few
# segments archived while the writer runs, and stays short.
ARCHIVE_TIMEOUT = 5
WRITER_SECONDS = 3 * ARCHIVE_TIMEOUT

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        shutil.which("pgbackrest") is None,
        reason="pgbackrest is not installed (.ci/ensure-system-packages.sh installs it)",
    ),
]


def pg_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parts[-3]))
    if not versions:
        pytest.skip("no PostgreSQL server installed")
    return versions[-1].parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_pg(args: list, **kwargs) -> subprocess.CompletedProcess:
    """PostgreSQL and pgBackRest refuse to run as root: as root, run them as the postgres system user."""
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *map(str, args)]
    kwargs.setdefault("check", True)
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    kwargs.setdefault("cwd", "/")
    try:
        return subprocess.run(args, **kwargs)  # noqa: S603
    except subprocess.CalledProcessError as error:
        pytest.fail(f"{' '.join(map(str, args))} failed:\n{error.stdout}\n{error.stderr}")


def give_to_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(path, entry.pw_uid, entry.pw_gid)


class Drill:
    def __init__(self, base: Path):
        self.base = base
        self.bin = pg_bin()
        self.repo = base / "repo"
        self.run = base / "run"
        self.media = base / "media"
        self.media_backups = base / "media-backups"
        for path in (self.repo, self.run, base / "lock", base / "clusters", base / "logs"):
            path.mkdir(mode=0o750)
            give_to_postgres(path)
        self.media.mkdir()
        # pgBackRest's options, as the backup service gets them; the passphrase is generated here and
        # lives only in this process's environment, never in the repository.
        self.env = {
            **os.environ,
            "PGBACKREST_STANZA": STANZA,
            "PGBACKREST_REPO1_PATH": str(self.repo),
            "PGBACKREST_REPO1_CIPHER_TYPE": "aes-256-cbc",
            "PGBACKREST_REPO1_CIPHER_PASS": secrets.token_urlsafe(32),
            "PGBACKREST_REPO1_RETENTION_FULL": "2",
            "PGBACKREST_PG1_SOCKET_PATH": str(self.run),
            "PGBACKREST_PG1_USER": "scr",
            "PGBACKREST_LOCK_PATH": str(base / "lock"),
            "PGBACKREST_LOG_LEVEL_FILE": "off",
            "PGBACKREST_LOG_LEVEL_CONSOLE": "warn",
            "PGBACKREST_COMPRESS_TYPE": "lz4",
            "MEDIA_ROOT": str(self.media),
            "MEDIA_BACKUP_DIR": str(self.media_backups),
            "BACKUP_INFO_FILE": str(base / "info.json"),
        }
        self.data = None
        self.port = None

    # ---------------------------------------------------------------------------- the cluster

    def pg_env(self, data: Path, port: int) -> dict:
        return {**self.env, "PGBACKREST_PG1_PATH": str(data), "PGBACKREST_PG1_PORT": str(port)}

    def init_primary(self) -> None:
        self.data, self.port = self.base / "clusters" / "primary", free_port()
        as_pg([self.bin / "initdb", "-D", self.data, "-U", "scr", "--auth=trust", "-E", "UTF8",
               "--locale=C", "--no-sync", "--no-instructions"])  # fmt: skip
        conf = (
            "\n# --- restore drill\n"
            "fsync = off\n"
            "wal_level = replica\n"
            "archive_mode = on\n"
            f"archive_command = 'pgbackrest --stanza={STANZA} archive-push %p'\n"
            f"archive_timeout = {ARCHIVE_TIMEOUT}\n"
        )
        as_pg(["tee", "-a", self.data / "postgresql.conf"], input=conf)

    def start(self, data: Path, port: int, *options: str) -> None:
        opts = " ".join(
            [f"-c port={port}", "-c listen_addresses=127.0.0.1", f"-c unix_socket_directories={self.run}",
             *options]
        )  # fmt: skip
        log = self.base / "logs" / f"{data.name}.log"
        as_pg([self.bin / "pg_ctl", "-D", data, "-l", log, "-o", opts, "-w", "-t", "120", "start"],
              env=self.pg_env(data, port))  # fmt: skip

    def stop(self, data: Path) -> None:
        as_pg([self.bin / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"], check=False)

    def connect(self, port: int, dbname: str = "scr_portal"):
        connection = psycopg2.connect(host="127.0.0.1", port=port, user="scr", dbname=dbname)
        connection.autocommit = True
        return connection

    def sql(self, port: int, query: str, dbname: str = "scr_portal"):
        connection = self.connect(port, dbname)
        try:
            with connection.cursor() as cursor:
                cursor.execute(query)
                return cursor.fetchall() if cursor.description else None
        finally:
            connection.close()

    def wait_promoted(self, port: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while self.sql(port, "SELECT pg_is_in_recovery()", "postgres")[0][0]:
            assert time.monotonic() < deadline, "the restored server never finished recovery"
            time.sleep(0.2)

    def lose_primary(self) -> float:
        """kill -9 the postmaster and every process it started, at once; then remove the data directory.
        Returns the moment (time.time()) of the kill."""
        pid = int((self.data / "postmaster.pid").read_text().split()[0])
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        killed_at = time.time()
        for process in [pid, *map(int, children)]:
            try:
                os.kill(process, signal.SIGKILL)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.data)
        return killed_at

    # ------------------------------------------------------------------------------ the tools

    def backup(self, *args: str) -> None:
        env = self.pg_env(self.data, self.port)
        result = subprocess.run([BACKUP_SCRIPT, *args], env=env, capture_output=True, text=True)  # noqa: S603
        assert result.returncode == 0, f"backup.sh {' '.join(args)}:\n{result.stdout}\n{result.stderr}"

    def restore(self, name: str, *options: str) -> tuple[Path, int]:
        """A fresh data directory from the repository alone, started (no archiving from it: the drill's
        repository stays as the primary left it)."""
        data, port = self.base / "clusters" / name, free_port()
        # --delta as in the runbook (docs/operations.md "Restoring"), where the data volume may still exist.
        as_pg(
            ["pgbackrest", f"--pg1-path={data}", "restore", "--delta", *options], env=self.pg_env(data, port)
        )
        self.start(data, port, "-c archive_mode=off")
        self.wait_promoted(port)
        return data, port

    def django(self, port: int, media: Path, *args: str, returncode: int = 0, **extra_env: str) -> dict:
        env = {
            key: value
            for key, value in os.environ.items()
            if key
            not in {
                "DATABASE_URL",
                "DATABASE_OWNER_URL",  # the suite's roles: the drill's own cluster has one role only
                "DATABASE_ADMIN_URL",
                "REDIS_URL",
                "CELERY_BROKER_URL",
                "CLAMAV_SOCKET",
            }
        }
        env.update(
            DJANGO_SETTINGS_MODULE="scr_portal.settings.test",
            DATABASE_URL=f"postgres://scr@127.0.0.1:{port}/scr_portal",
            # Tasks queued by the services go nowhere: no worker of another test may pick them up.
            REDIS_URL="memory://",
            MEDIA_ROOT=str(media),
            **extra_env,
        )
        result = subprocess.run(  # noqa: S603
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        assert result.returncode == returncode, f"{args}:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
        lines = result.stdout.strip().splitlines()
        return json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {"stdout": result.stdout}

    def data_step(self, port: int, media: Path, *args: str) -> dict:
        started = time.monotonic()
        try:
            return self.django(port, media, "-m", "tests.integration.restore_drill_data", *args)
        finally:
            print(f"drill step {args[0]}: {time.monotonic() - started:.1f} s", file=sys.stderr)


class Writer(threading.Thread):
    """Commits a numbered row every 20 ms until the server goes away; remembers when each was committed."""

    def __init__(self, drill: Drill):
        super().__init__(daemon=True)
        self.drill = drill
        self.committed: dict[int, float] = {}

    def run(self) -> None:
        connection = self.drill.connect(self.drill.port)
        number = 0
        try:
            with connection.cursor() as cursor:
                while True:
                    number += 1
                    cursor.execute("INSERT INTO drill_writes (n) VALUES (%s)", [number])
                    self.committed[number] = time.time()
                    time.sleep(0.02)
        except psycopg2.Error:
            pass


@pytest.fixture(scope="module")
def drill():
    base = Path(tempfile.mkdtemp(prefix="scr-restore-drill-", dir="/tmp"))
    base.chmod(0o755)
    drill = Drill(base)
    timings = {}
    try:
        drill.init_primary()
        drill.start(drill.data, drill.port)
        drill.sql(drill.port, "CREATE DATABASE scr_portal", "postgres")
        started = time.monotonic()
        drill.django(drill.port, drill.media, "manage.py", "migrate", "--noinput")
        timings["migrate"] = time.monotonic() - started
        drill.sql(
            drill.port,
            "CREATE TABLE drill_writes (n int PRIMARY KEY, at timestamptz DEFAULT clock_timestamp())",
        )

        drill.reports = {"case": drill.data_step(drill.port, drill.media, "case")}
        started = time.monotonic()
        drill.backup("base", "full")
        drill.backup("media", "full")
        timings["base backup"] = time.monotonic() - started

        # Written after the base backup: reached by replaying the archived WAL. The chosen time lies
        # between the two batches.
        drill.reports["before"] = drill.data_step(drill.port, drill.media, "more", "before")
        drill.backup("media")
        time.sleep(1.1)
        drill.chosen_time = drill.sql(drill.port, "SELECT clock_timestamp()")[0][0]
        time.sleep(1.1)
        drill.reports["after"] = drill.data_step(drill.port, drill.media, "more", "after")
        drill.backup("media")
        # The operators' check, on the live cluster: the base backup just taken, WAL archived as written.
        drill.status = drill.django(
            drill.port, drill.media, "manage.py", "backup_status",
            PGBACKREST_STANZA=STANZA, BACKUP_INFO_FILE=drill.env["BACKUP_INFO_FILE"],
        )  # fmt: skip

        # Uploaded after the last media backup: the row comes back with the WAL, the file cannot.
        drill.reports["late"] = drill.data_step(drill.port, drill.media, "late-upload")

        writer = Writer(drill)
        writer.start()
        time.sleep(WRITER_SECONDS)
        drill.killed_at = drill.lose_primary()
        writer.join(timeout=30)
        drill.writer = writer
        drill.timings = timings
        yield drill
    finally:
        for cluster in (base / "clusters").glob("*"):
            if (cluster / "postmaster.pid").exists():
                drill.stop(cluster)
        shutil.rmtree(base, ignore_errors=True)


def comparable(report: dict) -> dict:
    return {key: value for key, value in report.items() if key != "sign_in"}


def test_losing_the_primary_loses_only_the_writes_after_the_last_archived_segment(drill, capsys):
    started = time.monotonic()
    data, port = drill.restore("restored")
    media = drill.base / "media-restored"
    drill.backup("media-restore", str(media))
    restore_seconds = time.monotonic() - started

    # Everything written before the primary was lost and archived is there: case rows, files, access log.
    # The one file uploaded after the last media backup is reported missing, by name.
    restored = drill.data_step(port, media, "report")
    late = drill.reports["late"].pop("late")
    assert restored == {**comparable(drill.reports["late"]), "missing_files": [late]}
    assert len(restored["stored_files"]) == 4 and len(restored["referrals"]) == 6
    assert restored["access_log"] >= 6 and restored["decisions"] == 3

    # What is lost: the writer's last rows, those after the last archived segment; none before them.
    count, last, last_at = drill.sql(port, "SELECT count(*), max(n), max(at) FROM drill_writes")[0]
    written = max(drill.writer.committed)
    assert count == last, "a write before the last one restored is missing"
    assert 0 < last <= written
    lost_rows = written - last
    recovery_point = drill.killed_at - last_at.timestamp()
    assert recovery_point <= ARCHIVE_TIMEOUT + 5, f"lost {recovery_point:.1f} s of writes"

    assert "Backups: ok" in drill.status["stdout"], drill.status

    # The portal starts on the restored database, every stored file is there, and a person signs in
    # (password, authenticator code).
    drill.django(port, media, "manage.py", "check")
    checked = drill.django(port, media, "manage.py", "check_stored_files", returncode=1)["stdout"]
    assert checked.count("MISSING") == 1 and f"stored_name={late}" in checked
    account = drill.reports["case"]["sign_in"]
    signed_in = drill.data_step(port, media, "sign-in", account["email"], account["secret"])
    assert signed_in["signed_in"], signed_in

    # Shown in `make test`'s output, not captured: the measured recovery point and restore time.
    with capsys.disabled():
        print(
            f"\nrestore drill: recovery point {recovery_point:.1f} s "
            f"({lost_rows} of {written} writer rows lost, archive_timeout {ARCHIVE_TIMEOUT} s); "
            f"restore {restore_seconds:.1f} s "
            f"(database and media; {len(restored['stored_files'])} file rows, 1 reported missing as it was "
            "uploaded after the last media backup); "
            + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in drill.timings.items())
        )


def test_restoring_to_a_chosen_time_finds_exactly_the_data_written_before_it(drill):
    target = drill.chosen_time.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00")
    data, port = drill.restore("to-time", "--type=time", f"--target={target}", "--target-action=promote")
    media = drill.base / "media-to-time"
    drill.backup("media-restore", str(media), target)

    restored = drill.data_step(port, media, "report")
    assert restored == comparable(drill.reports["before"])
    assert restored != comparable(drill.reports["after"])
    assert restored["missing_files"] == []
    assert sorted(path.name for path in (media / "files").rglob("*") if path.is_file()) == sorted(
        restored["stored_files"]
    )
    assert drill.sql(port, "SELECT count(*) FROM drill_writes")[0][0] == 0
