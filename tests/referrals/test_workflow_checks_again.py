"""App 2 again (issue 16, clause 1): the agency checks can be sent again, and to agencies added later, from
any state before the Chair's decision; an agency already asked keeps its one check."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from referrals import services
from referrals.models import AgencyCheckState, ReferralState
from scr_portal.clock.services import deadlines_of
from scr_portal.models import TransitionLog

from ..factories import signed_in
from .factories import decide
from .workflow_helpers import WORKFLOW, error_summary

pytestmark = WORKFLOW


def send(referral, actor, *agencies):
    return services.referral_send_agency_checks(referral=referral, actor=actor, agencies=agencies)


@pytest.mark.parametrize("fixture", ["submitted_referral", "in_checks", "screening", "to_decide"])
def test_checks_can_be_sent_from_any_state_before_the_decision(request, fixture, manager_a, agency_y):
    referral = request.getfixturevalue(fixture)
    before = ReferralState.AGENCY_CHECKS if fixture == "submitted_referral" else referral.state
    send(referral, manager_a, agency_y)
    referral.refresh_from_db()
    assert referral.state == before
    check = referral.agency_checks.get(agency=agency_y)
    assert check.state == AgencyCheckState.PENDING
    assert deadlines_of(check).filter(rule__code="agency-reply", status="open").count() == 1


def test_scheduling_screening_first_no_longer_blocks_the_checks(submitted_referral, manager_a, agency_x):
    services.referral_schedule_screening(
        referral=submitted_referral, actor=manager_a, meeting_date=submitted_referral.received_at.date()
    )
    send(submitted_referral, manager_a, agency_x)
    submitted_referral.refresh_from_db()
    assert submitted_referral.state == ReferralState.SCREENING_SCHEDULED
    assert submitted_referral.agency_checks.get().agency == agency_x


def test_an_agency_already_asked_keeps_its_one_check_and_deadline(in_checks, manager_a, agency_x, agency_y):
    check_x = in_checks.agency_checks.get(agency=agency_x)
    send(in_checks, manager_a, agency_x, agency_y)
    assert in_checks.agency_checks.filter(agency=agency_x).get() == check_x
    assert deadlines_of(check_x).filter(rule__code="agency-reply").count() == 1
    assert in_checks.agency_checks.count() == 2
    log = TransitionLog.objects.filter(transition="send_agency_checks").last()
    assert log.reason == "Alpha Hospitals NHS Trust; reminded: Alpha Police"


def test_sending_only_to_agencies_that_replied_is_refused(
    check_answered_by_x, to_decide, manager_a, agency_x
):
    with pytest.raises(ValidationError) as refused:
        send(to_decide, manager_a, agency_x)
    assert services.ALL_REPLIED in str(refused.value)
    assert to_decide.agency_checks.get().state == AgencyCheckState.INVOLVED


def test_no_checks_after_the_decision(to_decide, chair_a, manager_a, agency_y):
    decide(to_decide, actor=chair_a)
    with pytest.raises(ValidationError, match=services.CANNOT_NOW):
        send(to_decide, manager_a, agency_y)


def test_the_page_offers_more_checks_and_ticks_only_agencies_not_yet_asked(
    client, board_a, manager_a, screening, agency_x, agency_y
):
    agency_x.core_member = agency_y.core_member = True
    agency_x.save()
    agency_y.save()
    client = signed_in(client, manager_a)
    detail = client.get(reverse("referral_detail", args=[screening.pk])).text
    assert "Send more agency checks" in detail
    url = reverse("referral_send_checks", args=[screening.pk])
    page = client.get(url).text
    checked = set(re.findall(r'<input type="checkbox" name="agencies" value="(\d+)"[^>]*checked', page))
    assert checked == {str(agency_y.pk)}
    assert "not asked twice" in page
    response = client.post(url, {"agencies": [agency_y.pk]})
    assert response.status_code == 302
    screening.refresh_from_db()
    assert screening.state == ReferralState.SCREENING_SCHEDULED
    assert set(screening.agency_checks.values_list("agency", flat=True)) == {agency_x.pk, agency_y.pk}


def test_the_page_refuses_agencies_that_all_replied(
    client, manager_a, check_answered_by_x, to_decide, agency_x
):
    response = signed_in(client, manager_a).post(
        reverse("referral_send_checks", args=[to_decide.pk]), {"agencies": [agency_x.pk]}
    )
    assert services.ALL_REPLIED in error_summary(response)
