"""Issue 20: the review machine under both frameworks. An England 2023 board's decision to hold a review opens
a local child safeguarding practice review on the same engine: no Ofsted evaluation, the report due within 6
months and met by the partners' agreement, agencies' reports only where the board asks for them, and
publication at least 7 working days after the copy to the Panel and the Secretary of State. A serious case
review still waits for Ofsted's evaluation where its board says so."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from reviews import guards, services
from reviews.frameworks import COPY_SENT_RULE
from reviews.models import Review, ReviewState, ReviewType
from scr_portal import frameworks
from scr_portal.clock.services import deadlines_of

from ..factories import signed_in
from .factories import LONDON, Journey, debrief, decided_lcspr
from .test_views import text

pytestmark = pytest.mark.django_db

COPY_REFUSED = "The copy must go to the Panel and the Secretary of State at least 7 working days before"
# The journey sends the copy on Thursday 11 March 2027: 7 working days on is Monday 22 March.
EARLIEST = dt.date(2027, 3, 22)
PUBLISH = {"items": ["executive_summary", "overview_report"]}


@pytest.fixture
def lcspr(board_a, manager_a, agency_x):
    board_a.review_framework = frameworks.ENGLAND_2023
    board_a.save(update_fields=["review_framework"])
    return decided_lcspr(board=board_a, manager=manager_a, agencies=[agency_x])


@pytest.fixture
def england(lcspr, manager_a, panel_chair, overview_author):
    """An LCSPR walked with no agencies' reports: the board did not ask for any. The business unit records
    the acts the LSCB Chair records for an SCR."""
    return Journey(
        lcspr,
        manager=manager_a,
        chair=manager_a,
        agencies=[],
        panel_chair=panel_chair,
        author=overview_author,
    )


def status(review, code):
    return deadlines_of(review).get(rule__code=code).status


def test_the_machine_is_declared_for_both_frameworks():
    assert frameworks.problems() == []
    england = frameworks.part(frameworks.ENGLAND_2023, "reviews.Review.state")
    assert ReviewState.EVALUATED not in england.stages and england.guards == {"publish": (COPY_SENT_RULE,)}
    assert ReviewState.EVALUATED in frameworks.part(frameworks.SCR_2010, "reviews.Review.state").stages


def test_an_england_decision_opens_an_lcspr_with_its_six_month_report(lcspr):
    assert lcspr.review_type == ReviewType.LCSPR and lcspr.is_full_review
    assert lcspr.reference.endswith("-LCSPR") and lcspr.review_framework == frameworks.ENGLAND_2023
    report = deadlines_of(lcspr).get(rule__code="e23-lcspr-report")
    assert report.due_date == dt.date(2027, 6, 10)
    assert not deadlines_of(lcspr).filter(rule__code="review-completion").exists()


def test_an_lcspr_runs_from_creation_to_publication_without_evaluation(england, manager_a, client):
    review = england.to(ReviewState.ADOPTED)
    assert not review.imrs.exists()
    assert status(review, "e23-lcspr-report") == "met"
    # No agency reports, so none to circulate before the presentation meeting.
    assert not deadlines_of(review).filter(rule__code="imr-circulation").exists()
    review = england.to(ReviewState.SUBMITTED_TO_OFSTED)
    assert review.state_label == "Copy sent to the Panel and the Secretary of State"
    assert not deadlines_of(review).filter(rule__code="ofsted-evaluation").exists()
    debrief(review, actor=manager_a)

    # Before the 7 working days: refused, the reason on the page and from the service.
    signed_in(client, manager_a)
    page = text(client.get(reverse("review_step", args=[review.pk, "publish"])))
    assert COPY_REFUSED in page and "Ofsted" not in page
    assert COPY_REFUSED in text(client.get(reverse("review_detail", args=[review.pk])))
    with pytest.raises(ValidationError) as refused:
        services.review_publish(review=review, actor=manager_a, published_on=EARLIEST, **PUBLISH)
    assert COPY_REFUSED in str(refused.value)

    with time_machine.travel(dt.datetime(2027, 3, 22, 10, tzinfo=LONDON), tick=False):
        assert guards.problems_for(Review.objects.get(pk=review.pk), "publish") == []
        with pytest.raises(ValidationError) as early:
            services.review_publish(
                review=review, actor=manager_a, published_on=dt.date(2027, 3, 19), **PUBLISH
            )
        assert "on or after 22/03/2027" in str(early.value)
        services.review_publish(review=review, actor=manager_a, published_on=EARLIEST, **PUBLISH)
    review.refresh_from_db()
    assert review.state == ReviewState.PUBLISHED and not hasattr(review, "ofsted_evaluation")


def test_the_lcspr_pages_speak_the_frameworks_words(england, manager_a, client):
    review = england.to(ReviewState.SUBMITTED_TO_OFSTED)
    signed_in(client, manager_a)
    detail = text(client.get(reverse("review_detail", args=[review.pk])))
    assert "Copy sent to the Panel and the Secretary of State" in detail
    assert "Record Ofsted's evaluation" not in detail and "Submitted to Ofsted" not in detail
    assert "SCR" not in detail.replace(review.referral.reference, "")
    listing = text(client.get(reverse("review_list")))
    assert "Copy sent to the Panel and the Secretary of State" in listing


def test_the_lcspr_steps_name_the_agency_reports_and_the_reviewers_report(england, manager_a, client):
    """The steps shared with the SCR take the framework's words: no IMRs or overview report for England."""
    review = england.to(ReviewState.PRESENTATION_HELD)
    signed_in(client, manager_a)
    detail = text(client.get(reverse("review_detail", args=[review.pk])))
    assert "Start drafting the reviewer's report" in detail and "overview report" not in detail
    step = text(client.get(reverse("review_step", args=[review.pk, "start-overview"])))
    assert "The reviewer writes drafts" in step and "overview author" not in step
    assert "Agency reports commissioned" in detail  # the timeline
    assert "Review set up by the safeguarding partners' decision" in detail and "LSCB Chair" not in detail
    assert "Commission the agency reports" in detail and "Commission the IMRs" not in detail  # the tasks
    assert "with the authors of the agency reports" in detail and "IMR authors" not in detail


def test_a_serious_case_review_still_waits_for_ofsteds_evaluation(journey, manager_a):
    review = journey.to(ReviewState.SUBMITTED_TO_OFSTED)
    review.board.publish_requires_evaluation = True
    review.board.save(update_fields=["publish_requires_evaluation"])
    assert review.review_type == ReviewType.SCR and review.state_label == "Submitted to Ofsted"
    debrief(review, actor=manager_a)
    with pytest.raises(ValidationError) as refused:
        services.review_publish(review=review, actor=manager_a, published_on=dt.date(2027, 3, 14), **PUBLISH)
    assert "evaluation_override_reason" in refused.value.message_dict
    assert deadlines_of(review).filter(rule__code="ofsted-evaluation").exists()


def test_the_partners_business_unit_records_what_the_lscb_chair_records_for_an_scr():
    """An England partnership has no LSCB Chair: its business unit approves the terms of reference,
    records the partners' agreement and closes; under the SCR framework these stay the Chair's."""
    from reviews.frameworks import REVIEW_RULES
    from reviews.permissions import BOARD, ReviewAccess

    def access(code):
        perm = REVIEW_RULES[code].chair_acts_with
        return ReviewAccess(
            BOARD, frozenset({"view_board", "work_cases"}), frozenset(), frozenset(), False, perm
        )

    for action in ("approve_tor", "adopt", "close"):
        assert access(frameworks.ENGLAND_2023).may(action)
        assert not access(frameworks.SCR_2010).may(action)
