"""Celery tasks of the reviews app (the schedule is in scr_portal/schedule.py).

The monthly progress report is an idempotent sweep, acknowledged late: a worker killed in the middle
leaves the message for another, and running it twice does no harm (one report per review and month,
enforced by a unique constraint)."""

import datetime as dt
import logging

from celery import shared_task
from django.utils import timezone

from .services.progress import progress_reports_generate_all

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def progress_reports_task(now_iso: str | None = None) -> int:
    """On the first of each month: this month's progress report for every open review."""
    now = dt.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now_iso must carry a time zone offset")
    made = progress_reports_generate_all(now=now)
    logger.info("Progress reports made: %s", made)
    return made
