"""The referral machine serves both review frameworks (issue 20): the start-up check finds a framework that
names a stage, transition or rule the machine lacks, and the referral pages call each stage what the case's
framework calls it ("Notified" for England 2023, "Submitted" for the SCR framework)."""

import dataclasses

import pytest
from django.urls import reverse

from referrals.models import REFERRAL_MACHINE
from scr_portal import frameworks
from scr_portal.checks import frameworks_declared
from scr_portal.frameworks import ENGLAND_2023, SCR_2010

from .factories import INCIDENT, recommended, submitted

pytestmark = pytest.mark.django_db


def test_both_frameworks_declare_the_referral_machine_and_the_check_is_clean():
    assert frameworks.part(SCR_2010, REFERRAL_MACHINE).labels == {}
    assert frameworks.part(ENGLAND_2023, REFERRAL_MACHINE).label("submitted", "Submitted") == "Notified"
    assert frameworks.uses_transition(ENGLAND_2023, REFERRAL_MACHINE, "decide")
    assert frameworks.problems() == [] and frameworks_declared(None) == []


def test_the_check_reports_a_wrong_stage_transition_or_rule(monkeypatch):
    england = frameworks.part(ENGLAND_2023, REFERRAL_MACHINE)
    bogus = dataclasses.replace(
        england,
        stages=(*england.stages, "rapid_reviewed"),
        transitions=(*england.transitions, "send_to_panel"),
        guards={"decide": ("partners_agreed_by_telepathy",)},
    )
    monkeypatch.setitem(frameworks._parts, (ENGLAND_2023, REFERRAL_MACHINE), bogus)
    machine = f"{ENGLAND_2023} {REFERRAL_MACHINE}"
    assert frameworks.problems() == [
        f"{machine}: unknown stage rapid_reviewed",
        f"{machine}: unknown transition send_to_panel",
        f"{machine}: unknown rule partners_agreed_by_telepathy",
    ]
    assert len(frameworks_declared(None)) == 3
    monkeypatch.undo()
    assert frameworks.problems() == []


@pytest.fixture
def submitted_then_notified(board_a, referrer):
    """A referral made under the SCR framework, then one made after the board switched to England 2023:
    the first keeps its framework."""
    scr = submitted(board=board_a, author=referrer)
    board_a.review_framework = ENGLAND_2023
    board_a.save(update_fields=["review_framework"])
    return scr, submitted(board=board_a, author=referrer, aware_on=INCIDENT)


def test_referral_pages_show_the_stage_in_the_cases_framework(
    client_as, submitted_then_notified, referrer, manager_a
):
    scr, england = submitted_then_notified
    assert (scr.state_label, england.state_label) == ("Submitted", "Notified")
    mine = client_as(referrer).get(reverse("my_referrals")).text
    assert ">Notified</strong>" in mine and ">Submitted</strong>" in mine
    client = client_as(manager_a)
    listed = client.get(reverse("referral_list")).text
    assert ">Notified</strong>" in listed and ">Submitted</strong>" in listed
    for referral, label in ((scr, "Submitted"), (england, "Notified")):
        detail = client.get(reverse("referral_detail", args=[referral.pk])).text
        assert f'data-testid="state">{label}<' in detail


def test_decisions_awaiting_shows_the_rapid_review_sent_to_the_panel(
    client_as, board_a, referrer, manager_a, agency_x, chair_a
):
    board_a.review_framework = ENGLAND_2023
    board_a.save(update_fields=["review_framework"])
    recommended(board=board_a, author=referrer, manager=manager_a, agencies=[agency_x], aware_on=INCIDENT)
    page = client_as(chair_a).get(reverse("decisions_awaiting")).text
    assert "Rapid review sent to the Panel" in page and ">Recommended<" not in page
