"""The review the LSCB Chair's decision sets off: `review_follow_decision` is registered with
referrals.decisions (reviews/apps.py), so referrals.services.referral_decide calls it."""

from django.db import transaction
from django.utils import timezone

from referrals.models import Recommendation
from referrals.services import POST_DECISION_TASKS
from scr_portal.people import business_unit
from scr_portal.transitions import log_transition

from ..models import Review, ReviewType
from ._common import open_deadline
from .alternative import alternative_ensure

TYPE_FROM_DECISION = {
    "scr": ReviewType.SCR,
    "partnership_case_review": ReviewType.PARTNERSHIP,
    "management_review": ReviewType.MANAGEMENT,
    "single_agency_imr": ReviewType.SINGLE_AGENCY,
    "inter_agency_audit": ReviewType.AUDIT,
    "key_themes_report": ReviewType.KEY_THEMES,
    "other": ReviewType.OTHER,
}


@transaction.atomic
def review_create_from_decision(*, referral, decision, actor, now) -> Review:
    """The review of the chosen type, numbered after the referral (a referral has at most one review).
    A serious case review also gets its first monthly progress report to the LSCB Chair (Solihull
    §4.1.2); the decision opens its completion, briefing and post-decision deadlines."""
    review_type = TYPE_FROM_DECISION[
        decision.alternative_type if decision.outcome == "alternative" else "scr"
    ]
    prefix = "SCR" if review_type == ReviewType.SCR else "REV"
    review = Review.objects.create(
        board=referral.board,
        referral=referral,
        reference=f"{referral.reference}-{prefix}",
        review_type=review_type,
        decision_date=timezone.localtime(now).date(),
        created_at=now,
        created_by=actor,
    )
    log_transition(review, "create", "", actor, review.get_review_type_display())
    # Any other type gets its alternative-review record with the type's steps (domain brief §4.8).
    alternative_ensure(review=review, actor=actor, now=now)
    if review_type == ReviewType.SCR:
        open_deadline(review, "progress-report", trigger_at=now, actor=actor, now=now)
    return review


def review_follow_decision(*, referral, decision, actor, now) -> Review | None:
    """Every decision but "no further action" sets off a review. A serious case review also gets the
    three-working-day tasks, the six-month completion and the authors' briefing (Cambridgeshire §5;
    Solihull §1.6.3)."""
    if decision.outcome == Recommendation.NFA:
        return None
    review = review_create_from_decision(referral=referral, decision=decision, actor=actor, now=now)
    if decision.outcome != Recommendation.SCR:
        return review
    business = business_unit(review.board)
    opening = [("post-decision", title) for title in POST_DECISION_TASKS]
    opening += [("review-completion", ""), ("authors-briefing", "")]
    for rule_code, title in opening:
        open_deadline(
            review, rule_code, trigger_at=now, actor=actor, responsible_users=business, title=title, now=now
        )
    return review
