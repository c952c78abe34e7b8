"""Every referral transition, legal and illegal, with its guard, permission, log row and deadlines."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from referrals import services
from referrals.criteria import compute_advice
from referrals.models import AgencyCheckState, ReferralState
from scr_portal.clock.services import deadlines_of
from scr_portal.models import TransitionLog

from . import factories
from .factories import LONDON, RECEIVED, answer_involved, decide, draft, recommended, submitted, with_checks

pytestmark = pytest.mark.django_db

DECIDED_AT = dt.datetime(2026, 12, 10, 11, tzinfo=LONDON)


def states(referral):
    return list(
        TransitionLog.objects.filter(content_type__model="referral", object_id=referral.pk).values_list(
            "transition", "from_state", "to_state"
        )
    )


@pytest.mark.parametrize(
    ("yes", "advice"),
    [
        ({"ABUSE", "M1"}, "must_review"),
        ({"ABUSE", "M2"}, "must_review"),
        ({"M1"}, "below_threshold"),
        ({"A1"}, "must_review_custody"),
        ({"C1", "G"}, "consider"),
        ({"C4"}, "below_threshold"),
        ({"H3"}, "below_threshold"),
        (set(), "below_threshold"),
    ],
)
def test_criteria_advice(yes, advice):
    result = compute_advice({code: True for code in yes})
    assert result.advice == advice
    assert result.reasons


def test_draft_gets_a_board_reference_and_the_author_as_referrer(board_a, contact_x):
    referral = draft(board=board_a, author=contact_x)
    assert referral.reference == "ALSCB-2026-0001"
    assert referral.state == "draft" and referral.referrer_agency.name == "Alpha Police"
    assert draft(board=board_a, author=contact_x).reference == "ALSCB-2026-0002"


def test_submit_computes_advice_and_opens_the_clocks(board_a, contact_x, manager_a, chair_a):
    referral = submitted(board=board_a, author=contact_x)
    assert referral.state == "submitted" and referral.advice == "must_review"
    deadlines = {d.rule.code: d for d in deadlines_of(referral)}
    assert set(deadlines) == {"referral-part1", "agency-letters", "incident-notice", "screening", "decision"}
    assert deadlines["decision"].due_date == dt.date(2026, 12, 23)
    assert list(deadlines["decision"].responsible_users.all()) == [chair_a]
    assert deadlines["agency-letters"].due_date == dt.date(2026, 11, 24)
    assert deadlines["referral-part1"].status == "met_late"  # incident 20 Nov, referred 23 Nov: over 72 hours
    assert states(referral)[-1] == ("submit", "draft", "submitted")


def test_incomplete_part_one_cannot_be_submitted(board_a, contact_x):
    referral = draft(board=board_a, author=contact_x, child_name="", csc_referral_made=None)
    with pytest.raises(ValidationError) as error:
        services.referral_submit(referral=referral, actor=contact_x, now=RECEIVED)
    assert "Enter the child's name" in error.value.messages
    assert "Confirm that a referral to children's social care was made" in error.value.messages
    referral.refresh_from_db()
    assert referral.state == "draft"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"child_date_of_birth": dt.date(2030, 1, 1)}, "Date of birth must be in the past"),
        (
            {"child_date_of_death": dt.date(2019, 1, 1)},
            "Date of death must be the same as or after the date of birth",
        ),
        (
            {"incident_date": dt.date(2019, 1, 1)},
            "Date of the incident must be the same as or after the date of birth",
        ),
        ({"incident_date": dt.date(2026, 12, 25)}, "Date of the incident must be today or in the past"),
    ],
)
def test_impossible_dates_are_refused(board_a, contact_x, overrides, message):
    referral = draft(board=board_a, author=contact_x, **overrides)
    with pytest.raises(ValidationError) as error:
        services.referral_submit(referral=referral, actor=contact_x, now=RECEIVED)
    assert message in error.value.messages


def test_only_the_author_submits_a_draft(board_a, contact_x, manager_a):
    referral = draft(board=board_a, author=contact_x)
    with pytest.raises(PermissionDenied):
        services.referral_submit(referral=referral, actor=manager_a, now=RECEIVED)


def test_agency_checks_open_a_reply_deadline_each_and_meet_the_letters(
    board_a, contact_x, manager_a, agency_x, agency_y
):
    referral = with_checks(board=board_a, author=contact_x, manager=manager_a, agencies=[agency_x, agency_y])
    assert referral.state == "agency_checks"
    assert referral.agency_checks.count() == 2
    check = referral.agency_checks.get(agency=agency_x)
    reply = deadlines_of(check).get()
    assert reply.due_date == dt.date(2026, 11, 26) and list(reply.responsible_users.all()) == [contact_x]
    assert deadlines_of(referral).get(rule__code="agency-letters").status == "met"


def test_agency_contact_answers_involved_and_another_sends_a_nil_return(
    board_a, contact_x, contact_y, manager_a, agency_x, agency_y
):
    referral = with_checks(board=board_a, author=contact_x, manager=manager_a, agencies=[agency_x, agency_y])
    check_x = referral.agency_checks.get(agency=agency_x)
    answered = answer_involved(check_x, actor=contact_x, records_secured_on=dt.date(2026, 11, 23))
    assert answered.state == AgencyCheckState.INVOLVED and not answered.recorded_by_business_unit
    nil = services.agency_check_answer(
        check=referral.agency_checks.get(agency=agency_y), actor=contact_y, involved=False
    )
    assert nil.state == AgencyCheckState.NIL_RETURN
    assert deadlines_of(check_x).get().status in {"met", "met_late"}


def test_contact_of_another_agency_cannot_answer(board_a, contact_x, contact_y, manager_a, agency_x):
    referral = with_checks(board=board_a, author=contact_x, manager=manager_a, agencies=[agency_x])
    with pytest.raises(PermissionDenied):
        services.agency_check_answer(check=referral.agency_checks.get(), actor=contact_y, involved=False)


def test_business_unit_records_an_emailed_reply(board_a, contact_x, manager_a, agency_x):
    referral = with_checks(board=board_a, author=contact_x, manager=manager_a, agencies=[agency_x])
    check = services.agency_check_answer(
        check=referral.agency_checks.get(),
        actor=manager_a,
        involved=False,
        respondent_name="Named person at the police",
    )
    assert check.recorded_by_business_unit and check.respondent_name == "Named person at the police"


def test_chair_decides_a_review_which_creates_it_and_its_deadlines(
    board_a, contact_x, manager_a, chair_a, agency_x
):
    referral = recommended(board=board_a, author=contact_x, manager=manager_a, agencies=[agency_x])
    decision = decide(referral, actor=chair_a, members_consulted="Police, health", now=DECIDED_AT)
    referral.refresh_from_db()
    assert referral.state == "decided" and decision.decided_by == chair_a
    review = referral.review
    assert review.review_type == "scr" and review.reference == "ALSCB-2026-0001-SCR"
    review_deadlines = list(deadlines_of(review).values_list("title", "due_date"))
    assert ("Tell Ofsted of the decision", dt.date(2026, 12, 15)) in review_deadlines
    assert ("Review completed and submitted to Ofsted", dt.date(2027, 6, 10)) in review_deadlines
    assert deadlines_of(referral).get(rule__code="decision").status == "met"
    assert states(referral)[-1] == ("decide", "recommended", "decided")


def test_deciding_twice_is_refused_and_changes_nothing(board_a, contact_x, manager_a, chair_a, agency_x):
    referral = recommended(board=board_a, author=contact_x, manager=manager_a, agencies=[agency_x])
    decide(referral, actor=chair_a, now=DECIDED_AT)
    with pytest.raises(ValidationError, match=services.ALREADY_DECIDED):
        decide(referral, actor=chair_a, outcome="nfa", reasons="Changed my mind", now=DECIDED_AT)
    assert referral.decision.outcome == "scr"


def test_business_manager_cannot_decide(board_a, contact_x, manager_a, agency_x):
    referral = recommended(board=board_a, author=contact_x, manager=manager_a, agencies=[agency_x])
    with pytest.raises(PermissionDenied, match=services.ONLY_CHAIR_DECIDES):
        decide(referral, actor=manager_a, members_consulted="x")


def test_no_review_needs_reasons_and_so_does_departing_from_advice(
    board_a, contact_x, manager_a, chair_a, agency_x
):
    referral = recommended(board=board_a, author=contact_x, manager=manager_a, agencies=[agency_x])
    with pytest.raises(ValidationError, match=services.REASONS_REQUIRED_NFA):
        decide(referral, actor=chair_a, outcome="nfa", reasons=" ", members_consulted="x")
    with pytest.raises(ValidationError, match=services.REASONS_REQUIRED_DEPART):
        decide(
            referral,
            actor=chair_a,
            outcome="alternative",
            alternative_type="management_review",
            members_consulted="x",
        )
    referral.refresh_from_db()
    assert referral.state == "recommended"


def test_answering_a_check_after_the_decision_is_refused(
    board_a, contact_x, manager_a, chair_a, agency_x, agency_y
):
    referral = recommended(board=board_a, author=contact_x, manager=manager_a, agencies=[agency_x, agency_y])
    decide(referral, actor=chair_a, members_consulted="x", now=DECIDED_AT)
    with pytest.raises(ValidationError):
        services.agency_check_answer(
            check=referral.agency_checks.get(agency=agency_x), actor=contact_x, involved=False
        )


def test_decision_before_screening_is_refused(board_a, contact_x, chair_a):
    referral = submitted(board=board_a, author=contact_x)
    with pytest.raises(ValidationError, match=services.NOT_READY_TO_DECIDE):
        decide(referral, actor=chair_a, members_consulted="x")


def test_screening_after_three_weeks_warns(board_a, contact_x, manager_a):
    referral = submitted(board=board_a, author=contact_x)
    warnings = services.referral_schedule_screening(
        referral=referral, actor=manager_a, meeting_date=dt.date(2026, 12, 21)
    )
    assert warnings and "three weeks" in warnings[0]


@pytest.mark.parametrize("action", ["withdraw", "transfer", "duplicate"])
def test_closing_before_the_decision_cancels_the_clocks(board_a, contact_x, manager_a, action):
    referral = submitted(board=board_a, author=contact_x)
    if action == "withdraw":
        services.referral_withdraw(referral=referral, actor=manager_a, reason="Referrer withdrew it")
    elif action == "transfer":
        services.referral_transfer(
            referral=referral, actor=manager_a, lead_board="Gamma LSCB", reason="Child lives in Gamma"
        )
    else:
        original = submitted(board=board_a, author=contact_x)
        services.referral_mark_duplicate(
            referral=referral, actor=manager_a, original=original, reason="Same child"
        )
    referral.refresh_from_db()
    assert referral.state in {ReferralState.WITHDRAWN, ReferralState.TRANSFERRED, ReferralState.DUPLICATE}
    still_open = deadlines_of(referral).filter(status__in=["open", "overdue", "extended"])
    # Only the retention period, which starts at the closing (issue 16).
    assert list(still_open.values_list("rule__code", flat=True)) == ["retention"]


def test_duplicate_must_point_at_another_referral_of_the_board(
    board_a, board_b, contact_x, manager_a, manager_b
):
    referral = submitted(board=board_a, author=contact_x)
    with pytest.raises(ValidationError):
        services.referral_mark_duplicate(referral=referral, actor=manager_a, original=referral, reason="x")


def test_incident_notice_met_when_ofsted_and_dfe_are_told(board_a, contact_x, manager_a):
    referral = submitted(board=board_a, author=contact_x)
    told = {
        "anonymised_text": "Child A, aged 6, died on 20 November.",
        "now": RECEIVED + dt.timedelta(days=1),
    }
    for body in ("ofsted", "dfe"):
        factories.notify(referral, manager_a, body, "incident", dt.date(2026, 11, 24), **told)
    assert deadlines_of(referral).get(rule__code="incident-notice").status == "met"
