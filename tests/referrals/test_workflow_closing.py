"""Closing a referral without a decision (withdrawn, transferred, duplicate), external notifications, and
finding names in the anonymised text."""

import pytest
from django.urls import reverse

from referrals import services
from referrals.forms.workflow import NAME_FOUND, names_in
from referrals.models import ExternalNotification, FamilyMember, ReferralState

from ..factories import signed_in
from .workflow_helpers import (
    CHILD,
    WORKFLOW,
    error_summary,
    flashed,
    notification,
)

pytestmark = WORKFLOW


# --- Closing without a decision -----------------------------------------------------------------------


def test_duplicate_closes_and_points_to_the_original(client, manager_a, in_checks, submitted_referral):
    url = reverse("referral_duplicate", args=[in_checks.pk])
    signed_in(client, manager_a)
    page = client.get(url).text
    assert f"{submitted_referral.reference}: {CHILD}" in page and f">{in_checks.reference}:" not in page
    response = client.post(url, {"original": submitted_referral.pk, "reason": "Same child"})
    assert flashed(response) == [
        f"Referral {in_checks.reference} has been closed as a duplicate of {submitted_referral.reference}."
    ]
    in_checks.refresh_from_db()
    assert in_checks.state == ReferralState.DUPLICATE and in_checks.duplicate_of == submitted_referral


@pytest.mark.parametrize(
    ("url_name", "data", "message"),
    [
        ("referral_withdraw", {"reason": ""}, "Enter why the referral is being withdrawn"),
        ("referral_transfer", {"reason": "Lives there"}, "Enter the name of the board that will lead"),
        ("referral_duplicate", {"reason": "Same child"}, "Select the original referral"),
        (
            "referral_duplicate",
            {"original": "999999", "reason": "x"},
            "Select the original referral from the list",
        ),
    ],
)
def test_closing_without_what_is_needed_is_refused(client, manager_a, in_checks, url_name, data, message):
    response = signed_in(client, manager_a).post(reverse(url_name, args=[in_checks.pk]), data)
    assert response.status_code == 200 and message in error_summary(response)
    in_checks.refresh_from_db()
    assert in_checks.state == ReferralState.AGENCY_CHECKS


def test_closed_referral_cannot_be_closed_again(client, manager_a, in_checks):
    services.referral_withdraw(referral=in_checks, actor=manager_a, reason="Withdrawn")
    signed_in(client, manager_a)
    response = client.get(reverse("referral_transfer", args=[in_checks.pk]))
    assert response.status_code == 302 and flashed(response) == [services.CANNOT_NOW]
    response = client.post(
        reverse("referral_transfer", args=[in_checks.pk]), {"lead_board": "Gamma", "reason": "x"}
    )
    assert response.status_code == 200 and services.CANNOT_NOW in error_summary(response)
    in_checks.refresh_from_db()
    assert in_checks.state == ReferralState.WITHDRAWN


# --- External notifications ---------------------------------------------------------------------------


def test_notification_is_recorded(client, manager_a, in_checks):
    response = signed_in(client, manager_a).post(
        reverse("referral_notify", args=[in_checks.pk]), notification()
    )
    assert flashed(response) == ["Recorded: Ofsted told of the serious incident on Tuesday 24 November 2026."]
    recorded = ExternalNotification.objects.get(referral=in_checks)
    assert recorded.their_reference == "NBU-123" and recorded.recorded_by == manager_a


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (notification(anonymised_text="jamie, aged 6, died."), NAME_FOUND),
        (notification(anonymised_text="Child A died; TESTCASE family known."), NAME_FOUND),
        (notification(anonymised_text="Child A lived with Morgan."), NAME_FOUND),
        (notification(sent_on_0="11", sent_on_1="12"), "Date it was sent must be today or in the past"),
        (notification(body=""), "Select who was told"),
        (notification(sent_on_0="", sent_on_1="", sent_on_2=""), "Enter the date it was sent"),
        (notification(sent_on_0="31", sent_on_1="2"), "Date it was sent must be a real date"),
        (notification(anonymised_text=""), "Enter the anonymised text that was sent"),
    ],
)
def test_bad_notification_is_refused_and_nothing_saved(client, manager_a, in_checks, data, message):
    FamilyMember.objects.create(referral=in_checks, name="Morgan Parent", relationship="Mother")
    response = signed_in(client, manager_a).post(reverse("referral_notify", args=[in_checks.pk]), data)
    assert response.status_code == 200 and message in error_summary(response)
    assert not ExternalNotification.objects.filter(referral=in_checks).exists()


def test_the_same_notification_twice_is_refused(client, manager_a, in_checks):
    signed_in(client, manager_a)
    client.post(reverse("referral_notify", args=[in_checks.pk]), notification())
    response = client.post(reverse("referral_notify", args=[in_checks.pk]), notification())
    assert "That notification has already been recorded." in error_summary(response)
    assert ExternalNotification.objects.filter(referral=in_checks).count() == 1


@pytest.mark.parametrize(
    ("text", "names", "found"),
    [
        ("Child A, aged 6.", ["Child Testcase"], []),
        ("Announcement about Child A.", ["Ann Smith"], []),
        ("Ann was at home.", ["Ann Smith"], ["Ann"]),
        ("The O'Brien family.", ["Kieran O'Brien"], ["Brien"]),
        ("Jane was at school.", ["Mary-Jane Smith"], ["Jane"]),
        ("Seen by MORGAN.", ["Child A", "Morgan Parent"], ["Morgan"]),
        ("Jo was there.", ["Jo Li"], []),
    ],
)
def test_names_are_found_as_whole_words_of_three_letters_or_more(text, names, found):
    assert names_in(text, names) == found
