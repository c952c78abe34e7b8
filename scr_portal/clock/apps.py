from django.apps import AppConfig


class ClockConfig(AppConfig):
    """A part of the kernel installed as its own app, so Celery and Django discover its tasks and signals.
    Its models stay in the scr_portal app (their migrations are scr_portal's)."""

    name = "scr_portal.clock"
    label = "clock"
    verbose_name = "Statutory clock"

    def ready(self) -> None:
        from . import selectors  # noqa: F401 — connects the cache invalidation of closure days
