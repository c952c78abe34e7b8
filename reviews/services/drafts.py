"""The drafts of the overview report and the executive summary destroyed a board-set time after adoption
(issue 16 clause 7; Solihull §13.3.5, §15.1.3–15.1.5; timescales row 28). The adopted versions are kept;
each destroyed draft keeps its row, without its file, as the tombstone of what there was."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from scr_portal.clock.services import deadline_meet_for, deadlines_of
from scr_portal.models.clock import ACTIVE_STATUSES
from scr_portal.transitions import log_transition
from scr_portal.uploads import file_path
from scr_portal.viewhelpers import long_date

from ..models import ReportVersion, Review
from ..permissions import require
from ._common import locked, now_or, open_deadline

DRAFTS_RULE = "draft-destruction"
NOT_ADOPTED = "The drafts are destroyed once the LSCB has adopted the review."
NOT_DUE = "The drafts are kept until {date}, the board's time after the adoption on {adopted}."
NOTHING_TO_DESTROY = "There are no drafts left to destroy."


def open_draft_destruction(review: Review, *, actor, now) -> None:
    """At adoption: the deadline for destroying the drafts, the board's time after it."""
    open_deadline(review, DRAFTS_RULE, trigger_at=now, actor=actor, now=now)


def drafts_left(review: Review):
    return ReportVersion.objects.filter(review=review, adopted_at__isnull=True, destroyed_at__isnull=True)


@transaction.atomic
def review_destroy_drafts(*, review: Review, actor, now=None) -> int:
    """The business unit destroys the drafts once the board's time after adoption has run: each file is
    deleted and its version marked destroyed, by whom and when. Returns how many were destroyed."""
    now = now_or(now)
    review = locked(review)
    require(actor, review, "run")
    adoption = getattr(review, "adoption", None)
    if adoption is None:
        raise ValidationError(NOT_ADOPTED)
    due = deadlines_of(review).filter(rule__code=DRAFTS_RULE, status__in=ACTIVE_STATUSES).first()
    if due is not None and timezone.localtime(now).date() < due.due_date:
        raise ValidationError(
            NOT_DUE.format(date=long_date(due.due_date), adopted=long_date(adoption.adopted_on))
        )
    drafts = list(drafts_left(review).select_related("file").select_for_update(of=("self",)))
    if not drafts:
        raise ValidationError(NOTHING_TO_DESTROY)
    for version in drafts:
        file_path(version.file).unlink(missing_ok=True)
        version.destroyed_at, version.destroyed_by = now, actor
        version.save(update_fields=["destroyed_at", "destroyed_by"])
    deadline_meet_for(subject=review, rule_code=DRAFTS_RULE, actor=actor, at=now)
    log_transition(
        review,
        "drafts_destroyed",
        review.state,
        actor,
        f"{len(drafts)} draft{'s' if len(drafts) != 1 else ''} of the reports destroyed",
    )
    return len(drafts)
