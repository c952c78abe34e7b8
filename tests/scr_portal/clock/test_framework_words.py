"""Issue 20, both frameworks at once: every deadline carries its case's framework, so the dashboard, the
deadline page, the calendar feed and the reminder emails name each case in its own framework's words
("SCR", "LCSPR") without reading the case, in a number of queries that does not grow with the rows."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scr_portal import frameworks
from scr_portal.clock.emails import reminder_message
from scr_portal.clock.services import calendar_feed_create
from scr_portal.models import SentReminder

from ...factories import open_deadline

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
RECEIVED = dt.datetime(2026, 11, 23, 9, tzinfo=LONDON)
ENGLAND = frameworks.ENGLAND_2023


def both(board, *people):
    """An SCR's deadline and an England 2023 case's deadline of the same board."""
    scr = open_deadline(board, RECEIVED, reference="ALSCB-2026-001", responsible_users=people)
    lcspr = open_deadline(
        board, RECEIVED, reference="ALSCB-2026-002", responsible_users=people, review_framework=ENGLAND
    )
    return scr, lcspr


def framework_of_row(html: str, reference: str) -> str:
    row = re.search(rf"{reference}\s*<strong[^>]*>([^<]+)</strong>", html)
    return row.group(1) if row else ""


def test_a_deadline_takes_its_cases_framework_or_else_the_boards(board_a):
    scr, lcspr = both(board_a)
    assert (scr.review_framework, scr.review_short) == (frameworks.SCR_2010, "SCR")
    assert (lcspr.review_framework, lcspr.review_short) == (ENGLAND, "LCSPR")
    board_a.review_framework = ENGLAND
    assert open_deadline(board_a, RECEIVED, reference="ALSCB-2026-003").review_framework == ENGLAND


def test_the_dashboard_and_the_deadline_page_name_each_case_in_its_frameworks_words(
    client_as, board_a, manager_a
):
    scr, lcspr = both(board_a)
    client = client_as(manager_a)
    html = client.get(reverse("deadline_dashboard")).text
    assert framework_of_row(html, "ALSCB-2026-001") == "SCR"
    assert framework_of_row(html, "ALSCB-2026-002") == "LCSPR"
    assert "ALSCB-2026-002 (LCSPR)" in client.get(reverse("deadline_detail", args=[lcspr.pk])).text


def test_the_dashboard_reads_the_framework_without_a_query_per_row(client_as, board_a, manager_a, chair_a):
    client = client_as(manager_a)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("deadline_dashboard")).status_code == 200
        return len(queries)

    both(board_a, chair_a)
    few = count()
    for index in range(3, 30):
        framework = ENGLAND if index % 2 else frameworks.SCR_2010
        open_deadline(
            board_a, RECEIVED, reference=f"A-{index}", responsible_users=[chair_a], review_framework=framework
        )
    assert count() == few


def test_the_calendar_feed_names_each_case_in_its_frameworks_words(client, board_a, chair_a):
    both(board_a, chair_a)
    body = client.get(
        reverse("calendar_feed", args=[calendar_feed_create(user=chair_a).token])
    ).content.decode()
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:[ALSCB-2026-001 SCR] " in unfolded and "SUMMARY:[ALSCB-2026-002 LCSPR] " in unfolded


def test_a_reminder_email_names_the_case_in_its_frameworks_words(board_a, chair_a):
    _, lcspr = both(board_a, chair_a)
    row = SentReminder.objects.create(
        deadline=lcspr,
        step=lcspr.reminder_steps.first(),
        recipient=chair_a,
        board=board_a,
        created_at=RECEIVED,
        next_attempt_at=RECEIVED,
    )
    email = reminder_message(row, now=RECEIVED)
    assert "Case reference: ALSCB-2026-002 (LCSPR)" in email.body
    assert email.subject.startswith("[ALSCB-2026-002] ")
