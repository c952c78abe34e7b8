"""Issue 15 at the Chair's decision: an agency check still open is not answered by the decision (a miss
the reports count), and the App 2 notice still lists every agency asked (clause 3); after a decision to hold
no review, the business unit is reminded to tell the National Panel where the board's
DECISION_NOTIFY_BODIES says so, and the regulators' prompts of Solihull §5.1.3 reach the business unit
(clause 8); the one-tier board's panel screens (GOVERNANCE_MODEL)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from portal_site.reports import figures
from referrals import services
from referrals.documents.contexts import agency_notice_context
from referrals.models import AgencyCheckState
from scr_portal.clock.services import deadlines_of
from scr_portal.documents import registry
from scr_portal.models import Role

from ..factories import frozen_at, member
from . import factories
from .factories import LONDON, RECEIVED, notify, recommended, with_checks

pytestmark = pytest.mark.django_db

DECIDED_AT = dt.datetime(2026, 12, 10, 11, tzinfo=LONDON)


frozen_time = frozen_at(DECIDED_AT)


def decide(referral, chair, **fields):
    return factories.decide(
        referral, actor=chair, members_consulted="All core members", now=DECIDED_AT, **fields
    )


def test_a_check_open_at_the_decision_is_not_answered_and_still_listed(
    board_a, contact_x, contact_y, manager_a, chair_a, agency_x, agency_y
):
    referral = recommended(board=board_a, author=manager_a, manager=manager_a, agencies=[agency_x, agency_y])
    services.agency_check_answer(
        check=referral.agency_checks.get(agency=agency_x), actor=contact_x, involved=False, now=RECEIVED
    )
    decide(referral, chair_a)
    open_at_decision = referral.agency_checks.get(agency=agency_y)
    assert open_at_decision.state == AgencyCheckState.UNANSWERED
    assert open_at_decision.get_state_display() == "Not answered by the decision"
    assert deadlines_of(open_at_decision).get().closed_reason == "Not answered by the Chair's decision."
    # The App 2 notice produced afterwards lists both agencies asked.
    context = agency_notice_context(
        referral, registry.BuildRequest(merge=registry.Merge(), today=DECIDED_AT.date())
    )
    assert sorted(r["agency"] for r in context["recipients"]) == sorted([agency_x.name, agency_y.name])
    # The reports count the miss: one of two agencies answered by the decision.
    rows = {(r["year"], r["measure"]): (r["total"], r["on_time"]) for r in figures.timeliness(board_a)}
    assert rows[(2026, "Agency replies by the decision")] == (2, 1)


def test_a_withdrawn_referrals_open_checks_are_not_needed(board_a, manager_a, agency_x):
    referral = with_checks(board=board_a, author=manager_a, manager=manager_a, agencies=[agency_x])
    services.referral_withdraw(referral=referral, actor=manager_a, reason="Sent in error", now=DECIDED_AT)
    assert referral.agency_checks.get().state == AgencyCheckState.CANCELLED


def test_no_review_decision_reminds_the_business_unit_to_tell_the_national_panel(
    board_a, manager_a, chair_a, agency_x
):
    referral = recommended(board=board_a, author=manager_a, manager=manager_a, agencies=[agency_x])
    with pytest.raises(ValidationError):
        decide(referral, chair_a, outcome="nfa")  # reasons needed; nothing opened
    decide(
        referral, chair_a, outcome="nfa", reasons="Below the threshold: no concern about working together."
    )
    task = deadlines_of(referral).get(rule__code="decision-notice")
    assert task.title == "Tell the National Panel of the decision" and task.is_active
    assert list(task.responsible_users.all()) == [manager_a]
    # Recording the notice is the event that meets it.
    told = {"anonymised_text": "Child A: no review held.", "now": DECIDED_AT}
    notify(referral, manager_a, "national_panel", "decision", DECIDED_AT.date(), **told)
    task.refresh_from_db()
    assert task.status == "met"


def test_the_boards_notify_bodies_decide_the_tasks_and_the_regulators_prompts(
    board_a, manager_a, chair_a, agency_x, monkeypatch
):
    sent = []
    monkeypatch.setattr("scr_portal.notify.enqueue_on_commit", lambda task, *args: sent.append(args))
    board_a.decision_notify_bodies = ["ofsted", "hmic"]
    board_a.save()
    nfa = recommended(board=board_a, author=manager_a, manager=manager_a, agencies=[agency_x])
    decide(nfa, chair_a, outcome="nfa", reasons="Below the threshold.")
    assert not deadlines_of(nfa).filter(rule__code="decision-notice").exists()
    bodies = " ".join(body for _, subject, body, _ in sent if "The Chair has decided" in subject)
    assert "The police tell HM Inspectorate of Constabulary" in bodies
    assert "SHA and the CQC" not in bodies

    scr = recommended(board=board_a, author=manager_a, manager=manager_a, agencies=[agency_x])
    decide(scr, chair_a)
    notices = deadlines_of(scr.review).filter(rule__code="decision-notice")
    assert list(notices.values_list("title", flat=True)) == ["Tell Ofsted of the decision"]


def test_a_one_tier_board_lets_its_panel_screen(board_a, manager_a, agency_x):
    referral = with_checks(board=board_a, author=manager_a, manager=manager_a, agencies=[agency_x])
    services.referral_schedule_screening(
        referral=referral, actor=manager_a, meeting_date=dt.date(2026, 12, 7), now=RECEIVED
    )
    panel_member = member(board=board_a, role=Role.AGENCY_CONTACT, agency=agency_x)
    arguments = {
        "referral": referral,
        "actor": manager_a,
        "members_present": [panel_member],
        "recommendation": "scr",
        "reasons": "Threshold met.",
        "now": DECIDED_AT,
    }
    with pytest.raises(ValidationError, match="sub-committee"):
        services.referral_record_recommendation(**arguments)
    board_a.governance_model = "one_tier"
    board_a.save()
    referral.refresh_from_db()
    services.referral_record_recommendation(**arguments)
    referral.refresh_from_db()
    assert referral.state == "recommended"
