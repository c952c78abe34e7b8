"""Celery tasks of the clock (tasks are queued through `scr_portal.queue.enqueue_on_commit`).

Every task here is an idempotent sweep over rows in PostgreSQL, so it is acknowledged late (the
settings add reject-on-worker-lost and prefetch 1): a worker killed in the middle leaves the message
for another worker, and running it twice does no harm. Tasks take the moment to work for as an ISO
string (tests and the benchmark pass one); beat passes nothing, and the task reads the clock — the only
place in the clock that does.
"""

import datetime as dt
import logging

from celery import shared_task
from django.utils import timezone

from scr_portal.queue import enqueue_on_commit  # noqa: F401 — the clock's callers import it from here

from . import reminders

logger = logging.getLogger(__name__)


def _now(now_iso: str | None) -> dt.datetime:
    if not now_iso:
        return timezone.now()
    now = dt.datetime.fromisoformat(now_iso)
    if timezone.is_naive(now):
        raise ValueError("now_iso must carry a time zone offset")
    return now


@shared_task(acks_late=True)
def reminder_sweep_task(now_iso: str | None = None) -> dict:
    """Every 15 minutes (scr_portal/schedule.py): claim due reminder steps batch after batch, then, in
    the same worker and after those commits, send the emails due (new ones and retries) and retry
    failed digests."""
    now = _now(now_iso)
    swept = reminders.reminder_sweep_all(now=now)
    delivered = reminders.deliver_pending(now=now)
    digests = reminders.send_digests(now=now, retries_only=True)
    summary = {
        "steps_claimed": swept.steps_claimed,
        "reminders_created": swept.reminders_created,
        "deadlines_marked_overdue": swept.deadlines_marked_overdue,
        "sent": delivered.sent + digests.sent,
        "retrying": delivered.retrying + digests.retrying,
        "failed": delivered.failed + digests.failed,
    }
    logger.info("Reminder sweep: %s", summary)
    return summary


@shared_task(acks_late=True)
def deliver_reminders(now_iso: str | None = None) -> dict:
    """Send the pending reminder emails that are due (queued after "send again")."""
    result = reminders.deliver_pending(now=_now(now_iso))
    return {"sent": result.sent, "retrying": result.retrying, "failed": result.failed}


@shared_task(acks_late=True)
def send_digests_task(now_iso: str | None = None) -> dict:
    """Daily at 07:00 (scr_portal/schedule.py). Sweeps first, so that the reminders falling due at
    07:00 are in today's digest rather than tomorrow's, whichever of the two beat entries runs first."""
    now = _now(now_iso)
    reminders.reminder_sweep_all(now=now)
    result = reminders.send_digests(now=now)
    return {"sent": result.sent, "retrying": result.retrying, "failed": result.failed}
