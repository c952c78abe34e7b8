"""Due dates and reminder plans, from the rules of the domain brief ("Decisions already taken", §5)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from scr_portal.clock import schedule as sched

LONDON = ZoneInfo("Europe/London")
REFERRAL_RECEIVED = dt.datetime(2026, 11, 30, 10, 30, tzinfo=LONDON)  # Monday


def due(amount, unit, trigger=REFERRAL_RECEIVED, nation="england-and-wales", closures=()):
    return sched.compute_due(trigger_at=trigger, amount=amount, unit=unit, nation=nation, closures=closures)


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        (1, "calendar_months", dt.date(2026, 12, 30)),  # the Chair's decision (#8)
        (6, "calendar_months", dt.date(2027, 5, 30)),  # review completion (#22)
        (1, "working_days", dt.date(2026, 12, 1)),  # agency letters (#4)
        (3, "working_days", dt.date(2026, 12, 3)),  # agency replies (#5)
        (3, "weeks", dt.date(2026, 12, 21)),  # screening (#7)
        (7, "calendar_days", dt.date(2026, 12, 7)),  # incident notice (#6)
        (-2, "weeks", dt.date(2026, 11, 16)),  # IMRs circulated before the meeting (#18)
    ],
)
def test_due_dates_count_from_the_trigger_day_as_day_zero(amount, unit, expected):
    result = due(amount, unit)
    assert result.date == expected
    assert result.at == dt.datetime.combine(expected, dt.time(23, 59, 59), tzinfo=LONDON)


def test_chair_decision_due_one_calendar_month_after_receipt_clamped_to_month_end():
    assert due(1, "calendar_months", dt.datetime(2027, 1, 31, 9, tzinfo=LONDON)).date == dt.date(2027, 2, 28)


def test_three_working_days_over_christmas_skip_bank_holidays():
    christmas_eve = dt.datetime(2026, 12, 24, 9, tzinfo=LONDON)
    assert due(3, "working_days", christmas_eve).date == dt.date(2026, 12, 31)


def test_working_days_skip_board_closure_days():
    closures = [dt.date(2026, 12, 1)]
    assert due(1, "working_days", closures=closures).date == dt.date(2026, 12, 2)


def test_part_one_is_due_72_hours_after_the_incident_to_the_minute():
    incident = dt.datetime(2026, 11, 27, 22, 15, tzinfo=LONDON)
    result = due(72, "hours", incident)
    assert result.at == dt.datetime(2026, 11, 30, 22, 15, tzinfo=LONDON)
    assert result.date == dt.date(2026, 11, 30)


def test_naive_trigger_is_refused():
    with pytest.raises(ValueError):
        due(1, "calendar_months", dt.datetime(2026, 11, 30, 10))  # noqa: DTZ001


def plan_for(due_at, schedule=None):
    """The reminders of a deadline received on REFERRAL_RECEIVED in England and Wales (default schedule)."""
    schedule = schedule or sched.ReminderSchedule()
    return sched.plan_reminders(
        trigger_at=REFERRAL_RECEIVED, due=due_at, schedule=schedule, nation="england-and-wales"
    )


def test_reminder_plan_for_the_chair_decision():
    plan = plan_for(due(1, "calendar_months"))
    assert [(step.key, step.send_at.date(), step.audience) for step in plan] == [
        ("half-time", dt.date(2026, 12, 15), "responsible"),
        ("before-2", dt.date(2026, 12, 24), "responsible"),  # 25, 28 Dec are bank holidays
        ("due-day", dt.date(2026, 12, 30), "responsible"),
        ("overdue-1", dt.date(2026, 12, 31), "business_unit"),
    ]
    assert all(step.send_at.hour == 7 for step in plan)


def test_reminders_that_coincide_or_precede_the_trigger_are_dropped():
    plan = plan_for(due(1, "working_days"))
    keys = [step.key for step in plan]
    assert "before-2" not in keys
    assert keys[-1] == "overdue-1"
    assert len({step.send_at for step in plan}) == len(plan)


def test_board_schedule_without_half_time_and_one_day_before():
    plan = plan_for(due(1, "calendar_months"), sched.ReminderSchedule(half_time=False, working_days_before=1))
    assert [step.key for step in plan] == ["before-1", "due-day", "overdue-1"]


@pytest.mark.parametrize(
    ("level", "day", "audience"),
    [
        (1, dt.date(2026, 12, 31), "business_unit"),
        (2, dt.date(2027, 1, 8), "panel_chair"),  # 1 Jan is a bank holiday
        (3, dt.date(2027, 1, 15), "lscb_chair"),
        (4, dt.date(2027, 1, 22), "lscb_chair"),
    ],
)
def test_overdue_escalation_every_five_working_days(level, day, audience):
    step = sched.overdue_step(
        due_date=dt.date(2026, 12, 30),
        level=level,
        schedule=sched.ReminderSchedule(),
        nation="england-and-wales",
    )
    assert (step.key, step.send_at.date(), step.audience) == (f"overdue-{level}", day, audience)


@pytest.mark.parametrize(
    ("today", "status", "expected"),
    [
        (dt.date(2026, 12, 1), "open", "green"),
        (dt.date(2026, 12, 22), "open", "amber"),
        (dt.date(2026, 12, 31), "overdue", "red"),
        (dt.date(2026, 12, 31), "met", "closed"),
    ],
)
def test_rag_status(today, status, expected):
    rag = sched.rag_status(
        due_date=dt.date(2026, 12, 30), status=status, today=today, nation="england-and-wales"
    )
    assert rag == expected


@pytest.mark.parametrize(
    ("today", "text"),
    [
        (dt.date(2026, 12, 23), "Wednesday 30 December 2026 (3 working days)"),
        (dt.date(2026, 12, 29), "Wednesday 30 December 2026 (1 working day)"),
        (dt.date(2026, 12, 30), "Wednesday 30 December 2026 (due today)"),
        (dt.date(2027, 1, 4), "Wednesday 30 December 2026 (2 working days overdue)"),
    ],
)
def test_due_dates_read_with_working_days_left(today, text):
    assert sched.describe_due(due_date=dt.date(2026, 12, 30), today=today, nation="england-and-wales") == text
