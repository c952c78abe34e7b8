"""What the board settings tests share: the moments and days they use, the reminder form's data, a
closure day's form data, opening a deadline, the recorded changes, and the error summary's problem."""

import datetime as dt
from zoneinfo import ZoneInfo

from scr_portal.clock import settings_services as svc
from scr_portal.clock.services import deadline_open
from scr_portal.models import BoardSettingChange

LONDON = ZoneInfo("Europe/London")
FROZEN_AT = dt.datetime(2025, 3, 3, 9, 30, tzinfo=LONDON)  # Monday 3 March 2025
TRIGGER_AT = dt.datetime(2025, 3, 3, 10, 0, tzinfo=LONDON)
MONDAY = dt.date(2025, 12, 29)  # an ordinary working day in every nation
SATURDAY = dt.date(2025, 3, 8)
CHRISTMAS = dt.date(2025, 12, 25)  # Thursday, a bank holiday everywhere
SECOND_OF_JANUARY = dt.date(2025, 1, 2)  # Thursday, a bank holiday in Scotland only

REMINDER_DATA = {
    "remind_at_half_time": "on",
    "remind_working_days_before": "3",
    "remind_on_due_day": "on",
    "escalation_interval_working_days": "5",
}


def date_data(day: dt.date, reason: str = "Office closed") -> dict:
    return {"day_0": day.day, "day_1": day.month, "day_2": day.year, "reason": reason}


def open_rule_deadline(board, rule_code: str, reference: str, trigger_at: dt.datetime = TRIGGER_AT):
    return deadline_open(
        board=board, subject=board, rule_code=rule_code, trigger_at=trigger_at, case_reference=reference
    )


def setting_changes(board):
    return list(
        BoardSettingChange.objects.filter(board=board)
        .order_by("pk")
        .values_list("actor", "at", "setting", "old_value", "new_value")
    )


def assert_problem(response, message: str, anchor: str) -> None:
    assert response.status_code == 200
    html = response.text
    assert "There is a problem" in html
    assert f'<a href="#{anchor}">{message}</a>' in html
    assert "<title>Error:" in html


def two_calendar_months(board, *, rule, **fields):
    """The board's timescale of a rule set to two calendar months (fields: actor, reminders, reason)."""
    return svc.board_timescale_set(board=board, rule=rule, amount=2, unit="calendar_months", **fields)
