"""Uploads are scanned by a real clamd before anyone can open them: clean files are released, the EICAR
test file is quarantined, and while the scanner is down files stay pending — never released unscanned."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from scr_portal.models import ScanStatus
from scr_portal.scanning import QUARANTINED, SCAN_PENDING, FileNotReleased, scan_file, scan_pending_files
from scr_portal.uploads import DOCUMENT_TYPES, check_upload, download_response, file_path, store_file

pytestmark = pytest.mark.django_db

CLAMD = os.environ.get("CLAMAV_SOCKET", "")
needs_clamd = pytest.mark.skipif(
    not CLAMD, reason="clamd is not running here (the test services start it when clamav-daemon is installed)"
)
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CLEAN_PDF = b"%PDF-1.7\nA clean report.\n%%EOF"
INFECTED_PDF = b"%PDF-1.7\n" + EICAR + b"\n%%EOF"


@pytest.fixture
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.QUARANTINE_ROOT = tmp_path / "quarantine"
    return settings


def upload(board, actor, data, name="report.pdf"):
    checked = check_upload(SimpleUploadedFile(name, data), allowed=DOCUMENT_TYPES)
    return store_file(checked=checked, board=board, owner=board, kind="test", actor=actor)


@needs_clamd
def test_clean_file_is_released_after_the_scan(storage, board_a, manager_a):
    storage.CLAMAV_SOCKET = CLAMD
    stored = upload(board_a, manager_a, CLEAN_PDF)
    assert stored.scan_status == ScanStatus.PENDING
    with pytest.raises(FileNotReleased, match=SCAN_PENDING):
        download_response(stored)
    assert scan_file(stored.pk) == ScanStatus.CLEAN
    stored.refresh_from_db()
    assert download_response(stored).status_code == 200


@needs_clamd
def test_eicar_is_quarantined_and_never_served(storage, board_a, manager_a):
    storage.CLAMAV_SOCKET = CLAMD
    stored = upload(board_a, manager_a, INFECTED_PDF)
    assert scan_file(stored.pk) == ScanStatus.INFECTED
    stored.refresh_from_db()
    assert not file_path(stored).exists()
    assert (storage.QUARANTINE_ROOT / stored.stored_name).exists()
    with pytest.raises(FileNotReleased, match=QUARANTINED):
        download_response(stored)


def test_scanner_down_keeps_the_file_pending_until_it_is_back(storage, board_a, manager_a, tmp_path):
    storage.CLAMAV_SOCKET = str(tmp_path / "no-clamd.sock")
    stored = upload(board_a, manager_a, CLEAN_PDF)
    assert scan_file(stored.pk) == ScanStatus.PENDING
    stored.refresh_from_db()
    with pytest.raises(FileNotReleased, match=SCAN_PENDING):
        download_response(stored)
    if CLAMD:
        storage.CLAMAV_SOCKET = CLAMD
        assert scan_pending_files() == 1
        stored.refresh_from_db()
        assert stored.scan_status == ScanStatus.CLEAN


def test_without_a_scanner_files_are_marked_not_scanned_and_released(storage, board_a, manager_a):
    storage.CLAMAV_SOCKET = ""
    storage.CLAMAV_HOST = ""
    stored = upload(board_a, manager_a, CLEAN_PDF)
    assert stored.scan_status == ScanStatus.NOT_SCANNED
    assert download_response(stored).status_code == 200
