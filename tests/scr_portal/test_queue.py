"""Queuing a task never fails or holds up the user's request when the broker is down."""

import time

import pytest

from scr_portal.celery import app
from scr_portal.notify import notify_on_commit

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    """Point the Celery app at a port where nothing listens, with fresh connection pools."""
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)


def test_notice_email_with_broker_down_does_not_fail_or_block(
    broker_down, manager_a, django_capture_on_commit_callbacks, caplog
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        notify_on_commit([manager_a], subject="[X-1] Test", body="Body", path="/")
    assert time.monotonic() - started < 1.5
    assert "Could not queue" in caplog.text


def test_nothing_is_queued_until_the_transaction_commits(
    manager_a, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("scr_portal.notify.send_notice.apply_async", lambda **kwargs: sent.append(kwargs))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify_on_commit([manager_a], subject="[X-1] Test", body="Body", path="/")
        assert sent == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert sent and sent[0]["args"][0] == [manager_a.email]
