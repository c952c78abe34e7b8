"""Issue 16, clause 3: publication waits for Ofsted's evaluation only where the board says so and only until
the board's time for the letter runs out; it is held while a parallel process the panel marked as blocking
is open; only the LSCB Chair overrides a hold, with a reason that is recorded; the practitioners' debriefing
comes first. A review whose letter never came can then be closed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reviews import guards, services
from reviews.models import ParallelProcessKind, ReviewState
from reviews.services import outcome
from scr_portal.clock.services import deadlines_of

from ..factories import date_fields as date
from ..factories import signed_in
from .factories import LONDON, debrief
from .test_views import errors, text

pytestmark = pytest.mark.django_db

# After the journey's submission to Ofsted (11 March 2027) and the board's three months for the letter.
AFTER_THE_WAIT = dt.datetime(2027, 6, 14, 10, tzinfo=LONDON)
PUBLISHED = {"published_on": dt.date(2027, 3, 14), "items": ["executive_summary", "overview_report"]}


def blocking_process(review, manager):
    return services.parallel_process_save(
        review=review,
        actor=manager,
        kind=ParallelProcessKind.CRIMINAL_TRIAL,
        lead_body="Crown Court",
        blocks_publication=True,
    )


def test_submission_opens_the_boards_time_for_ofsteds_letter_and_the_letter_meets_it(journey, manager_a):
    review = journey.to(ReviewState.SUBMITTED_TO_OFSTED)
    waiting = deadlines_of(review).get(rule__code=outcome.OFSTED_REPLY_RULE)
    assert waiting.due_date == dt.date(2027, 6, 11)
    journey._evaluate()
    waiting.refresh_from_db()
    assert waiting.status == "met"


def test_only_the_lscb_chair_publishes_before_the_evaluation_and_is_recorded(journey, manager_a, chair_a):
    review = journey.to(ReviewState.SUBMITTED_TO_OFSTED)
    debrief(review, actor=manager_a)
    reason = {"evaluation_override_reason": "The inquest is public next week."}
    with pytest.raises(ValidationError) as refused:
        services.review_publish(review=review, actor=manager_a, **PUBLISHED, **reason)
    assert refused.value.message_dict["evaluation_override_reason"] == [
        "Only the LSCB Chair can publish while publication is held, with a reason."
    ]
    services.review_publish(review=review, actor=chair_a, **PUBLISHED, **reason)
    review.refresh_from_db()
    assert review.state == ReviewState.PUBLISHED
    assert review.publication.overridden_by == chair_a
    assert review.publication.evaluation_override_reason == "The inquest is public next week."


def test_when_ofsted_has_not_replied_in_the_boards_time_the_review_publishes_and_closes(journey, manager_a):
    review = journey.to(ReviewState.SUBMITTED_TO_OFSTED)
    debrief(review, actor=manager_a)
    services.review_publish(review=review, actor=manager_a, **PUBLISHED, now=AFTER_THE_WAIT)
    review.refresh_from_db()
    assert review.publication.overridden_by is None
    assert "Ofsted had not replied by 11/06/2027" in review.publication.evaluation_override_reason
    review = journey.to(ReviewState.CLOSED)
    assert review.state == ReviewState.CLOSED and not hasattr(review, "ofsted_evaluation")


def test_a_late_letter_is_still_recorded_during_monitoring(journey, manager_a, chair_a):
    review = journey.to(ReviewState.SUBMITTED_TO_OFSTED)
    debrief(review, actor=manager_a)
    services.review_publish(review=review, actor=manager_a, **PUBLISHED, now=AFTER_THE_WAIT)
    review = journey.to(ReviewState.MONITORING)
    journey._evaluate()
    review.refresh_from_db()
    assert review.state == ReviewState.MONITORING and review.ofsted_evaluation


def test_a_blocking_parallel_process_holds_publication_until_the_chair_overrides(journey, manager_a, chair_a):
    review = journey.to(ReviewState.EVALUATED)
    debrief(review, actor=manager_a)
    blocking_process(review, manager_a)
    with pytest.raises(ValidationError) as refused:
        services.review_publish(review=review, actor=manager_a, **PUBLISHED)
    assert "Publication is held while the criminal trial (Crown Court) is open" in str(refused.value)
    services.review_publish(
        review=review, actor=chair_a, **PUBLISHED, process_override_reason="The trial will not report."
    )
    review.refresh_from_db()
    assert review.publication.process_override_reason == "The trial will not report."
    assert review.publication.overridden_by == chair_a


def test_a_process_not_marked_as_blocking_does_not_hold_publication(journey, manager_a):
    review = journey.to(ReviewState.EVALUATED)
    debrief(review, actor=manager_a)
    services.parallel_process_save(
        review=review, actor=manager_a, kind=ParallelProcessKind.INQUEST, lead_body="HM Coroner"
    )
    services.review_publish(review=review, actor=manager_a, **PUBLISHED)
    review.refresh_from_db()
    assert review.state == ReviewState.PUBLISHED


def test_publication_waits_for_the_practitioners_debriefing(journey, manager_a):
    review = journey.to(ReviewState.EVALUATED)
    with pytest.raises(ValidationError) as refused:
        services.review_publish(review=review, actor=manager_a, **PUBLISHED)
    assert guards.NEEDS_DEBRIEF in refused.value.messages


# --- Through the pages ----------------------------------------------------------------------------------


def publish_form(**more):
    return {**date("published_on", dt.date(2026, 1, 5)), "items": PUBLISHED["items"], **more}


def test_the_publish_page_shows_the_holds_and_refuses_the_business_units_override(
    client, journey, manager_a, chair_a
):
    review = journey.to(ReviewState.SUBMITTED_TO_OFSTED)
    url = reverse("review_step", args=[review.pk, "publish"])
    page = text(signed_in(client, manager_a).get(url))
    assert guards.NEEDS_DEBRIEF in page and outcome.EVALUATION_OVERRIDE_REQUIRED in page
    debrief(review, actor=manager_a)
    blocking_process(review, manager_a)
    response = client.post(
        url, publish_form(evaluation_override_reason="Delayed", process_override_reason="x")
    )
    assert "Only the LSCB Chair can publish while publication is held" in errors(response)
    response = signed_in(client, chair_a).post(
        url, publish_form(evaluation_override_reason="Delayed", process_override_reason="Not reporting")
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.state == ReviewState.PUBLISHED and review.publication.overridden_by == chair_a


def test_the_parallel_process_page_marks_a_process_as_blocking(client_as, journey, manager_a):
    review = journey.to(ReviewState.SCOPING)
    response = client_as(manager_a).post(
        reverse("review_parallel_process_new", args=[review.pk]),
        {"kind": "criminal_trial", "lead_body": "Crown Court", "blocks_publication": "on"},
    )
    assert response.status_code == 302
    assert review.parallel_processes.get().blocks_publication
