"""Every periodic job of the portal, in one place. Each is an idempotent sweep over rows in the database,
so a missed or doubled beat tick does no harm. Times are Europe/London (CELERY_TIMEZONE)."""

from celery.schedules import crontab


def _job(task: str, schedule: crontab, *, expires: int) -> dict:
    """A beat entry; a tick that waited in the queue longer than `expires` seconds is dropped, as the next
    sweep does the same work."""
    return {"task": task, "schedule": schedule, "options": {"expires": expires}}


BEAT_SCHEDULE: dict[str, dict] = {
    # Claims due reminder steps, creates the sent-reminder rows, then sends what is due (scr_portal.clock).
    "reminder-sweep": _job(
        "scr_portal.clock.tasks.reminder_sweep_task", crontab(minute="*/15"), expires=14 * 60
    ),
    # One email a day for the users who chose a daily digest.
    "reminder-digests": _job(
        "scr_portal.clock.tasks.send_digests_task", crontab(hour=7, minute=0), expires=12 * 60 * 60
    ),
    # Uploads still waiting for their virus scan (the scanner was down, or a scan task was lost).
    "scan-pending-files": _job(
        "scr_portal.scanning.scan_pending_files", crontab(minute="*/15"), expires=14 * 60
    ),
    # The monthly progress report to the LSCB Chair for every open review (reviews.tasks); one per review
    # and month, so a doubled tick makes nothing twice.
    "review-progress-reports": _job(
        "reviews.tasks.progress_reports_task",
        crontab(day_of_month=1, hour=6, minute=30),
        expires=23 * 60 * 60,
    ),
    # The cases whose retention period has ended, listed for the business manager on the 1st of each
    # month (scr_portal.audit). Listing only: destruction needs approval case by case.
    "retention-due": _job(
        "scr_portal.audit.tasks.retention_due_task",
        crontab(day_of_month=1, hour=6, minute=45),
        expires=23 * 60 * 60,
    ),
}
