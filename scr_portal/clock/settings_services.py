"""Writes to a board's clock settings: the reminder schedule, closure days and timescale overrides.

Every change is recorded as BoardSettingChange rows (who, when, from what to what: one row per changed
value, in words a business manager reads), in the same transaction as the change, so both or neither
land. Nothing is recorded when nothing changed.

Settings apply to deadlines opened afterwards only: `deadline_open` copies the amount, the due date and
the reminder schedule into each deadline as it opens (issue: "changes apply to deadlines opened
afterwards, never silently to open ones"), so nothing here touches an open deadline.

Each service locks the board row first, so two managers saving at once are serialised: the second sees
the first one's values as "before" and the closure-day checks cannot both pass for the same date.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from scr_portal import workdays
from scr_portal.models import Board, BoardClosureDay, BoardSettingChange, BoardTimescale, DeadlineRule
from scr_portal.models.clock import DurationUnit
from scr_portal.models.people import Nation
from scr_portal.transitions import lock

# Reminder schedule ------------------------------------------------------------------------------------

REMIND_DAYS_BEFORE_MIN, REMIND_DAYS_BEFORE_MAX = 0, 20
ESCALATION_MIN, ESCALATION_MAX = 1, 20
REMIND_DAYS_BEFORE_RANGE = "Working days before the due date must be a number from 0 to 20"
ESCALATION_RANGE = "Working days between overdue escalations must be a number from 1 to 20"

# The board's reminder fields and the name each has in the change history.
REMINDER_SETTINGS: dict[str, str] = {
    "remind_at_half_time": "Reminder when half the time has gone",
    "remind_working_days_before": "Reminder before the due date",
    "remind_on_due_day": "Reminder on the due date",
    "escalation_interval_working_days": "Overdue escalation",
}

# Closure days -----------------------------------------------------------------------------------------

CLOSURE_REASON_REQUIRED = "Enter the reason the business unit is closed"
CLOSURE_WEEKEND = "Closure date must be a weekday – Saturdays and Sundays are never working days"
CLOSURE_BANK_HOLIDAY = "Closure date is a bank holiday in {nation} – bank holidays are never working days"
CLOSURE_ALREADY_ADDED = "The business unit is already closed on that date"
CLOSURE_REASON_MAX = 200
CLOSURE_REASON_TOO_LONG = "Reason must be 200 characters or fewer"
CLOSED, OPEN = "Closed", "Open"

# Timescales -------------------------------------------------------------------------------------------

TIMESCALE_AMOUNT_ZERO = "Amount of time allowed cannot be 0"
TIMESCALE_AMOUNT_NOT_POSITIVE = "Amount of time allowed must be more than 0"
TIMESCALE_AMOUNT_NOT_NEGATIVE = (
    "Amount of time allowed must be less than 0 – this deadline falls before the event that starts it"
)
TIMESCALE_AMOUNT_TOO_LARGE = "Amount of time allowed must be {limit} {unit} or fewer"
TIMESCALE_UNIT_INVALID = "Select the unit of time"
TIMESCALE_REASON_REQUIRED = "Enter the reason for changing a statutory timescale"
TIMESCALE_REMINDERS_UNAVAILABLE = "This deadline never sends reminders"

# About ten years in each unit: far beyond any timescale of the guidance (retention is 84 months), and
# small enough that every due date the clock computes stays a real date.
MAX_AMOUNT: dict[str, int] = {
    DurationUnit.HOURS: 24 * 366,
    DurationUnit.CALENDAR_DAYS: 3660,
    DurationUnit.WEEKS: 520,
    DurationUnit.CALENDAR_MONTHS: 120,
    DurationUnit.WORKING_DAYS: 2600,
}

_SINGULAR = {
    DurationUnit.HOURS: "hour",
    DurationUnit.CALENDAR_DAYS: "calendar day",
    DurationUnit.WEEKS: "week",
    DurationUnit.CALENDAR_MONTHS: "calendar month",
    DurationUnit.WORKING_DAYS: "working day",
}


def duration_text(amount: int, unit: str) -> str:
    """'1 calendar month', '72 hours', '2 weeks before' (a negative amount falls before its trigger)."""
    count = abs(amount)
    words = _SINGULAR[unit] if count == 1 else DurationUnit(unit).label
    return f"{count} {words}{' before' if amount < 0 else ''}"


def on_off(value: bool) -> str:
    return "On" if value else "Off"


def reminder_value_text(field: str, value) -> str:
    """A reminder setting as the change history and the settings page show it."""
    if field == "remind_working_days_before":
        return f"{duration_text(value, DurationUnit.WORKING_DAYS)} before" if value else "Off"
    if field == "escalation_interval_working_days":
        return "Every working day" if value == 1 else f"Every {value} working days"
    return on_off(value)


def day_text(day: dt.date) -> str:
    return date_format(day, "l j F Y")


def _record(*, board: Board, actor, setting: str, old: str, new: str, at: dt.datetime) -> BoardSettingChange:
    return BoardSettingChange.objects.create(
        board=board, actor=actor, at=at, setting=setting[:200], old_value=old, new_value=new
    )


# Reminder schedule ------------------------------------------------------------------------------------


@transaction.atomic
def board_reminders_update(*, board: Board, actor, **fields) -> list[BoardSettingChange]:
    """Change the board's reminder schedule (domain brief, "Decisions already taken": the schedule is a
    board setting). Returns the change rows written; none when nothing changed."""
    unknown = set(fields) - set(REMINDER_SETTINGS)
    if unknown:
        raise TypeError(f"Not reminder settings: {', '.join(sorted(unknown))}")
    errors = {}
    before = fields.get("remind_working_days_before")
    if before is not None and not REMIND_DAYS_BEFORE_MIN <= before <= REMIND_DAYS_BEFORE_MAX:
        errors["remind_working_days_before"] = REMIND_DAYS_BEFORE_RANGE
    interval = fields.get("escalation_interval_working_days")
    if interval is not None and not ESCALATION_MIN <= interval <= ESCALATION_MAX:
        errors["escalation_interval_working_days"] = ESCALATION_RANGE
    if errors:
        raise ValidationError(errors)

    locked = lock(board)
    now = timezone.now()
    changed, changes = [], []
    for name in REMINDER_SETTINGS:  # a fixed order, so the history reads the same way as the page
        if name not in fields or getattr(locked, name) == fields[name]:
            continue
        changes.append(
            _record(
                board=locked,
                actor=actor,
                setting=REMINDER_SETTINGS[name],
                old=reminder_value_text(name, getattr(locked, name)),
                new=reminder_value_text(name, fields[name]),
                at=now,
            )
        )
        setattr(locked, name, fields[name])
        changed.append(name)
    if changed:
        locked.save(update_fields=changed)
    return changes


# Closure days -----------------------------------------------------------------------------------------


def closure_setting_name(day: dt.date) -> str:
    return f"Closure day {day_text(day)}"


def closure_day_error(board: Board, day: dt.date) -> str | None:
    """What is wrong with closing the business unit on `day`, or None. Shared with the form, so the page
    shows every problem at once; the service checks again under the board lock."""
    if day.weekday() >= 5:
        return CLOSURE_WEEKEND
    if day in workdays.bank_holidays(board.nation, [day.year]):
        return CLOSURE_BANK_HOLIDAY.format(nation=Nation(board.nation).label)
    if BoardClosureDay.objects.filter(board=board, day=day).exists():
        return CLOSURE_ALREADY_ADDED
    return None


@transaction.atomic
def board_closure_add(*, board: Board, actor, day: dt.date, reason: str) -> BoardClosureDay:
    """Close the business unit on a day, so working-day deadlines opened afterwards skip it. Weekends and
    the nation's bank holidays are refused: they are never working days, so a closure there would
    change nothing and only hide the real ones in the list."""
    reason = (reason or "").strip()
    locked = lock(board)
    errors = {}
    if message := closure_day_error(locked, day):
        errors["day"] = message
    if not reason:
        errors["reason"] = CLOSURE_REASON_REQUIRED
    elif len(reason) > CLOSURE_REASON_MAX:
        errors["reason"] = CLOSURE_REASON_TOO_LONG
    if errors:
        raise ValidationError(errors)
    closure = BoardClosureDay.objects.create(board=locked, day=day, reason=reason)
    _record(
        board=locked,
        actor=actor,
        setting=closure_setting_name(day),
        old=OPEN,
        new=f"{CLOSED} – {reason}",
        at=timezone.now(),
    )
    return closure


@transaction.atomic
def board_closure_remove(*, closure: BoardClosureDay, actor) -> bool:
    """Open the business unit again on a closure day. Returns False (and records nothing) when another
    request removed it first."""
    locked = lock(closure.board)
    current = BoardClosureDay.objects.filter(pk=closure.pk, board=locked).first()
    if current is None:
        return False
    current.delete()
    _record(
        board=locked,
        actor=actor,
        setting=closure_setting_name(current.day),
        old=f"{CLOSED} – {current.reason}",
        new=OPEN,
        at=timezone.now(),
    )
    return True


# Timescales -------------------------------------------------------------------------------------------


def timescale_setting_name(rule: DeadlineRule, part: str) -> str:
    return f"Timescale #{rule.number} {rule.name}: {part}"


def _effective(rule: DeadlineRule, override: BoardTimescale | None) -> tuple[int, str, bool]:
    """(amount, unit, reminders) as deadlines opened now would get them; mirrors effective_timescale."""
    if override is None:
        return rule.amount, rule.unit, rule.reminders
    return override.amount, override.unit, override.reminders and rule.reminders


def _timescale_changes(
    *,
    board: Board,
    actor,
    rule: DeadlineRule,
    old: tuple[int, str, bool],
    new: tuple[int, str, bool],
    suffix: str,
    at: dt.datetime,
) -> list[BoardSettingChange]:
    changes = []
    if old[:2] != new[:2]:
        changes.append(
            _record(
                board=board,
                actor=actor,
                setting=timescale_setting_name(rule, "time allowed"),
                old=duration_text(*old[:2]),
                new=duration_text(*new[:2]) + suffix,
                at=at,
            )
        )
    if old[2] != new[2]:
        changes.append(
            _record(
                board=board,
                actor=actor,
                setting=timescale_setting_name(rule, "reminders"),
                old=on_off(old[2]),
                new=on_off(new[2]) + suffix,
                at=at,
            )
        )
    return changes


def timescale_amount_error(rule: DeadlineRule, amount: int, unit: str) -> str | None:
    """What is wrong with `amount` for this rule, or None. Shared with the form's inline check."""
    if amount == 0:
        return TIMESCALE_AMOUNT_ZERO
    # The sign carries the meaning: a negative rule (IMRs circulated 2 weeks *before* the meeting) must
    # stay before its trigger, and no other deadline may fall before the event that starts it.
    if rule.amount < 0 and amount > 0:
        return TIMESCALE_AMOUNT_NOT_NEGATIVE
    if rule.amount > 0 and amount < 0:
        return TIMESCALE_AMOUNT_NOT_POSITIVE
    limit = MAX_AMOUNT.get(unit)
    if limit is not None and abs(amount) > limit:
        return TIMESCALE_AMOUNT_TOO_LARGE.format(limit=limit, unit=DurationUnit(unit).label)
    return None


@transaction.atomic
def board_timescale_set(
    *, board: Board, actor, rule: DeadlineRule, amount: int, unit: str, reminders: bool, reason: str = ""
) -> list[BoardSettingChange]:
    """Set the board's own timescale for a rule. Applies to deadlines opened afterwards only.

    A statutory timescale (domain brief §5: the Chair's decision in 1 month, the review in 6) may be
    changed, but only with a reason, kept in the change history. Setting exactly the rule's default
    removes the board's override, so the page never shows "Changed" for a value that is the default."""
    reason = (reason or "").strip()
    errors = {}
    if unit not in DurationUnit.values:
        errors["unit"] = TIMESCALE_UNIT_INVALID
    elif message := timescale_amount_error(rule, amount, unit):
        errors["amount"] = message
    if reminders and not rule.reminders:
        errors["reminders"] = TIMESCALE_REMINDERS_UNAVAILABLE
    if errors:
        raise ValidationError(errors)

    locked = lock(board)
    override = BoardTimescale.objects.filter(board=locked, rule=rule).first()
    default = _effective(rule, None)
    old = _effective(rule, override)
    new = (amount, unit, reminders)
    if old == new:
        return []
    if rule.statutory and new != default and not reason:
        raise ValidationError({"reason": TIMESCALE_REASON_REQUIRED})
    if new == default:
        if override is not None:
            override.delete()
    else:
        BoardTimescale.objects.update_or_create(
            board=locked, rule=rule, defaults={"amount": amount, "unit": unit, "reminders": reminders}
        )
    suffix = f" — reason: {reason}" if reason else ""
    return _timescale_changes(
        board=locked, actor=actor, rule=rule, old=old, new=new, suffix=suffix, at=timezone.now()
    )


@transaction.atomic
def board_timescale_reset(*, board: Board, actor, rule: DeadlineRule) -> list[BoardSettingChange]:
    """Go back to the rule's own timescale. No reason is needed to return to the guidance's value."""
    locked = lock(board)
    override = BoardTimescale.objects.filter(board=locked, rule=rule).first()
    if override is None:
        return []
    old = _effective(rule, override)
    override.delete()
    return _timescale_changes(
        board=locked,
        actor=actor,
        rule=rule,
        old=old,
        new=_effective(rule, None),
        suffix=" (default)",
        at=timezone.now(),
    )


# Reads for the settings page --------------------------------------------------------------------------


def board_reminder_rows(board: Board) -> list[dict]:
    """The reminder schedule as the settings page lists it: one row per setting, with its form field."""
    return [
        {"field": name, "label": label, "value": reminder_value_text(name, getattr(board, name))}
        for name, label in REMINDER_SETTINGS.items()
    ]


def board_timescale_rows(board: Board) -> list[dict]:
    """Every deadline rule with its default and, where the board has one, its own value. Two queries
    however many rules and overrides there are."""
    overrides = {override.rule_id: override for override in BoardTimescale.objects.filter(board=board)}
    rows = []
    for rule in DeadlineRule.objects.all():
        override = overrides.get(rule.pk)
        rows.append(
            {
                "rule": rule,
                "default": duration_text(rule.amount, rule.unit),
                "override": override,
                "board_value": duration_text(override.amount, override.unit) if override else "",
                "reminders_off": bool(override and rule.reminders and not override.reminders),
            }
        )
    return rows
