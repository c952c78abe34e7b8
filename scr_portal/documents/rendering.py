"""Rendering a requested version into its PDF (the Celery task's body) and checking an anonymised
version's text. The task module imports this, and the services queue the task, so neither imports the
other's callers."""

from __future__ import annotations

import base64
import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from scr_portal.models import AnonymisationCheck, CheckOutcome, DocumentStatus, GeneratedDocument, StoredFile
from scr_portal.services import now_or
from scr_portal.uploads import CheckedUpload, file_path, store_file

from . import anonymise, engine, extract, registry, sandbox, selectors
from .owners import owner_type_of

logger = logging.getLogger(__name__)

RENDER_FAILED = (
    "The document could not be prepared. Try again; if it fails again, ask the business manager to check "
    "the wording of this document."
)


def _logo_data_uri(board) -> str:
    """The board's logo as a data: URI (PNG or JPEG, up to 1 MB), so the renderer never opens media."""
    if not board.logo:
        return ""
    try:
        with board.logo.open("rb") as logo:
            data = logo.read(1024 * 1024 + 1)
    except OSError:
        return ""
    if len(data) > 1024 * 1024:
        return ""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        mime = "image/png"
    elif data.startswith(b"\xff\xd8\xff"):
        mime = "image/jpeg"
    else:
        return ""
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def document_reference(document: GeneratedDocument) -> str:
    owner_type = owner_type_of(document.owner)
    return f"{owner_type.reference(document.owner)}/{document.code}/v{document.version}"


def render_context(document: GeneratedDocument, *, at: dt.datetime | None = None) -> dict:
    """The layout's context of a version, from its stored data: letterhead, footer, watermark, wording."""
    kind = registry.get_kind(document.code)
    board = document.board
    when = document.approved_at or at or timezone.now()
    doc = {
        "title": document.title,
        "reference": document_reference(document),
        "version": document.version,
        "date_text": registry.long_date(timezone.localdate(when)),
        "draft": document.draft,
        "anonymised": document.anonymised,
        "orientation": kind.orientation,
        "lang": "en-GB",
    }
    letterhead = {
        "name": board.name,
        "address_lines": [line.strip() for line in board.address.splitlines() if line.strip()],
        "phone": board.phone,
        "secure_mailbox": board.secure_mailbox,
        "logo": _logo_data_uri(board),
    }
    context = document.context
    wording = {part: sandbox.text_to_html(text) for part, text in context.get("wording", {}).items()}
    return {**context.get("data", {}), "wording": wording, "doc": doc, "letterhead": letterhead}


def render_html(document: GeneratedDocument, *, at: dt.datetime | None = None) -> str:
    """The complete HTML of a version (in one part)."""
    kind = registry.get_kind(document.code)
    return render_to_string(kind.layout, render_context(document, at=at))


def render_kind_pdf(kind: registry.DocumentKind, context: dict) -> engine.RenderedPdf:
    """A document's layout with its full context, as one PDF; rendered in parts of
    settings.DOCUMENT_PART_ROWS rows when the kind's long list is longer (bounded memory)."""
    rows = context.get(kind.part_rows) if kind.part_rows else None
    size = settings.DOCUMENT_PART_ROWS
    if not rows or len(rows) <= size:
        return engine.render_pdf(render_to_string(kind.layout, context))
    chunks = [rows[start : start + size] for start in range(0, len(rows), size)]

    def part_html(index: int) -> str:
        part = {"number": index + 1, "count": len(chunks)}
        return render_to_string(kind.layout, {**context, kind.part_rows: chunks[index], "part": part})

    return engine.render_pdf_parts(part_html, len(chunks))


def _file_name(document: GeneratedDocument) -> str:
    owner_type = owner_type_of(document.owner)
    parts = [owner_type.reference(document.owner), document.code, f"v{document.version}"]
    if document.anonymised:
        parts.append("anonymised")
    if document.draft:
        parts.append("draft")
    return "-".join(parts) + ".pdf"


def document_render(*, document_id: int, now: dt.datetime | None = None) -> GeneratedDocument:
    """Render one version (the Celery task's body). Safe to run twice: a version already ready is left
    alone, and of two workers racing, the second to finish stores nothing."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().get(pk=document_id)
        if document.status == DocumentStatus.READY:
            return document
        document.status = DocumentStatus.RENDERING
        document.attempts += 1
        document.save(update_fields=["status", "attempts"])
    try:
        rendered = render_kind_pdf(registry.get_kind(document.code), render_context(document, at=now))
    except Exception:
        logger.exception("Rendering document %s failed", document_id)
        GeneratedDocument.objects.filter(pk=document_id).exclude(status=DocumentStatus.READY).update(
            status=DocumentStatus.FAILED, error=RENDER_FAILED
        )
        document.refresh_from_db()
        return document
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().get(pk=document_id)
        if document.status == DocumentStatus.READY:
            return document
        stored = store_file(
            checked=CheckedUpload(name=_file_name(document), data=rendered.data, file_type="pdf"),
            board=document.board,
            owner=document.owner,
            kind=f"generated:{document.code}"[:40],
            actor=document.requested_by,
        )
        document.file = stored
        document.status = DocumentStatus.READY
        document.error = ""
        document.rendered_at = now_or(now)
        document.render_seconds = round(rendered.seconds, 3)
        document.page_count = rendered.pages
        document.save(
            update_fields=["file", "status", "error", "rendered_at", "render_seconds", "page_count"]
        )
        if document.anonymised:
            _check_stored(document=document, stored=stored, owner=document.owner, actor=None, now=now)
    return document


def _check_stored(*, document, stored: StoredFile, owner, actor, now=None) -> AnonymisationCheck:
    try:
        text = extract.extract_text(file_path(stored).read_bytes(), stored.file_type)
    except extract.ExtractionError as error:
        findings, outcome, message = [], CheckOutcome.UNREADABLE, str(error)
    else:
        found = anonymise.check_pages(text.pages, selectors.detector_for_owner(owner), paged=text.paged)
        findings = [finding.as_dict() for finding in found]
        outcome = CheckOutcome.BLOCKED if findings else CheckOutcome.PASSED
        message = ""
        if not text.paged:
            for finding in findings:
                finding["unit"] = "paragraph"
    return AnonymisationCheck.objects.create(
        board=stored.board,
        document=document,
        stored_file=None if document else stored,
        key_fingerprint=selectors.current_key_fingerprint(owner),
        outcome=outcome,
        findings=findings,
        message=message,
        checked_at=now_or(now),
        checked_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
