"""Issue 15 in the reviews: the ToR and IMR letters rule opens at the decision and each step closes by its
event (clause 5); a conversion re-bases the clock (clause 7); the six-month completion's extension page
needs both dates (clause 2); publication and the executive summary follow the board's §9 switches
(clause 8). Time is frozen at NOW by tests/reviews/conftest.py."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from imr.services.commissioning import imr_commission
from reviews import services
from reviews.models import ReviewState, ReviewType
from reviews.scr_clock import FAMILY_NOTIFIED, IMR_LETTERS_SENT, SCR_ONLY_RULES, TOR_APPROVED
from reviews.selectors import executive_summary_membership
from reviews.services import conversion, outcome
from scr_portal import workdays
from scr_portal.clock.services import deadlines_of
from scr_portal.models.clock import ACTIVE_STATUSES

from ..factories import extension_form
from .alternative_factories import decided_alternative
from .factories import NOW, TODAY, debrief

pytestmark = pytest.mark.django_db


def letters(review, title):
    return deadlines_of(review).get(rule__code="tor-and-imr-letters", title=title)


# --- Clause 5: ToR and IMR letters; family notified -------------------------------------------------------


def test_tor_and_imr_letters_open_at_the_decision_and_close_by_their_events(journey, manager_a, agency_x):
    review = journey.review
    received = review.referral.received_at
    for title in (TOR_APPROVED, IMR_LETTERS_SENT, FAMILY_NOTIFIED):
        deadline = letters(review, title)
        assert deadline.is_active and deadline.trigger_at == received
        assert deadline.due_date == received.date() + dt.timedelta(weeks=4)
    journey.to(ReviewState.TOR_APPROVED)
    assert letters(review, TOR_APPROVED).status in ("met", "met_late")
    assert letters(review, IMR_LETTERS_SENT).is_active
    imr_commission(
        review=review, actor=manager_a, agencies=[agency_x], nominate_by=TODAY + dt.timedelta(days=7)
    )
    assert letters(review, IMR_LETTERS_SENT).status in ("met", "met_late")
    services.family_involvement_save(review=review, actor=manager_a, who="Mother")
    assert letters(review, FAMILY_NOTIFIED).is_active
    services.family_involvement_save(
        review=review,
        actor=manager_a,
        involvement=review.family.get(),
        who="Mother",
        notified_on=TODAY,
        notification_route="letter",
    )
    assert letters(review, FAMILY_NOTIFIED).status in ("met", "met_late")


# --- Clause 7: conversion re-bases the clock ----------------------------------------------------------


def test_a_downgrade_cancels_the_scr_only_deadlines_with_the_conversion_as_reason(review, chair_a):
    assert deadlines_of(review).filter(rule__code="review-completion", status__in=ACTIVE_STATUSES).exists()
    conversion.review_convert(
        review=review,
        actor=chair_a,
        to_type=ReviewType.SINGLE_AGENCY,
        reason="The inquest found an accident.",
    )
    scr_only = deadlines_of(review).filter(rule__code__in=SCR_ONLY_RULES)
    assert scr_only.exists() and not scr_only.filter(status__in=ACTIVE_STATUSES).exists()
    for deadline in scr_only:
        assert deadline.status == "cancelled"
        assert deadline.closed_reason.startswith("Converted to ")
        assert deadline.closed_reason.endswith(": The inquest found an accident.")


def test_an_upgrade_opens_the_six_month_completion_and_the_notices_from_the_approval(
    board_a, chair_a, manager_a, agency_x
):
    review = decided_alternative(board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x])
    assert not deadlines_of(review).filter(rule__code="review-completion").exists()
    conversion.review_convert(
        review=review, actor=chair_a, to_type=ReviewType.SCR, reason="New evidence of serious harm.", now=NOW
    )
    completion = deadlines_of(review).get(rule__code="review-completion", status="open")
    assert completion.trigger_at == NOW and completion.due_date == dt.date(2027, 9, 15)
    notices = deadlines_of(review).filter(rule__code="decision-notice")
    assert notices.count() == 3
    three_working_days = workdays.add_working_days(TODAY, 3)
    assert {notice.due_date for notice in notices} == {three_working_days}
    assert deadlines_of(review).filter(rule__code="post-decision").count() == 2


# --- Clause 2: the review's own extension page ------------------------------------------------------------


def test_the_review_extension_page_needs_the_date_ofsted_was_told(client_as, review, chair_a):
    page = reverse("review_extend", args=[review.pk])
    form = extension_form(
        dt.date(2027, 9, 30),
        dt.date(2027, 3, 1),
        reason_category="police_investigation",
        reason="Police investigation",
        approved_by="The LSCB",
    )
    response = client_as(chair_a).post(page, form)
    assert "Enter the date Ofsted was told of the extension" in response.text
    assert not deadlines_of(review).get(rule__code="review-completion").extensions.exists()


# --- Clause 8: publication and naming follow the board's switches --------------------------------------


def test_publishing_before_the_evaluation_needs_an_override_where_the_board_waits(
    journey, manager_a, chair_a
):
    review = journey.to(ReviewState.SUBMITTED_TO_OFSTED)
    debrief(review, actor=manager_a)
    # Only the LSCB Chair overrides the wait (issue 16, clause 3).
    arguments = {"review": review, "actor": chair_a, "published_on": TODAY, "items": ["executive_summary"]}
    with pytest.raises(ValidationError) as refused:
        services.review_publish(**arguments, overview_withheld_reason="Would identify the sibling.")
    assert outcome.EVALUATION_OVERRIDE_REQUIRED in refused.value.messages
    services.review_publish(
        **arguments,
        overview_withheld_reason="Would identify the sibling.",
        evaluation_override_reason="Ofsted's letter is delayed; the inquest is public next week.",
    )
    review.refresh_from_db()
    assert review.state == ReviewState.PUBLISHED
    assert "inquest is public" in review.publication.evaluation_override_reason
    # The letter can still be recorded afterwards; the review stays published.
    journey._evaluate()
    review.refresh_from_db()
    assert review.state == ReviewState.PUBLISHED and review.ofsted_evaluation


def test_a_board_that_does_not_wait_or_publish_the_overview_needs_no_reasons(journey, manager_a, board_a):
    board_a.publish_requires_evaluation = False
    board_a.publish_overview_report = False
    board_a.save()
    review = journey.to(ReviewState.SUBMITTED_TO_OFSTED)
    debrief(review, actor=manager_a)
    services.review_publish(review=review, actor=manager_a, published_on=TODAY, items=["executive_summary"])
    review.refresh_from_db()
    assert review.state == ReviewState.PUBLISHED


def test_the_executive_summary_names_the_roles_the_board_lists(journey, board_a, chair_a):
    review = journey.to(ReviewState.SCOPING)
    default = executive_summary_membership(review)
    assert {line.name for line in default.named} == {
        chair_a.full_name,
        journey.panel_chair.full_name,
        journey.author.full_name,
    }
    board_a.named_roles = ["panel_chair"]
    board_a.save()
    review.refresh_from_db()
    section = executive_summary_membership(review)
    assert [line.name for line in section.named] == [journey.panel_chair.full_name]
    assert chair_a.full_name not in section.text
    assert journey.author.full_name not in section.text
