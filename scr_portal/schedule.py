"""Every periodic job of the portal, in one place. Each is an idempotent sweep over rows in the database,
so a missed or doubled beat tick does no harm. Times are Europe/London (CELERY_TIMEZONE)."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    # Claims due reminder steps, creates the sent-reminder rows, then sends what is due (scr_portal.clock).
    # A tick that waited in the queue past the next one is dropped: the next sweep does the same work.
    "reminder-sweep": {
        "task": "scr_portal.clock.tasks.reminder_sweep_task",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
    # One email a day for the users who chose a daily digest.
    "reminder-digests": {
        "task": "scr_portal.clock.tasks.send_digests_task",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 12 * 60 * 60},
    },
    # Uploads still waiting for their virus scan (the scanner was down, or a scan task was lost).
    "scan-pending-files": {
        "task": "scr_portal.scanning.scan_pending_files",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
    # The monthly progress report to the LSCB Chair for every open review (reviews.tasks); one per review
    # and month, so a doubled tick makes nothing twice.
    "review-progress-reports": {
        "task": "reviews.tasks.progress_reports_task",
        "schedule": crontab(day_of_month=1, hour=6, minute=30),
        "options": {"expires": 23 * 60 * 60},
    },
    # The cases whose retention period has ended, listed for the business manager on the 1st of each
    # month (scr_portal.audit). Listing only: destruction needs approval case by case.
    "retention-due": {
        "task": "scr_portal.audit.tasks.retention_due_task",
        "schedule": crontab(day_of_month=1, hour=6, minute=45),
        "options": {"expires": 23 * 60 * 60},
    },
}
