from django.apps import AppConfig


class ScrPortalConfig(AppConfig):
    name = "scr_portal"
    verbose_name = "Boards and people"
    default_auto_field = "django.db.models.BigAutoField"
