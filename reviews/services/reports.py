"""The overview report and the executive summary (domain brief §4.5): uploaded versions checked by
content and size, panel comments beside them, and the IMR authors' fair-representation answers on the
final draft (Solihull §13.1.6, §14.1.1)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from scr_portal.people import business_unit
from scr_portal.transitions import log_transition
from scr_portal.uploads import DEFAULT_MAX_BYTES, DOCUMENT_TYPES, check_upload, store_file

from ..guards import latest_version
from ..models import (
    AuthorConfirmation,
    ConfirmationStatus,
    ReportComment,
    ReportKind,
    ReportVersion,
    Review,
    ReviewState,
)
from ..permissions import REFUSALS, require
from ._common import add_comment, locked, notify, now_or
from .lifecycle import request_confirmations
from .report_checks import report_check

UPLOAD_STATES = {
    ReportKind.OVERVIEW: (
        ReviewState.PRESENTATION_HELD,
        ReviewState.OVERVIEW_DRAFTING,
        ReviewState.FAIR_REPRESENTATION_CHECK,
        ReviewState.EXEC_SUMMARY_DRAFTING,
        ReviewState.PANEL_QA,
    ),
    ReportKind.EXECUTIVE_SUMMARY: (
        ReviewState.OVERVIEW_DRAFTING,
        ReviewState.FAIR_REPRESENTATION_CHECK,
        ReviewState.EXEC_SUMMARY_DRAFTING,
        ReviewState.PANEL_QA,
    ),
}
UPLOAD_NOT_NOW = "The {kind} can be uploaded once the presentation meeting has been held, until adoption."
FINAL_DRAFT_OVERVIEW_ONLY = "Only the overview report has a final draft for the IMR authors."
DISPUTE_COMMENT_REQUIRED = "Say what does not represent your agency fully and fairly."
ANSWER_REQUIRED = "Select whether the final draft represents your agency fully and fairly."
ALREADY_ANSWERED = "You have already answered for this final draft."
NOT_CURRENT = "A later final draft has replaced this one, or the review has been adopted."
NOT_DISPUTED = "Only an unresolved dispute can be recorded as resolved."
RESOLUTION_REQUIRED = "Describe how the dispute was resolved."


def upload_max_bytes() -> int:
    return getattr(settings, "REVIEW_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


@transaction.atomic
def report_upload(
    *, review: Review, actor, kind: str, upload, final_draft: bool = False, note: str = "", now=None
) -> ReportVersion:
    """A new version of a report, marked DRAFT until adoption. Refused, with nothing saved, when the file
    is not a PDF, DOCX or ODT by its content or is over the size limit (25 MB unless set otherwise). A
    final draft uploaded after the fair-representation check began goes to every IMR author again. Its text
    is checked for names and personal details at once (report_checks)."""
    now = now_or(now)
    review = locked(review)
    require(actor, review, "upload_reports")
    kind = ReportKind(kind)
    if review.state not in UPLOAD_STATES[kind]:
        raise ValidationError(UPLOAD_NOT_NOW.format(kind=kind.label.lower()))
    if final_draft and kind != ReportKind.OVERVIEW:
        raise ValidationError({"final_draft": FINAL_DRAFT_OVERVIEW_ONLY})
    try:
        checked = check_upload(upload, allowed=DOCUMENT_TYPES, max_bytes=upload_max_bytes())
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    stored = store_file(checked=checked, board=review.board, owner=review, kind=kind, actor=actor)
    report_check(review=review, stored_file=stored, actor=actor, now=now)
    version = ReportVersion.objects.create(
        review=review,
        kind=kind,
        number=stored.version,
        file=stored,
        final_draft=final_draft,
        note=note.strip(),
        uploaded_by=actor,
        uploaded_at=now,
    )
    label = f"{kind.label} version {version.number}{' (final draft)' if final_draft else ''}"
    log_transition(review, "upload", review.state, actor, label)
    if (
        final_draft
        and review.state != ReviewState.OVERVIEW_DRAFTING
        and review.reached(ReviewState.FAIR_REPRESENTATION_CHECK)
    ):
        request_confirmations(review, version)
    panel = [m.user for m in review.panel.filter(removed_at__isnull=True).select_related("user")]
    notify(
        [user for user in panel if user.pk != actor.pk],
        review,
        f"New {kind.label.lower()} version",
        f"Version {version.number} of the {kind.label.lower()} has been uploaded for the panel.",
    )
    return version


@transaction.atomic
def report_comment(*, version: ReportVersion, actor, text: str, now=None) -> ReportComment:
    return add_comment(ReportComment, version, actor, text, now)


def _current(confirmation: AuthorConfirmation) -> bool:
    review = confirmation.version.review
    final = latest_version(review, ReportKind.OVERVIEW, final_draft=True)
    return (
        final is not None and final.pk == confirmation.version_id and not review.reached(ReviewState.ADOPTED)
    )


def _locked_confirmation(confirmation: AuthorConfirmation, *related: str):
    """The confirmation's review locked, then the confirmation itself, read afresh."""
    review = locked(confirmation.version.review)
    rows = AuthorConfirmation.objects.select_for_update().select_related(*related)
    return review, rows.get(pk=confirmation.pk)


@transaction.atomic
def fair_representation_respond(
    *, confirmation: AuthorConfirmation, actor, confirmed: bool | None, comment: str = "", now=None
) -> AuthorConfirmation:
    """The IMR author's answer: fully and fairly represented, or disputed with a comment."""
    now = now_or(now)
    review, confirmation = _locked_confirmation(confirmation, "version__review__board", "agency")
    require(actor, review, "respond")
    if confirmation.author_id != actor.pk:
        raise PermissionDenied(REFUSALS["respond"])
    if not _current(confirmation):
        raise ValidationError(NOT_CURRENT)
    if confirmation.status != ConfirmationStatus.PENDING:
        raise ValidationError(ALREADY_ANSWERED)
    if confirmed is None:
        raise ValidationError({"confirmed": ANSWER_REQUIRED})
    if not confirmed and not comment.strip():
        raise ValidationError({"comment": DISPUTE_COMMENT_REQUIRED})
    confirmation.status = ConfirmationStatus.CONFIRMED if confirmed else ConfirmationStatus.DISPUTED
    confirmation.comment = comment.strip()
    confirmation.responded_at = now
    confirmation.save(update_fields=["status", "comment", "responded_at"])
    log_transition(
        review,
        "fair_representation",
        review.state,
        actor,
        f"{confirmation.agency.name}: {confirmation.get_status_display().lower()}"
        + (f". {confirmation.comment}" if confirmation.comment else ""),
    )
    notify(
        business_unit(review.board),
        review,
        "An IMR author has answered",
        "An IMR author has answered the fair-representation request on the final draft.",
    )
    return confirmation


@transaction.atomic
def fair_representation_resolve(
    *, confirmation: AuthorConfirmation, actor, resolution: str, now=None
) -> AuthorConfirmation:
    """Record how an IMR author's dispute was resolved, so that adoption may go ahead."""
    now = now_or(now)
    review, confirmation = _locked_confirmation(confirmation, "agency")
    require(actor, review, "resolve_dispute")
    if confirmation.status != ConfirmationStatus.DISPUTED or confirmation.resolved_at is not None:
        raise ValidationError(NOT_DISPUTED)
    if not resolution.strip():
        raise ValidationError({"resolution": RESOLUTION_REQUIRED})
    confirmation.resolution = resolution.strip()
    confirmation.resolved_by = actor
    confirmation.resolved_at = now
    confirmation.save(update_fields=["resolution", "resolved_by", "resolved_at"])
    log_transition(
        review, "dispute_resolved", review.state, actor, f"{confirmation.agency.name}: {resolution.strip()}"
    )
    return confirmation
