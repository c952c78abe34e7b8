"""Reads for documents: the case key as the anonymiser sees it, the wording in force, each owner's
documents grouped by kind, and whether an anonymised version may leave the board."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

from scr_portal.models import (
    AnonymisationCheck,
    CaseKeyPerson,
    DocumentStatus,
    DocumentTemplateVersion,
    GeneratedDocument,
)
from scr_portal.uploads import file_path

from . import anonymise, registry
from .extract import extract_text
from .owners import owner_type_of

KEY_CHANGED = "The anonymisation key has changed since this version was checked. Check it again."
NOT_CHECKED = "This anonymised version has not been checked yet."
BLOCKED = (
    "The check found names or other personal details in this anonymised version. It cannot be downloaded "
    "or sent until a new version passes the check, or a business manager overrides the check with a reason."
)
UNREADABLE = "The text of this version could not be read, so it could not be checked."
NOT_READY = "This document is not ready yet."


def key_rows(owner) -> list[CaseKeyPerson]:
    return list(
        CaseKeyPerson.objects.filter(
            content_type=ContentType.objects.get_for_model(owner), object_id=owner.pk
        ).order_by("order", "pk")
    )


def key_people(owner) -> list[anonymise.KeyPerson]:
    return [
        anonymise.KeyPerson(
            real_name=row.real_name,
            pseudonym=row.pseudonym,
            aliases=tuple(line.strip() for line in row.aliases.splitlines() if line.strip()),
            date_of_birth=row.date_of_birth,
            address=row.address,
            school=row.school,
        )
        for row in key_rows(owner)
    ]


def board_contact_details(board) -> list[str]:
    """What identifies the board, not a person: allowed on the letterhead of an anonymised version."""
    return [
        value
        for value in (board.name, board.address, board.phone, board.secure_mailbox, board.contact_email)
        if value
    ]


def detector_for_owner(owner) -> anonymise.Detector:
    owner_type = owner_type_of(owner)
    return anonymise.detector_for(
        key_people(owner),
        allow=board_contact_details(owner_type.board(owner)),
        reference_date=owner_type.reference_date(owner),
    )


def current_key_fingerprint(owner) -> str:
    return anonymise.key_fingerprint(key_people(owner))


def active_wording(*, board, code: str) -> tuple[str, int]:
    """(body, version) of the wording in force: the board's newest saved version, else as shipped (0)."""
    saved = DocumentTemplateVersion.objects.filter(board=board, code=code).order_by("-version").first()
    if saved is not None:
        return saved.body, saved.version
    return registry.get_wording(code).default_body(), 0


def wording_history(*, board, code: str):
    return (
        DocumentTemplateVersion.objects.filter(board=board, code=code)
        .select_related("author")
        .order_by("-version")
    )


def latest_check(document: GeneratedDocument) -> AnonymisationCheck | None:
    return document.checks.order_by("-checked_at", "-pk").first()


def latest_file_checks(file_ids) -> dict[int, AnonymisationCheck]:
    """The newest anonymisation check of each uploaded file, in one query: {file pk: check}."""
    checks: dict[int, AnonymisationCheck] = {}
    for check in (
        AnonymisationCheck.objects.filter(stored_file_id__in=list(file_ids))
        .select_related("overridden_by")
        .order_by("checked_at", "pk")
    ):
        checks[check.stored_file_id] = check
    return checks


def release_problem(document: GeneratedDocument, *, check: AnonymisationCheck | None = None) -> str:
    """Why this version may not be downloaded or sent, or "" if it may. Internal versions need only to be
    ready; anonymised ones also need a check that passed (or was overridden) against the current key."""
    if document.status != DocumentStatus.READY or document.file_id is None:
        return NOT_READY
    if not document.anonymised:
        return ""
    check = check or latest_check(document)
    if check is None:
        return NOT_CHECKED
    if check.overridden_at is not None:
        return ""
    if check.outcome == "unreadable":
        return UNREADABLE
    if check.outcome != "passed":
        return BLOCKED
    if check.key_fingerprint != current_key_fingerprint(document.owner):
        return KEY_CHANGED
    return ""


@dataclass
class KindRow:
    kind: registry.DocumentKind
    missing: list[str]
    versions: list[GeneratedDocument] = field(default_factory=list)

    @property
    def latest(self) -> GeneratedDocument | None:
        return self.versions[0] if self.versions else None


def documents_for_owner(owner, *, owner_type_key: str) -> list[KindRow]:
    """Each kind of document the owner can have, with what must happen first and its internal versions,
    newest first (each with its anonymised twin, if any, prefetched)."""
    content_type = ContentType.objects.get_for_model(owner)
    documents = (
        GeneratedDocument.objects.filter(content_type=content_type, object_id=owner.pk, anonymised=False)
        .select_related("requested_by", "approved_by", "file")
        .prefetch_related("anonymised_versions__checks", "anonymised_versions__file")
        .order_by("code", "-version")
    )
    by_code: dict[str, list[GeneratedDocument]] = {}
    for document in documents:
        by_code.setdefault(document.code, []).append(document)
    rows = []
    for kind in registry.kinds(owner_type=owner_type_key):
        if not kind.listed:
            continue
        rows.append(KindRow(kind=kind, missing=kind.missing(owner), versions=by_code.get(kind.code, [])))
    return rows


def anonymised_twin(document: GeneratedDocument) -> GeneratedDocument | None:
    if document.anonymised:
        return document
    return document.anonymised_versions.order_by("-pk").first()


def released_notification_text(owner, *, body: str, event: str) -> str:
    """The text of the newest approved, released anonymised notification to `body` about `event`, for the
    referral's "record a notification" form to offer as the anonymised text that was sent; "" if none."""
    code = f"notification-{body.replace('_', '-')}"
    candidates = (
        GeneratedDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(owner),
            object_id=owner.pk,
            code=code,
            anonymised=True,
            draft=False,
            status=DocumentStatus.READY,
            options__event=event,
        )
        .select_related("file")
        .order_by("-version")
    )
    for document in candidates:
        document.owner = owner
        if not release_problem(document):
            pages = extract_text(file_path(document.file).read_bytes(), "pdf").pages
            return "\n".join(page.strip() for page in pages)
    return ""
