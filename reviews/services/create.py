"""The review the decision to hold one sets off (the LSCB Chair's, or the safeguarding partners' under England
2023): `review_follow_decision` is registered with
referrals.decisions (reviews/apps.py), so referrals.services.referral_decide calls it."""

from django.db import transaction
from django.utils import timezone

from referrals.models import Recommendation
from referrals.services import DECISION_NOTICE_TASKS, POST_DECISION_TASKS
from scr_portal import frameworks
from scr_portal.people import business_unit
from scr_portal.transitions import log_transition

from ..frameworks import REVIEW_RULES, review_rules
from ..models import Review, ReviewType
from ..scr_clock import TOR_AND_IMR_LETTERS
from ._common import open_deadline
from .alternative import alternative_ensure

# An alternative review's type from the decision; the review the framework holds comes from its rules.
TYPE_FROM_DECISION = {
    "partnership_case_review": ReviewType.PARTNERSHIP,
    "management_review": ReviewType.MANAGEMENT,
    "single_agency_imr": ReviewType.SINGLE_AGENCY,
    "inter_agency_audit": ReviewType.AUDIT,
    "key_themes_report": ReviewType.KEY_THEMES,
    "other": ReviewType.OTHER,
}


@transaction.atomic
def review_create_from_decision(*, referral, decision, actor, now) -> Review:
    """The review of the chosen type, numbered after the referral (a referral has at most one review): the
    review the referral's framework holds, suffixed with its short name ("SCR", "LCSPR"), or an
    alternative one. Its deadlines are opened by `review_deadlines_open`."""
    framework = frameworks.get(referral.review_framework)
    if decision.outcome == "alternative":
        review_type, suffix = TYPE_FROM_DECISION[decision.alternative_type], "REV"
    else:
        review_type, suffix = REVIEW_RULES[framework.code].full_review, framework.word("review_short")
    review = Review.objects.create(
        board=referral.board,
        referral=referral,
        reference=f"{referral.reference}-{suffix}",
        review_type=review_type,
        review_framework=referral.review_framework,
        decision_date=timezone.localtime(now).date(),
        created_at=now,
        created_by=actor,
    )
    log_transition(review, "create", "", actor, review.get_review_type_display())
    # Any other type gets its alternative-review record with the type's steps (domain brief §4.8).
    alternative_ensure(review=review, actor=actor, now=now)
    return review


def scr_deadlines_open(*, review: Review, actor, now, letters_from=None) -> None:
    """A serious case review's clock, from the decision (or the conversion that made it one): the notices
    of the decision to the bodies the board lists and the tasks of the three working days after it
    (Cambridgeshire §5; Solihull §1.6.3), the six-month completion, the authors' briefing, the first
    monthly progress report (Solihull §4.1.2), and the ToR and IMR letters and the family's notification
    counted from `letters_from` (the referral's receipt; Solihull §1.6.4)."""
    bodies = review.board.decision_notify_bodies
    opening = [
        ("decision-notice", title, now) for body, title in DECISION_NOTICE_TASKS.items() if body in bodies
    ]
    opening += [("post-decision", title, now) for title in POST_DECISION_TASKS]
    opening += [("review-completion", "", now), ("authors-briefing", "", now), ("progress-report", "", now)]
    opening += [("tor-and-imr-letters", title, letters_from or now) for title in TOR_AND_IMR_LETTERS]
    business = business_unit(review.board)
    for rule_code, title, trigger_at in opening:
        open_deadline(
            review,
            rule_code,
            trigger_at=trigger_at,
            actor=actor,
            responsible_users=business,
            title=title,
            now=now,
        )


def review_deadlines_open(*, review: Review, actor, now, letters_from=None) -> None:
    """The clock of the review the framework holds, from the decision (or the conversion that made it
    one): the serious case review's, or the rules the framework opens at the decision (England 2023: the
    report within 6 months)."""
    rules = review_rules(review)
    if rules.scr_clock:
        scr_deadlines_open(review=review, actor=actor, now=now, letters_from=letters_from)
    for rule_code in rules.opens_at_decision:
        open_deadline(review, rule_code, trigger_at=now, actor=actor, now=now)


def review_follow_decision(*, referral, decision, actor, now) -> Review | None:
    """Every decision but "no further action" sets off a review; the review the framework holds its clock."""
    if decision.outcome == Recommendation.NFA:
        return None
    review = review_create_from_decision(referral=referral, decision=decision, actor=actor, now=now)
    if decision.outcome == Recommendation.SCR:
        review_deadlines_open(review=review, actor=actor, now=now, letters_from=referral.received_at or now)
    return review
