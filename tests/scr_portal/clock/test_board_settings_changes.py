"""Board settings changes through the services: each one recorded with who and when, bad values refused,
and changes applied to deadlines opened afterwards, never silently to open ones."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from scr_portal.clock import settings_services as svc
from scr_portal.models import BoardClosureDay, BoardSettingChange, BoardTimescale, DeadlineRule

from .board_settings_helpers import (
    FROZEN_AT,
    MONDAY,
    REMINDER_DATA,
    date_data,
    open_rule_deadline,
    setting_changes,
    two_calendar_months,
)

pytestmark = pytest.mark.django_db


# Services record who and when ------------------------------------------------------------------------


@time_machine.travel(FROZEN_AT, tick=False)
def test_reminder_schedule_change_records_one_row_per_changed_value(board_a, manager_a):
    svc.board_reminders_update(
        board=board_a,
        actor=manager_a,
        remind_at_half_time=True,
        remind_working_days_before=0,
        remind_on_due_day=True,
        escalation_interval_working_days=1,
    )
    assert setting_changes(board_a) == [
        (manager_a.pk, FROZEN_AT, "Reminder before the due date", "2 working days before", "Off"),
        (manager_a.pk, FROZEN_AT, "Overdue escalation", "Every 5 working days", "Every working day"),
    ]
    board_a.refresh_from_db()
    assert (board_a.remind_working_days_before, board_a.escalation_interval_working_days) == (0, 1)


def test_saving_the_same_reminder_schedule_records_nothing(board_a, manager_a):
    changes = svc.board_reminders_update(
        board=board_a, actor=manager_a, remind_working_days_before=2, escalation_interval_working_days=5
    )
    assert changes == [] and not BoardSettingChange.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"remind_working_days_before": 21}, svc.REMIND_DAYS_BEFORE_RANGE),
        ({"remind_working_days_before": -1}, svc.REMIND_DAYS_BEFORE_RANGE),
        ({"escalation_interval_working_days": 0}, svc.ESCALATION_RANGE),
        ({"escalation_interval_working_days": 21}, svc.ESCALATION_RANGE),
    ],
)
def test_reminder_service_refuses_out_of_range_values(board_a, manager_a, fields, message):
    with pytest.raises(ValidationError) as caught:
        svc.board_reminders_update(board=board_a, actor=manager_a, **fields)
    assert list(caught.value.message_dict.values()) == [[message]]
    assert not BoardSettingChange.objects.exists()


@time_machine.travel(FROZEN_AT, tick=False)
def test_closure_add_and_remove_record_who_and_when(board_a, manager_a):
    closure = svc.board_closure_add(board=board_a, actor=manager_a, day=MONDAY, reason="Christmas shutdown")
    assert svc.board_closure_remove(closure=closure, actor=manager_a) is True
    setting = "Closure day Monday 29 December 2025"
    assert setting_changes(board_a) == [
        (manager_a.pk, FROZEN_AT, setting, "Open", "Closed – Christmas shutdown"),
        (manager_a.pk, FROZEN_AT, setting, "Closed – Christmas shutdown", "Open"),
    ]
    assert not BoardClosureDay.objects.exists()
    # Removed twice (a double click): nothing more recorded.
    assert svc.board_closure_remove(closure=closure, actor=manager_a) is False
    assert len(setting_changes(board_a)) == 2


@time_machine.travel(FROZEN_AT, tick=False)
def test_statutory_timescale_change_records_the_reason(board_a, manager_a, decision_rule):
    two_calendar_months(
        board_a, actor=manager_a, rule=decision_rule, reminders=False, reason="LSCB agreed on 1 March"
    )
    name = "Timescale #8 LSCB Chair's decision on holding a review"
    assert setting_changes(board_a) == [
        (
            manager_a.pk,
            FROZEN_AT,
            f"{name}: time allowed",
            "1 calendar month",
            "2 calendar months — reason: LSCB agreed on 1 March",
        ),
        (manager_a.pk, FROZEN_AT, f"{name}: reminders", "On", "Off — reason: LSCB agreed on 1 March"),
    ]
    override = BoardTimescale.objects.get(board=board_a, rule=decision_rule)
    assert (override.amount, override.unit, override.reminders) == (2, "calendar_months", False)


@time_machine.travel(FROZEN_AT, tick=False)
def test_timescale_reset_records_the_return_to_the_default(board_a, manager_a, screening_rule):
    svc.board_timescale_set(
        board=board_a, actor=manager_a, rule=screening_rule, amount=4, unit="weeks", reminders=True
    )
    BoardSettingChange.objects.all().delete()
    svc.board_timescale_reset(board=board_a, actor=manager_a, rule=screening_rule)
    assert setting_changes(board_a) == [
        (
            manager_a.pk,
            FROZEN_AT,
            "Timescale #7 Sub-committee screening meeting held: time allowed",
            "4 weeks",
            "3 weeks (default)",
        )
    ]
    assert not BoardTimescale.objects.exists()
    assert svc.board_timescale_reset(board=board_a, actor=manager_a, rule=screening_rule) == []


def test_timescale_unchanged_records_nothing_and_setting_the_default_removes_the_override(
    board_a, manager_a, screening_rule
):
    assert (
        svc.board_timescale_set(
            board=board_a, actor=manager_a, rule=screening_rule, amount=3, unit="weeks", reminders=True
        )
        == []
    )
    assert not BoardTimescale.objects.exists() and not BoardSettingChange.objects.exists()
    svc.board_timescale_set(
        board=board_a, actor=manager_a, rule=screening_rule, amount=21, unit="calendar_days", reminders=True
    )
    svc.board_timescale_set(
        board=board_a, actor=manager_a, rule=screening_rule, amount=3, unit="weeks", reminders=True
    )
    assert not BoardTimescale.objects.exists()
    assert [row[3:] for row in setting_changes(board_a)] == [
        ("3 weeks", "21 calendar days"),
        ("21 calendar days", "3 weeks"),
    ]


@pytest.mark.parametrize(
    ("rule_code", "amount", "unit", "message"),
    [
        ("screening", 0, "weeks", svc.TIMESCALE_AMOUNT_ZERO),
        ("screening", -1, "weeks", svc.TIMESCALE_AMOUNT_NOT_POSITIVE),
        ("imr-circulation", 2, "weeks", svc.TIMESCALE_AMOUNT_NOT_NEGATIVE),
        ("screening", 121, "calendar_months", "Amount of time allowed must be 120 calendar months or fewer"),
    ],
)
def test_timescale_service_refuses_bad_amounts(board_a, manager_a, rule_code, amount, unit, message):
    rule = DeadlineRule.objects.get(code=rule_code)
    with pytest.raises(ValidationError) as caught:
        svc.board_timescale_set(
            board=board_a, actor=manager_a, rule=rule, amount=amount, unit=unit, reminders=True
        )
    assert caught.value.message_dict == {"amount": [message]}
    assert not BoardTimescale.objects.exists() and not BoardSettingChange.objects.exists()


def test_negative_rule_may_be_made_longer_before_its_trigger(board_a, manager_a):
    rule = DeadlineRule.objects.get(code="imr-circulation")
    svc.board_timescale_set(
        board=board_a, actor=manager_a, rule=rule, amount=-3, unit="weeks", reminders=True
    )
    assert BoardSettingChange.objects.get().new_value == "3 weeks before"


# Settings apply to deadlines opened afterwards only --------------------------------------------------


def test_timescale_override_moves_later_deadlines_and_leaves_open_ones(
    client_as, board_a, manager_a, decision_rule
):
    before = open_rule_deadline(board_a, "decision", "T-1")
    assert before.due_date == dt.date(2025, 4, 3)

    response = client_as(manager_a).post(
        reverse("board_timescale_edit", args=[board_a.pk, "decision"]),
        {"amount": "2", "unit": "calendar_months", "reminders": "on", "reason": "LSCB agreed longer"},
    )
    assert response.status_code == 302

    after = open_rule_deadline(board_a, "decision", "T-2")
    assert (after.due_date, after.amount) == (dt.date(2025, 5, 3), 2)
    before.refresh_from_db()
    assert (before.due_date, before.original_due_date, before.amount) == (
        dt.date(2025, 4, 3),
        dt.date(2025, 4, 3),
        1,
    )


def test_use_the_default_button_applies_to_deadlines_opened_afterwards(
    client_as, board_a, manager_a, screening_rule
):
    BoardTimescale.objects.create(board=board_a, rule=screening_rule, amount=4, unit="weeks")
    longer = open_rule_deadline(board_a, "screening", "T-1")
    response = client_as(manager_a).post(
        reverse("board_timescale_edit", args=[board_a.pk, "screening"]), {"action": "reset"}, follow=True
    )
    assert "now uses the default, 3 weeks" in response.text
    assert not BoardTimescale.objects.exists()
    assert open_rule_deadline(board_a, "screening", "T-2").due_date == dt.date(2025, 3, 24)
    longer.refresh_from_db()
    assert longer.due_date == dt.date(2025, 3, 31)


def test_closure_day_is_skipped_by_working_day_deadlines_opened_afterwards(client_as, board_a, manager_a):
    before = open_rule_deadline(board_a, "agency-letters", "T-1")  # received Monday 3 March: due Tuesday
    assert before.due_date == dt.date(2025, 3, 4)

    response = client_as(manager_a).post(
        reverse("board_closure_add", args=[board_a.pk]), date_data(dt.date(2025, 3, 4), "Staff training")
    )
    assert response.status_code == 302

    assert open_rule_deadline(board_a, "agency-letters", "T-2").due_date == dt.date(2025, 3, 5)
    before.refresh_from_db()
    assert before.due_date == dt.date(2025, 3, 4)


def test_reminder_schedule_is_copied_into_deadlines_opened_afterwards(client_as, board_a, manager_a):
    before = open_rule_deadline(board_a, "decision", "T-1")
    client_as(manager_a).post(
        reverse("board_settings_reminders", args=[board_a.pk]),
        {**REMINDER_DATA, "remind_working_days_before": "4", "escalation_interval_working_days": "10"},
    )
    board_a.refresh_from_db()
    after = open_rule_deadline(board_a, "decision", "T-2")
    assert after.reminder_schedule["working_days_before"] == 4
    assert after.reminder_schedule["escalation_interval"] == 10
    before.refresh_from_db()
    assert before.reminder_schedule["working_days_before"] == 2
