"""The Chair rescinds a decision (issue 16, clause 4): back to awaiting the decision while no IMR has been
commissioned, with the review it set off removed on the record and its open deadlines cancelled."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from referrals import services
from referrals.models import AgencyCheckState, Decision, ReferralState
from reviews.models import Review, ReviewState
from reviews.services.rescind import IMRS_COMMISSIONED
from scr_portal.clock.services import deadlines_of
from scr_portal.models import Deadline, TransitionLog

from ..factories import signed_in
from .factories import decide
from .workflow_helpers import WORKFLOW, error_summary

pytestmark = WORKFLOW

REASON = "Decided on the wrong referral."


@pytest.fixture
def decided(to_decide, chair_a):
    decide(to_decide, actor=chair_a)
    to_decide.refresh_from_db()
    return to_decide


def rescind(referral, actor, reason=REASON):
    return services.referral_rescind_decision(referral=referral, actor=actor, reason=reason)


def test_rescinding_goes_back_to_awaiting_the_decision_and_removes_the_review(decided, chair_a):
    review = decided.review
    review_type = ContentType.objects.get_for_model(Review)
    open_before = set(deadlines_of(review).filter(status="open").values_list("pk", flat=True))
    assert open_before
    rescind(decided, chair_a)
    decided.refresh_from_db()
    assert decided.state == ReferralState.RECOMMENDED and decided.decided_at is None
    assert not Decision.objects.filter(referral=decided).exists()
    assert not Review.objects.filter(pk=review.pk).exists()
    # The review's deadlines and log stay with the case, cancelled with the rescinding as reason.
    assert not Deadline.objects.filter(content_type=review_type, object_id=review.pk).exists()
    for deadline in Deadline.objects.filter(pk__in=open_before):
        assert deadline.status == "cancelled" and deadline.subject == decided
        assert REASON in deadline.closed_reason
    log = TransitionLog.objects.filter(transition="rescind").get()
    assert (log.subject, log.from_state, log.to_state) == (decided, "decided", "recommended")
    assert log.reason == f"The Chair's decision (hold a serious case review) was rescinded: {REASON}"
    assert TransitionLog.objects.get(transition="remove").subject == decided
    assert deadlines_of(decided).filter(rule__code="decision", status="open").exists()


def test_a_fresh_decision_sets_off_a_review_again(decided, chair_a):
    rescind(decided, chair_a)
    decide(
        decided,
        actor=chair_a,
        outcome="alternative",
        alternative_type="management_review",
        reasons="A learning day is enough.",
    )
    decided.refresh_from_db()
    assert decided.state == ReferralState.DECIDED
    assert decided.review.review_type == "management_review"


def test_checks_the_decision_left_unanswered_are_asked_again(decided, chair_a, agency_x):
    check = decided.agency_checks.get(agency=agency_x)
    assert check.state == AgencyCheckState.UNANSWERED
    rescind(decided, chair_a)
    check.refresh_from_db()
    assert check.state == AgencyCheckState.PENDING
    assert deadlines_of(check).filter(rule__code="agency-reply", status="open").count() == 1


def test_no_rescinding_once_imrs_are_commissioned(decided, chair_a):
    Review.objects.filter(referral=decided).update(state=ReviewState.IMRS_COMMISSIONED)
    decided.refresh_from_db()
    assert services.rescind_refusal(decided) == IMRS_COMMISSIONED.format(reference=decided.review.reference)
    with pytest.raises(ValidationError, match="IMRs have been commissioned"):
        rescind(decided, chair_a)
    assert Review.objects.filter(referral=decided).exists()


def test_only_the_chair_rescinds_and_with_a_reason(decided, chair_a, manager_a):
    with pytest.raises(PermissionDenied):
        rescind(decided, manager_a)
    with pytest.raises(ValidationError):
        rescind(decided, chair_a, reason="  ")
    decided.refresh_from_db()
    assert decided.state == ReferralState.DECIDED


def test_nothing_to_rescind_before_a_decision(to_decide, chair_a):
    with pytest.raises(ValidationError, match=services.NOT_DECIDED):
        rescind(to_decide, chair_a)


def test_the_chair_rescinds_through_the_pages(client, decided, chair_a, manager_a):
    url = reverse("referral_rescind", args=[decided.pk])
    assert signed_in(client, manager_a).get(url).status_code == 403
    assert "Rescind the decision" not in client.get(reverse("referral_detail", args=[decided.pk])).text
    signed_in(client, chair_a)
    assert url in client.get(reverse("referral_detail", args=[decided.pk])).text
    assert "only while no IMR has been commissioned" in client.get(url).text
    response = client.post(url, {"reason": ""})
    assert "Enter why the decision is being rescinded" in error_summary(response)
    response = client.post(url, {"reason": REASON})
    assert response.status_code == 302
    decided.refresh_from_db()
    assert decided.state == ReferralState.RECOMMENDED


def test_the_page_refuses_once_imrs_are_commissioned(client, decided, chair_a):
    Review.objects.filter(referral=decided).update(state=ReviewState.IMRS_COMMISSIONED)
    signed_in(client, chair_a)
    assert "referral_rescind" not in client.get(reverse("referral_detail", args=[decided.pk])).text
    response = client.post(reverse("referral_rescind", args=[decided.pk]), {"reason": REASON})
    assert "IMRs have been commissioned" in error_summary(response)
