"""England 2023's referral side (issue 20; domain brief §10): the notification's deadlines, the rapid
review sent to the Panel, the partners' decision recorded by the business unit and confirmed by each
partner's lead, and the Panel's response. Through the services and the pages."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from referrals import services
from referrals.models import Decision, PanelResponse, ReferralState
from scr_portal import frameworks
from scr_portal.clock.services import board_working_day, deadlines_of
from scr_portal.models import DeadlineRule, Role, SafeguardingPartner, TransitionLog
from scr_portal.models.clock import Closing

from ..factories import signed_in
from .factories import (
    INCIDENT,
    RECEIVED,
    complete_answers,
    decide,
    draft,
    notify,
    partner_leads,
    recommended,
    submitted,
    with_checks,
)
from .workflow_helpers import WORKFLOW, flashed

pytestmark = WORKFLOW

E23_RULES = (
    "e23-notify-panel",
    "e23-tell-partners",
    "e23-rapid-review",
    "e23-lcspr-report",
    "e23-copy-before-publication",
)


@pytest.fixture
def england(board_a):
    board_a.review_framework = frameworks.ENGLAND_2023
    board_a.save()
    return board_a


@pytest.fixture
def leads(england):
    return partner_leads(england)


@pytest.fixture
def rapid_review(england, referrer, manager_a, agency_x, leads):
    """An England case whose rapid review has gone to the Panel."""
    return recommended(
        board=england,
        author=referrer,
        manager=manager_a,
        agencies=[agency_x],
        aware_on=INCIDENT,
        criteria_answers=complete_answers(ABUSE=True, S1=True),
    )


def _deadline(referral, code):
    return deadlines_of(referral).get(rule__code=code)


def test_the_england_rules_are_data_closed_by_their_events():
    rules = {rule.code: rule for rule in DeadlineRule.objects.filter(code__in=E23_RULES)}
    assert set(rules) == set(E23_RULES)
    assert all(rule.closing == Closing.EVENT and rule.closing_event for rule in rules.values())
    assert all("domain brief §10" in rule.description for rule in rules.values())
    assert (rules["e23-rapid-review"].amount, rules["e23-rapid-review"].unit) == (15, "working_days")
    assert rules["e23-copy-before-publication"].amount == -7
    assert frameworks.problems(known_rule_codes=DeadlineRule.objects.values_list("code", flat=True)) == []
    assert Role.PARTNER_LEAD in frameworks.get(frameworks.ENGLAND_2023).roles


def test_an_england_notification_needs_the_date_the_local_authority_became_aware(england, referrer):
    with pytest.raises(ValidationError, match="became aware of the incident"):
        submitted(board=england, author=referrer, aware_on=None)


def test_submitting_opens_the_notification_and_rapid_review_deadlines(england, referrer):
    referral = submitted(board=england, author=referrer, aware_on=INCIDENT)
    codes = set(deadlines_of(referral).values_list("rule__code", flat=True))
    assert codes == {"e23-notify-panel", "e23-tell-partners", "e23-rapid-review"}
    assert _deadline(referral, "e23-notify-panel").due_date == board_working_day(england, INCIDENT, 5)
    told = _deadline(referral, "e23-tell-partners")
    assert told.status == "met" and told.due_date == board_working_day(england, INCIDENT, 5)
    assert _deadline(referral, "e23-rapid-review").due_date == board_working_day(england, RECEIVED.date(), 15)


def test_telling_the_panel_meets_the_five_working_days(england, referrer, manager_a):
    referral = submitted(board=england, author=referrer, aware_on=INCIDENT)
    notify(referral, manager_a, "cspr_panel", "incident", dt.date(2026, 11, 24))
    assert _deadline(referral, "e23-notify-panel").status == "met"


def test_the_rapid_review_sent_to_the_panel_meets_its_deadline_with_actions_and_learning(
    england, referrer, manager_a, agency_x, subcommittee_member
):
    referral = with_checks(
        board=england, author=referrer, manager=manager_a, agencies=[agency_x], aware_on=INCIDENT
    )
    services.referral_schedule_screening(
        referral=referral, actor=manager_a, meeting_date=dt.date(2026, 12, 7)
    )
    services.referral_record_recommendation(
        referral=referral,
        actor=manager_a,
        members_present=[subcommittee_member],
        recommendation="nfa",
        reasons="Learning is taken forward in a multi-agency audit.",
        immediate_actions="Sibling's plan reviewed.",
        learning="Information sharing at weekends.",
    )
    referral.refresh_from_db()
    assert referral.state == ReferralState.RECOMMENDED
    assert _deadline(referral, "e23-rapid-review").status == "met"
    assert (referral.screening.immediate_actions, referral.screening.learning) == (
        "Sibling's plan reviewed.",
        "Information sharing at weekends.",
    )


def test_the_decision_stands_only_when_each_partner_lead_confirmed_it(
    rapid_review, manager_a, chair_a, leads
):
    with pytest.raises(PermissionDenied, match="business unit records"):
        decide(rapid_review, actor=chair_a)
    decision = decide(rapid_review, actor=manager_a, outcome="scr")
    rapid_review.refresh_from_db()
    assert rapid_review.state == ReferralState.RECOMMENDED and decision.decided_by == manager_a
    failing = frameworks.rules_failing(
        frameworks.ENGLAND_2023, "referrals.Referral.state", "decide", rapid_review
    )
    assert failing == ["Each of the three safeguarding partners' leads must confirm the decision first."]
    with pytest.raises(ValidationError, match="already been decided"):
        decide(rapid_review, actor=manager_a)
    with pytest.raises(PermissionDenied):
        services.partners_decision_confirm(referral=rapid_review, actor=manager_a)
    for partner in (SafeguardingPartner.LOCAL_AUTHORITY, SafeguardingPartner.POLICE):
        services.partners_decision_confirm(referral=rapid_review, actor=leads[partner])
        rapid_review.refresh_from_db()
        assert rapid_review.state == ReferralState.RECOMMENDED
    with pytest.raises(ValidationError, match="already confirmed"):
        services.partners_decision_confirm(referral=rapid_review, actor=leads[SafeguardingPartner.POLICE])
    services.partners_decision_confirm(
        referral=rapid_review, actor=leads[SafeguardingPartner.INTEGRATED_CARE_BOARD]
    )
    rapid_review.refresh_from_db()
    assert rapid_review.state == ReferralState.DECIDED
    logged = TransitionLog.objects.filter(
        object_id=rapid_review.pk, transition__in=["record_decision", "confirm_decision", "decide"]
    )
    assert list(logged.order_by("pk").values_list("transition", "to_state")) == [
        ("record_decision", "recommended"),
        ("confirm_decision", "recommended"),
        ("confirm_decision", "recommended"),
        ("confirm_decision", "recommended"),
        ("decide", "decided"),
    ]


def test_the_panel_response_is_kept_beside_the_decision(rapid_review, manager_a, leads):
    response = services.panel_response_record(
        referral=rapid_review, actor=manager_a, kind="agrees", received_on=dt.date(2026, 12, 9)
    )
    assert response.recorded_by == manager_a
    rapid_review.refresh_from_db()
    assert rapid_review.state == ReferralState.RECOMMENDED
    with pytest.raises(PermissionDenied):
        services.panel_response_record(
            referral=rapid_review,
            actor=leads[SafeguardingPartner.POLICE],
            kind="agrees",
            received_on=dt.date(2026, 12, 9),
        )


# --- Pages --------------------------------------------------------------------------------------------


def test_business_unit_records_the_decision_on_todays_page_and_leads_confirm_on_theirs(
    client, rapid_review, manager_a, leads
):
    response = signed_in(client, manager_a).post(
        reverse("referral_decide", args=[rapid_review.pk]),
        {"outcome": "scr", "reasons": "", "members_consulted": "Partners", "legal_advice_sought": "no"},
    )
    assert response.status_code == 302
    assert "It stands once each safeguarding partner's lead has confirmed it." in flashed(response)[0]
    url = reverse("referral_partners_decision", args=[rapid_review.pk])
    for lead in leads.values():
        page = signed_in(client, lead).get(url)
        assert page.status_code == 200 and "Confirm the safeguarding partners" in page.text
        response = client.post(url, {})
        assert response.status_code == 302
    rapid_review.refresh_from_db()
    assert rapid_review.state == ReferralState.DECIDED
    assert Decision.objects.get(referral=rapid_review).confirmations.count() == 3


def test_partners_pages_refuse_others(client, rapid_review, manager_a, manager_b, contact_x, leads):
    decide(rapid_review, actor=manager_a)
    confirm = reverse("referral_partners_decision", args=[rapid_review.pk])
    panel = reverse("referral_panel_response", args=[rapid_review.pk])
    assert signed_in(client, manager_b).get(confirm).status_code == 404
    assert client.get(panel).status_code == 404
    assert signed_in(client, manager_a).get(confirm).status_code == 403
    assert signed_in(client, contact_x).get(panel).status_code == 403
    lead = leads[SafeguardingPartner.POLICE]
    assert signed_in(client, lead).get(panel).status_code == 403


def test_the_referral_page_shows_confirmations_and_takes_the_panels_response(
    client, rapid_review, manager_a, leads
):
    decide(rapid_review, actor=manager_a)
    services.partners_decision_confirm(referral=rapid_review, actor=leads[SafeguardingPartner.POLICE])
    detail = reverse("referral_detail", args=[rapid_review.pk])
    page = signed_in(client, manager_a).get(detail).text
    assert "The safeguarding partners&#x27; decision" in page and "LSCB Chair&#x27;s decision" not in page
    assert "Police (Alpha Constabulary): confirmed by Lead Alpha Constabulary" in page
    assert "Local authority: not confirmed yet" in page
    assert 'data-testid="panel-response-form"' in page
    response = client.post(
        reverse("referral_panel_response", args=[rapid_review.pk]),
        {
            "kind": "more_information",
            "received_on_0": "9",
            "received_on_1": "12",
            "received_on_2": "2026",
            "notes": "Asked for the chronology.",
        },
    )
    assert response.status_code == 302
    assert PanelResponse.objects.get(referral=rapid_review).kind == "more_information"
    page = client.get(detail).text
    assert "Asks for more information" in page and "Asked for the chronology." in page
    refused = client.post(
        reverse("referral_panel_response", args=[rapid_review.pk]),
        {"kind": "agrees", "received_on_0": "9", "received_on_1": "12", "received_on_2": "2099"},
    )
    assert refused.status_code == 200 and "govuk-error-summary" in refused.text
    lead_page = signed_in(client, leads[SafeguardingPartner.LOCAL_AUTHORITY]).get(detail)
    assert lead_page.status_code == 200 and "Confirm the partners&#x27; decision" in lead_page.text


def test_the_notification_asks_when_the_local_authority_became_aware(
    client, england, board_b, referrer, manager_b
):
    england_draft = draft(board=england, author=referrer)
    url = reverse("referral_section", args=[england_draft.pk, "child"])
    assert (
        "Date the local authority became aware of the incident" in signed_in(client, referrer).get(url).text
    )
    scr_draft = draft(board=board_b, author=manager_b)
    page = signed_in(client, manager_b).get(reverse("referral_section", args=[scr_draft.pk, "child"])).text
    assert "became aware" not in page


def test_a_partner_leads_home_lists_the_decisions_to_confirm_until_confirmed(
    client, rapid_review, manager_a, leads, django_assert_num_queries
):
    from referrals.selectors.partners import decisions_to_confirm

    police = leads[SafeguardingPartner.POLICE]
    assert "No decision of the safeguarding partners" in signed_in(client, police).get("/").text
    decide(rapid_review, actor=manager_a, outcome="scr")
    home = signed_in(client, police).get("/").text
    assert "Decisions to confirm" in home and rapid_review.reference in home
    assert reverse("referral_partners_decision", args=[rapid_review.pk]) in home
    with django_assert_num_queries(3):
        rows = decisions_to_confirm(police, rapid_review.board)
    assert [row.referral for row in rows] == [rapid_review]
    assert [agency.name for agency in rows[0].for_agencies] == ["Alpha Constabulary"]
    services.partners_decision_confirm(referral=rapid_review, actor=police)
    assert decisions_to_confirm(police, rapid_review.board) == []
    assert len(decisions_to_confirm(leads[SafeguardingPartner.LOCAL_AUTHORITY], rapid_review.board)) == 1
