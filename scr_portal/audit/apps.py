from django.apps import AppConfig


class AuditConfig(AppConfig):
    """A part of the kernel installed as its own app, so Celery and Django discover its tasks and signals.
    Its models stay in the scr_portal app (their migrations are scr_portal's)."""

    name = "scr_portal.audit"
    label = "audit"
    verbose_name = "Records protection"
