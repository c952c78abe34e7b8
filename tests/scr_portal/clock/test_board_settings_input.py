"""Bad input on the board settings pages: the GOV.UK error summary, and nothing saved."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from scr_portal.clock import settings_services as svc
from scr_portal.models import Board, BoardClosureDay, BoardSettingChange, BoardTimescale, Nation

from .board_settings_helpers import (
    CHRISTMAS,
    MONDAY,
    REMINDER_DATA,
    SATURDAY,
    SECOND_OF_JANUARY,
    assert_problem,
    date_data,
)

pytestmark = pytest.mark.django_db


# Bad input: error summary, nothing saved --------------------------------------------------------------


def test_zero_amount_is_refused(client_as, board_a, manager_a):
    response = client_as(manager_a).post(
        reverse("board_timescale_edit", args=[board_a.pk, "screening"]),
        {"amount": "0", "unit": "weeks", "reminders": "on"},
    )
    assert_problem(response, svc.TIMESCALE_AMOUNT_ZERO, "id_amount")
    assert 'id="id_amount-error"' in response.text and "govuk-input--error" in response.text
    assert not BoardTimescale.objects.exists() and not BoardSettingChange.objects.exists()


def test_statutory_change_without_a_reason_is_refused(client_as, board_a, manager_a):
    url = reverse("board_timescale_edit", args=[board_a.pk, "decision"])
    page = client_as(manager_a).get(url)
    assert "This is a statutory timescale" in page.text and "govuk-warning-text" in page.text
    response = client_as(manager_a).post(
        url, {"amount": "2", "unit": "calendar_months", "reminders": "on", "reason": "  "}
    )
    assert_problem(response, svc.TIMESCALE_REASON_REQUIRED, "id_reason")
    assert not BoardTimescale.objects.exists() and not BoardSettingChange.objects.exists()


def test_non_statutory_timescale_asks_no_reason(client_as, board_a, manager_a):
    page = client_as(manager_a).get(reverse("board_timescale_edit", args=[board_a.pk, "screening"]))
    assert 'name="reason"' not in page.text and "This is a statutory timescale" not in page.text


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (SATURDAY, svc.CLOSURE_WEEKEND),
        (
            CHRISTMAS,
            "Closure date is a bank holiday in England and Wales – bank holidays are never working days",
        ),
        (MONDAY, svc.CLOSURE_ALREADY_ADDED),
    ],
)
def test_closure_on_a_day_that_is_never_a_working_day_or_already_closed_is_refused(
    client_as, board_a, manager_a, closure, day, message
):
    response = client_as(manager_a).post(reverse("board_closure_add", args=[board_a.pk]), date_data(day))
    assert_problem(response, message, "id_day_0")
    assert list(BoardClosureDay.objects.values_list("day", flat=True)) == [MONDAY]
    assert not BoardSettingChange.objects.exists()


def test_bank_holidays_are_those_of_the_boards_nation(board_a, manager_a):
    svc.board_closure_add(board=board_a, actor=manager_a, day=SECOND_OF_JANUARY, reason="New Year")
    Board.objects.filter(pk=board_a.pk).update(nation=Nation.SCOTLAND)
    with pytest.raises(ValidationError) as caught:
        svc.board_closure_add(board=board_a, actor=manager_a, day=dt.date(2026, 1, 2), reason="New Year")
    assert caught.value.message_dict == {"day": [svc.CLOSURE_BANK_HOLIDAY.format(nation="Scotland")]}


def test_every_closure_problem_is_shown_at_once(client_as, board_a, manager_a):
    response = client_as(manager_a).post(
        reverse("board_closure_add", args=[board_a.pk]), date_data(SATURDAY, "")
    )
    assert_problem(response, svc.CLOSURE_WEEKEND, "id_day_0")
    assert f'<a href="#id_reason">{svc.CLOSURE_REASON_REQUIRED}</a>' in response.text
    assert not BoardClosureDay.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (SATURDAY, svc.CLOSURE_WEEKEND),
        (dt.date(2025, 3, 9), svc.CLOSURE_WEEKEND),
        (MONDAY, svc.CLOSURE_ALREADY_ADDED),
    ],
)
def test_closure_service_refuses_weekends_and_duplicates(board_a, manager_a, closure, day, message):
    with pytest.raises(ValidationError) as caught:
        svc.board_closure_add(board=board_a, actor=manager_a, day=day, reason="Closed")
    assert caught.value.message_dict == {"day": [message]}
    assert BoardClosureDay.objects.count() == 1 and not BoardSettingChange.objects.exists()


def test_closure_without_reason_or_date_is_refused(client_as, board_a, manager_a):
    response = client_as(manager_a).post(
        reverse("board_closure_add", args=[board_a.pk]), {"day_0": "", "day_1": "", "day_2": "", "reason": ""}
    )
    assert_problem(response, "Enter closure date", "id_day_0")
    assert f'<a href="#id_reason">{svc.CLOSURE_REASON_REQUIRED}</a>' in response.text
    assert not BoardClosureDay.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("remind_working_days_before", "21", svc.REMIND_DAYS_BEFORE_RANGE),
        ("escalation_interval_working_days", "0", svc.ESCALATION_RANGE),
        (
            "escalation_interval_working_days",
            "five",
            "Working days between overdue escalations must be a whole number",
        ),
    ],
)
def test_reminder_schedule_out_of_range_is_refused(client_as, board_a, manager_a, field, value, message):
    response = client_as(manager_a).post(
        reverse("board_settings_reminders", args=[board_a.pk]), {**REMINDER_DATA, field: value}
    )
    assert_problem(response, message, f"id_{field}")
    board_a.refresh_from_db()
    assert (board_a.remind_working_days_before, board_a.escalation_interval_working_days) == (2, 5)
    assert not BoardSettingChange.objects.exists()
