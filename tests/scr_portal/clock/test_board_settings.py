"""The board's deadline settings pages: who may see and change them, and the overview (issue: "Board
settings page (business manager): reminder schedule, closure days, and timescale overrides, each change
recorded with who and when" and "A board may override amounts and reminders in its settings page; changes
apply to deadlines opened afterwards, never silently to open ones")."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scr_portal.clock import settings_services as svc
from scr_portal.models import Board, BoardClosureDay, BoardSettingChange, BoardTimescale, DeadlineRule

from ...factories import member
from .board_settings_helpers import (
    FROZEN_AT,
    MONDAY,
    REMINDER_DATA,
    date_data,
    two_calendar_months,
)

pytestmark = pytest.mark.django_db


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


# The overview page -----------------------------------------------------------------------------------


def test_overview_shows_schedule_closures_timescales_and_recent_changes(
    client_as, board_a, manager_a, decision_rule
):
    svc.board_closure_add(board=board_a, actor=manager_a, day=MONDAY, reason="Christmas shutdown")
    two_calendar_months(board_a, actor=manager_a, rule=decision_rule, reminders=True, reason="Agreed")
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
