from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """A part of the kernel installed as its own app, so Celery and Django discover its tasks and signals.
    Its models stay in the scr_portal app (their migrations are scr_portal's)."""

    name = "scr_portal.documents"
    label = "documents"
    verbose_name = "Documents"
