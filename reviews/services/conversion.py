"""Converting a review to another type with the LSCB Chair's approval (domain brief §4.8): every earlier
step and record is kept; a non-SCR type gets its alternative-review record; the clock is re-based."""

from django.core.exceptions import ValidationError
from django.db import transaction

from scr_portal.clock.services import deadline_cancel, deadlines_of
from scr_portal.models.clock import ACTIVE_STATUSES
from scr_portal.services import blank, refuse_problems
from scr_portal.transitions import log_transition

from ..frameworks import FULL_REVIEW_ONLY_RULES
from ..models import (
    FULL_REVIEW_TYPES,
    Review,
    ReviewConversion,
    ReviewType,
)
from ..permissions import require_on_plan
from ._common import locked, now_or
from .alternative import alternative_ensure
from .create import review_deadlines_open
from .plans import CONVERT_REASON_REQUIRED, CONVERT_SAME_TYPE, REVIEW_CLOSED

# --- Converting a review to another type (domain brief §4.8) ---


@transaction.atomic
def review_convert(*, review: Review, actor, to_type: str, reason: str, now=None) -> ReviewConversion:
    """Convert the review (an SCR downgraded after an inquest finds the death accidental), approved by the
    LSCB Chair with a reason. Everything already recorded is kept; the monitoring group follows the type."""
    now = now_or(now)
    review = locked(review)
    require_on_plan(actor, review, "decide")
    if not review.is_open:
        raise ValidationError(REVIEW_CLOSED)
    same = to_type not in ReviewType.values or to_type == review.review_type
    refuse_problems(
        {"to_type": CONVERT_SAME_TYPE if same else None, "reason": blank(reason, CONVERT_REASON_REQUIRED)}
    )
    conversion = ReviewConversion.objects.create(
        review=review,
        from_type=review.review_type,
        to_type=to_type,
        reason=reason.strip(),
        approved_by=actor,
        approved_at=now,
    )
    Review.objects.filter(pk=review.pk).update(review_type=to_type)
    review.review_type = to_type
    # A non-SCR type gets (or keeps, with its earlier steps) its alternative-review record.
    alternative_ensure(review=review, actor=actor, now=now)
    _rebase_clock(review, conversion, actor=actor, now=now)
    log_transition(
        review,
        "convert",
        review.state,
        actor,
        f"{ReviewType(conversion.from_type).label} → {ReviewType(to_type).label}: {reason.strip()}",
    )
    return conversion


def _rebase_clock(review: Review, conversion: ReviewConversion, *, actor, now) -> None:
    """A downgrade cancels what only an SCR has (six-month completion, post-decision tasks and notices,
    briefing, progress reports, ToR and IMR letters), with the conversion as the reason; an upgrade opens
    them from the conversion's approval (issue 15)."""
    if conversion.from_type in FULL_REVIEW_TYPES:
        reason = f"Converted to {ReviewType(conversion.to_type).label.lower()}: {conversion.reason}"
        for deadline in deadlines_of(review).filter(
            rule__code__in=FULL_REVIEW_ONLY_RULES, status__in=ACTIVE_STATUSES
        ):
            deadline_cancel(deadline=deadline, actor=actor, reason=reason, now=now)
    elif conversion.to_type in FULL_REVIEW_TYPES:
        review_deadlines_open(review=review, actor=actor, now=now)
