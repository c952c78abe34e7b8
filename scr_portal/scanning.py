"""Virus scanning of uploads with ClamAV (clamd over its socket). A new file is "scan pending" until clamd
says it is clean; an infected file is moved to quarantine and never served; while the scanner is down files
stay pending — never released unscanned — and the periodic sweep scans them when it is back. Without a
scanner configured (the embedded demo run) files are "not scanned", and the pages say so."""

import logging
import shutil

from celery import shared_task
from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from .models import ScanStatus, StoredFile
from .queue import enqueue_on_commit
from .storage import file_path

logger = logging.getLogger(__name__)

SCAN_PENDING = "This file is waiting for its virus scan. Try again in a few minutes."
QUARANTINED = (
    "This file was found to contain a virus and has been quarantined. "
    "Ask the person who uploaded it for a clean copy."
)


class FileNotReleased(PermissionDenied):
    """The file may not be opened yet (scan pending) or ever (infected)."""


def scanning_enabled() -> bool:
    return bool(settings.CLAMAV_SOCKET or settings.CLAMAV_HOST)


def initial_status() -> str:
    return ScanStatus.PENDING if scanning_enabled() else ScanStatus.NOT_SCANNED


def check_released(stored: StoredFile) -> None:
    if stored.scan_status == ScanStatus.CLEAN:
        return
    if stored.scan_status == ScanStatus.NOT_SCANNED and not scanning_enabled():
        return
    raise FileNotReleased(QUARANTINED if stored.scan_status == ScanStatus.INFECTED else SCAN_PENDING)


def _client():
    if settings.CLAMAV_SOCKET:
        return ClamdUnixSocket(path=settings.CLAMAV_SOCKET, timeout=30)
    return ClamdNetworkSocket(host=settings.CLAMAV_HOST, port=settings.CLAMAV_PORT, timeout=30)


def _quarantine(stored: StoredFile) -> None:
    source = file_path(stored)
    target = settings.QUARANTINE_ROOT / stored.stored_name
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.exists():
        shutil.move(source, target)


def scan_file(stored_id: int) -> str:
    """Scan one pending file and record the verdict. Returns the status it has afterwards."""
    with transaction.atomic():
        stored = StoredFile.objects.select_for_update(skip_locked=True).filter(pk=stored_id).first()
        if stored is None or stored.scan_status != ScanStatus.PENDING:
            return stored.scan_status if stored else "locked"
        try:
            with file_path(stored).open("rb") as handle:
                verdict, signature = _client().instream(handle)["stream"]
        except (ClamdError, OSError) as error:
            logger.warning(
                "Virus scanner unavailable (%s); file %s stays pending", type(error).__name__, stored.pk
            )
            return ScanStatus.PENDING
        if verdict == "OK":
            stored.scan_status = ScanStatus.CLEAN
        elif verdict == "FOUND":
            stored.scan_status = ScanStatus.INFECTED
            _quarantine(stored)
            logger.warning("File %s quarantined: %s", stored.pk, signature)
        else:
            return ScanStatus.PENDING
        stored.save(update_fields=["scan_status"])
        return stored.scan_status


@shared_task(acks_late=True)
def scan_file_task(stored_id: int) -> str:
    return scan_file(stored_id)


@shared_task(acks_late=True)
def scan_pending_files(limit: int = 200) -> int:
    """Every 15 minutes: scan what is still pending (the scanner was down, or a task was lost)."""
    ids = list(
        StoredFile.objects.filter(scan_status=ScanStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(scan_file(pk) != ScanStatus.PENDING for pk in ids)


def queue_scan(stored: StoredFile) -> None:
    if stored.scan_status == ScanStatus.PENDING:
        enqueue_on_commit(scan_file_task, stored.pk)
