"""Agency checks: sending them, answering them (by the agency or for it by the business unit), bad
answers, answers after the decision, and the list of requests to answer."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals import services
from referrals.models import AgencyCheckState, ReferralState

from ..factories import AgencyFactory, BoardFactory, signed_in
from .factories import decide, with_checks
from .workflow_helpers import (
    CHILD,
    WORKFLOW,
    error_summary,
)

pytestmark = WORKFLOW


# --- Agency checks ------------------------------------------------------------------------------------


def test_send_checks_offers_the_boards_agencies_with_core_and_named_ones_ticked(
    client, board_a, manager_a, submitted_referral, agency_x, agency_y
):
    core = AgencyFactory(board=board_a, name="Alpha Children's Services", core_member=True)
    away = AgencyFactory(board=board_a, name="Gamma Police", out_of_area=True)
    AgencyFactory(board=BoardFactory(), name="Elsewhere")
    submitted_referral.involved_agencies.create(agency=agency_y)
    page = (
        signed_in(client, manager_a).get(reverse("referral_send_checks", args=[submitted_referral.pk])).text
    )
    checked = set(re.findall(r'<input type="checkbox" name="agencies" value="(\d+)"[^>]*checked', page))
    assert checked == {str(core.pk), str(agency_y.pk)}
    assert "Gamma Police (outside the area)" in page and "Elsewhere" not in page
    assert str(away.pk) in page


def test_sending_checks_without_an_agency_is_refused(client, manager_a, submitted_referral):
    response = signed_in(client, manager_a).post(
        reverse("referral_send_checks", args=[submitted_referral.pk]), {}
    )
    assert services.NO_AGENCIES in error_summary(response)
    submitted_referral.refresh_from_db()
    assert submitted_referral.state == ReferralState.SUBMITTED


def test_agency_contact_sees_the_request_and_answers_involved(client, contact_x, check_x, in_checks):
    url = reverse("check_answer", args=[check_x.pk])
    page = signed_in(client, contact_x).get(url).text
    assert in_checks.reference in page and CHILD in page and "1 May 2020" in page
    assert "Secure your agency" in page and "respondent_name" not in page
    response = client.post(
        url,
        {
            "involved": "yes",
            "records_secured_on_0": "24",
            "records_secured_on_1": "11",
            "records_secured_on_2": "2026",
            "open_file_copied": "yes",
            "outline": "Known to the team since 2024.",
            "staff_told": "no",
        },
    )
    assert response.status_code == 302 and response.url == reverse("check_list")
    check_x.refresh_from_db()
    assert check_x.state == AgencyCheckState.INVOLVED and check_x.records_secured_on == dt.date(2026, 11, 24)
    assert check_x.respondent == contact_x and check_x.staff_told is False
    page = client.get(url).text
    assert "Known to the team since 2024." in page and "<form" not in page.split('id="main-content"')[1]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {
                "involved": "yes",
                "records_secured_on_0": "1",
                "records_secured_on_1": "1",
                "records_secured_on_2": "2027",
                "outline": "Known.",
            },
            "Date the records were secured must be today or in the past",
        ),
        ({"involved": "yes", "outline": "Known."}, "Enter the date the records were secured"),
        (
            {
                "involved": "yes",
                "records_secured_on_0": "24",
                "records_secured_on_1": "11",
                "records_secured_on_2": "2026",
            },
            "Outline what your agency knew of the child and family",
        ),
        ({}, "Select yes if the agency was involved, or no to send a nil return"),
    ],
)
def test_bad_check_answer_is_refused_and_nothing_saved(client, contact_x, check_x, data, message):
    response = signed_in(client, contact_x).post(reverse("check_answer", args=[check_x.pk]), data)
    assert response.status_code == 200 and message in error_summary(response)
    check_x.refresh_from_db()
    assert check_x.state == AgencyCheckState.PENDING


def test_business_unit_records_an_emailed_reply_with_the_respondents_name(client, manager_a, check_x):
    url = reverse("check_answer", args=[check_x.pk])
    signed_in(client, manager_a)
    assert "Name of the person who replied" in client.get(url).text
    response = client.post(url, {"involved": "no"})
    assert "Enter the name of the person who replied" in error_summary(response)
    client.post(url, {"involved": "no", "respondent_name": "Pat Police"})
    check_x.refresh_from_db()
    assert check_x.state == AgencyCheckState.NIL_RETURN and check_x.recorded_by_business_unit
    assert check_x.respondent_name == "Pat Police"


def test_answering_a_check_after_the_decision_is_refused_and_nothing_changes(
    client, chair_a, contact_x, to_decide, agency_x
):
    decide(to_decide, actor=chair_a)
    check = to_decide.agency_checks.get(agency=agency_x)
    url = reverse("check_answer", args=[check.pk])
    signed_in(client, contact_x)
    assert "The request closed without a reply." in client.get(url).text
    response = client.post(url, {"involved": "no"})
    assert response.status_code == 200
    assert services.CHECK_AFTER_DECISION in error_summary(response)
    check.refresh_from_db()
    assert check.state == AgencyCheckState.UNANSWERED and check.answered_at is None


def test_requests_to_answer_shows_only_the_users_agency(
    client, board_a, referrer, manager_a, contact_x, contact_y, agency_x, agency_y
):
    to_x = with_checks(board=board_a, author=referrer, manager=manager_a, agencies=[agency_x])
    to_y = with_checks(board=board_a, author=referrer, manager=manager_a, agencies=[agency_y])
    page = signed_in(client, contact_x).get(reverse("check_list")).text
    assert to_x.reference in page and to_y.reference not in page
    assert "Thursday 26 November 2026 (10 working days overdue)" in page and "govuk-tag--red" in page
    page = signed_in(client, contact_y).get(reverse("check_list")).text
    assert to_y.reference in page and to_x.reference not in page


def test_business_unit_sees_every_outstanding_reply_late_ones_red_in_constant_queries(
    client, board_a, referrer, manager_a, agency_x, agency_y
):
    first = with_checks(board=board_a, author=referrer, manager=manager_a, agencies=[agency_x])
    signed_in(client, manager_a)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("check_list"))
    others = [
        with_checks(board=board_a, author=referrer, manager=manager_a, agencies=[agency_x, agency_y])
        for _ in range(3)
    ]
    with CaptureQueriesContext(connection) as four:
        page = client.get(reverse("check_list")).text
    assert len(four) == len(one)
    assert all(referral.reference in page for referral in [first, *others])
    assert "Alpha Hospitals NHS Trust" in page and page.count("govuk-tag--red") == 7
