"""The board's deadline settings page (issue: "Board settings page (business manager): reminder schedule,
closure days, and timescale overrides, each change recorded with who and when" and "A board may override
amounts and reminders in its settings page; changes apply to deadlines opened afterwards, never silently
to open ones")."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scr_portal.clock import settings_services as svc
from scr_portal.clock.services import deadline_open
from scr_portal.models import Board, BoardClosureDay, BoardSettingChange, BoardTimescale, DeadlineRule, Nation

from ...factories import member

pytestmark = pytest.mark.django_db

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


@pytest.fixture
def closure(board_a):
    return BoardClosureDay.objects.create(board=board_a, day=MONDAY, reason="Office closed")


@pytest.fixture
def decision_rule(db):
    return DeadlineRule.objects.get(code="decision")


@pytest.fixture
def screening_rule(db):
    return DeadlineRule.objects.get(code="screening")


def _open(board, rule_code: str, reference: str, trigger_at: dt.datetime = TRIGGER_AT):
    return deadline_open(
        board=board, subject=board, rule_code=rule_code, trigger_at=trigger_at, case_reference=reference
    )


# Permission matrix ------------------------------------------------------------------------------------

# name: (method, url name, extra url args, POST data). manager_a gets 200 for a GET, 302 for a POST.
ENDPOINTS = {
    "overview": ("get", "board_settings", [], None),
    "reminders-form": ("get", "board_settings_reminders", [], None),
    "reminders-save": ("post", "board_settings_reminders", [], REMINDER_DATA),
    "closure-form": ("get", "board_closure_add", [], None),
    "closure-add": ("post", "board_closure_add", [], date_data(dt.date(2025, 12, 30))),
    "closure-remove": ("post", "board_closure_remove", ["closure"], {}),
    "timescale-form": ("get", "board_timescale_edit", ["screening"], None),
    "timescale-save": (
        "post",
        "board_timescale_edit",
        ["screening"],
        {"amount": "4", "unit": "weeks", "reminders": "on"},
    ),
    "timescale-reset": ("post", "board_timescale_edit", ["screening"], {"action": "reset"}),
}


def _request(client, endpoint: str, board: Board, closure: BoardClosureDay):
    method, name, extra, data = ENDPOINTS[endpoint]
    args = [board.pk, *(closure.pk if arg == "closure" else arg for arg in extra)]
    url = reverse(name, args=args)
    return client.post(url, data) if method == "post" else client.get(url)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_business_manager_may_use_every_settings_page(client_as, board_a, manager_a, closure, endpoint):
    BoardTimescale.objects.create(
        board=board_a, rule=DeadlineRule.objects.get(code="screening"), amount=2, unit="weeks"
    )
    response = _request(client_as(manager_a), endpoint, board_a, closure)
    assert response.status_code == (200 if ENDPOINTS[endpoint][0] == "get" else 302)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(("persona", "status"), [("chair_a", 403), ("contact_x", 403), ("manager_b", 404)])
def test_only_the_boards_business_manager_may_see_or_change_settings(
    request, client_as, board_a, closure, endpoint, persona, status
):
    user = request.getfixturevalue(persona)
    response = _request(client_as(user), endpoint, board_a, closure)
    assert response.status_code == status
    assert not BoardSettingChange.objects.exists()
    assert BoardClosureDay.objects.filter(board=board_a).count() == 1
    assert not BoardTimescale.objects.exists()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_signed_out_visitor_is_sent_to_sign_in(client, board_a, closure, endpoint):
    response = _request(client, endpoint, board_a, closure)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not BoardSettingChange.objects.exists()


def test_closure_remove_is_post_only(client_as, board_a, manager_a, closure):
    response = client_as(manager_a).get(reverse("board_closure_remove", args=[board_a.pk, closure.pk]))
    assert response.status_code == 405
    assert BoardClosureDay.objects.filter(pk=closure.pk).exists()


def test_closure_of_another_board_cannot_be_removed_through_your_own(client_as, board_a, board_b, manager_a):
    other = BoardClosureDay.objects.create(board=board_b, day=MONDAY, reason="Beta closed")
    response = client_as(manager_a).post(reverse("board_closure_remove", args=[board_a.pk, other.pk]))
    assert response.status_code == 404
    assert BoardClosureDay.objects.filter(pk=other.pk).exists()


def test_unknown_rule_is_404(client_as, board_a, manager_a):
    response = client_as(manager_a).get(reverse("board_timescale_edit", args=[board_a.pk, "no-such-rule"]))
    assert response.status_code == 404


# Services record who and when ------------------------------------------------------------------------


def _rows(board):
    return list(
        BoardSettingChange.objects.filter(board=board)
        .order_by("pk")
        .values_list("actor", "at", "setting", "old_value", "new_value")
    )


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
    assert _rows(board_a) == [
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
    assert _rows(board_a) == [
        (manager_a.pk, FROZEN_AT, setting, "Open", "Closed – Christmas shutdown"),
        (manager_a.pk, FROZEN_AT, setting, "Closed – Christmas shutdown", "Open"),
    ]
    assert not BoardClosureDay.objects.exists()
    # Removed twice (a double click): nothing more recorded.
    assert svc.board_closure_remove(closure=closure, actor=manager_a) is False
    assert len(_rows(board_a)) == 2


@time_machine.travel(FROZEN_AT, tick=False)
def test_statutory_timescale_change_records_the_reason(board_a, manager_a, decision_rule):
    svc.board_timescale_set(
        board=board_a,
        actor=manager_a,
        rule=decision_rule,
        amount=2,
        unit="calendar_months",
        reminders=False,
        reason="LSCB agreed on 1 March",
    )
    name = "Timescale #8 LSCB Chair's decision on holding a review"
    assert _rows(board_a) == [
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
    assert _rows(board_a) == [
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
    assert [row[3:] for row in _rows(board_a)] == [
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
    before = _open(board_a, "decision", "T-1")
    assert before.due_date == dt.date(2025, 4, 3)

    response = client_as(manager_a).post(
        reverse("board_timescale_edit", args=[board_a.pk, "decision"]),
        {"amount": "2", "unit": "calendar_months", "reminders": "on", "reason": "LSCB agreed longer"},
    )
    assert response.status_code == 302

    after = _open(board_a, "decision", "T-2")
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
    longer = _open(board_a, "screening", "T-1")
    response = client_as(manager_a).post(
        reverse("board_timescale_edit", args=[board_a.pk, "screening"]), {"action": "reset"}, follow=True
    )
    assert "now uses the default, 3 weeks" in response.text
    assert not BoardTimescale.objects.exists()
    assert _open(board_a, "screening", "T-2").due_date == dt.date(2025, 3, 24)
    longer.refresh_from_db()
    assert longer.due_date == dt.date(2025, 3, 31)


def test_closure_day_is_skipped_by_working_day_deadlines_opened_afterwards(client_as, board_a, manager_a):
    before = _open(board_a, "agency-letters", "T-1")  # received Monday 3 March: due Tuesday
    assert before.due_date == dt.date(2025, 3, 4)

    response = client_as(manager_a).post(
        reverse("board_closure_add", args=[board_a.pk]), date_data(dt.date(2025, 3, 4), "Staff training")
    )
    assert response.status_code == 302

    assert _open(board_a, "agency-letters", "T-2").due_date == dt.date(2025, 3, 5)
    before.refresh_from_db()
    assert before.due_date == dt.date(2025, 3, 4)


def test_reminder_schedule_is_copied_into_deadlines_opened_afterwards(client_as, board_a, manager_a):
    before = _open(board_a, "decision", "T-1")
    client_as(manager_a).post(
        reverse("board_settings_reminders", args=[board_a.pk]),
        {**REMINDER_DATA, "remind_working_days_before": "4", "escalation_interval_working_days": "10"},
    )
    board_a.refresh_from_db()
    after = _open(board_a, "decision", "T-2")
    assert after.reminder_schedule["working_days_before"] == 4
    assert after.reminder_schedule["escalation_interval"] == 10
    before.refresh_from_db()
    assert before.reminder_schedule["working_days_before"] == 2


# Bad input: error summary, nothing saved --------------------------------------------------------------


def _assert_problem(response, message: str, anchor: str) -> None:
    assert response.status_code == 200
    html = response.text
    assert "There is a problem" in html
    assert f'<a href="#{anchor}">{message}</a>' in html
    assert "<title>Error:" in html


def test_zero_amount_is_refused(client_as, board_a, manager_a):
    response = client_as(manager_a).post(
        reverse("board_timescale_edit", args=[board_a.pk, "screening"]),
        {"amount": "0", "unit": "weeks", "reminders": "on"},
    )
    _assert_problem(response, svc.TIMESCALE_AMOUNT_ZERO, "id_amount")
    assert 'id="id_amount-error"' in response.text and "govuk-input--error" in response.text
    assert not BoardTimescale.objects.exists() and not BoardSettingChange.objects.exists()


def test_statutory_change_without_a_reason_is_refused(client_as, board_a, manager_a):
    url = reverse("board_timescale_edit", args=[board_a.pk, "decision"])
    page = client_as(manager_a).get(url)
    assert "This is a statutory timescale" in page.text and "govuk-warning-text" in page.text
    response = client_as(manager_a).post(
        url, {"amount": "2", "unit": "calendar_months", "reminders": "on", "reason": "  "}
    )
    _assert_problem(response, svc.TIMESCALE_REASON_REQUIRED, "id_reason")
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
    _assert_problem(response, message, "id_day_0")
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
    _assert_problem(response, svc.CLOSURE_WEEKEND, "id_day_0")
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
    _assert_problem(response, "Enter closure date", "id_day_0")
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
    _assert_problem(response, message, f"id_{field}")
    board_a.refresh_from_db()
    assert (board_a.remind_working_days_before, board_a.escalation_interval_working_days) == (2, 5)
    assert not BoardSettingChange.objects.exists()


# The overview page -----------------------------------------------------------------------------------


def test_overview_shows_schedule_closures_timescales_and_recent_changes(
    client_as, board_a, manager_a, decision_rule
):
    svc.board_closure_add(board=board_a, actor=manager_a, day=MONDAY, reason="Christmas shutdown")
    svc.board_timescale_set(
        board=board_a,
        actor=manager_a,
        rule=decision_rule,
        amount=2,
        unit="calendar_months",
        reminders=True,
        reason="Agreed",
    )
    response = client_as(manager_a).get(reverse("board_settings", args=[board_a.pk]))
    html = response.text
    assert (
        "Changes apply to deadlines opened after you save them. Deadlines already open keep their dates."
        in html
    )
    assert "Every 5 working days" in html and "2 working days before" in html
    assert "Monday 29 December 2025" in html and "Christmas shutdown" in html
    assert reverse("board_closure_remove", args=[board_a.pk, BoardClosureDay.objects.get().pk]) in html
    assert html.count("govuk-tag--yellow") == 1 and "2 calendar months" in html
    assert html.count(">Statutory<") == DeadlineRule.objects.filter(statutory=True).count()
    for rule in DeadlineRule.objects.all():
        assert reverse("board_timescale_edit", args=[board_a.pk, rule.code]) in html
    assert "Alice Manager" in html and "2 calendar months — reason: Agreed" in html


def test_success_message_after_saving(client_as, board_a, manager_a):
    response = client_as(manager_a).post(
        reverse("board_closure_add", args=[board_a.pk]), date_data(MONDAY, "Shutdown"), follow=True
    )
    assert "Closure day added: Monday 29 December 2025." in response.text


def test_overview_shows_only_the_last_20_changes(client_as, board_a, manager_a):
    for number in range(25):
        BoardSettingChange.objects.create(
            board=board_a, actor=manager_a, at=FROZEN_AT, setting=f"Setting {number:02}", new_value="x"
        )
    html = client_as(manager_a).get(reverse("board_settings", args=[board_a.pk])).text
    assert "Setting 24" in html and "Setting 05" in html and "Setting 04" not in html


def _settings_queries(client, board) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("board_settings", args=[board.pk])).status_code == 200
    return len(queries)


def test_overview_query_count_does_not_grow_with_closures_changes_or_overrides(client_as, board_a, manager_a):
    client = client_as(manager_a)
    other = member(board=board_a, role="business_manager", full_name="Other Manager")
    svc.board_closure_add(board=board_a, actor=manager_a, day=MONDAY, reason="One")
    few = _settings_queries(client, board_a)

    day = dt.date(2026, 2, 3)  # Tuesdays: no bank holiday among the next 15
    for week in range(15):
        svc.board_closure_add(
            board=board_a,
            actor=other if week % 2 else manager_a,
            day=day + dt.timedelta(weeks=week),
            reason="x",
        )
    for rule in DeadlineRule.objects.filter(statutory=False, amount__gt=0)[:5]:
        svc.board_timescale_set(
            board=board_a, actor=other, rule=rule, amount=rule.amount + 1, unit=rule.unit, reminders=False
        )
    assert BoardSettingChange.objects.count() > 20
    assert _settings_queries(client, board_a) == few


def test_closure_days_are_cached_and_forgotten_when_they_change(
    board_a, manager_a, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Deadline lists read each board's closure days from the cache; adding or removing one drops it."""
    from scr_portal.clock.selectors import closures_by_board

    with django_assert_num_queries(1):
        assert closures_by_board([board_a.pk]) == {board_a.pk: ()}
    with django_assert_num_queries(0):
        assert closures_by_board([board_a.pk]) == {board_a.pk: ()}
    with django_capture_on_commit_callbacks(execute=True):
        closure = svc.board_closure_add(board=board_a, actor=manager_a, day=MONDAY, reason="Shutdown")
    assert closures_by_board([board_a.pk]) == {board_a.pk: (MONDAY,)}
    with django_capture_on_commit_callbacks(execute=True):
        svc.board_closure_remove(closure=closure, actor=manager_a)
    assert closures_by_board([board_a.pk]) == {board_a.pk: ()}
