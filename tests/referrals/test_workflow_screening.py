"""Screening and the sub-committee's recommendation, and the list of decisions awaiting the Chair."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals import services
from referrals.models import ReferralState

from ..factories import signed_in
from .factories import decide, submitted, with_checks
from .workflow_helpers import (
    WORKFLOW,
    error_summary,
    flashed,
)

pytestmark = WORKFLOW


# --- Screening and recommendation ---------------------------------------------------------------------


def test_screening_after_three_weeks_is_saved_with_a_warning(client, manager_a, in_checks):
    response = signed_in(client, manager_a).post(
        reverse("referral_schedule_screening", args=[in_checks.pk]),
        {"meeting_date_0": "21", "meeting_date_1": "12", "meeting_date_2": "2026"},
    )
    assert response.status_code == 302
    shown = flashed(response)
    assert shown[0] == "The screening meeting is set for Monday 21 December 2026."
    assert "three weeks from the referral" in shown[1]
    in_checks.refresh_from_db()
    assert in_checks.state == ReferralState.SCREENING_SCHEDULED
    assert in_checks.screening.meeting_date == dt.date(2026, 12, 21)


def test_screening_date_is_required_and_not_before_the_referral(client, manager_a, in_checks):
    url = reverse("referral_schedule_screening", args=[in_checks.pk])
    signed_in(client, manager_a)
    assert "Enter the date of the sub-committee meeting" in error_summary(client.post(url, {}))
    early = {"meeting_date_0": "1", "meeting_date_1": "11", "meeting_date_2": "2026"}
    assert "on or after the date the referral was received" in error_summary(client.post(url, early))
    in_checks.refresh_from_db()
    assert in_checks.state == ReferralState.AGENCY_CHECKS


def test_recommendation_is_recorded_with_who_took_part(client, manager_a, subcommittee_member, screening):
    response = signed_in(client, manager_a).post(
        reverse("referral_recommend", args=[screening.pk]),
        {
            "members_present": [subcommittee_member.pk],
            "deputies": "Dr D Deputy for health",
            "recommendation": "alternative",
            "alternative_type": "management_review",
            "reasons": "Lessons for two agencies only.",
            "suggested_author": "An Author",
        },
    )
    assert response.status_code == 302
    screening.refresh_from_db()
    meeting = screening.screening
    assert screening.state == ReferralState.RECOMMENDED
    assert meeting.recommendation == "alternative" and meeting.alternative_type == "management_review"
    assert list(meeting.members_present.all()) == [subcommittee_member]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"deputies": "Dr D", "recommendation": "alternative", "reasons": "Narrow lessons."},
            services.ALTERNATIVE_TYPE_REQUIRED,
        ),
        ({"deputies": "Dr D", "recommendation": "scr"}, "Give the reasons for the recommendation"),
        ({"recommendation": "scr", "reasons": "Met."}, "Record who took part"),
        ({"deputies": "Dr D", "reasons": "Met."}, "Select what the sub-committee recommends"),
    ],
)
def test_bad_recommendation_is_refused_and_nothing_saved(client, manager_a, screening, data, message):
    response = signed_in(client, manager_a).post(reverse("referral_recommend", args=[screening.pk]), data)
    assert response.status_code == 200 and message in error_summary(response)
    screening.refresh_from_db()
    assert screening.state == ReferralState.SCREENING_SCHEDULED


def test_decisions_awaiting_shows_the_days_left_in_constant_queries(
    client, board_a, referrer, chair_a, manager_a, agency_x, to_decide
):
    signed_in(client, chair_a)
    with CaptureQueriesContext(connection) as one:
        page = client.get(reverse("decisions_awaiting")).text
    assert to_decide.reference in page and "9 working days left" in page and "23 December 2026" in page
    assert "Must review" in page and "Hold a serious case review" in page and "Make the decision" in page
    more = [
        submitted(board=board_a, author=referrer),
        with_checks(board=board_a, author=referrer, manager=manager_a, agencies=[agency_x]),
    ]
    with CaptureQueriesContext(connection) as three:
        page = client.get(reverse("decisions_awaiting")).text
    assert len(three) == len(one) and all(referral.reference in page for referral in more)
    assert "Not yet" in page


def test_decided_and_closed_referrals_leave_the_decisions_awaiting(
    client, chair_a, manager_a, to_decide, in_checks
):
    decide(to_decide, actor=chair_a)
    services.referral_withdraw(referral=in_checks, actor=manager_a, reason="Referrer withdrew it")
    page = signed_in(client, chair_a).get(reverse("decisions_awaiting")).text
    assert to_decide.reference not in page and in_checks.reference not in page
    assert "No referral is waiting for a decision." in page
