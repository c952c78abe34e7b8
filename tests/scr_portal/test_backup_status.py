"""Backup monitoring (issue 22): `manage.py backup_status`, the backup part of /healthz and
`manage.py check_stored_files`. pgBackRest's side comes from the info file the backup service writes;
PostgreSQL's archiver is the test database's own, or a stand-in where a state must be arranged."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from scr_portal import backup
from scr_portal.storage import file_path
from scr_portal.uploads import DOCUMENT_TYPES, check_upload, store_file

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%backup\n%%EOF\n"


def info(stopped_hours_ago: float | None, stanza: str = "scr") -> list:
    backups = []
    if stopped_hours_ago is not None:
        stop = int((timezone.now() - dt.timedelta(hours=stopped_hours_ago)).timestamp())
        backups.append(
            {"label": "20261205-010000F", "type": "full", "timestamp": {"start": stop - 60, "stop": stop}}
        )
    return [{"name": stanza, "backup": backups, "status": {"code": 0, "message": "ok"}}]


def archiver(*, archived_minutes_ago: float | None, segments_waiting: int = 0, failed_minutes_ago=None):
    now = timezone.now()
    return lambda: {
        "archived_wal": "000000010000000000000010" if archived_minutes_ago is not None else None,
        "archived_at": now - dt.timedelta(minutes=archived_minutes_ago) if archived_minutes_ago else None,
        "failed_wal": "000000010000000000000011" if failed_minutes_ago is not None else None,
        "failed_at": now - dt.timedelta(minutes=failed_minutes_ago)
        if failed_minutes_ago is not None
        else None,
        # The segment being written: the one after the last archived, plus those waiting.
        "current_wal": f"0000000100000000{0x11 + segments_waiting:08X}",
        "segment_size": 16 * 1024 * 1024,
    }


@pytest.fixture
def monitored(settings, tmp_path):
    """Backup monitoring on, with the backup service's info file at hand."""
    settings.PGBACKREST_STANZA = "scr"
    settings.BACKUP_INFO_FILE = str(tmp_path / "info.json")
    settings.BACKUP_MAX_AGE_HOURS = 26
    settings.WAL_MAX_AGE_MINUTES = 5

    def write(stopped_hours_ago):
        (tmp_path / "info.json").write_text(json.dumps(info(stopped_hours_ago)))

    return write


def run_status() -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("backup_status", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_not_configured_says_so_in_the_command_and_in_healthz(client, settings):
    settings.PGBACKREST_STANZA = ""
    code, out, _ = run_status()
    assert code == 0 and "not configured" in out
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["backup"] == "not configured"


def test_fresh_backup_and_archive_are_ok(client, monitored, monkeypatch):
    monitored(stopped_hours_ago=3)
    monkeypatch.setattr(backup, "_archiver", archiver(archived_minutes_ago=1))
    code, out, err = run_status()
    assert code == 0, err
    assert "Backups: ok" in out and "20261205-010000F" in out and "(target 26 h)" in out
    assert client.get("/healthz").json()["backup"] == "ok"


def test_a_stale_base_backup_fails_the_command_and_warns_in_healthz_without_changing_its_status(
    client, monitored, monkeypatch
):
    monitored(stopped_hours_ago=30)
    monkeypatch.setattr(backup, "_archiver", archiver(archived_minutes_ago=1))
    code, _, err = run_status()
    assert code == 1
    assert "the last base backup is 30.0 h old (target 26 h)" in err
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["backup"] == "stale"
    assert body["backup_warnings"] == ["the last base backup is 30.0 h old (target 26 h)"]


def test_no_base_backup_at_all_is_stale(monitored, monkeypatch):
    monitored(stopped_hours_ago=None)
    monkeypatch.setattr(backup, "_archiver", archiver(archived_minutes_ago=1))
    assert backup.backup_status().problems == ["there is no base backup"]


def test_wal_waiting_longer_than_the_target_is_stale(monitored, monkeypatch):
    monitored(stopped_hours_ago=1)
    monkeypatch.setattr(backup, "_archiver", archiver(archived_minutes_ago=12, segments_waiting=3))
    status = backup.backup_status()
    assert status.wal_waiting
    assert status.problems == [
        "write-ahead log is waiting to be archived; last archived 12 min ago (target 5 min)"
    ]


def test_a_quiet_database_with_nothing_to_archive_is_not_stale(monitored, monkeypatch):
    monitored(stopped_hours_ago=1)
    monkeypatch.setattr(backup, "_archiver", archiver(archived_minutes_ago=180))
    status = backup.backup_status()
    assert not status.wal_waiting and status.ok


def test_archiving_failing_since_the_last_success_is_reported(monitored, monkeypatch):
    monitored(stopped_hours_ago=1)
    monkeypatch.setattr(backup, "_archiver", archiver(archived_minutes_ago=3, failed_minutes_ago=1))
    (problem,) = backup.backup_status().problems
    assert problem.startswith("archiving 000000010000000000000011 failed at ")


def test_a_database_that_does_not_archive_is_reported_by_the_real_archiver_view(monitored):
    """The test PostgreSQL runs without archive_mode: pg_stat_archiver has never archived anything."""
    monitored(stopped_hours_ago=1)
    status = backup.backup_status()
    assert status.last_archived_at is None
    assert any("last archived never" in problem for problem in status.problems)


def test_an_unreadable_info_file_is_a_problem_not_an_error(client, settings, monkeypatch):
    settings.PGBACKREST_STANZA = "scr"
    settings.BACKUP_INFO_FILE = "/nonexistent/info.json"
    monkeypatch.setattr(backup, "_archiver", archiver(archived_minutes_ago=1))
    (problem,) = backup.backup_status().problems
    assert problem.startswith("the backup repository's information cannot be read")
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["backup"] == "stale"


def test_check_stored_files_lists_exactly_the_missing_ones(board_a, manager_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    checked = check_upload(SimpleUploadedFile("report.pdf", PDF), allowed=DOCUMENT_TYPES)
    kept, lost = (
        store_file(checked=checked, board=board_a, owner=board_a, kind="test", actor=manager_a)
        for _ in range(2)
    )
    out = StringIO()
    call_command("check_stored_files", stdout=out)
    assert "All 2 stored files are on disk." in out.getvalue()

    file_path(lost).unlink()
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("check_stored_files", stdout=out, stderr=err)
    assert exit_.value.code == 1
    assert out.getvalue().count("MISSING") == 1
    assert f"stored_name={lost.stored_name}" in out.getvalue()
    assert kept.stored_name not in out.getvalue()
    assert "1 of 2 stored files are missing." in err.getvalue()
