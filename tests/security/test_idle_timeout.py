"""A session ends after 30 idle minutes without a request; its row is written at most once a minute."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_session_ends_after_thirty_idle_minutes(client_as, manager_a):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = client_as(manager_a)
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert client.get(reverse("home")).status_code == 200  # activity keeps the session alive
    with time_machine.travel(start + dt.timedelta(minutes=29 + 31), tick=False):
        response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def session_writes(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return sum(
        1
        for query in captured.captured_queries
        if query["sql"].startswith(("UPDATE", "INSERT")) and '"django_session"' in query["sql"]
    )


def test_session_row_is_written_only_when_its_idle_clock_moves_by_a_minute(client_as, manager_a):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = client_as(manager_a)
        session_writes(client)  # the first request after signing in sets the idle clock
        assert session_writes(client) == 0
    with time_machine.travel(start + dt.timedelta(seconds=59), tick=False):
        assert session_writes(client) == 0
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        assert session_writes(client) == 1
        assert session_writes(client) == 0


def test_a_session_idle_since_its_last_write_ends(client_as, manager_a):
    """Requests that do not move the idle clock do not keep the session alive past 30 minutes from the
    last one that did: the timeout is never longer than configured."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = client_as(manager_a)
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + dt.timedelta(seconds=50), tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=30, seconds=1), tick=False):
        response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_an_unknown_session_cookie_makes_no_session_row(client, settings):
    from django.contrib.sessions.models import Session

    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    assert client.get("/accessibility/").status_code == 200
    assert not Session.objects.exists()
