"""Opening, meeting, extending and cancelling deadlines record who and when; board overrides change only
deadlines opened afterwards."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from scr_portal.clock.services import (
    DEADLINE_CLOSED,
    EXTENSION_NOT_LATER,
    deadline_cancel,
    deadline_meet,
)
from scr_portal.models import BoardClosureDay, BoardTimescale, Deadline, DeadlineRule, TransitionLog
from scr_portal.transitions import lock, log_transition, state_change

from ...factories import extend_deadline, open_deadline

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
REFERRAL_RECEIVED = dt.datetime(2026, 11, 30, 10, 30, tzinfo=LONDON)
DURING_DECISION_PERIOD = dt.datetime(2026, 12, 10, 12, tzinfo=LONDON)
AFTER_DECISION_DUE = dt.datetime(2027, 1, 4, 9, tzinfo=LONDON)


@pytest.fixture
def decision(board_a, manager_a, chair_a):
    return open_deadline(board_a, REFERRAL_RECEIVED, actor=manager_a, responsible_users=[chair_a])


def logs(deadline):
    return list(
        TransitionLog.objects.filter(object_id=deadline.pk, content_type__model="deadline").values_list(
            "transition", "from_state", "to_state", "actor__full_name"
        )
    )


def test_every_timescale_of_the_brief_with_a_duration_is_seeded():
    numbers = set(DeadlineRule.objects.values_list("number", flat=True))
    assert {1, 4, 5, 6, 7, 8, 9, 12, 15, 16, 18, 22, 24, 27, 29, 30} <= numbers
    assert set(DeadlineRule.objects.filter(statutory=True).values_list("code", flat=True)) == {
        "decision",
        "review-completion",
        "e23-notify-panel",  # England 2023: the local authority's duty to notify the Panel (issue 20)
    }


def test_opening_records_who_when_and_copies_the_timescale(decision, manager_a, chair_a):
    assert decision.status == "open"
    assert (decision.due_date, decision.amount, decision.unit) == (
        dt.date(2026, 12, 30),
        1,
        "calendar_months",
    )
    assert decision.opened_by == manager_a and decision.opened_at == REFERRAL_RECEIVED
    assert list(decision.responsible_users.all()) == [chair_a]
    assert decision.statutory
    assert logs(decision) == [("open", "", "open", "Alice Manager")]
    assert decision.reminder_steps.count() == 4


def test_meeting_in_time_records_who_and_when(decision, chair_a):
    met = deadline_meet(deadline=decision, actor=chair_a, at=DURING_DECISION_PERIOD)
    assert (met.status, met.met_by, met.met_at) == ("met", chair_a, DURING_DECISION_PERIOD)
    assert logs(met)[-1] == ("meet", "open", "met", "Carol Chair")
    assert not met.reminder_steps.filter(status="pending").exists()


def test_meeting_after_the_due_time_is_met_late(decision, chair_a):
    assert deadline_meet(deadline=decision, actor=chair_a, at=AFTER_DECISION_DUE).status == "met_late"


def test_meeting_twice_is_refused_and_changes_nothing(decision, chair_a):
    deadline_meet(deadline=decision, actor=chair_a, at=DURING_DECISION_PERIOD)
    with pytest.raises(ValidationError, match=DEADLINE_CLOSED):
        deadline_meet(deadline=decision, actor=chair_a, at=AFTER_DECISION_DUE)
    decision.refresh_from_db()
    assert decision.met_at == DURING_DECISION_PERIOD


def test_extension_keeps_the_original_date_and_history(decision, manager_a):
    extended = extend_deadline(
        decision,
        manager_a,
        dt.date(2027, 1, 29),
        approved_on=dt.date(2026, 12, 15),
        ofsted_told_on=dt.date(2026, 12, 16),
        now=DURING_DECISION_PERIOD,
    )
    assert extended.status == "extended"
    assert (extended.original_due_date, extended.due_date) == (dt.date(2026, 12, 30), dt.date(2027, 1, 29))
    extension = extended.extensions.get()
    assert (extension.previous_due_date, extension.recorded_by, extension.ofsted_told_on) == (
        dt.date(2026, 12, 30),
        manager_a,
        dt.date(2026, 12, 16),
    )
    assert logs(extended)[-1][:3] == ("extend", "open", "extended")
    pending = extended.reminder_steps.filter(status="pending").order_by("send_at")
    assert pending.last().send_at.date() == dt.date(2027, 2, 1)  # overdue escalation after the new date


def test_extension_to_an_earlier_date_is_refused(decision, manager_a):
    with pytest.raises(ValidationError) as error:
        extend_deadline(decision, manager_a, dt.date(2026, 12, 20), approved_on=dt.date(2026, 12, 1))
    assert EXTENSION_NOT_LATER in str(error.value)
    decision.refresh_from_db()
    assert decision.status == "open" and not decision.extensions.exists()


def test_cancelling_records_the_reason_and_stops_reminders(decision, manager_a):
    cancelled = deadline_cancel(deadline=decision, actor=manager_a, reason="Referral withdrawn")
    assert cancelled.status == "cancelled" and cancelled.closed_reason == "Referral withdrawn"
    assert logs(cancelled)[-1] == ("cancel", "open", "cancelled", "Alice Manager")
    assert not cancelled.reminder_steps.filter(status="pending").exists()


def test_board_override_changes_new_deadlines_only(board_a, decision):
    BoardTimescale.objects.create(board=board_a, rule=decision.rule, amount=15, unit="working_days")
    later = open_deadline(board_a, REFERRAL_RECEIVED, reference="ALSCB-2026-002")
    decision.refresh_from_db()
    assert decision.due_date == dt.date(2026, 12, 30)
    assert (later.amount, later.unit, later.due_date) == (15, "working_days", dt.date(2026, 12, 21))


def test_board_closure_days_are_skipped(board_a):
    BoardClosureDay.objects.create(board=board_a, day=dt.date(2026, 12, 1), reason="Office move")
    letters = open_deadline(
        board_a, REFERRAL_RECEIVED, rule_code="agency-letters", reference="ALSCB-2026-003"
    )
    assert letters.due_date == dt.date(2026, 12, 2)


def test_scottish_board_counts_scottish_bank_holidays(board_a):
    board_a.nation = "scotland"
    board_a.save()
    st_andrews_eve = dt.datetime(2026, 11, 27, 10, tzinfo=LONDON)  # Friday; Monday 30 Nov is St Andrew's Day
    letters = open_deadline(board_a, st_andrews_eve, rule_code="agency-letters", reference="ALSCB-2026-004")
    assert letters.due_date == dt.date(2026, 12, 1)


def test_only_per_case_rules_take_a_due_date(board_a):
    with pytest.raises(ValidationError):
        open_deadline(board_a, REFERRAL_RECEIVED, reference="X", due_date=dt.date(2027, 1, 1))
    action = open_deadline(
        board_a, REFERRAL_RECEIVED, rule_code="action", reference="X", due_date=dt.date(2027, 3, 31)
    )
    assert action.due_date == dt.date(2027, 3, 31)


def test_steps_in_the_past_when_a_late_referral_is_logged_are_not_sent(board_a):
    logged_late = dt.datetime(2026, 12, 28, 9, tzinfo=LONDON)
    decision = open_deadline(board_a, REFERRAL_RECEIVED, reference="ALSCB-2026-005", now=logged_late)
    statuses = dict(decision.reminder_steps.values_list("key", "status"))
    assert statuses == {
        "half-time": "skipped",
        "before-2": "skipped",
        "due-day": "pending",
        "overdue-1": "pending",
    }


# The kernel's transition recipe (scr_portal/transitions.py), which every service's state change goes
# through: one log row from the state before to the state after, nothing saved or logged if the block fails.


def last_log(deadline):
    return (
        TransitionLog.objects.filter(object_id=deadline.pk, content_type__model="deadline")
        .order_by("pk")
        .values_list("board", "transition", "from_state", "to_state", "actor__full_name", "reason")
        .last()
    )


def test_a_state_change_saves_and_logs_from_the_state_before(decision, board_a, manager_a):
    with transaction.atomic():
        locked = lock(decision, "board")
        with state_change(
            locked, "cancel", actor=manager_a, reason="Withdrawn", state_field="status"
        ) as change:
            assert change.previous == "open"
            locked.cancel(reason="Withdrawn")
    assert Deadline.objects.get(pk=decision.pk).status == "cancelled"
    assert last_log(decision) == (board_a.pk, "cancel", "open", "cancelled", "Alice Manager", "Withdrawn")


def test_a_state_change_reason_can_be_known_only_inside_the_block(decision, manager_a):
    with state_change(decision, "cancel", actor=manager_a, state_field="status") as change:
        decision.cancel(reason="Late")
        change.save()
        change.reason = f"Saved as {Deadline.objects.get(pk=decision.pk).status}"
    assert last_log(decision)[-1] == "Saved as cancelled"


def test_a_failing_state_change_saves_and_logs_nothing(decision, manager_a):
    before = logs(decision)
    with pytest.raises(RuntimeError):
        with state_change(decision, "cancel", actor=manager_a, state_field="status"):
            decision.cancel(reason="Never")
            raise RuntimeError("a guard failed after the transition")
    assert Deadline.objects.get(pk=decision.pk).status == "open"
    assert logs(decision) == before


def test_an_event_without_a_state_change_logs_the_same_state_both_sides(decision, board_a, manager_a):
    log_transition(decision, "note", decision.status, manager_a, "Just a note", state_field="status")
    assert last_log(decision) == (board_a.pk, "note", "open", "open", "Alice Manager", "Just a note")
