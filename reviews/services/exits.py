"""Ways back and out of a review (issue 16, clause 4): the overview back to drafting from the
fair-representation check or the panel's quality assurance, and the review stood down (or its alternative
review cancelled) on the LSCB Chair's approval with a reason. Each is a guarded django-fsm transition,
checked for permission and logged like every other step."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from scr_portal.people import business_unit
from scr_portal.services import blank
from scr_portal.transitions import state_change

from ..models import AlternativeReview, Review
from ._common import notify, now_or
from .lifecycle import _begin, _move
from .outcome import end_review

RETURN_REASON_REQUIRED = "Give the reason the overview report goes back to drafting."
STAND_DOWN_REASON_REQUIRED = "Give the reason the review is stood down."
CANCEL_REASON_REQUIRED = "Give the reason the alternative review is cancelled."
STOOD_DOWN = "The review is stood down: {reason}"


def _reason(reason: str, message: str, field: str = "reason") -> str:
    if problem := blank(reason, message):
        raise ValidationError({field: problem})
    return reason.strip()


@transaction.atomic
def review_return_to_drafting(*, review: Review, actor, reason: str, now=None) -> Review:
    """An IMR author's dispute that needs a new draft, or the panel's quality assurance, sends the overview
    report back to its author. The next final draft goes to every IMR author again."""
    review = _begin(review, actor, "return_to_drafting", "run")
    reason = _reason(reason, RETURN_REASON_REQUIRED)
    _move(review, actor, "return_to_drafting", reason)
    notify(
        business_unit(review.board),
        review,
        "The overview report is back in drafting",
        "The overview report has gone back to its author for a new draft.",
    )
    return review


def _cancel_alternative(review: Review, actor, reason: str, at) -> None:
    alternative = AlternativeReview.objects.select_for_update().filter(review=review).first()
    if alternative is None or not can_proceed(alternative.cancel):
        return
    with state_change(alternative, "cancel", actor=actor, reason=reason, board=review.board):
        alternative.cancel(at=at, by=actor, reason=reason)


@transaction.atomic
def review_stand_down(*, review: Review, actor, reason: str, now=None) -> Review:
    """The LSCB Chair stands the review down before adoption, with a reason (for example the threshold is
    found not to be met, or another process covers the learning). Its open deadlines are cancelled, an
    alternative review it runs is cancelled with it, and the retention clock starts as at closure."""
    now = now_or(now)
    review = _begin(review, actor, "stand_down", "stand_down")
    reason = _reason(reason, STAND_DOWN_REASON_REQUIRED)
    _cancel_alternative(review, actor, reason, now)
    _move(review, actor, "stand_down", reason, at=now)
    end_review(review, actor=actor, at=now, why=STOOD_DOWN.format(reason=reason), now=now)
    notify(business_unit(review.board), review, "The review is stood down", "The LSCB Chair stood it down.")
    return review


def alternative_cancel(*, review: Review, actor, reason: str, now=None) -> Review:
    """An alternative review cancelled before its output is accepted: the review it belongs to has no other
    work, so it is stood down with it, on the LSCB Chair's approval."""
    _reason(reason, CANCEL_REASON_REQUIRED)
    return review_stand_down(review=review, actor=actor, reason=reason, now=now or timezone.now())
