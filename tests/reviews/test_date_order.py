"""Dates checked against each other (issue 16 clause 5): the decision, then the IMRs' circulation, then the
presentation meeting; the authors' briefing after the commissioning and on a working day of the board's
calendar, in the service, on the pages and in the App 4 letter."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reviews import services
from reviews.documents.contexts import BRIEFING_NOT_WORKING_DAY
from reviews.models import Meeting, MeetingKind, ReviewState
from reviews.services import date_order
from scr_portal.documents.registry import get_kind
from scr_portal.models import BoardClosureDay

from ..factories import date_fields as date
from .test_views import errors

pytestmark = pytest.mark.django_db

SATURDAY = dt.date(2026, 12, 19)


def refused(call, field: str) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    return " ".join(error.value.message_dict[field])


def presentation(journey, manager_a, on=dt.date(2027, 3, 1)) -> Meeting:
    review = journey.to(ReviewState.IMRS_IN_PROGRESS)
    meeting, _ = services.meeting_schedule(
        review=review, actor=manager_a, kind=MeetingKind.PRESENTATION, meeting_date=on
    )
    return meeting


def circulation_refused(meeting, actor, on: dt.date) -> str:
    """The error on the date when recording the IMRs as circulated on that date is refused."""
    return refused(
        lambda: services.meeting_record_circulation(meeting=meeting, actor=actor, circulated_on=on),
        "circulated_on",
    )


def test_imrs_circulated_before_the_decision_are_refused_naming_both_dates(journey, manager_a):
    meeting = presentation(journey, manager_a)
    message = circulation_refused(meeting, manager_a, dt.date(2026, 12, 9))
    assert "Wednesday 9 December 2026" in message and "Thursday 10 December 2026" in message


def test_imrs_circulated_after_the_presentation_and_a_presentation_before_circulation_are_refused(
    journey, manager_a
):
    meeting = presentation(journey, manager_a)
    message = circulation_refused(meeting, manager_a, dt.date(2027, 3, 2))
    assert "Tuesday 2 March 2027" in message and "Monday 1 March 2027" in message
    services.meeting_record_circulation(meeting=meeting, actor=manager_a, circulated_on=dt.date(2027, 2, 12))
    review = journey.refresh()
    message = refused(
        lambda: services.meeting_schedule(
            review=review, actor=manager_a, kind=MeetingKind.PRESENTATION, meeting_date=dt.date(2027, 2, 10)
        ),
        "meeting_date",
    )
    assert "Wednesday 10 February 2027" in message and "Friday 12 February 2027" in message
    message = refused(
        lambda: services.meeting_record_held(
            meeting=meeting, actor=manager_a, held_on=dt.date(2027, 2, 11), attendance={}
        ),
        "held_on",
    )
    assert "Friday 12 February 2027" in message
    assert Meeting.objects.get(pk=meeting.pk).meeting_date == dt.date(2027, 3, 1)


def test_the_circulation_page_shows_the_refusal_in_the_error_summary(client_as, journey, manager_a):
    meeting = presentation(journey, manager_a)
    url = reverse("review_meeting_circulation", args=[journey.review.pk, meeting.pk])
    response = client_as(manager_a).post(url, date("circulated_on", dt.date(2026, 12, 9)))
    assert response.status_code == 200
    summary = errors(response)
    assert "before the decision to hold the review on Thursday 10 December 2026" in summary
    assert Meeting.objects.get(pk=meeting.pk).imrs_circulated_on is None


def test_the_authors_briefing_is_on_a_working_day_after_the_commissioning(journey, manager_a, board_a):
    review = journey.to(ReviewState.IMRS_COMMISSIONED)

    def briefing(on):
        return lambda: services.meeting_schedule(
            review=review, actor=manager_a, kind=MeetingKind.AUTHORS_BRIEFING, meeting_date=on
        )

    assert "Saturday 19 December 2026" in refused(briefing(SATURDAY), "meeting_date")
    assert "not a working day" in refused(briefing(dt.date(2026, 12, 28)), "meeting_date")  # bank holiday
    BoardClosureDay.objects.create(board=board_a, day=dt.date(2026, 12, 29), reason="Christmas closure")
    assert "not a working day" in refused(briefing(dt.date(2026, 12, 29)), "meeting_date")
    message = refused(briefing(dt.date(2026, 12, 11)), "meeting_date")
    assert "Friday 11 December 2026" in message and "Monday 14 December 2026" in message
    assert date_order.commissioned_on(review) == dt.date(2026, 12, 14)
    meeting, _ = briefing(dt.date(2026, 12, 30))()
    assert meeting.meeting_date == dt.date(2026, 12, 30)
    assert "Sunday 3 January 2027" in refused(
        lambda: services.meeting_record_held(
            meeting=meeting, actor=manager_a, held_on=dt.date(2027, 1, 3), attendance={}
        ),
        "held_on",
    )


def test_the_briefing_page_refuses_a_saturday(client_as, journey, manager_a):
    review = journey.to(ReviewState.IMRS_COMMISSIONED)
    url = reverse("review_meeting_new", args=[review.pk])
    response = client_as(manager_a).post(
        url, {"kind": MeetingKind.AUTHORS_BRIEFING, **date("meeting_date", SATURDAY)}
    )
    assert "The authors' briefing cannot be on Saturday 19 December 2026" in errors(response)
    assert not Meeting.objects.filter(review=review).exists()


def test_the_briefing_letter_is_not_produced_for_a_briefing_on_a_non_working_day(journey, manager_a):
    review = journey.to(ReviewState.IMRS_COMMISSIONED)
    kind = get_kind("authors-briefing")
    assert kind.missing(review) == []
    # A meeting set before dates were checked, on a Saturday: the letter waits until it moves.
    Meeting.objects.create(
        review=review,
        kind=MeetingKind.AUTHORS_BRIEFING,
        meeting_date=SATURDAY,
        scheduled_by=manager_a,
        scheduled_at=journey.review.created_at,
    )
    assert kind.missing(review) == [BRIEFING_NOT_WORKING_DAY.format(day="Saturday 19 December 2026")]
