"""Interviews (issue 16): an invitation that falls through is cancelled or declined, with its notice
deadline cancelled (clause 4); an interview cannot be recorded as held before its notice period has run
(clause 5); every step writes a transition log row."""

import datetime as dt
import html

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from imr import services
from imr.models import Interview, InterviewState
from imr.services import workspace
from scr_portal.models import Deadline, TransitionLog

from ..factories import date_fields
from .factories import TODAY, invite_interview
from .service_helpers import refused

pytestmark = pytest.mark.django_db


def notice_of(interview):
    return Deadline.objects.get(content_type__model="interview", object_id=interview.pk)


def log_of(interview) -> list[tuple[str, str, str]]:
    rows = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Interview), object_id=interview.pk
    )
    return list(rows.values_list("transition", "from_state", "to_state"))


def invited_recently(imr):
    """Invited today for an interview in three weeks: the notice period (two weeks) has not run."""
    return services.interview_invite(
        imr=imr,
        actor=imr.author,
        interviewee_name="Sam Worker",
        job_title="Social worker",
        invited_on=TODAY,
        interview_date=TODAY + dt.timedelta(days=21),
        venue="Room 4",
    )


@pytest.mark.parametrize(("declined", "state"), [(False, "cancelled"), (True, "declined")])
def test_an_invitation_that_falls_through_is_cancelled_or_declined_and_its_notice_cancelled(
    preparing, declined, state
):
    interview = invited_recently(preparing)
    refused(
        lambda: services.interview_withdraw(
            interview=interview, actor=preparing.author, declined=declined, on=TODAY, reason=" "
        ),
        workspace.WITHDRAW_REASON,
    )
    done = services.interview_withdraw(
        interview=interview, actor=preparing.author, declined=declined, on=TODAY, reason="Off sick."
    )
    assert (done.state, done.withdrawn_on, done.withdrawn_reason) == (state, TODAY, "Off sick.")
    assert notice_of(interview).status == "cancelled"
    assert log_of(interview) == [("decline" if declined else "cancel", "invited", state)]
    refused(
        lambda: services.interview_record_held(interview=done, actor=preparing.author, held_on=TODAY),
        services.CANNOT_NOW,
    )


def test_an_interview_cannot_be_held_before_its_notice_period_has_run(preparing):
    interview = invited_recently(preparing)
    refused(
        lambda: services.interview_record_held(interview=interview, actor=preparing.author, held_on=TODAY),
        "The interview must have been held after the invitation of 11/01/2027.",
    )
    # As if the invitation had gone out 13 days ago: the notice period ends tomorrow.
    Deadline.objects.filter(pk=notice_of(interview).pk).update(due_date=TODAY + dt.timedelta(days=1))
    Interview.objects.filter(pk=interview.pk).update(invited_on=TODAY - dt.timedelta(days=13))
    refused(
        lambda: services.interview_record_held(interview=interview, actor=preparing.author, held_on=TODAY),
        workspace.HELD_BEFORE_NOTICE.format(earliest="12/01/2027"),
    )
    Interview.objects.filter(pk=interview.pk).update(shorter_notice_agreed=True)
    services.interview_record_held(interview=interview, actor=preparing.author, held_on=TODAY)
    assert Interview.objects.get(pk=interview.pk).state == InterviewState.HELD


def test_every_interview_step_writes_a_transition_log_row(preparing):
    interview = invite_interview(preparing, interview_date=TODAY - dt.timedelta(days=2))
    services.interview_record_held(
        interview=interview, actor=preparing.author, held_on=TODAY - dt.timedelta(days=2)
    )
    services.interview_send_summary(interview=interview, actor=preparing.author, summary="S", sent_on=TODAY)
    services.interview_record_outcome(interview=interview, actor=preparing.author, signed=True, on=TODAY)
    assert log_of(interview) == [
        ("record_held", "invited", "held"),
        ("send_summary", "held", "summary_sent"),
        ("record_signed", "summary_sent", "signed"),
    ]
    assert set(TransitionLog.objects.filter(object_id=interview.pk).values_list("board", flat=True)) == {
        preparing.review.board_id
    }


# --- Through the pages --------------------------------------------------------------------------------


def test_the_author_records_a_declined_invitation_on_the_page(client_as, preparing):
    interview = invited_recently(preparing)
    client = client_as(preparing.author)
    detail = reverse("imr_interview_detail", args=[preparing.pk, interview.pk])
    withdraw = reverse("imr_interview_withdraw", args=[preparing.pk, interview.pk])
    assert withdraw in client.get(detail).content.decode()
    empty = client.post(withdraw, {})
    assert "Select whether the interview was cancelled or declined" in empty.content.decode()
    assert "govuk-error-summary" in empty.content.decode()
    response = client.post(
        withdraw, {"outcome": "declined", "reason": "Left the agency."} | date_fields("on", TODAY)
    )
    assert response.status_code == 302 and response["Location"] == detail
    page = client.get(detail).content.decode()
    assert "Declined" in page and "Left the agency." in page
    assert withdraw not in page


def test_holding_an_interview_before_its_notice_period_is_refused_on_the_page(client_as, preparing):
    interview = invited_recently(preparing)
    Interview.objects.filter(pk=interview.pk).update(invited_on=TODAY - dt.timedelta(days=13))
    Deadline.objects.filter(pk=notice_of(interview).pk).update(due_date=TODAY + dt.timedelta(days=1))
    response = client_as(preparing.author).post(
        reverse("imr_interview_held", args=[preparing.pk, interview.pk]), date_fields("held_on", TODAY)
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "cannot have been held before its notice period ended on 12/01/2027" in page
    assert Interview.objects.get(pk=interview.pk).state == InterviewState.INVITED
