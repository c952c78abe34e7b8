"""Pure date arithmetic of the clock: when a deadline falls due and when its reminders go. No database;
`now`/`today` always come in as parameters.

Rules (domain brief, "Decisions already taken"): the trigger day is day 0; months are calendar months
clamped to the month's end; working days skip weekends, the board's nation's bank holidays and its
closure days. A deadline given in days, weeks, months or working days is due by the end of its due day;
one given in hours is due at that exact time.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

from scr_portal import workdays

REMINDER_HOUR = 7  # reminders go out at 07:00 local time, before the working day starts


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def at_local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=local_zone())


def end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=local_zone())


@dataclass(frozen=True)
class Due:
    date: dt.date
    at: dt.datetime


def compute_due(
    *, trigger_at: dt.datetime, amount: int, unit: str, nation: str, closures: Iterable[dt.date] = ()
) -> Due:
    """When a deadline of `amount` `unit` from `trigger_at` falls due."""
    if trigger_at.tzinfo is None:
        raise ValueError("trigger_at must be timezone-aware")
    if unit == "hours":
        due_at = trigger_at + dt.timedelta(hours=amount)
        return Due(date=due_at.astimezone(local_zone()).date(), at=due_at)
    trigger_day = trigger_at.astimezone(local_zone()).date()
    due_day = workdays.add_duration(trigger_day, amount, unit, nation=nation, closures=closures)
    return Due(date=due_day, at=end_of_day(due_day))


@dataclass(frozen=True)
class ReminderSchedule:
    """A board's reminder schedule, copied into each deadline when it opens."""

    half_time: bool = True
    working_days_before: int = 2
    on_due_day: bool = True
    escalation_interval: int = 5

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ReminderSchedule":
        return cls(**{key: data[key] for key in cls().as_dict() if key in data})


@dataclass(frozen=True)
class PlannedStep:
    key: str
    send_at: dt.datetime
    audience: str


def escalation_audience(level: int) -> str:
    """Overdue escalation: the business unit first, then the panel chair, then the LSCB Chair."""
    return {1: "business_unit", 2: "panel_chair"}.get(level, "lscb_chair")


def overdue_step(
    *,
    due_date: dt.date,
    level: int,
    schedule: ReminderSchedule,
    nation: str,
    closures: Iterable[dt.date] = (),
) -> PlannedStep:
    """The `level`-th overdue escalation: the first working day after the due date, then every
    `escalation_interval` working days."""
    closures = tuple(closures)
    first = workdays.add_working_days(due_date, 1, nation=nation, closures=closures)
    day = workdays.add_working_days(
        first, (level - 1) * schedule.escalation_interval, nation=nation, closures=closures
    )
    return PlannedStep(
        key=f"overdue-{level}", send_at=at_local(day, REMINDER_HOUR), audience=escalation_audience(level)
    )


def plan_reminders(
    *,
    trigger_at: dt.datetime,
    due: Due,
    schedule: ReminderSchedule,
    nation: str,
    closures: Iterable[dt.date] = (),
    escalate: bool = True,
) -> list[PlannedStep]:
    """The reminder steps of a deadline before and at its due date, plus the first overdue escalation
    (later escalations are planned by the sweep as each one is sent). Steps that would fall before the
    trigger, or two on the same moment, are left out."""
    closures = tuple(closures)
    steps: list[PlannedStep] = []
    if schedule.half_time:
        half = trigger_at + (due.at - trigger_at) / 2
        half_day = half.astimezone(local_zone()).date()
        steps.append(
            PlannedStep("half-time", max(at_local(half_day, REMINDER_HOUR), trigger_at), "responsible")
        )
    if schedule.working_days_before:
        before = workdays.add_working_days(
            due.date, -schedule.working_days_before, nation=nation, closures=closures
        )
        steps.append(
            PlannedStep(
                f"before-{schedule.working_days_before}", at_local(before, REMINDER_HOUR), "responsible"
            )
        )
    if schedule.on_due_day:
        day = due_day_reminder_date(due.date, nation=nation, closures=closures)
        steps.append(PlannedStep("due-day", min(at_local(day, REMINDER_HOUR), due.at), "responsible"))
    planned: list[PlannedStep] = []
    seen: set[dt.datetime] = set()
    for step in sorted(steps, key=lambda s: s.send_at):
        if step.send_at < trigger_at or step.send_at > due.at or step.send_at in seen:
            continue
        seen.add(step.send_at)
        planned.append(step)
    if escalate:
        planned.append(
            overdue_step(due_date=due.date, level=1, schedule=schedule, nation=nation, closures=closures)
        )
    return planned


def due_day_reminder_date(due_date: dt.date, *, nation: str, closures: Iterable[dt.date] = ()) -> dt.date:
    """The day the due-day reminder goes: the due date, or the working day before it when the due date is
    a weekend, bank holiday or closure day (issue 15: nobody reads a reminder sent on a Saturday)."""
    if workdays.is_working_day(due_date, nation=nation, closures=closures):
        return due_date
    return workdays.add_working_days(due_date, -1, nation=nation, closures=closures)


def due_day_note(due_date: dt.date, *, nation: str, closures: Iterable[dt.date] = ()) -> str:
    """What the deadline page says when the due date is not a working day, or ""."""
    day = due_day_reminder_date(due_date, nation=nation, closures=closures)
    if day == due_date:
        return ""
    return (
        f"{due_date:%A} {due_date.day} {due_date:%B %Y} is not a working day, so the due-day reminder goes "
        f"on the working day before, {day:%A} {day.day} {day:%B %Y}."
    )


def rag_status(*, due_date: dt.date, status: str, today: dt.date, nation: str, closures=()) -> str:
    """Red when overdue, amber when due within 5 working days, green otherwise; grey once closed."""
    if status in {"met", "met_late", "cancelled"}:
        return "closed"
    if today > due_date:
        return "red"
    if workdays.working_days_between(today, due_date, nation=nation, closures=closures) <= 5:
        return "amber"
    return "green"


def describe_due(*, due_date: dt.date, today: dt.date, nation: str, closures=()) -> str:
    """ "Tuesday 30 December 2026 (3 working days)", "(due today)" or "(4 working days overdue)"."""
    label = f"{due_date:%A} {due_date.day} {due_date:%B %Y}"
    if due_date == today:
        return f"{label} (due today)"
    days = workdays.working_days_between(today, due_date, nation=nation, closures=closures)
    if due_date > today:
        count = max(days, 0)
        return f"{label} ({count} working day{'s' if count != 1 else ''})"
    late = max(-days, 1)
    return f"{label} ({late} working day{'s' if late != 1 else ''} overdue)"
