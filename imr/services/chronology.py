"""The agency's chronology (Solihull App 7): rows edited in the browser, or imported from a CSV or XLSX file.

An import is checked in full before anything is kept: a file with any bad row imports nothing and the
author sees every problem by row and column. A file that passes is stored and shown as a preview; saving
the preview replaces the chronology with its rows, in one transaction."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from scr_portal.clock.services import deadline_meet_for
from scr_portal.uploads import SPREADSHEET_TYPES, check_upload, file_path, store_file

from ..chronology_io import MAX_IMPORT_BYTES, ParseResult, parse_chronology
from ..models import IMR, ChronologyEntry, ChronologyImport, ImportStatus
from ..parts import CHRONOLOGY
from ..selectors import IMPORT_KIND
from ._common import CANNOT_NOW, now_or, touch, writable

EVENT_NO_TAKEN = "Event number {number} is already used in this chronology. Use another number."
DATE_IN_FUTURE = "The date of the event must be today or in the past."
IMPORT_CLOSED = "This import has already been saved or discarded. Upload the file again."


class ChronologyRejected(Exception):
    """A chronology file with problems: nothing was imported. Carries the report for the page."""

    def __init__(self, result: ParseResult):
        super().__init__(f"{result.problem_count} problem(s) in the chronology file")
        self.result = result


def _today(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date()


@transaction.atomic
def chronology_entry_save(*, imr: IMR, actor, entry: ChronologyEntry | None = None, now=None, **fields):
    now = now_or(now)
    current = writable(imr, actor, CHRONOLOGY)
    if entry is not None and entry.imr_id != current.pk:
        raise ValidationError(CANNOT_NOW)
    if fields["date"] > _today(now):
        raise ValidationError({"date": DATE_IN_FUTURE})
    taken = current.chronology.filter(event_no=fields["event_no"])
    if entry is not None:
        taken = taken.exclude(pk=entry.pk)
    if taken.exists():
        raise ValidationError({"event_no": EVENT_NO_TAKEN.format(number=fields["event_no"])})
    entry = entry or ChronologyEntry(imr=current)
    for name, value in fields.items():
        setattr(entry, name, value.strip() if isinstance(value, str) else value)
    entry.full_clean()
    entry.save()
    touch(current, now)
    return entry


@transaction.atomic
def chronology_entry_delete(*, imr: IMR, actor, entry: ChronologyEntry, now=None) -> None:
    current = writable(imr, actor, CHRONOLOGY)
    if entry.imr_id != current.pk:
        raise ValidationError(CANNOT_NOW)
    entry.delete()
    touch(current, now)


def _parse_stored(chronology_import: ChronologyImport, *, today: dt.date) -> ParseResult:
    stored = chronology_import.file
    return parse_chronology(file_path(stored).read_bytes(), stored.file_type, today=today)


def chronology_import_preview(chronology_import: ChronologyImport, *, today: dt.date) -> ParseResult:
    """The rows the import would save (read again from the stored file)."""
    return _parse_stored(chronology_import, today=today)


@transaction.atomic
def chronology_import_upload(*, imr: IMR, actor, upload, now=None) -> ChronologyImport:
    """Check a chronology file by content (CSV or XLSX only, at most 5 MB and 5,000 rows) and every row of
    it. Raises ValidationError for a file of the wrong type or size, ChronologyRejected with the full
    report for bad rows; in both cases nothing is kept."""
    now = now_or(now)
    current = writable(imr, actor, CHRONOLOGY)
    checked = check_upload(upload, allowed=SPREADSHEET_TYPES, max_bytes=MAX_IMPORT_BYTES)
    result = parse_chronology(checked.data, checked.file_type, today=_today(now))
    if not result.ok:
        raise ChronologyRejected(result)
    current.chronology_imports.filter(status=ImportStatus.PENDING).update(
        status=ImportStatus.DISCARDED, closed_at=now
    )
    stored = store_file(
        checked=checked, board=current.review.board, owner=current, kind=IMPORT_KIND, actor=actor
    )
    return ChronologyImport.objects.create(
        imr=current, file=stored, row_count=len(result.rows), created_by=actor, created_at=now
    )


def _pending(chronology_import: ChronologyImport, actor) -> tuple[IMR, ChronologyImport]:
    current = writable(chronology_import.imr, actor, CHRONOLOGY)
    pending = ChronologyImport.objects.select_for_update().select_related("file").get(pk=chronology_import.pk)
    if pending.imr_id != current.pk or pending.status != ImportStatus.PENDING:
        raise ValidationError(IMPORT_CLOSED)
    return current, pending


@transaction.atomic
def chronology_import_save(*, chronology_import: ChronologyImport, actor, now=None) -> int:
    """Replace the IMR's chronology with the previewed rows. Meets the 'chronology collated' deadline."""
    now = now_or(now)
    current, pending = _pending(chronology_import, actor)
    result = _parse_stored(pending, today=_today(now))
    if not result.ok:  # the date moved on past midnight, say; checked again rather than trusted
        raise ChronologyRejected(result)
    current.chronology.all().delete()
    ChronologyEntry.objects.bulk_create(
        [ChronologyEntry(imr=current, **row) for row in result.rows], batch_size=1000
    )
    pending.status = ImportStatus.SAVED
    pending.closed_at = now
    pending.save(update_fields=["status", "closed_at"])
    touch(current, now)
    deadline_meet_for(subject=current, rule_code="chronology-collated", actor=actor, at=now)
    return len(result.rows)


@transaction.atomic
def chronology_import_discard(*, chronology_import: ChronologyImport, actor, now=None) -> None:
    now = now_or(now)
    _, pending = _pending(chronology_import, actor)
    pending.status = ImportStatus.DISCARDED
    pending.closed_at = now
    pending.save(update_fields=["status", "closed_at"])
