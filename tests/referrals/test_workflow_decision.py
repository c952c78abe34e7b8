"""The Chair's decision page: the recent sign-in, two chairs deciding at once, illegal decisions refused
with a clear message, and bad input."""

import html

import pytest
from django.urls import reverse

from referrals import services
from referrals.models import Decision, ReferralState

from ..factories import signed_in
from .factories import decide
from .workflow_helpers import (
    WORKFLOW,
    decision_data,
    error_summary,
    flashed,
)

pytestmark = WORKFLOW


# --- The Chair's decision -----------------------------------------------------------------------------


def test_decision_asks_the_chair_to_sign_in_again_without_a_recent_sign_in(client, chair_a, to_decide):
    url = reverse("referral_decide", args=[to_decide.pk])
    client.force_login(chair_a, backend="allauth.account.auth_backends.AuthenticationBackend")
    for response in (client.get(url), client.post(url, decision_data())):
        assert response.status_code == 302
        assert response.url.startswith("/accounts/reauthenticate/") and "next=" in response.url
    signed_in(client, chair_a, seconds_ago=16 * 60)
    assert client.get(url).url.startswith("/accounts/reauthenticate/")
    assert not Decision.objects.filter(referral=to_decide).exists()
    signed_in(client, chair_a, seconds_ago=60)
    assert client.get(url).status_code == 200


def test_decision_page_shows_the_advice_recommendation_and_agency_replies(
    client, chair_a, contact_x, to_decide, check_answered_by_x
):
    page = signed_in(client, chair_a).get(reverse("referral_decide", args=[to_decide.pk])).text
    assert "Must review" in page and "M1 with abuse or neglect known or suspected" in page
    assert "Hold a serious case review" in page and "Threshold met." in page
    assert "Alpha Police" in page and "Known to the team since 2024." in page
    assert "departs from the advice of the criteria. The advice is: must review." in page


def test_chair_decides_and_is_told_the_review_reference(client, chair_a, to_decide):
    response = signed_in(client, chair_a).post(
        reverse("referral_decide", args=[to_decide.pk]), decision_data()
    )
    assert response.status_code == 302 and response.url == reverse("referral_detail", args=[to_decide.pk])
    assert flashed(response) == [
        f"Your decision has been recorded: hold a serious case review. Review {to_decide.reference}-SCR has "
        "been set up."
    ]
    to_decide.refresh_from_db()
    assert to_decide.state == ReferralState.DECIDED and to_decide.decision.decided_by == chair_a


def test_second_chair_deciding_at_the_same_time_is_told_and_loses_nothing(
    client, chair_a, chair_a2, to_decide
):
    decide(to_decide, actor=chair_a)
    typed = decision_data(
        outcome="nfa", reasons="Typed reasons that must survive", members_consulted="Health"
    )
    response = signed_in(client, chair_a2).post(reverse("referral_decide", args=[to_decide.pk]), typed)
    assert response.status_code == 200
    assert services.ALREADY_DECIDED in error_summary(response)
    assert "Typed reasons that must survive" in response.text and "Health" in response.text
    assert "Carol Chair recorded the decision" in response.text
    decision = Decision.objects.get(referral=to_decide)
    assert decision.outcome == "scr" and decision.decided_by == chair_a


def test_business_manager_posting_a_decision_is_refused_and_nothing_changes(client, manager_a, to_decide):
    response = signed_in(client, manager_a).post(
        reverse("referral_decide", args=[to_decide.pk]), decision_data()
    )
    assert response.status_code == 403 and services.ONLY_CHAIR_DECIDES in html.unescape(response.text)
    to_decide.refresh_from_db()
    assert to_decide.state == ReferralState.RECOMMENDED
    assert not Decision.objects.filter(referral=to_decide).exists()


def test_deciding_twice_from_a_stale_link_goes_back_to_the_referral(client, chair_a, to_decide):
    decide(to_decide, actor=chair_a)
    response = signed_in(client, chair_a).get(reverse("referral_decide", args=[to_decide.pk]))
    assert response.status_code == 302 and flashed(response) == ["This referral has already been decided."]


def test_deciding_before_the_recommendation_is_refused(client, chair_a, in_checks):
    response = signed_in(client, chair_a).get(reverse("referral_decide", args=[in_checks.pk]))
    assert response.status_code == 302 and flashed(response) == [services.NOT_READY_TO_DECIDE]


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        (decision_data(outcome="nfa", reasons="  "), services.REASONS_REQUIRED_NFA),
        (
            decision_data(outcome="alternative", alternative_type="management_review"),
            services.REASONS_REQUIRED_DEPART,
        ),
        (
            decision_data(outcome="alternative", reasons="Lessons are narrow."),
            services.ALTERNATIVE_TYPE_REQUIRED,
        ),
        (decision_data(members_consulted=""), "Enter the LSCB members consulted"),
        (decision_data(legal_advice_sought=""), "Select yes if legal advice was sought"),
        (decision_data(outcome=""), "Select your decision"),
    ],
)
def test_bad_decision_input_is_refused_and_nothing_saved(client, chair_a, to_decide, data, field_error):
    response = signed_in(client, chair_a).post(reverse("referral_decide", args=[to_decide.pk]), data)
    assert response.status_code == 200
    assert field_error in error_summary(response)
    assert 'class="govuk-error-message"' in response.text
    to_decide.refresh_from_db()
    assert to_decide.state == ReferralState.RECOMMENDED
