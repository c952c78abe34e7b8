"""Every periodic job of the portal, in one place. Each is an idempotent sweep over rows in the database,
so a missed or doubled beat tick does no harm."""

from datetime import timedelta

BEAT_SCHEDULE: dict[str, dict] = {
    "heartbeat": {"task": "scr_portal.tasks.heartbeat", "schedule": timedelta(minutes=15)},
}
