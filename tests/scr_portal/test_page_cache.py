"""The page cache (issue 21, scr_portal.pagecache): the busiest pages are served from the cache only while
every table they read is unchanged, to the same person on the same board on the same day, with this
request's CSRF token and CSP nonce; any write — through a model, `QuerySet.update()`, another process — makes
them stale at once."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scr_portal import pagecache
from scr_portal.models import Board, Role, User
from scr_portal.services import membership_grant, membership_revoke

from ..factories import AgencyFactory, BoardFactory, member
from ..referrals.factories import submitted

# Only committed data is ever cached, so these tests commit (and the database is emptied after each).
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.PAGE_CACHE_ENABLED, reason="the page cache needs the shared Redis"),
]

HOME = "/"


def served_from_cache(response) -> bool:
    return response.get("X-Page-Cache") == "hit"


def without_tokens(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


@pytest.fixture
def manager(board_a):
    return member(board=board_a, role=Role.BUSINESS_MANAGER, full_name="Mia Manager")


def test_the_second_visit_is_served_from_the_cache_with_the_same_page(client_as, manager):
    client = client_as(manager)
    first = client.get(reverse("referral_list"))
    assert first.status_code == 200 and not served_from_cache(first)
    with CaptureQueriesContext(connection) as cached:
        second = client.get(reverse("referral_list"))
    assert served_from_cache(second)
    assert without_tokens(second.content.decode()) == without_tokens(first.content.decode())
    with pagecache_off():
        with CaptureQueriesContext(connection) as fresh:
            client.get(reverse("referral_list"))
    assert len(cached) < len(fresh)


def test_the_pages_csrf_token_and_nonce_are_this_requests(client_as, manager, board_b):
    membership_grant(user=manager, board=board_b, role=Role.BUSINESS_SUPPORT)  # the board switch: a form
    client = client_as(manager)
    client.get(HOME)
    response = client.get(HOME)
    assert served_from_cache(response)
    html = response.content.decode()
    assert pagecache.CSRF_MARK not in html and pagecache.NONCE_MARK not in html
    nonces = set(re.findall(r'nonce="([^"]+)"', html))
    assert len(nonces) == 1 and f"'nonce-{nonces.pop()}'" in response["Content-Security-Policy"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    client.handler.enforce_csrf_checks = True
    switched = client.post(reverse("board_switch"), {"csrfmiddlewaretoken": token, "board": board_b.pk})
    assert switched.status_code == 302


def test_a_new_referral_on_the_board_shows_at_once(client_as, manager, board_a):
    client = client_as(manager)
    client.get(reverse("referral_list"))
    assert served_from_cache(client.get(reverse("referral_list")))
    referrer = member(board=board_a, role=Role.AGENCY_CONTACT, agency=AgencyFactory(board=board_a))
    referral = submitted(board=board_a, author=referrer, child_name="Quinn Zed")
    response = client.get(reverse("referral_list"))
    assert not served_from_cache(response)
    assert referral.reference in response.content.decode()


def rename_here(board, name: str) -> None:
    Board.objects.filter(pk=board.pk).update(name=name)


def rename_in_another_process(board, name: str) -> None:
    code = f"from scr_portal.models import Board; Board.objects.filter(pk={board.pk}).update(name={name!r})"
    env = {**os.environ, "DATABASE_URL": database_url()}
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], check=True, env=env)


@pytest.mark.parametrize("rename", [rename_here, rename_in_another_process])
def test_a_queryset_update_here_or_in_another_process_makes_the_page_stale(
    client_as, manager, board_a, rename
):
    client = client_as(manager)
    client.get(HOME)
    assert served_from_cache(client.get(HOME))
    rename(board_a, "Renamed Safeguarding Board")
    response = client.get(HOME)
    assert not served_from_cache(response)
    assert "Renamed Safeguarding Board" in response.content.decode()


def test_nothing_is_cached_from_an_uncommitted_write(client_as, manager, board_a):
    client = client_as(manager)
    client.get(HOME)
    with transaction.atomic():
        Board.objects.filter(pk=board_a.pk).update(name="Not yet committed")
        assert pagecache.pending_bump(connection) is not None
        inside = client.get(HOME)
        assert not served_from_cache(inside)
        transaction.set_rollback(True)
    assert pagecache.pending_bump(connection) is None
    after = client.get(HOME)
    assert "Not yet committed" not in after.content.decode()


def test_a_revoked_membership_is_not_answered_from_the_cache(client_as, manager, board_a):
    client = client_as(manager)
    client.get(reverse("deadline_dashboard"))
    assert served_from_cache(client.get(reverse("deadline_dashboard")))
    membership_revoke(membership=manager.memberships.get(board=board_a))
    assert client.get(reverse("deadline_dashboard")).status_code in (302, 403, 404)


def test_one_persons_page_is_never_anothers(client, client_as, manager, board_a, board_b):
    client_as(manager).get(reverse("referral_list"))
    other = member(board=board_b, role=Role.BUSINESS_MANAGER)
    client.logout()
    response = client_as(other).get(reverse("referral_list"))
    assert not served_from_cache(response)
    assert board_a.name not in response.content.decode()


def test_others_sign_ins_and_reminder_settings_leave_pages_alone(client_as, manager, board_a):
    client = client_as(manager)
    client.get(HOME)
    colleague = member(board=board_a, role=Role.BUSINESS_SUPPORT)
    client.get(HOME)
    assert served_from_cache(client.get(HOME))
    from django.contrib.auth.models import update_last_login

    update_last_login(None, colleague)
    from scr_portal.clock.services import notification_preference_set

    notification_preference_set(user=colleague, reminder_delivery="daily_digest")
    assert served_from_cache(client.get(HOME))
    version = pagecache._store().get(pagecache._version_key("scr_portal_user"))
    User.objects.filter(pk=colleague.pk).update(full_name="Renamed Colleague")  # a name pages show
    assert pagecache._store().get(pagecache._version_key("scr_portal_user")) != version


def test_a_page_with_a_message_to_show_is_built_afresh(client_as, manager):
    client = client_as(manager)
    client.get(HOME)
    assert served_from_cache(client.get(HOME))
    client.post(reverse("notification_settings"), {"reminder_delivery": "each"})
    with_message = client.get(HOME)
    assert not served_from_cache(with_message)
    assert "govuk-notification-banner" in with_message.content.decode()
    after = client.get(HOME)  # the page with the message was not stored: the one before it is served
    assert served_from_cache(after)
    assert "govuk-notification-banner" not in after.content.decode()


def test_another_day_is_another_page(client_as, manager, time_machine):
    import datetime as dt

    from django.utils import timezone

    client = client_as(manager)
    client.get(HOME)
    assert served_from_cache(client.get(HOME))
    time_machine.move_to(timezone.now() + dt.timedelta(days=1))
    assert not served_from_cache(client.get(HOME))


# --------------------------------------------------------------------------------------------- helpers


class pagecache_off:
    def __enter__(self):
        self.was = settings.PAGE_CACHE_ENABLED
        settings.PAGE_CACHE_ENABLED = False

    def __exit__(self, *exc):
        settings.PAGE_CACHE_ENABLED = self.was


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        ('INSERT INTO "referrals_referral" ("board_id") VALUES (%s)', {"referrals_referral"}),
        ('UPDATE "reviews_review" SET "state" = %s WHERE "reviews_review"."id" = %s', {"reviews_review"}),
        ('DELETE FROM "imr_imr" WHERE "imr_imr"."id" IN (%s)', {"imr_imr"}),
        ('TRUNCATE "imr_imr", "reviews_review" RESTART IDENTITY;', {"imr_imr", "reviews_review"}),
        (
            "SELECT set_config('pghistory.context_id', %s, true); "
            'UPDATE "referrals_referral" SET "state" = %s WHERE "referrals_referral"."id" = %s',
            {"referrals_referral"},
        ),
        ('SELECT "referrals_referral"."id" FROM "referrals_referral" FOR UPDATE', set()),
        ('UPDATE "django_session" SET "session_data" = %s WHERE "session_key" = %s', set()),
        ('UPDATE "scr_portal_user" SET "last_login" = %s WHERE "scr_portal_user"."id" = %s', set()),
        (
            'UPDATE "scr_portal_user" SET "reminder_delivery" = %s WHERE "scr_portal_user"."id" = %s',
            set(),
        ),
        (
            'UPDATE "scr_portal_user" SET "full_name" = %s WHERE "scr_portal_user"."id" = %s',
            {"scr_portal_user"},
        ),
    ],
)
def test_the_tables_a_statement_writes(sql, tables):
    assert pagecache.written_tables(sql) == tables


def test_a_page_that_reads_the_change_history_is_not_stored():
    assert "scr_portal_accesslog" in pagecache.untracked_tables()
    assert any(table.endswith("event") for table in pagecache.untracked_tables())
    BoardFactory()  # the module's own tables are known
    assert "referrals_referral" in pagecache.known_tables()


def test_a_page_is_built_afresh_when_a_deadline_falls_due(client_as, manager, board_a, time_machine):
    """A deadline turns overdue at its due time with no write at all: a page stored before then is not
    served after it."""
    import datetime as dt

    from django.utils import timezone

    from scr_portal.models import Deadline

    from ..factories import open_deadline

    deadline = open_deadline(board_a, timezone.now())
    due = timezone.now() + dt.timedelta(minutes=2)
    Deadline.objects.filter(pk=deadline.pk).update(due_at=due)
    client = client_as(manager)
    client.get(reverse("deadline_dashboard"))
    assert served_from_cache(client.get(reverse("deadline_dashboard")))
    time_machine.move_to(due + dt.timedelta(seconds=1))
    assert not served_from_cache(client.get(reverse("deadline_dashboard")))


def test_a_cache_that_fails_only_costs_the_pages_time(client_as, manager, board_a, monkeypatch, caplog):
    class Unreachable:
        def __getattr__(self, name):
            raise ConnectionError("cache down")

    monkeypatch.setattr(pagecache, "_store", Unreachable)
    client = client_as(manager)
    assert client.get(HOME).status_code == 200
    assert not served_from_cache(client.get(HOME))
    Board.objects.filter(pk=board_a.pk).update(name="Renamed while the cache was down")
    assert "may be served for up to" in caplog.text
    assert "Renamed while the cache was down" in client.get(HOME).content.decode()
