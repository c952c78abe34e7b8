"""Issue 16, clause 4 (reviews): the overview back to drafting from the fair-representation check or the
panel's quality assurance; the review stood down, and an alternative review cancelled, on the LSCB Chair's
approval with a reason. Each is guarded, permission-checked and logged, and has a page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reviews import services
from reviews.models import AlternativeState, ReviewState
from reviews.services import exits
from scr_portal.clock.services import deadlines_of
from scr_portal.models.clock import ACTIVE_STATUSES

from ..factories import signed_in
from .alternative_factories import appointed, decided_alternative
from .test_lifecycle import last_log
from .test_views import errors, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", [ReviewState.FAIR_REPRESENTATION_CHECK, ReviewState.PANEL_QA])
def test_the_overview_goes_back_to_drafting_with_a_reason_and_out_again(journey, manager_a, state):
    review = journey.to(state)
    with pytest.raises(ValidationError) as refused:
        services.review_return_to_drafting(review=review, actor=manager_a, reason=" ")
    assert exits.RETURN_REASON_REQUIRED in refused.value.messages
    services.review_return_to_drafting(review=review, actor=manager_a, reason="The police IMR disputes §4.")
    review.refresh_from_db()
    assert review.state == ReviewState.OVERVIEW_DRAFTING
    log = last_log(review)
    assert (log.transition, log.from_state, log.reason) == (
        "return_to_drafting",
        state,
        "The police IMR disputes §4.",
    )
    services.review_send_final_draft(review=review, actor=manager_a)  # the draft goes out again
    review.refresh_from_db()
    assert review.state == ReviewState.FAIR_REPRESENTATION_CHECK


def test_going_back_to_drafting_is_the_business_units_and_not_after_adoption(journey, chair_a, panel_chair):
    review = journey.to(ReviewState.PANEL_QA)
    with pytest.raises(PermissionDenied):
        services.review_return_to_drafting(review=review, actor=panel_chair, reason="More work")
    review = journey.to(ReviewState.ADOPTED)
    with pytest.raises(ValidationError):
        services.review_return_to_drafting(review=review, actor=journey.manager, reason="More work")


def test_only_the_lscb_chair_stands_a_review_down_and_its_deadlines_are_cancelled(
    journey, manager_a, chair_a
):
    review = journey.to(ReviewState.IMRS_IN_PROGRESS)
    with pytest.raises(PermissionDenied):
        services.review_stand_down(review=review, actor=manager_a, reason="Threshold not met")
    with pytest.raises(ValidationError) as refused:
        services.review_stand_down(review=review, actor=chair_a, reason="")
    assert exits.STAND_DOWN_REASON_REQUIRED in refused.value.messages
    services.review_stand_down(review=review, actor=chair_a, reason="The threshold is not met after all.")
    review.refresh_from_db()
    assert review.state == ReviewState.STOOD_DOWN and not review.is_open and review.closed_at
    assert last_log(review).reason == "The threshold is not met after all."
    open_codes = set(
        deadlines_of(review).filter(status__in=ACTIVE_STATUSES).values_list("rule__code", flat=True)
    )
    assert open_codes == {"retention"}


def test_an_adopted_review_cannot_be_stood_down(journey, chair_a):
    review = journey.to(ReviewState.ADOPTED)
    with pytest.raises(ValidationError):
        services.review_stand_down(review=review, actor=chair_a, reason="Too late")


@pytest.fixture
def partnership(board_a, chair_a, manager_a, agency_x):
    return decided_alternative(board=board_a, chair=chair_a, manager=manager_a, agencies=[agency_x])


def test_an_alternative_review_is_cancelled_with_a_reason_and_its_review_stood_down(
    partnership, manager_a, chair_a
):
    alternative = appointed(partnership, manager=manager_a)
    with pytest.raises(ValidationError) as refused:
        services.alternative_cancel(review=partnership, actor=chair_a, reason="")
    assert exits.CANCEL_REASON_REQUIRED in refused.value.messages
    with pytest.raises(PermissionDenied):
        services.alternative_cancel(review=partnership, actor=manager_a, reason="Covered by the DHR")
    services.alternative_cancel(review=partnership, actor=chair_a, reason="Covered by the DHR")
    alternative.refresh_from_db()
    partnership.refresh_from_db()
    assert alternative.state == AlternativeState.CANCELLED
    assert (alternative.cancelled_by, alternative.cancellation_reason) == (chair_a, "Covered by the DHR")
    assert partnership.state == ReviewState.STOOD_DOWN


# --- Through the pages ----------------------------------------------------------------------------------


def test_the_review_page_offers_the_way_back_and_the_page_sends_it_back(client, journey, manager_a):
    review = journey.to(ReviewState.PANEL_QA)
    client = signed_in(client, manager_a)
    page = text(client.get(reverse("review_detail", args=[review.pk])))
    assert "Send the overview report back to drafting" in page and "Stand the review down" not in page
    url = reverse("review_step", args=[review.pk, "return-to-drafting"])
    assert "Give the reason the overview report goes back to drafting" in errors(
        client.post(url, {"reason": ""})
    )
    assert client.post(url, {"reason": "The panel's QA found gaps."}).status_code == 302
    review.refresh_from_db()
    assert review.state == ReviewState.OVERVIEW_DRAFTING


def test_the_chair_stands_the_review_down_from_its_page(client, journey, chair_a, manager_a):
    review = journey.to(ReviewState.SCOPING)
    assert (
        signed_in(client, manager_a).get(reverse("review_step", args=[review.pk, "stand-down"])).status_code
        == 403
    )
    client = signed_in(client, chair_a)
    assert "Stand the review down" in text(client.get(reverse("review_detail", args=[review.pk])))
    url = reverse("review_step", args=[review.pk, "stand-down"])
    assert "Give the reason the review is stood down" in errors(client.post(url, {"reason": ""}))
    assert client.post(url, {"reason": "Another process covers it."}).status_code == 302
    review.refresh_from_db()
    assert review.state == ReviewState.STOOD_DOWN
    page = text(client.get(reverse("review_detail", args=[review.pk])))
    assert "Stood down" in page and "Stand the review down" not in page


def test_the_chair_cancels_an_alternative_review_from_its_page(client, partnership, chair_a, manager_a):
    appointed(partnership, manager=manager_a)
    url = reverse("review_alternative_cancel", args=[partnership.pk])
    assert "Cancel the partnership" not in text(
        signed_in(client, manager_a).get(reverse("review_alternative", args=[partnership.pk]))
    )
    client = signed_in(client, chair_a)
    assert "Cancel the partnership case review" in text(
        client.get(reverse("review_alternative", args=[partnership.pk]))
    )
    assert "Give the reason the alternative review is cancelled" in errors(client.post(url, {"reason": ""}))
    assert client.post(url, {"reason": "Covered by the DHR."}).status_code == 302
    partnership.refresh_from_db()
    assert (
        partnership.state == ReviewState.STOOD_DOWN
        and partnership.alternative.state == AlternativeState.CANCELLED
    )
