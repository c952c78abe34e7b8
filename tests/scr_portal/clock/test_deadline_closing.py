"""Issue 15, clauses 1, 2, 4 and 6: every rule says how it closes; an event-closed deadline is met only by
its event (the pages refuse it, naming the event); work done outside the portal is recorded with who, when
and the evidence; cancelling a statutory deadline needs the business manager and a reason and shows in the
case's timeline and the reports; the six-month completion's extensions need the LSCB's and Ofsted's dates
from every page; the due-day reminder of a non-working due day goes the working day before; the authors'
briefing defaults to six weeks. Time is frozen at a moment computed from today."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from portal_site.reports import figures
from referrals.selectors import referral_timeline
from scr_portal import workdays
from scr_portal.clock import services
from scr_portal.clock.schedule import at_local
from scr_portal.clock.services import deadline_open, deadlines_of
from scr_portal.clock.settings_services import board_timescale_set
from scr_portal.models import Deadline, DeadlineRule, Role
from scr_portal.models.clock import Closing

from ...factories import frozen_at, member
from ...referrals.factories import submitted

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
# A Wednesday a fortnight on, never a bank holiday week's Wednesday in England (none fall on Wednesdays
# except Christmas, New Year and Boxing Day, which we step over).
NOW = at_local(TODAY + dt.timedelta(days=14 + (2 - TODAY.weekday()) % 7), 10)
while not workdays.is_working_day(NOW.date()):
    NOW += dt.timedelta(days=7)

# Every rule and how it closes: the closing note of issue 15 lists the same.
EXPECTED_CLOSING = {
    # England 2023 (issue 20): each met by its event.
    "e23-notify-panel": "event",
    "e23-tell-partners": "event",
    "e23-rapid-review": "event",
    "e23-lcspr-report": "event",
    "e23-copy-before-publication": "event",
    "referral-part1": "event",
    "agency-letters": "event",
    "agency-reply": "event",
    "incident-notice": "event",
    "screening": "event",
    "decision": "event",
    "post-decision": "manual",
    "decision-notice": "event",
    "tor-and-imr-letters": "event",
    "authors-briefing": "event",
    "chronology-collated": "event",
    "imr-author-named": "event",
    "imr-completed": "event",
    "imr-rework": "event",
    "interview-notice": "event",
    "imr-circulation": "event",
    "further-information": "event",
    "review-completion": "event",
    "progress-report": "event",
    "published-summary": "event",
    "retention": "event",
    "action": "event",
    "ofsted-evaluation": "event",  # issue 16 clause 3
    "draft-destruction": "event",  # issue 16 clause 7
}


frozen_time = frozen_at(NOW)


def open_rule(board, code, *, subject=None, trigger_at=None):
    rule = DeadlineRule.objects.get(code=code)
    trigger_at = trigger_at or NOW - dt.timedelta(days=1)
    return deadline_open(
        board=board,
        subject=subject or board,
        rule_code=code,
        trigger_at=trigger_at,
        case_reference="ALSCB-TEST",
        due_date=(trigger_at + dt.timedelta(days=10)).date() if rule.due_set_per_case else None,
        now=trigger_at,
    )


def done_form(day: dt.date, **extra) -> dict:
    return {"met_on_0": day.day, "met_on_1": day.month, "met_on_2": day.year, **extra}


# --- Clause 1: every rule says how it closes -------------------------------------------------------------


def test_every_rule_declares_its_closing_and_the_event_that_meets_it():
    rules = {rule.code: rule for rule in DeadlineRule.objects.all()}
    assert {code: rule.closing for code, rule in rules.items()} == EXPECTED_CLOSING
    for rule in rules.values():
        assert rule.description, rule.code
        if rule.closing == Closing.EVENT:
            assert rule.closing_event, rule.code


@pytest.mark.parametrize("code", sorted(EXPECTED_CLOSING))
def test_only_manual_rules_can_be_recorded_by_hand(board_a, manager_a, code):
    deadline = open_rule(board_a, code)
    arguments = {
        "deadline": deadline,
        "actor": manager_a,
        "at": NOW,
        "done_by_name": "Jo",
        "evidence": "Letter",
    }
    if EXPECTED_CLOSING[code] == "event":
        with pytest.raises(ValidationError) as refused:
            services.deadline_record_done(**arguments)
        assert deadline.rule.closing_event in refused.value.messages[0]
        assert Deadline.objects.get(pk=deadline.pk).is_active
    else:
        met = services.deadline_record_done(**arguments)
        assert met.status == "met" and met.done_by_name == "Jo" and met.evidence == "Letter"


def test_the_record_as_done_page_refuses_an_event_closed_deadline_naming_the_event(
    client_as, board_a, manager_a
):
    decision = open_rule(board_a, "decision")
    client = client_as(manager_a)
    detail = client.get(reverse("deadline_detail", args=[decision.pk])).text
    assert "the LSCB Chair&#x27;s decision is recorded" in detail
    assert reverse("deadline_meet", args=[decision.pk]) not in detail
    for response in (
        client.get(reverse("deadline_meet", args=[decision.pk])),
        client.post(reverse("deadline_meet", args=[decision.pk]), done_form(NOW.date(), done_by_name="Jo")),
    ):
        assert response.status_code == 200
        assert "is met only when the LSCB Chair&#x27;s decision is recorded" in response.text
    assert Deadline.objects.get(pk=decision.pk).status == "open"


def test_recording_by_hand_asks_who_when_and_the_evidence(client_as, board_a, manager_a):
    letters = open_rule(board_a, "post-decision")
    client = client_as(manager_a)
    response = client.post(reverse("deadline_meet", args=[letters.pk]), done_form(NOW.date()))
    assert "Enter who did it" in response.text and "Enter the evidence that it was done" in response.text
    assert Deadline.objects.get(pk=letters.pk).status == "open"
    response = client.post(
        reverse("deadline_meet", args=[letters.pk]),
        done_form(NOW.date(), done_by_name="Jo Smith, business support", evidence="Letters ref CO/12 posted"),
    )
    assert response.status_code == 302
    letters.refresh_from_db()
    assert letters.status == "met" and letters.evidence == "Letters ref CO/12 posted"
    assert "Jo Smith, business support" in client.get(reverse("deadline_detail", args=[letters.pk])).text


def test_cancelling_a_statutory_deadline_needs_the_business_manager_and_a_reason(
    client_as, board_a, manager_a, contact_x
):
    referral = submitted(board=board_a, author=contact_x)
    decision = deadlines_of(referral).get(rule__code="decision")
    support = member(board=board_a, role=Role.BUSINESS_SUPPORT, full_name="Sam Support")
    assert client_as(support).get(reverse("deadline_cancel", args=[decision.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.deadline_cancel_by_hand(deadline=decision, actor=support, reason="Not needed")
    # Any other deadline the business support officer may cancel.
    letters = deadlines_of(referral).get(rule__code="agency-letters")
    assert client_as(support).get(reverse("deadline_cancel", args=[letters.pk])).status_code == 200

    client = client_as(manager_a)
    response = client.post(reverse("deadline_cancel", args=[decision.pk]), {"reason": ""})
    assert "Enter why the deadline no longer applies" in response.text
    response = client.post(
        reverse("deadline_cancel", args=[decision.pk]), {"reason": "The family moved: the other board leads."}
    )
    assert response.status_code == 302
    assert Deadline.objects.get(pk=decision.pk).status == "cancelled"
    # The case's timeline shows it, with the reason ...
    timeline = referral_timeline(referral=referral, checks=[])
    assert any(
        entry.what == "Deadline cancelled"
        and "The family moved" in entry.reason
        and entry.who == "Alice Manager"
        for entry in timeline
    )
    assert "The family moved: the other board leads." in client.get(f"/referrals/{referral.pk}/").text
    # ... and so do the reports: a cancelled statutory deadline is counted as not kept.
    rows = {(r["year"], r["measure"]): (r["total"], r["on_time"]) for r in figures.timeliness(board_a)}
    assert rows[(decision.due_date.year, "Statutory deadlines not cancelled")] == (1, 0)


# --- Clause 2: the six-month completion's extensions ------------------------------------------------------


def extend_form(new_due: dt.date, **dates) -> dict:
    form = {
        "new_due_date_0": new_due.day,
        "new_due_date_1": new_due.month,
        "new_due_date_2": new_due.year,
        "reason_category": "criminal_proceedings",
        "reason": "Trial listed",
        "approved_by": "The LSCB",
    }
    for name, day in dates.items():
        form.update({f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year})
    return form


def test_extending_the_six_month_completion_needs_the_lscb_and_ofsted_dates_on_the_deadline_page(
    client_as, board_a, manager_a
):
    completion = open_rule(board_a, "review-completion")
    client = client_as(manager_a)
    new_due = completion.due_date + dt.timedelta(days=60)
    yesterday = NOW.date() - dt.timedelta(days=1)
    response = client.post(
        reverse("deadline_extend", args=[completion.pk]), extend_form(new_due, approved_on=yesterday)
    )
    assert "Enter the date Ofsted was told of the extension" in response.text
    assert Deadline.objects.get(pk=completion.pk).status == "open"
    response = client.post(
        reverse("deadline_extend", args=[completion.pk]),
        extend_form(new_due, approved_on=yesterday, ofsted_told_on=yesterday),
    )
    assert response.status_code == 302
    completion.refresh_from_db()
    assert completion.due_date == new_due
    assert completion.extensions.get().ofsted_told_on == yesterday


def test_the_clock_refuses_a_completion_extension_without_both_dates_whatever_calls_it(board_a, manager_a):
    completion = open_rule(board_a, "review-completion")
    arguments = {
        "deadline": completion,
        "actor": manager_a,
        "new_due_date": completion.due_date + dt.timedelta(days=30),
        "reason_category": "other",
        "reason": "Inquest",
        "approved_by": "The LSCB",
    }
    with pytest.raises(ValidationError) as refused:
        services.deadline_extend(**arguments, approved_on=None, ofsted_told_on=None)
    assert set(refused.value.message_dict) == {"approved_on", "ofsted_told_on"}
    # Another rule's extension still needs neither Ofsted date.
    decision = open_rule(board_a, "decision")
    services.deadline_extend(
        **{**arguments, "deadline": decision, "new_due_date": decision.due_date + dt.timedelta(days=5)},
        approved_on=NOW.date(),
    )


# --- Clause 4: non-working due days -------------------------------------------------------------------


def test_due_day_reminder_of_a_weekend_due_date_goes_the_working_day_before(client_as, board_a, manager_a):
    saturday = NOW.date() + dt.timedelta(days=(5 - NOW.weekday()) % 7 + 7)
    # Incident notice: 7 calendar days, so a trigger a week before the Saturday falls due on it.
    notice = open_rule(board_a, "incident-notice", trigger_at=at_local(saturday - dt.timedelta(days=7), 9))
    assert notice.due_date == saturday
    due_day = notice.reminder_steps.get(key="due-day")
    working_day_before = workdays.add_working_days(saturday, -1)
    assert timezone.localtime(due_day.send_at).date() == working_day_before
    page = client_as(manager_a).get(reverse("deadline_detail", args=[notice.pk])).text
    assert "is not a working day, so the due-day reminder goes on the working day before" in page
    assert f"{working_day_before:%A} {working_day_before.day} {working_day_before:%B %Y}" in page


# --- Clause 6: an achievable briefing default -----------------------------------------------------------


def test_authors_briefing_defaults_to_six_weeks_with_one_week_as_the_boards_setting(board_a, manager_a):
    rule = DeadlineRule.objects.get(code="authors-briefing")
    assert (rule.amount, rule.unit) == (6, "weeks")
    assert "§1.6.5" in rule.description and "§8" in rule.description
    briefing = open_rule(board_a, "authors-briefing", trigger_at=NOW)
    assert briefing.due_date == NOW.date() + dt.timedelta(weeks=6)
    board_timescale_set(
        board=board_a, actor=manager_a, rule=rule, amount=1, unit="weeks", reminders=True, reason=""
    )
    cambridgeshire = open_rule(board_a, "authors-briefing", trigger_at=NOW)
    assert cambridgeshire.due_date == NOW.date() + dt.timedelta(weeks=1)
