"""Alternative reviews walked through the real services (domain brief §4.8)."""

from reviews.models import AcceptedBy, AlternativeReview, Review, ReviewType
from reviews.services import alternative as alt

from ..referrals.factories import decide, recommended
from .factories import DECIDED_AT, TODAY, pdf


def decided_alternative(*, board, chair, manager, agencies, review_type=ReviewType.PARTNERSHIP) -> Review:
    """A referral the LSCB Chair decided on 10 December 2026 should have an alternative review."""
    referral = recommended(board=board, author=manager, manager=manager, agencies=agencies)
    decide(
        referral,
        actor=chair,
        outcome="alternative",
        alternative_type=review_type,
        reasons="Below the threshold, but agencies' working together needs looking at.",
        members_consulted="All core members",
        now=DECIDED_AT,
    )
    return Review.objects.get(referral=referral)


def appointed(review, *, manager, agency=None, lead=None) -> AlternativeReview:
    alternative = review.alternative
    if review.review_type == ReviewType.SINGLE_AGENCY:
        return alt.alternative_appoint(alternative=alternative, actor=manager, lead_agency=agency)
    if lead is not None:
        return alt.alternative_appoint(alternative=alternative, actor=manager, lead_user=lead)
    return alt.alternative_appoint(
        alternative=alternative,
        actor=manager,
        lead_name="Fran Facilitator",
        lead_organisation="Independent Learning Ltd",
        lead_independent=True,
    )


def output_received(review, *, manager, agency=None) -> AlternativeReview:
    alternative = appointed(review, manager=manager, agency=agency)
    for step in alt.current_steps(alternative):
        if not step.is_output and not step.is_done:
            alt.alternative_step_complete(
                alternative=alternative, actor=manager, code=step.code, done_on=TODAY
            )
    alt.alternative_output_upload(alternative=alternative, actor=manager, upload=pdf("output.pdf"))
    return AlternativeReview.objects.get(pk=alternative.pk)


def accept(alternative, actor, accepted_by, *recommendations, accepted_on=TODAY) -> AlternativeReview:
    """Accept the output, today unless said, with its recommendations (dicts of the form's fields)."""
    return alt.alternative_accept(
        alternative=alternative,
        actor=actor,
        accepted_by=accepted_by,
        accepted_on=accepted_on,
        recommendations=list(recommendations),
    )


def accepted(review, *, manager, agency) -> AlternativeReview:
    alternative = output_received(review, manager=manager, agency=agency)
    recommendation = {"text": "Share concerns at strategy meetings.", "addressed_to": "Head of service"}
    return accept(alternative, manager, AcceptedBy.MONITORING_GROUP, {**recommendation, "agency": agency})
