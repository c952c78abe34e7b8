"""A session ends after 30 idle minutes without a request."""

import datetime as dt

import pytest
import time_machine
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
