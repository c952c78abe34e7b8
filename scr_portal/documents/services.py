"""Writes for documents: the anonymisation key, requesting and rendering documents, the anonymisation
check and its override, approval, recording a document as sent, logging downloads, and the wording a
board edits. Views and the Celery task call these; nothing else saves these models.

Rendering is slow work, so a request only records what to render (the merged data, already anonymised
for an anonymised version) and queues `render_document_task` after the transaction commits. The task
renders, stores the PDF with its hash, and checks an anonymised version's text at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from scr_portal.models import (
    AnonymisationCheck,
    Board,
    CheckOutcome,
    DocumentDownload,
    DocumentStatus,
    DocumentTemplateVersion,
    GeneratedDocument,
    StoredFile,
)
from scr_portal.queue import enqueue_on_commit
from scr_portal.services import now_or, transition_log_write

from . import anonymise, extract, registry, sandbox, selectors
from .key import (  # noqa: F401  (the key's writes, re-exported: documents.services is their public path)
    FILLED_ROW,
    PSEUDONYM_IS_A_NAME,
    PSEUDONYM_TAKEN,
    case_key_fill,
    case_key_person_add,
    case_key_person_remove,
    case_key_person_update,
)
from .owners import owner_type_of
from .rendering import _check_stored
from .tasks import render_document_task

logger = logging.getLogger(__name__)

MAX_TABLE_ROWS = 5_000
TOO_MANY_ROWS = (
    "This document would have a table of {rows:,} rows, more than the {limit:,} a PDF can hold here. "
    "Export the data as a spreadsheet instead, or split it by period."
)
UNKNOWN_KIND = "There is no such document."
NOT_FOR_THIS_RECORD = "That document does not belong to this kind of record."
REASON_REQUIRED = "Enter the reason for releasing this version despite what the check found"
NOTHING_TO_OVERRIDE = "This version's check did not block it, so there is nothing to override."
ONLY_DRAFTS_APPROVED = "This version is already approved."
APPROVE_WHEN_READY = "A version can be approved once it is ready."
ONLY_APPROVED_SENT = "Only an approved version can be recorded as sent. Approve it first."
ANONYMISED_ONLY_SENT = "Only the anonymised version of this document may be sent outside the board."
ALREADY_SENT = "This version has already been recorded as sent."
RETRY_ONLY_FAILED = "Only a document that could not be prepared, or is still waiting, can be tried again."


def _content_type(owner) -> ContentType:
    return ContentType.objects.get_for_model(owner)


# --- Requesting and rendering -------------------------------------------------------------------------


def _fingerprint(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _table_rows(value) -> int:
    """The longest list in a context: what decides whether a table is too long to lay out."""
    if isinstance(value, dict):
        return max((_table_rows(item) for item in value.values()), default=0)
    if isinstance(value, list):
        return max(len(value), max((_table_rows(item) for item in value), default=0))
    return 0


def build_context(
    *, kind: registry.DocumentKind, owner, options: dict, anonymised: bool, today: dt.date
) -> tuple[dict, dict]:
    """(merged data, wording versions) for one version: the data from the kind's context function, the
    wording in force rendered with it (as text), anonymised through and through when asked."""
    owner_type = owner_type_of(owner)
    board = owner_type.board(owner)
    detector = selectors.detector_for_owner(owner) if anonymised else None
    merge = registry.Merge(
        anonymised=anonymised, reference_date=owner_type.reference_date(owner) or today, detector=detector
    )
    data = kind.build(owner, registry.BuildRequest(merge=merge, today=today, options=dict(options)))
    if anonymised:
        data = anonymise.anonymise_value(data, detector)
    wording, versions = {}, {}
    for part, code in kind.wordings.items():
        body, version = selectors.active_wording(board=board, code=code)
        text = sandbox.render_wording(body, data)
        wording[part] = anonymise.anonymise_text(text, detector) if anonymised else text
        versions[code] = version
    return {"data": data, "wording": wording}, versions


def _next_version(*, owner, code: str) -> int:
    last = GeneratedDocument.objects.filter(
        content_type=_content_type(owner), object_id=owner.pk, code=code, anonymised=False
    ).aggregate(Max("version"))["version__max"]
    return (last or 0) + 1


def _queue(document: GeneratedDocument) -> None:
    enqueue_on_commit(render_document_task, document.pk)


@transaction.atomic
def document_request(
    *, owner, code: str, actor, options: dict | None = None, now: dt.datetime | None = None
) -> GeneratedDocument:
    """Record a new draft version of a document for `owner` and queue its rendering; for a document that
    goes outside the board, an anonymised version too. Returns the internal version. A kind whose content
    its record's own workflow has approved (kind.preapproved) is produced approved, without DRAFT."""
    now = now_or(now)
    today = timezone.localdate(now)
    kind = registry.get_kind(code)
    if kind is None:
        raise ValidationError(UNKNOWN_KIND)
    owner_type = owner_type_of(owner)
    if kind.owner_type != owner_type.key:
        raise ValidationError(NOT_FOR_THIS_RECORD)
    missing = kind.missing(owner)
    if missing:
        raise ValidationError(missing)
    options = dict(options or {})
    # One request at a time per record, so version numbers never collide.
    owner_type.model_class().objects.select_for_update().filter(pk=owner.pk).first()
    case_key_fill(owner=owner, actor=actor, now=now)
    context, versions = build_context(kind=kind, owner=owner, options=options, anonymised=False, today=today)
    rows = _table_rows(context["data"])
    if rows > MAX_TABLE_ROWS:
        raise ValidationError(TOO_MANY_ROWS.format(rows=rows, limit=MAX_TABLE_ROWS))
    version = _next_version(owner=owner, code=code)
    approval = kind.preapproved(owner, options)
    common = {
        "draft": approval is None,
        "approved_by": approval[0] if approval else None,
        "approved_at": approval[1] if approval else None,
        "board": owner_type.board(owner),
        "content_type": _content_type(owner),
        "object_id": owner.pk,
        "code": code,
        "version": version,
        "options": options,
        "data_as_of": owner_type.data_as_of(owner),
        "template_versions": versions,
        "requested_by": actor,
        "requested_at": now,
    }
    internal = GeneratedDocument.objects.create(
        title=kind.title, context=context, data_fingerprint=_fingerprint([context, versions]), **common
    )
    _queue(internal)
    if kind.external:
        anonymous, anonymous_versions = build_context(
            kind=kind, owner=owner, options=options, anonymised=True, today=today
        )
        twin = GeneratedDocument.objects.create(
            title=f"{kind.title} (anonymised)",
            anonymised=True,
            internal_version=internal,
            context=anonymous,
            data_fingerprint=_fingerprint([anonymous, anonymous_versions]),
            **{**common, "template_versions": anonymous_versions},
        )
        _queue(twin)
    return internal


@transaction.atomic
def document_retry(*, document: GeneratedDocument, actor) -> GeneratedDocument:
    locked = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
    if locked.status not in {DocumentStatus.FAILED, DocumentStatus.QUEUED, DocumentStatus.RENDERING}:
        raise ValidationError(RETRY_ONLY_FAILED)
    locked.status = DocumentStatus.QUEUED
    locked.error = ""
    locked.save(update_fields=["status", "error"])
    _queue(locked)
    return locked


# --- Checking -----------------------------------------------------------------------------------------


@transaction.atomic
def document_check(*, document: GeneratedDocument, actor, now=None) -> AnonymisationCheck:
    """Check a version's text again (after the key changed)."""
    if document.status != DocumentStatus.READY or document.file is None:
        raise ValidationError(selectors.NOT_READY)
    return _check_stored(document=document, stored=document.file, owner=document.owner, actor=actor, now=now)


@transaction.atomic
def uploaded_file_check(*, stored_file: StoredFile, owner, actor, now=None) -> AnonymisationCheck:
    """Check an uploaded document (the overview report, the executive summary: PDF, DOCX or ODT) against
    `owner`'s key before it is published or sent, from its extracted text."""
    return _check_stored(document=None, stored=stored_file, owner=owner, actor=actor, now=now)


@transaction.atomic
def anonymisation_override(*, check: AnonymisationCheck, actor, reason: str, now=None) -> AnonymisationCheck:
    """Release a version the check blocked, for a recorded reason (business manager only: the view asks
    the owner type). The reason and who gave it are kept on the check and in the transition log."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    locked = AnonymisationCheck.objects.select_for_update().get(pk=check.pk)
    if locked.outcome == CheckOutcome.PASSED or locked.overridden_at is not None:
        raise ValidationError(NOTHING_TO_OVERRIDE)
    locked.override_reason = reason
    locked.overridden_by = actor
    locked.overridden_at = now_or(now)
    locked.save(update_fields=["override_reason", "overridden_by", "overridden_at"])
    subject = locked.document or locked.stored_file
    transition_log_write(
        board=locked.board,
        subject=subject,
        transition="anonymisation_override",
        from_state=locked.outcome,
        to_state="overridden",
        actor=actor,
        reason=reason,
    )
    return locked


# --- Approval, sending and downloads ------------------------------------------------------------------


@transaction.atomic
def document_approve(*, document: GeneratedDocument, actor, now=None) -> GeneratedDocument:
    """Approve a draft: a new version without the DRAFT mark, rendered from exactly the data and wording
    of the draft (and, for a document that leaves the board, its anonymised twin, checked again)."""
    now = now_or(now)
    draft = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
    if draft.anonymised:
        draft = GeneratedDocument.objects.select_for_update().get(pk=draft.internal_version_id)
    if not draft.draft:
        raise ValidationError(ONLY_DRAFTS_APPROVED)
    if draft.status != DocumentStatus.READY:
        raise ValidationError(APPROVE_WHEN_READY)
    owner_type_of(draft.owner).model_class().objects.select_for_update().filter(pk=draft.object_id).first()
    version = _next_version(owner=draft.owner, code=draft.code)
    fields = {
        "board": draft.board,
        "content_type": draft.content_type,
        "object_id": draft.object_id,
        "code": draft.code,
        "version": version,
        "draft": False,
        "options": draft.options,
        "data_as_of": draft.data_as_of,
        "requested_by": actor,
        "requested_at": now,
        "approved_by": actor,
        "approved_at": now,
    }
    final = GeneratedDocument.objects.create(
        title=draft.title,
        approved_from=draft,
        context=draft.context,
        data_fingerprint=draft.data_fingerprint,
        template_versions=draft.template_versions,
        **fields,
    )
    _queue(final)
    twin = draft.anonymised_versions.order_by("-pk").first()
    if twin is not None:
        final_twin = GeneratedDocument.objects.create(
            title=twin.title,
            anonymised=True,
            internal_version=final,
            approved_from=twin,
            context=twin.context,
            data_fingerprint=twin.data_fingerprint,
            template_versions=twin.template_versions,
            **fields,
        )
        _queue(final_twin)
    transition_log_write(
        board=draft.board,
        subject=final,
        transition="approve",
        from_state=f"draft v{draft.version}",
        to_state=f"approved v{version}",
        actor=actor,
    )
    return final


@transaction.atomic
def document_mark_sent(
    *, document: GeneratedDocument, actor, sent_on: dt.date, sent_to: str, now=None
) -> GeneratedDocument:
    """Record that a version went out. A document for an outside body may go only as its anonymised
    version, approved, and released by the check."""
    locked = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
    kind = registry.get_kind(locked.code)
    if locked.sent_recorded_at is not None:
        raise ValidationError(ALREADY_SENT)
    if kind.external and not locked.anonymised:
        raise ValidationError(ANONYMISED_ONLY_SENT)
    if locked.draft:
        raise ValidationError(ONLY_APPROVED_SENT)
    problem = selectors.release_problem(locked)
    if problem:
        raise ValidationError(problem)
    locked.sent_on = sent_on
    locked.sent_to = sent_to
    locked.sent_by = actor
    locked.sent_recorded_at = now_or(now)
    locked.save(update_fields=["sent_on", "sent_to", "sent_by", "sent_recorded_at"])
    transition_log_write(
        board=locked.board,
        subject=locked,
        transition="mark_sent",
        from_state="ready",
        to_state="sent",
        actor=actor,
        reason=f"Sent to {sent_to} on {sent_on:%d/%m/%Y}",
    )
    return locked


def document_download_record(
    *, document: GeneratedDocument, user, ip_address: str | None = None, now=None
) -> StoredFile:
    """Log a download and return the file to send. Refused while an anonymised version is not released."""
    problem = selectors.release_problem(document)
    if problem:
        raise ValidationError(problem)
    DocumentDownload.objects.create(
        board=document.board,
        document=document,
        stored_file=document.file,
        user=user,
        at=now_or(now),
        anonymised=document.anonymised,
        ip_address=ip_address or None,
    )
    return document.file


# --- Wording ------------------------------------------------------------------------------------------


def wording_sample(code: str) -> dict:
    wording = registry.get_wording(code)
    return registry.get_kind(wording.kind).sample()


def wording_preview(*, code: str, body: str) -> str:
    """The wording filled in with the example case, as HTML; WordingError if it cannot be used."""
    return sandbox.text_to_html(sandbox.validate_wording(body, sample=wording_sample(code)))


@transaction.atomic
def wording_save(*, board, code: str, body: str, actor, note: str = "", now=None) -> DocumentTemplateVersion:
    """Save a new version of a board's wording, only if it parses, uses only the documented fields and
    fills in with the example case: a broken template never saves."""
    if registry.get_wording(code) is None:
        raise ValidationError(UNKNOWN_KIND)
    try:
        sandbox.validate_wording(body, sample=wording_sample(code))
    except sandbox.WordingError as error:
        raise ValidationError({"body": error.messages}) from None
    Board.objects.select_for_update().filter(pk=board.pk).first()  # one version number at a time
    last = DocumentTemplateVersion.objects.filter(board=board, code=code).aggregate(Max("version"))[
        "version__max"
    ]
    return DocumentTemplateVersion.objects.create(
        board=board,
        code=code,
        version=(last or 0) + 1,
        body=body.replace("\r\n", "\n"),
        note=note,
        author=actor,
        created_at=now_or(now),
    )


def pdf_text(data: bytes) -> list[str]:
    """The text of each page of a PDF (for tests and the check)."""
    return extract.extract_text(data, "pdf").pages
