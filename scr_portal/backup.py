"""How fresh the backups are (docs/operations.md "Backups", docs/adr/0008): the age of the last base backup
(pgBackRest's `info`, read from the file the backup service writes, or from pgbackrest itself when it is
installed here) and of the last archived write-ahead log segment (PostgreSQL's own pg_stat_archiver), each
against the installation's target in settings. Also: which stored files a database's rows point to that
are not on disk (after a restore, or at any time)."""

import dataclasses
import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import ScanStatus, StoredFile
from .storage import file_path

NOT_CONFIGURED = "not configured"


def monitoring_configured() -> bool:
    return bool(getattr(settings, "PGBACKREST_STANZA", ""))


@dataclasses.dataclass
class BackupStatus:
    configured: bool
    last_base_backup: dt.datetime | None = None
    base_backup_label: str = ""
    last_archived_wal: str = ""
    last_archived_at: dt.datetime | None = None
    last_failed_wal: str = ""
    last_failed_at: dt.datetime | None = None
    wal_waiting: bool = False
    problems: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _pgbackrest_info() -> list:
    """pgBackRest's `info --output=json`: the backup service's copy when BACKUP_INFO_FILE is set, else
    pgbackrest itself (on the database host)."""
    info_file = getattr(settings, "BACKUP_INFO_FILE", "")
    if info_file:
        return json.loads(Path(info_file).read_text())
    if not shutil.which("pgbackrest"):
        raise FileNotFoundError("neither BACKUP_INFO_FILE nor the pgbackrest command is available")
    result = subprocess.run(  # noqa: S603 — fixed command, stanza from settings
        ["pgbackrest", f"--stanza={settings.PGBACKREST_STANZA}", "--output=json", "info"],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(result.stdout)


def last_base_backup(info: list) -> tuple[dt.datetime | None, str]:
    stanza = next((item for item in info if item.get("name") == settings.PGBACKREST_STANZA), None)
    backups = (stanza or {}).get("backup") or []
    if not backups:
        return None, ""
    last = max(backups, key=lambda backup: backup["timestamp"]["stop"])
    return dt.datetime.fromtimestamp(last["timestamp"]["stop"], tz=dt.UTC), last.get("label", "")


def _segment_number(name: str, segments_per_log: int) -> tuple[int, int] | None:
    """(timeline, segment number) of a WAL file name, None for history and other files."""
    if len(name) < 24:
        return None
    try:
        timeline, log, segment = int(name[:8], 16), int(name[8:16], 16), int(name[16:24], 16)
    except ValueError:
        return None
    return timeline, log * segments_per_log + segment


def _archiver() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_archived_wal, last_archived_time, last_failed_wal, last_failed_time,"
            " pg_walfile_name(pg_current_wal_lsn()),"
            " (SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size')"
            " FROM pg_stat_archiver"
        )
        row = cursor.fetchone()
    keys = ["archived_wal", "archived_at", "failed_wal", "failed_at", "current_wal", "segment_size"]
    return dict(zip(keys, row, strict=True))


def backup_status(now: dt.datetime | None = None) -> BackupStatus:
    if not monitoring_configured():
        return BackupStatus(configured=False)
    now = now or timezone.now()
    status = BackupStatus(configured=True)
    base_target = dt.timedelta(hours=settings.BACKUP_MAX_AGE_HOURS)
    wal_target = dt.timedelta(minutes=settings.WAL_MAX_AGE_MINUTES)

    try:
        status.last_base_backup, status.base_backup_label = last_base_backup(_pgbackrest_info())
    except (OSError, ValueError, KeyError, subprocess.SubprocessError) as error:
        status.problems.append(f"the backup repository's information cannot be read: {error}")
    else:
        if status.last_base_backup is None:
            status.problems.append("there is no base backup")
        elif now - status.last_base_backup > base_target:
            status.problems.append(
                f"the last base backup is {age(now - status.last_base_backup)} old "
                f"(target {settings.BACKUP_MAX_AGE_HOURS} h)"
            )

    if connection.vendor != "postgresql":
        status.problems.append("the database is not PostgreSQL: no write-ahead log to archive")
        return status
    archiver = _archiver()
    status.last_archived_wal = archiver["archived_wal"] or ""
    status.last_archived_at = archiver["archived_at"]
    status.last_failed_wal = archiver["failed_wal"] or ""
    status.last_failed_at = archiver["failed_at"]
    # A quiet database writes no WAL and archives nothing, which is not a problem; a finished segment
    # still waiting to be archived is. The segment being written is the one after the last archived.
    segments_per_log = 0x100000000 // archiver["segment_size"]
    current = _segment_number(archiver["current_wal"], segments_per_log)
    archived = _segment_number(status.last_archived_wal, segments_per_log)
    status.wal_waiting = current is not None and (
        archived is None or current[0] != archived[0] or current[1] > archived[1] + 1
    )
    failing = status.last_failed_at is not None and (
        status.last_archived_at is None or status.last_failed_at > status.last_archived_at
    )
    if failing:
        status.problems.append(
            f"archiving {status.last_failed_wal} failed at {status.last_failed_at:%Y-%m-%d %H:%M:%S %Z}"
        )
    if status.wal_waiting:
        since = status.last_archived_at
        if since is None or now - since > wal_target:
            status.problems.append(
                "write-ahead log is waiting to be archived; last archived "
                + (f"{age(now - since)} ago" if since else "never")
                + f" (target {settings.WAL_MAX_AGE_MINUTES} min)"
            )
    return status


def age(delta: dt.timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 2 * 3600:
        return f"{seconds // 60} min"
    return f"{seconds / 3600:.1f} h"


def missing_files() -> list[StoredFile]:
    """Stored files whose row exists but whose file does not: released or pending files under the storage
    root, infected ones in quarantine."""
    missing = []
    for stored in StoredFile.objects.order_by("pk").iterator():
        if stored.scan_status == ScanStatus.INFECTED:
            path = Path(settings.QUARANTINE_ROOT) / stored.stored_name
        else:
            path = file_path(stored)
        if not path.is_file():
            missing.append(stored)
    return missing
