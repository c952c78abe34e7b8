"""The moved-clock pass of `make test` (.ci/test.sh) really moves "today": in this process, in its live
server thread and in PostgreSQL. Skipped in the ordinary pass."""

import datetime as dt
import os

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

SHIFT = int(os.environ.get("TEST_CLOCK_SHIFT_DAYS") or 0)

pytestmark = pytest.mark.skipif(not SHIFT, reason="only in the moved-clock pass (TEST_CLOCK_SHIFT_DAYS)")


def real_now() -> dt.datetime:
    return dt.datetime.fromtimestamp(time_machine.escape_hatch.time.time(), tz=dt.UTC)


def test_python_today_is_moved():
    assert abs(timezone.now() - (real_now() + dt.timedelta(days=SHIFT))) < dt.timedelta(minutes=5)


@pytest.mark.django_db
def test_postgresql_now_is_moved():
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        (database_now,) = cursor.fetchone()
    assert abs(database_now - (real_now() + dt.timedelta(days=SHIFT))) < dt.timedelta(minutes=5)
