"""Issue 20: the business manager chooses the board's review framework on the process settings page, kept in
the change history like the other switches. Cases already open keep the framework they were opened under;
a draft started after the change takes the new one."""

import re

import pytest
from django.urls import reverse

from referrals.services import referral_create_draft
from scr_portal import frameworks
from scr_portal.models import BoardSettingChange

from ..referrals.factories import submitted

pytestmark = pytest.mark.django_db

SWITCHES_FORM = {
    "governance_model": "two_tier",
    "decision_notify_bodies": ["ofsted", "dfe", "national_panel", "sha_cqc", "hmic", "hmip"],
    "publish_requires_evaluation": "on",
    "publish_overview_report": "on",
    "named_roles": ["lscb_chair", "panel_chair", "overview_author"],
    "staff_review_scope": "extracts",
}


def test_the_settings_page_offers_every_framework_and_says_open_cases_keep_theirs(
    client_as, board_a, manager_a
):
    page = client_as(manager_a).get(reverse("board_settings_switches", args=[board_a.pk])).text
    assert re.search(r'<select [^>]*name="review_framework"', page)
    for code, name in frameworks.choices():
        assert f'value="{code}"' in page and name in page
    assert "Cases already open keep the framework they were opened under" in page


def test_switching_keeps_open_cases_on_their_framework_and_new_drafts_take_the_new_one(
    client_as, board_a, manager_a, review
):
    referral = submitted(board=board_a, author=manager_a, child_name="Child Opencase")
    assert (
        board_a.review_framework
        == frameworks.SCR_2010
        == review.review_framework
        == referral.review_framework
    )
    client = client_as(manager_a)
    response = client.post(
        reverse("board_settings_switches", args=[board_a.pk]),
        {
            **SWITCHES_FORM,
            "review_framework": frameworks.ENGLAND_2023,
            "reason": "The partners' new arrangements",
        },
    )
    assert response.status_code == 302
    board_a.refresh_from_db()
    assert board_a.review_framework == frameworks.ENGLAND_2023
    change = BoardSettingChange.objects.get(board=board_a)
    assert change.setting == "Review framework (REVIEW_FRAMEWORK)"
    assert change.old_value == frameworks.get(frameworks.SCR_2010).name
    assert (
        change.new_value
        == f"{frameworks.get(frameworks.ENGLAND_2023).name} — reason: The partners' new arrangements"
    )
    review.refresh_from_db()
    referral.refresh_from_db()
    assert review.review_framework == referral.review_framework == frameworks.SCR_2010
    assert referral_create_draft(board=board_a, actor=manager_a).review_framework == frameworks.ENGLAND_2023
    settings_page = client.get(reverse("board_settings", args=[board_a.pk])).text
    assert frameworks.get(frameworks.ENGLAND_2023).name in settings_page


def test_an_unknown_framework_is_refused(client_as, board_a, manager_a):
    response = client_as(manager_a).post(
        reverse("board_settings_switches", args=[board_a.pk]),
        {**SWITCHES_FORM, "review_framework": "wales-2012", "reason": "Moving"},
    )
    assert response.status_code == 200 and "govuk-error-summary" in response.text
    board_a.refresh_from_db()
    assert board_a.review_framework == frameworks.SCR_2010
