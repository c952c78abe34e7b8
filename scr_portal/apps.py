from django.apps import AppConfig


class ScrPortalConfig(AppConfig):
    name = "scr_portal"
    verbose_name = "Boards and people"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .clock import selectors  # noqa: F401 — connects the cache invalidation of closure days
